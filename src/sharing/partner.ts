import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT_ID, ORG_ID, ORG_PATH } from './partner-formats';
import { throwValidationError } from '../core/errors';
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
 * What a share prefix matches.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
 */
export enum PrefixMatch {
  /**
   * The prefix names a folder and must end with `/`: `incoming/` matches
   * `incoming/2024/a.csv`, never `incoming-private/…`.
   */
  FOLDER = 'FOLDER',
  /**
   * The prefix is a raw key-name prefix: every object whose key starts with
   * it, whatever follows (`a` matches `admin/…` and `archive.zip`). Only
   * when that is meant.
   */
  KEY_NAME = 'KEY_NAME',
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

/**
 * Options of {@link Partner.organization} and {@link Partner.organizationPaths}.
 */
export interface OrganizationPartnerOptions {
  /**
   * Whether the principals of the account that owns the bucket or key are
   * part of the share too.
   *
   * An organization usually contains the owner's own account. In its own
   * account a resource policy alone grants access (no IAM policy of the
   * principal is needed), so a share with the whole organization would let
   * every role and user of the owner account read or write the data
   * through the bucket and key policies alone. By default the statements
   * exclude the owner account (`StringNotEquals` `aws:PrincipalAccount`),
   * and its principals keep the access their own IAM policies give them
   * (`grantRead`, `grantWrite`). `true` drops that exclusion, with the
   * warning `cdk-data-protection:organizationIncludesOwnerAccount`.
   *
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
   */
  readonly includeOwnerAccount?: boolean;
}

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
    return new AccountPartner(accountId);
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
      throwValidationError('InvalidPartnerPrincipals', `Partner.principals(principalArns) needs a non-empty list of IAM role or user ARNs, got ${JSON.stringify(principalArns) ?? String(principalArns)}`);
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
      throwValidationError(
        'InvalidPartnerPrincipals',
        `Partner.principals(principalArns) must name principals of one partition, got partitions ${[...partitions].join(', ')}. Use one Partner.principals per partition (and share from a stack of that partition).`,
      );
    }
    if (accounts.size > 1) {
      throwValidationError(
        'InvalidPartnerPrincipals',
        `Partner.principals(principalArns) must name principals of one account, got accounts ${[...accounts].join(', ')}. Use one Partner.principals per account.`,
      );
    }
    const [accountId] = [...accounts];
    if (accountId === undefined) {
      throwValidationError('InvalidPartnerPrincipals', 'Partner.principals(principalArns) needs at least one resolved IAM ARN to know the partner account; all ARNs given are tokens');
    }
    return new PrincipalsPartner(accountId, [...new Set(principalArns)]);
  }

  /**
   * Any principal of the AWS Organizations organization `organizationId`.
   *
   * The principals of the account that owns the bucket or key are left out
   * unless `options.includeOwnerAccount` says otherwise.
   *
   * @param organizationId e.g. `o-a1b2c3d4e5`
   * @param options whether the owner account is part of the share
   * @throws if it is not an organization id, or `options` is not an object
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
   */
  public static organization(organizationId: string, options: OrganizationPartnerOptions = {}): Partner {
    const includeOwnerAccount = includeOwnerAccountOf('Partner.organization(organizationId, options)', options);
    requireString('Partner.organization(organizationId)', organizationId, "a string (an organization id such as 'o-a1b2c3d4e5')");
    if (!Token.isUnresolved(organizationId) && !ORG_ID.test(organizationId)) {
      throwValidationError('InvalidPartnerOrganization', `Partner.organization(organizationId) must be an organization id such as o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits), got "${organizationId}"`);
    }
    return new OrganizationPartner(organizationId, includeOwnerAccount);
  }

  /**
   * Any principal of accounts under organizational unit paths.
   *
   * Policies name the paths' organization too (`aws:PrincipalOrgID`): S3
   * Block Public Access treats a bucket policy that grants `*` narrowed only
   * by `aws:PrincipalOrgPaths` as public, and refuses to deploy it. The
   * organization is read from the paths; when a path is a deploy-time value
   * (a token), pass `organizationId`. The principals of the account that
   * owns the bucket or key are left out unless `options.includeOwnerAccount`
   * says otherwise.
   *
   * @param paths e.g. `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`
   * @param organizationId the organization of the paths, e.g. `o-a1b2c3d4e5`; read from the paths when not given, required when a path is a token
   * @param options whether the owner account is part of the share
   * @throws if the list is empty, a path is malformed, a path is a token and `organizationId` is not given, `organizationId` is malformed or differs from the paths' organization, or `options` is not an object
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
   */
  public static organizationPaths(paths: string[], organizationId?: string, options: OrganizationPartnerOptions = {}): Partner {
    const includeOwnerAccount = includeOwnerAccountOf('Partner.organizationPaths(paths, organizationId, options)', options);
    if (!Array.isArray(paths) || paths.length === 0) {
      throwValidationError('InvalidPartnerOrganizationPaths', `Partner.organizationPaths(paths) needs a non-empty list of paths, got ${JSON.stringify(paths) ?? String(paths)}`);
    }
    optionalString('Partner.organizationPaths(paths, organizationId)', organizationId, "a string (an organization id such as 'o-a1b2c3d4e5')");
    if (organizationId !== undefined && !Token.isUnresolved(organizationId) && (typeof organizationId !== 'string' || !ORG_ID.test(organizationId))) {
      throwValidationError(
        'InvalidPartnerOrganizationPaths',
        `Partner.organizationPaths(paths, organizationId) must be given an organization id such as o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits), got ${JSON.stringify(organizationId)}`,
      );
    }
    paths.forEach((p, i) => {
      if (typeof p === 'string' && Token.isUnresolved(p)) {
        if (organizationId === undefined) {
          throwValidationError(
            'InvalidPartnerOrganizationPaths',
            `Partner.organizationPaths(paths) has a deploy-time value (a token) at paths[${i}]: the policy could not name the paths' organization (aws:PrincipalOrgID), and S3 Block Public Access treats a bucket policy granting "*" narrowed only by aws:PrincipalOrgPaths as public, so the deployment would fail. ` +
              "Pass the paths as strings (o-xxxxxxxxxx/r-xxxx/ou-xxxx-xxxxxxxx/*), or name their organization: Partner.organizationPaths(paths, 'o-a1b2c3d4e5').",
          );
        }
        return;
      }
      if (typeof p !== 'string' || !ORG_PATH.test(p)) {
        throwValidationError('InvalidPartnerOrganizationPaths', `Partner.organizationPaths(paths) has a malformed path ${JSON.stringify(p)}: expected o-xxxxxxxxxx/r-xxxx/ou-xxxx-xxxxxxxx/* (an organization id, its root and OU ids, ending with /*)`);
      }
      if (organizationId !== undefined && !Token.isUnresolved(organizationId) && p.split('/')[0] !== organizationId) {
        throwValidationError(
          'InvalidPartnerOrganizationPaths',
          `Partner.organizationPaths(paths, organizationId): path "${p}" is not in organization ${organizationId}. Give paths of one organization, and that organization's id.`,
        );
      }
    });
    return new OrganizationPathsPartner([...new Set(paths)], organizationId, includeOwnerAccount);
  }

  /**
   * The word of a kind in statement ids: `Accounts`, `Principals`,
   * `Organizations` or `OrganizationPaths`; for a partner, followed by
   * `WithOwnerAccount` when it includes the owner account (its statements
   * differ, so it never shares one with a partner that does not).
   *
   * @internal
   */
  public static _sidWord(kind: PartnerKind | Partner): string {
    if (kind instanceof Partner) {
      return SID_WORDS[kind.kind] + (kind.includeOwnerAccount ? 'WithOwnerAccount' : '');
    }
    return SID_WORDS[kind];
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
    /**
     * Whether an organization share includes the principals of the account
     * that owns the bucket or key (see `OrganizationPartnerOptions`); always
     * false for `ACCOUNT` and `PRINCIPALS`, which can never be the owner account.
     */
    public readonly includeOwnerAccount: boolean,
  ) {}

  /** A short human description, e.g. `account 222222222222`. */
  public toString(): string {
    return this._describe(shown);
  }

  /**
   * A stable identity, to merge the same partner added twice into one statement.
   *
   * @internal
   */
  public _identity(): string {
    return JSON.stringify([this.kind, this.accountId, this.principalArns, this.organizationId, this.principalOrgPaths, this.includeOwnerAccount]);
  }

  /**
   * Whether the partner is the account `account` or named principals of it
   * (false when either is a token, or the partner is an organization).
   *
   * @internal
   */
  public _isOfAccount(account: string): boolean {
    return !Token.isUnresolved(account) && this._accounts().some((a) => !Token.isUnresolved(a) && a === account);
  }

  /**
   * The partner as people read it, with each value shown by `show` (tokens
   * are shown differently in messages and in the access report).
   *
   * @internal
   */
  public _describe(_show: (value: string | undefined) => string): string {
    return notAKind();
  }

  /**
   * The accounts the partner names (for `ACCOUNT` and `PRINCIPALS`), e.g. for
   * `kms:CallerAccount` and to count the accounts of a policy.
   *
   * @internal
   */
  public _accounts(): string[] {
    return notAKind();
  }

  /**
   * The organizations the partner names as a whole (for `ORGANIZATION`).
   *
   * @internal
   */
  public _organizations(): string[] {
    return notAKind();
  }

  /**
   * Whether all or part of the organization `organizationId` is the partner
   * (an organization, or organizational unit paths in it).
   *
   * @internal
   */
  public _isInOrganization(_organizationId: string): boolean {
    return notAKind();
  }

  /**
   * The principals a resource-policy statement names for `partners`, all of
   * this partner's kind: accounts (never roles, which resource policies would
   * store as unique ids), or everyone narrowed by an organization condition.
   *
   * @internal
   */
  public _policyPrincipals(_partners: Partner[]): iam.IPrincipal[] {
    return notAKind();
  }

  /**
   * The principals a key-policy statement names for `partners`, all of this
   * partner's kind. The key-policy statement names the accounts of account
   * and named-principal partners in `kms:CallerAccount` besides, so a kind
   * whose accounts that list identifies on its own names everyone here and
   * writes each account once (see `AccountPartner`); the others name what
   * `_policyPrincipals` names.
   *
   * @internal
   */
  public _keyPolicyPrincipals(partners: Partner[]): iam.IPrincipal[] {
    return this._policyPrincipals(partners);
  }

  /**
   * The conditions identifying `partners`, all of this partner's kind (and
   * all including the owner account or all not), beyond the principal, in a
   * resource policy (bucket or key policy) of `ownerAccount`.
   *
   * @internal
   */
  public _policyConditions(_partners: Partner[], _ownerAccount: string): Record<string, Record<string, unknown>> {
    return notAKind();
  }

  /**
   * What exempts the partner from a deny of access from outside the VPC
   * endpoints (`VpcEndpointAccess` exempts the partners a bucket is shared with).
   *
   * @internal
   */
  public _vpcEndpointExemption(): PartnerExemption {
    return notAKind();
  }

  /**
   * The condition matching the partner's requests, for a deny of its access
   * from outside its own VPC endpoints.
   *
   * @internal
   */
  public _requestCondition(): Record<string, Record<string, unknown>> {
    return notAKind();
  }

  /**
   * What names this one partner in a statement id: its account, its
   * organization or its paths (not yet made alphanumeric).
   *
   * @internal
   */
  public _sidName(): string {
    return notAKind();
  }
}

