import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AccessLevel, Partner, PrefixMatch } from './partner';
import { knownPartition } from './partner-policy';
import { throwValidationError } from '../core/errors';

/**
 * Where aws-cdk-lib's `grant*` habit leads when the grantee is not a
 * principal of the resource's own environment: the routes
 * `EncryptedBucket.grantRead`/`grantWrite`/`grantReadWrite` take instead of
 * aws-cdk-lib's statements (a bucket-policy allow on the whole bucket and an
 * unscoped key statement for another account; an identity statement on
 * `Resource: "*"` for a role of another Region).
 */
export type GrantRoute =
  /** A principal of the resource's own account and Region (or one that cannot be told): aws-cdk-lib's grant, unchanged. */
  | { readonly kind: 'same' }
  /** A principal of another account: the partner share `shareWith` makes, plus the principal's own IAM policy when the app defines it. */
  | { readonly kind: 'partner'; readonly partner: Partner; readonly identity?: IdentityOwner }
  /** A role, user or group of the same account in a stack of another Region: its own IAM policy only, naming the bucket and key concretely. */
  | { readonly kind: 'otherRegion'; readonly identity: IdentityOwner };

/** A role, user or group defined in this app, whose IAM policy the app writes. */
export interface IdentityOwner {
  readonly construct: Construct;
  readonly role?: iam.IRole;
  readonly user?: iam.IUser;
  readonly group?: iam.IGroup;
}

/**
 * How a grant to `grantee` on a resource of `owner`'s environment must be
 * written.
 *
 * @param method the public method, for messages (`grantRead`)
 * @throws if the grantee is of another account and cannot be named as a partner (an unnamed role, an STS session, a principal of several accounts)
 */
export function routeGrant(owner: IConstruct, grantee: iam.IGrantable, method: string): GrantRoute {
  const where = grantEnvironment(owner, grantee);
  const principal = grantee.grantPrincipal;
  const identity = identityOwnerOf(principal);
  if (where.kind !== 'same') {
    refuseOtherPartition(owner, principal, identity, method);
  }
  if (where.kind === 'otherAccount' && Object.keys(principal.policyFragment.conditions).length > 0) {
    throwValidationError(
      'InvalidPartner',
      `${method}(grantee): the grantee ${describePrincipal(principal)} of account ${where.account} carries conditions (${JSON.stringify(principal.policyFragment.conditions)}), ` +
        'which a partner share cannot carry into the bucket and key policies without widening or dropping them. Grant the principal itself, or write the statements with DataProtectionStatements and shareWith.',
      owner,
    );
  }
  if (where.kind === 'otherAccount') {
    const elsewhere = identity && Stack.of(identity.construct) !== Stack.of(owner) ? identity : undefined;
    return { kind: 'partner', partner: partnerOf(owner, principal, where.account, method), identity: elsewhere };
  }
  return where.kind === 'otherRegion' ? { kind: 'otherRegion', identity: identity! } : { kind: 'same' };
}

/**
 * Where a grantee is relative to a resource: in another account (its
 * principal account is known and differs), a role, user or group of this
 * app in a stack of another Region, or the same environment (also when
 * either side cannot be told at synthesis).
 */
export function grantEnvironment(owner: IConstruct, grantee: iam.IGrantable): { kind: 'same' } | { kind: 'otherAccount'; account: string } | { kind: 'otherRegion'; region: string } {
  const principal = grantee.grantPrincipal;
  const ownerStack = Stack.of(owner);
  const account = accountOfPrincipal(principal);
  if (account !== undefined && !Token.isUnresolved(account) && !Token.isUnresolved(ownerStack.account) && account !== ownerStack.account) {
    return { kind: 'otherAccount', account };
  }
  const identity = identityOwnerOf(principal);
  const identityStack = identity ? Stack.of(identity.construct) : undefined;
  if (!identityStack || identityStack === ownerStack || Token.isUnresolved(ownerStack.region) || Token.isUnresolved(ownerStack.account)) {
    return { kind: 'same' };
  }
  const region = identityStack.region;
  if (Token.isUnresolved(region) || Token.isUnresolved(identityStack.account) || region !== ownerStack.region) {
    // another Region, or a stack whose environment is known only at deployment: no reference reaches it
    return { kind: 'otherRegion', region };
  }
  return { kind: 'same' };
}

