import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
import { optionalString, requireString } from '../core/props';

/**
 * What a partner may do with shared data.
 */
export enum AccessLevel {
  /** Get objects and their versions, list the bucket; decrypt through S3. */
  READ = 'READ',
  /** Put objects, including multipart uploads; generate data keys and decrypt through S3. */
  WRITE = 'WRITE',
  /** Both READ and WRITE. */
  READ_WRITE = 'READ_WRITE',
}

/**
 * How a partner is identified.
 */
export enum PartnerKind {
  /** Any principal of one AWS account that the account's administrators allow. */
  ACCOUNT = 'ACCOUNT',
  /** Named IAM roles or users of one AWS account. */
  PRINCIPALS = 'PRINCIPALS',
  /** Any principal of an AWS Organizations organization (`aws:PrincipalOrgID`). */
  ORGANIZATION = 'ORGANIZATION',
  /** Any principal under organizational unit paths (`aws:PrincipalOrgPaths`). */
  ORGANIZATION_PATHS = 'ORGANIZATION_PATHS',
}

const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ORG_PATH = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*\/(\*|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/\*?)?$/;

/**
 * Who may come in: another AWS account, named principals of one account, or
 * an organization. Used by `EncryptedBucket.shareWith`,
 * `CrossAccountSharedKey.grantPartner` and `VpcEndpointAccess`.
 *
 * Resource policies name accounts, never roles, as principals: a named role
 * is matched through an `aws:PrincipalArn` condition, so the producer's
 * deployment does not fail when the role does not exist yet, and access
 * survives the partner deleting and recreating the role (a role principal
 * would be stored as the role's unique id and break).
 *
 * @example
 * Partner.account('222222222222');
 * Partner.principals(['arn:aws:iam::333333333333:role/ingest']);
 * Partner.organization('o-a1b2c3d4e5');
 */
export class Partner {
  /**
   * Any principal of the account `accountId` that the account's own
   * administrators allow (through their IAM policies).
   *
   * @param accountId the 12-digit AWS account id
   * @throws if `accountId` is not 12 digits
   */
  public static account(accountId: string): Partner {
    requireString('Partner.account(accountId)', accountId, "a string (a 12-digit AWS account id such as '222222222222')");
    validateAccountId('Partner.account(accountId)', accountId);
    return new Partner(PartnerKind.ACCOUNT, accountId, [], undefined, []);
  }

  /**
   * Named IAM roles or users, all of one AWS account.
   *
   * @param principalArns IAM role or user ARNs, e.g. `arn:aws:iam::333333333333:role/ingest`
   * @throws if the list is empty, an ARN is not an IAM role or user ARN, a name holds characters IAM does not allow (spaces, `*`, `?`, ...), or the ARNs span several accounts or partitions
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
   */
  public static principals(principalArns: string[]): Partner {
    if (!Array.isArray(principalArns) || principalArns.length === 0) {
      throw new Error(`Partner.principals(principalArns) needs a non-empty list of IAM role or user ARNs, got ${JSON.stringify(principalArns) ?? String(principalArns)}`);
    }
    const accounts = new Set<string>();
    const partitions = new Set<string>();
    for (const arn of principalArns) {
      if (Token.isUnresolved(arn)) {
        continue;
      }
      const parsed = parseIamPrincipalArn(arn);
      accounts.add(parsed.account);
      partitions.add(parsed.partition);
    }
    if (partitions.size > 1) {
      throw new Error(
        `Partner.principals(principalArns) must name principals of one partition, got partitions ${[...partitions].join(', ')}. Use one Partner.principals per partition (and share from a stack of that partition).`,
      );
    }
    if (accounts.size > 1) {
      throw new Error(
        `Partner.principals(principalArns) must name principals of one account, got accounts ${[...accounts].join(', ')}. Use one Partner.principals per account.`,
      );
    }
    const [accountId] = [...accounts];
    if (accountId === undefined) {
      throw new Error('Partner.principals(principalArns) needs at least one resolved IAM ARN to know the partner account; all ARNs given are tokens');
    }
    return new Partner(PartnerKind.PRINCIPALS, accountId, [...new Set(principalArns)], undefined, []);
  }

  /**
   * Any principal of the AWS Organizations organization `organizationId`.
   *
   * @param organizationId e.g. `o-a1b2c3d4e5`
   * @throws if it is not an organization id
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
   */
  public static organization(organizationId: string): Partner {
    requireString('Partner.organization(organizationId)', organizationId, "a string (an organization id such as 'o-a1b2c3d4e5')");
    if (!Token.isUnresolved(organizationId) && !ORG_ID.test(organizationId)) {
      throw new Error(`Partner.organization(organizationId) must be an organization id such as o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits), got "${organizationId}"`);
    }
    return new Partner(PartnerKind.ORGANIZATION, undefined, [], organizationId, []);
  }