/**
 * Who a partner exempts from a deny of access from outside VPC endpoints,
 * merged over partners into `VpcEndpointExemptions`.
 *
 * @internal
 */
export interface PartnerExemption {
  readonly principalArns?: string[];
  readonly accounts?: string[];
  readonly organizationIds?: string[];
  readonly organizationPaths?: string[];
}

const SID_WORDS: Record<PartnerKind, string> = {
  [PartnerKind.ACCOUNT]: 'Accounts',
  [PartnerKind.PRINCIPALS]: 'Principals',
  [PartnerKind.ORGANIZATION]: 'Organizations',
  [PartnerKind.ORGANIZATION_PATHS]: 'OrganizationPaths',
};

/** Each kind below overrides the internal methods; only an object made around the factories gets here. */
function notAKind(): never {
  return throwValidationError(
    'InvalidPartner',
    'partner must be made with Partner.account, Partner.principals, Partner.organization or Partner.organizationPaths, got an object that none of them made',
  );
}

/**
 * The private constructor of {@link Partner}, for its kinds below: jsii sees
 * no initializer, so no other language can subclass Partner, and its public
 * properties stay the ones it always had.
 */
const PartnerKindBase = Partner as unknown as new (
  kind: PartnerKind,
  accountId: string | undefined,
  principalArns: string[],
  organizationId: string | undefined,
  principalOrgPaths: string[],
  includeOwnerAccount: boolean,
) => Partner;