/** The account of a principal: its `principalAccount`, or the account of the one IAM ARN it names (`iam.ArnPrincipal` has none). */
function accountOfPrincipal(principal: iam.IPrincipal): string | undefined {
  if (principal.principalAccount !== undefined) {
    return principal.principalAccount;
  }
  const aws = principal.policyFragment.principalJson.AWS ?? [];
  const match = aws.length === 1 && !Token.isUnresolved(aws[0]) ? /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(aws[0]) : null;
  return match ? match[1] : undefined;
}

/**
 * The object key pattern of a `grant*` call as a share prefix: `*` is the
 * whole bucket, `reports/*` the folder `reports/`, `raw-*` the key-name
 * prefix `raw-`.
 *
 * @throws if the pattern holds another wildcard than one trailing `*` (a bucket policy for a partner names a prefix, not a pattern)
 */
export function prefixOfPattern(owner: IConstruct, pattern: string, method: string): { prefix?: string; prefixMatch: PrefixMatch } {
  if (pattern === '*') {
    return { prefixMatch: PrefixMatch.FOLDER };
  }
  const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined;
  if (Token.isUnresolved(pattern) || prefix === undefined || /[*?]/.test(prefix) || prefix.length === 0) {
    throwValidationError(
      'InvalidSharePrefix',
      `${method}(grantee, objectsKeyPattern): objectsKeyPattern ${JSON.stringify(pattern)} is not a prefix followed by '*', and a grant to another account is written as a partner share, which names a prefix. ` +
        "Use 'folder/*' (or '*' for the whole bucket), or call shareWith(partner, access, { prefix }) yourself.",
      owner,
    );
  }
  return { prefix, prefixMatch: prefix.endsWith('/') ? PrefixMatch.FOLDER : PrefixMatch.KEY_NAME };
}

/** Throws when the grantee's stack is of another partition than the owner's: no ARN of one partition matches principals of the other. */
function refuseOtherPartition(owner: IConstruct, principal: iam.IPrincipal, identity: IdentityOwner | undefined, method: string): void {
  const own = knownPartition(owner);
  const theirs = identity ? knownPartition(identity.construct) : arnPartition(principal);
  if (own !== undefined && theirs !== undefined && own !== theirs) {
    throwValidationError(
      'PartnerInOtherPartition',
      `${method}(grantee): the grantee ${describePrincipal(principal)} is in partition ${theirs}, ${owner.node.path} in ${own}: a policy of one partition never matches principals of another. ` +
        `Grant a principal of ${own}, or keep a copy of the data in ${theirs}.`,
      owner,
    );
  }
}

function arnPartition(principal: iam.IPrincipal): string | undefined {
  const aws = principal.policyFragment.principalJson.AWS ?? [];
  const match = aws.length === 1 && !Token.isUnresolved(aws[0]) ? /^arn:([^:]+):/.exec(aws[0]) : null;
  return match ? match[1] : undefined;
}