  /**
   * Any principal of accounts under organizational unit paths.
   *
   * Policies name the paths' organization too (`aws:PrincipalOrgID`): S3
   * Block Public Access treats a bucket policy that grants `*` narrowed only
   * by `aws:PrincipalOrgPaths` as public, and refuses to deploy it. The
   * organization is read from the paths; when a path is a deploy-time value
   * (a token), pass `organizationId`.
   *
   * @param paths e.g. `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`
   * @param organizationId the organization of the paths, e.g. `o-a1b2c3d4e5`; read from the paths when not given, required when a path is a token
   * @throws if the list is empty, a path is malformed, a path is a token and `organizationId` is not given, or `organizationId` is malformed or differs from the paths' organization
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
   */
  public static organizationPaths(paths: string[], organizationId?: string): Partner {
    if (!Array.isArray(paths) || paths.length === 0) {
      throw new Error(`Partner.organizationPaths(paths) needs a non-empty list of paths, got ${JSON.stringify(paths) ?? String(paths)}`);
    }
    optionalString('Partner.organizationPaths(paths, organizationId)', organizationId, "a string (an organization id such as 'o-a1b2c3d4e5')");
    if (organizationId !== undefined && !Token.isUnresolved(organizationId) && (typeof organizationId !== 'string' || !ORG_ID.test(organizationId))) {
      throw new Error(
        `Partner.organizationPaths(paths, organizationId) must be given an organization id such as o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits), got ${JSON.stringify(organizationId)}`,
      );
    }
    paths.forEach((p, i) => {
      if (typeof p === 'string' && Token.isUnresolved(p)) {
        if (organizationId === undefined) {
          throw new Error(
            `Partner.organizationPaths(paths) has a deploy-time value (a token) at paths[${i}]: the policy could not name the paths' organization (aws:PrincipalOrgID), and S3 Block Public Access treats a bucket policy granting "*" narrowed only by aws:PrincipalOrgPaths as public, so the deployment would fail. ` +
              "Pass the paths as strings (o-xxxxxxxxxx/r-xxxx/ou-xxxx-xxxxxxxx/*), or name their organization: Partner.organizationPaths(paths, 'o-a1b2c3d4e5').",
          );
        }
        return;
      }
      if (typeof p !== 'string' || !ORG_PATH.test(p)) {
        throw new Error(`Partner.organizationPaths(paths) has a malformed path ${JSON.stringify(p)}: expected o-xxxxxxxxxx/r-xxxx/ou-xxxx-xxxxxxxx/* (an organization id, its root and OU ids, ending with /*)`);
      }
      if (organizationId !== undefined && !Token.isUnresolved(organizationId) && p.split('/')[0] !== organizationId) {
        throw new Error(
          `Partner.organizationPaths(paths, organizationId): path "${p}" is not in organization ${organizationId}. Give paths of one organization, and that organization's id.`,
        );
      }
    });
    return new Partner(PartnerKind.ORGANIZATION_PATHS, undefined, [], organizationId, [...new Set(paths)]);
  }

  private constructor(
    /** How the partner is identified. */
    public readonly kind: PartnerKind,
    /** The partner's account, for `ACCOUNT` and `PRINCIPALS`. */
    public readonly accountId: string | undefined,
    /** Named role or user ARNs, for `PRINCIPALS`. */
    public readonly principalArns: string[],
    /** The organization, for `ORGANIZATION` (and for `ORGANIZATION_PATHS` when it was given). */
    public readonly organizationId: string | undefined,
    /** Organizational unit paths, for `ORGANIZATION_PATHS`. */
    public readonly principalOrgPaths: string[],
  ) {}

  /** A short human description, e.g. `account 222222222222`. */
  public toString(): string {
    switch (this.kind) {
      case PartnerKind.ACCOUNT:
        return `account ${shown(this.accountId)}`;
      case PartnerKind.PRINCIPALS:
        return `${this.principalArns.map(shown).join(', ')} (account ${shown(this.accountId)})`;
      case PartnerKind.ORGANIZATION:
        return `organization ${shown(this.organizationId)}`;
      default:
        return `organization paths ${this.principalOrgPaths.map(shown).join(', ')}`;
    }
  }
}

/** A value for messages: tokens are shown as `<deploy-time value>`, never as `${Token[...]}`. */
function shown(value: string | undefined): string {
  return value === undefined ? '-' : Token.isUnresolved(value) ? '<deploy-time value>' : value;
}

function validateAccountId(what: string, accountId: string): void {
  if (Token.isUnresolved(accountId)) {
    return;
  }
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw new Error(`${what} must be a 12-digit AWS account id, got ${JSON.stringify(accountId)}`);
  }
}

/** An IAM role or user name: letters, digits and `+=,.@_-`, 1 to 64 characters. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
/** An IAM path segment: printable ASCII without the wildcards `*` and `?` (in a policy they would match other principals). */
const IAM_PATH_SEGMENT = /^[\x21-\x29\x2b-\x2e\x30-\x3e\x40-\x7e]+$/;

function parseIamPrincipalArn(arn: string): { account: string; partition: string } {
  let ok = false;
  let account = '';
  let partition = '';
  let resourceName = '';
  try {
    if (typeof arn !== 'string') {
      throw new Error('not a string');
    }
    const c = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
    account = c.account ?? '';
    partition = c.partition ?? '';
    resourceName = c.resourceName ?? '';
    ok = /^aws[a-z-]*$/.test(partition) && c.service === 'iam' && (c.resource === 'role' || c.resource === 'user') && !!c.resourceName && ACCOUNT_ID.test(account);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new Error(
      `Partner.principals(principalArns) has ${JSON.stringify(arn)}, which is not an IAM role or user ARN: expected arn:aws:iam::<12-digit account>:role/<name> or arn:aws:iam::<account>:user/<name>`,
    );
  }
  const segments = resourceName.split('/');
  const name = segments.pop()!;
  if (!IAM_NAME.test(name) || !segments.every((s) => IAM_PATH_SEGMENT.test(s))) {
    throw new Error(
      `Partner.principals(principalArns) has "${arn}", whose name "${resourceName}" holds characters IAM does not allow in role or user names (a name is 1 to 64 letters, digits and +=,.@_-; no spaces, and no * or ?, which a policy would read as wildcards). ` +
        'Copy the ARN from the IAM console or `aws iam get-role`.',
    );
  }
  return { account, partition };
}