/** The accounts of account-identified partners, as statement principals (one per account). */
function accountPrincipals(partners: Partner[]): iam.IPrincipal[] {
  return uniq(partners.flatMap((p) => p._accounts())).map((a) => new iam.AccountPrincipal(a));
}

/** `Partner.account`: any principal of one account that its administrators allow. */
class AccountPartner extends PartnerKindBase {
  declare public readonly accountId: string;

  constructor(accountId: string) {
    super(PartnerKind.ACCOUNT, accountId, [], undefined, [], false);
  }

  public _describe(show: (value: string | undefined) => string): string {
    return `account ${show(this.accountId)}`;
  }

  public _accounts(): string[] {
    return [this.accountId];
  }

  public _organizations(): string[] {
    return [];
  }

  public _isInOrganization(): boolean {
    return false;
  }

  public _policyPrincipals(partners: Partner[]): iam.IPrincipal[] {
    return accountPrincipals(partners);
  }

  /**
   * Everyone (`{"AWS":"*"}`): the key-policy statement names the accounts in
   * `kms:CallerAccount`, which alone admits every identity of those accounts
   * and no other (the form of the key policies of AWS managed keys, "all
   * principals in the account that are authorized to use" a service). Each
   * account is then written once (15 bytes) instead of twice, as a
   * `arn:aws:iam::<account>:root` principal and in `kms:CallerAccount` (48
   * bytes). As with an account principal, an identity of a partner account
   * still needs an IAM policy of its own account that allows the key.
   *
   * A bucket policy keeps account principals: S3 Block Public Access reads a
   * wildcard principal as public unless a condition key it lists fixes the
   * caller, and `kms:CallerAccount` (or `aws:PrincipalAccount`) is not one of them.
   *
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
   */
  public _keyPolicyPrincipals(): iam.IPrincipal[] {
    return [new iam.AnyPrincipal()];
  }