/** The partner for a principal of another account: named by its ARN when it has one, else the account. */
function partnerOf(owner: IConstruct, principal: iam.IPrincipal, account: string, method: string): Partner {
  if (principal instanceof iam.AccountPrincipal || principal instanceof iam.Group) {
    // an account, or a group (never a resource-policy principal): the account is the partner, its IAM policies decide
    return Partner.account(account);
  }
  const aws: unknown[] = [...(principal.policyFragment.principalJson.AWS ?? [])];
  if (aws.length === 1 && typeof aws[0] === 'string' && !Token.isUnresolved(aws[0])) {
    const value = aws[0];
    if (/^\d{12}$/.test(value) || /^arn:[^:]+:iam::\d{12}:root$/.test(value)) {
      return Partner.account(account);
    }
    if (/^arn:[^:]+:iam::\d{12}:(role|user)\//.test(value)) {
      return Partner.principals([value]);
    }
    if (/^arn:[^:]+:sts::/.test(value)) {
      throwValidationError(
        'InvalidPartner',
        `${method}(grantee): "${value}" is an STS session ARN, which changes with every session and which resource policies match only through the role. Grant the role: arn:aws:iam::${account}:role/<name>.`,
        owner,
      );
    }
  }
  const named = namedArnOf(owner, principal, account);
  if (named) {
    return Partner.principals([named]);
  }
  return throwValidationError(
    'InvalidPartner',
    `${method}(grantee): the grantee ${describePrincipal(principal)} is in account ${account}, another account than ${owner.node.path} (${Stack.of(owner).account}), and it has no name the bucket and key policies could match (aws:PrincipalArn). ` +
      `Give the role or user a literal roleName/userName (not PhysicalName.GENERATE_IF_NEEDED; a Lambda function: pass it such a role), or share with its whole account: shareWith(Partner.account('${account}'), access).`,
    owner,
  );
}

/** The ARN of a role or user of this app with a physical name, built without a reference across environments. */
function namedArnOf(owner: IConstruct, principal: iam.IPrincipal, account: string): string | undefined {
  const cfn = principal instanceof Construct ? principal.node.defaultChild : undefined;
  const partition = knownPartition(owner);
  if (partition === undefined) {
    return undefined;
  }
  const path = (p: unknown) => (typeof p === 'string' && !Token.isUnresolved(p) ? p : '/');
  const importedName = (principal as Partial<iam.IRole>).roleName;
  if (!(cfn instanceof iam.CfnRole) && typeof importedName === 'string' && !Token.isUnresolved(importedName) && typeof (principal as Partial<iam.IRole>).roleArn === 'string') {
    // an imported role (Role.fromRoleName): its name is known, its path is not part of it
    return `arn:${partition}:iam::${account}:role/${importedName}`;
  }
  if (cfn instanceof iam.CfnRole && typeof cfn.roleName === 'string' && !Token.isUnresolved(cfn.roleName)) {
    return `arn:${partition}:iam::${account}:role${path(cfn.path)}${cfn.roleName}`;
  }
  if (cfn instanceof iam.CfnUser && typeof cfn.userName === 'string' && !Token.isUnresolved(cfn.userName)) {
    return `arn:${partition}:iam::${account}:user${path(cfn.path)}${cfn.userName}`;
  }
  return undefined;
}

/** A role, user or group the app defines (not imported), whose IAM policy the app can write. */
function identityOwnerOf(principal: iam.IPrincipal): IdentityOwner | undefined {
  if (principal instanceof iam.Role) {
    return { construct: principal, role: principal };
  }
  if (principal instanceof iam.User) {
    return { construct: principal, user: principal };
  }
  if (principal instanceof iam.Group) {
    return { construct: principal, group: principal };
  }
  return undefined;
}

function describePrincipal(principal: iam.IPrincipal): string {
  return principal instanceof Construct ? principal.node.path : principal.toString();
}

/** What each `grant*` method gives. */
export const GRANT_ACCESS: Record<'grantRead' | 'grantWrite' | 'grantReadWrite', AccessLevel> = {
  grantRead: AccessLevel.READ,
  grantWrite: AccessLevel.WRITE,
  grantReadWrite: AccessLevel.READ_WRITE,
};

/**
 * The grant with its statements on the principal named `sid`: aws-cdk-lib's
 * `Grant.addToPrincipal` and `grant*` methods take no Sid, and every
 * statement this library writes carries one.
 */
export function withSid(grant: iam.Grant, sid: string): iam.Grant {
  for (const statement of grant.principalStatements) {
    statement.sid = sid;
  }
  return grant;
}