  public _policyConditions(): Record<string, Record<string, unknown>> {
    return {};
  }

  public _vpcEndpointExemption(): PartnerExemption {
    return { accounts: [this.accountId] };
  }

  public _requestCondition(): Record<string, Record<string, unknown>> {
    return { StringEquals: { 'aws:PrincipalAccount': this.accountId } };
  }

  public _sidName(): string {
    return this.accountId;
  }
}

/** `Partner.principals`: named roles or users of one account, matched by `aws:PrincipalArn`. */
class PrincipalsPartner extends PartnerKindBase {
  declare public readonly accountId: string;

  constructor(accountId: string, principalArns: string[]) {
    super(PartnerKind.PRINCIPALS, accountId, principalArns, undefined, [], false);
  }

  public _describe(show: (value: string | undefined) => string): string {
    return `${this.principalArns.map(show).join(', ')} (account ${show(this.accountId)})`;
  }

  public _accounts(): string[] {
    return [this.accountId];
  }

  public _organizations(): string[] {
    return [];
  }

  public _isInOrganization(): boolean {
    return false;
  }

  public _policyPrincipals(partners: Partner[]): iam.IPrincipal[] {
    return accountPrincipals(partners);
  }

  public _policyConditions(partners: Partner[]): Record<string, Record<string, unknown>> {
    return { ArnEquals: { 'aws:PrincipalArn': listOrOne(uniq(partners.flatMap((p) => p.principalArns))) } };
  }

  public _vpcEndpointExemption(): PartnerExemption {
    return { principalArns: this.principalArns };
  }

  public _requestCondition(): Record<string, Record<string, unknown>> {
    return { ArnLike: { 'aws:PrincipalArn': this.principalArns } };
  }

  public _sidName(): string {
    return this.accountId;
  }
}

/** `Partner.organization`: any principal of one organization (`aws:PrincipalOrgID`). */
class OrganizationPartner extends PartnerKindBase {
  declare public readonly organizationId: string;

  constructor(organizationId: string, includeOwnerAccount: boolean) {
    super(PartnerKind.ORGANIZATION, undefined, [], organizationId, [], includeOwnerAccount);
  }

  public _describe(show: (value: string | undefined) => string): string {
    return `organization ${show(this.organizationId)}${this.includeOwnerAccount ? ' (owner account included)' : ''}`;
  }

  public _accounts(): string[] {
    return [];
  }

  public _organizations(): string[] {
    return [this.organizationId];
  }

  public _isInOrganization(organizationId: string): boolean {
    return this.organizationId === organizationId;
  }

  public _policyPrincipals(): iam.IPrincipal[] {
    return [new iam.AnyPrincipal()];
  }

  public _policyConditions(partners: Partner[], ownerAccount: string): Record<string, Record<string, unknown>> {
    return {
      StringEquals: { 'aws:PrincipalOrgID': listOrOne(uniq(partners.flatMap((p) => p._organizations()))) },
      ...ownerAccountExclusion(this, ownerAccount),
    };
  }

  public _vpcEndpointExemption(): PartnerExemption {
    return { organizationIds: [this.organizationId] };
  }

  public _requestCondition(): Record<string, Record<string, unknown>> {
    return { StringEquals: { 'aws:PrincipalOrgID': this.organizationId } };
  }

  public _sidName(): string {
    return this.organizationId;
  }
}

/**
 * `Partner.organizationPaths`: principals under organizational unit paths
 * (`aws:PrincipalOrgPaths`), with the paths' organization named too
 * (`aws:PrincipalOrgID`), so S3 Block Public Access does not read the policy as public.
 */
class OrganizationPathsPartner extends PartnerKindBase {
  constructor(paths: string[], organizationId: string | undefined, includeOwnerAccount: boolean) {
    super(PartnerKind.ORGANIZATION_PATHS, undefined, [], organizationId, paths, includeOwnerAccount);
  }

  public _describe(show: (value: string | undefined) => string): string {
    return `organization paths ${this.principalOrgPaths.map(show).join(', ')}${this.includeOwnerAccount ? ' (owner account included)' : ''}`;
  }

  public _accounts(): string[] {
    return [];
  }

  public _organizations(): string[] {
    return [];
  }

  public _isInOrganization(organizationId: string): boolean {
    return this.organizationId === organizationId || organizationIdsOfPaths(this.principalOrgPaths).includes(organizationId);
  }

  public _policyPrincipals(): iam.IPrincipal[] {
    return [new iam.AnyPrincipal()];
  }

  public _policyConditions(partners: Partner[], ownerAccount: string): Record<string, Record<string, unknown>> {
    const paths = uniq(partners.flatMap((p) => p.principalOrgPaths));
    const given = partners.map((p) => p.organizationId).filter((o): o is string => o !== undefined);
    const orgs = uniq([...organizationIdsOfPaths(paths), ...given]);
    return {
      'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': listOrOne(paths) },
      ...(orgs.length > 0 ? { StringEquals: { 'aws:PrincipalOrgID': listOrOne(orgs) } } : {}),
      ...ownerAccountExclusion(this, ownerAccount),
    };
  }

  public _vpcEndpointExemption(): PartnerExemption {
    return { organizationPaths: this.principalOrgPaths };
  }

  public _requestCondition(): Record<string, Record<string, unknown>> {
    return { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': this.principalOrgPaths } };
  }

  public _sidName(): string {
    return this.principalOrgPaths.join('');
  }
}

/**
 * The condition leaving the owner account's principals out of an
 * organization share (none when the partner includes them).
 */
function ownerAccountExclusion(partner: Partner, ownerAccount: string): Record<string, Record<string, unknown>> {
  return partner.includeOwnerAccount ? {} : { StringNotEquals: { 'aws:PrincipalAccount': ownerAccount } };
}

/** The `includeOwnerAccount` of a factory's options, checked. */
function includeOwnerAccountOf(what: string, options: OrganizationPartnerOptions): boolean {
  if (options === null || typeof options !== 'object') {
    throwValidationError('InvalidPartnerOptions', `${what}: options must be { includeOwnerAccount? }, got ${JSON.stringify(options)}`);
  }
  const v = options.includeOwnerAccount;
  if (v !== undefined && typeof v !== 'boolean') {
    throwValidationError('InvalidPartnerOptions', `${what}: options.includeOwnerAccount must be true or false, got ${JSON.stringify(v)}`);
  }
  return v === true;
}

/**
 * The organization ids of organizational unit paths (`o-xxx/r-yyy/...` → `o-xxx`).
 * Naming the organization as well keeps the bucket policy non-public for S3
 * Block Public Access, which recognises a fixed `aws:PrincipalOrgID`.
 */
function organizationIdsOfPaths(paths: string[]): string[] {
  return uniq(paths.filter((p) => !Token.isUnresolved(p)).map((p) => p.split('/')[0]));
}

/** One value stays a string; several become a list (the shape AWS returns). */
function listOrOne(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
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
    throwValidationError('InvalidPartnerAccount', `${what} must be a 12-digit AWS account id, got ${JSON.stringify(accountId)}`);
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
    throwValidationError(
      'InvalidPartnerPrincipals',
      `Partner.principals(principalArns) has ${JSON.stringify(arn)}, which is not an IAM role or user ARN: expected arn:aws:iam::<12-digit account>:role/<name> or arn:aws:iam::<account>:user/<name>`,
    );
  }
  const segments = resourceName.split('/');
  const name = segments.pop()!;
  if (!IAM_NAME.test(name) || !segments.every((s) => IAM_PATH_SEGMENT.test(s))) {
    throwValidationError(
      'InvalidPartnerPrincipals',
      `Partner.principals(principalArns) has "${arn}", whose name "${resourceName}" holds characters IAM does not allow in role or user names (a name is 1 to 64 letters, digits and +=,.@_-; no spaces, and no * or ?, which a policy would read as wildcards). ` +
        'Copy the ARN from the IAM console or `aws iam get-role`.',
    );
  }
  return { account, partition };
}
