import { createHash } from 'crypto';
import { Annotations, Arn, ArnFormat, Aws, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { AccessLevel, Partner, PartnerKind, PrefixMatch } from './partner';
import { throwValidationError } from '../core/errors';
import { FactKey, StackFacts } from '../core/facts';
import { checkOnceResolved } from '../core/validation';
import { DeferredPolicyStatement } from '../statements/deferred-statement';

/**
 * Helpers that turn partners into the parts of a policy statement. Used by
 * `DataProtectionStatements` (which builds every statement) and by the
 * constructs that merge partners into one statement per access and scope.
 */

/** `Read`, `Write` or `ReadWrite`, for statement ids. */
export function accessWord(access: AccessLevel): string {
  switch (access) {
    case AccessLevel.READ:
      return 'Read';
    case AccessLevel.WRITE:
      return 'Write';
    default:
      return 'ReadWrite';
  }
}

/**
 * Throws unless `access` is one of the `AccessLevel` values. Public entry
 * points call it once; the code behind them trusts the value.
 *
 * @param scope the construct whose argument it is, if any (the error is attached to it)
 */
export function validateAccess(prop: string, access: AccessLevel, scope?: IConstruct): void {
  if (!Object.values(AccessLevel).includes(access)) {
    throwValidationError('InvalidAccessLevel', `${prop} must be AccessLevel.READ, AccessLevel.WRITE or AccessLevel.READ_WRITE, got ${JSON.stringify(access)}`, scope);
  }
}

/**
 * Throws unless `partner` is a `Partner` made by one of its factories. Public
 * entry points call it once; the code behind them trusts the value.
 *
 * @param scope the construct whose argument it is, if any (the error is attached to it)
 */
export function validatePartner(prop: string, partner: Partner, scope?: IConstruct): void {
  if (!(partner instanceof Partner)) {
    throwValidationError(
      'InvalidPartner',
      `${prop} must be a Partner (Partner.account, Partner.principals, Partner.organization or Partner.organizationPaths), got ${describe(partner)}`,
      scope,
    );
  }
}

/**
 * Throws if a partner is the owner's own account (or named principals of
 * it), or named principals of another partition than the owner's stack.
 *
 * A partner statement for the own account is never needed (same-account
 * principals are granted with `grantRead`/`grantWrite`), and a partner is
 * exempt from `VpcEndpointAccess`'s deny: sharing with the own account would
 * exempt all of its principals. Skipped when either account is a token.
 *
 * @param prop the argument, for messages
 * @param partner the partner
 * @param owner the construct whose account and partition own the bucket or key
 * @param sameAccountFix how to grant principals of the same account instead
 * @param scope the construct whose argument it is (the error is attached to it)
 */
export function validatePartnerForOwner(prop: string, partner: Partner, owner: IConstruct, sameAccountFix: string, scope: IConstruct = owner): void {
  const ownerAccount = owner instanceof Resource ? owner.env.account : Stack.of(owner).account;
  if (partner._isOfAccount(ownerAccount)) {
    throwValidationError(
      'PartnerIsOwnAccount',
      `${prop} is ${partner}, the account that owns ${owner.node.path} (${ownerAccount}): a partner share is for other accounts. It is not needed for principals of the same account, ` +
        `and a partner is exempt from VpcEndpointAccess's deny, so sharing with the own account would let every principal of it reach the data from outside the VPC. ${sameAccountFix}`,
      scope,
    );
  }
  // Aws.ACCOUNT_ID (or stack.account of an environment-agnostic stack) is, in the owner's template, the owner's own
  // account: a deliberate choice only in a single-account test (an integ test), so a warning that can be acknowledged
  const isDeployingAccount = (a: string) => Token.isUnresolved(a) && JSON.stringify(Stack.of(owner).resolve(a)) === '{"Ref":"AWS::AccountId"}';
  if (partner._accounts().some(isDeployingAccount)) {
    Annotations.of(scope).addWarningV2(
      'cdk-data-protection:partnerIsDeployingAccount',
      `${prop} is ${partner}, the account ${owner.node.path} deploys to (AWS::AccountId): the share grants the own account as a partner, which it does not need, ` +
        `and exempts all of its principals from VpcEndpointAccess's deny. ${sameAccountFix} Acknowledge this warning only in a single-account test.`,
    );
  }
  if (partner.principalArns.length === 0) {
    return; // nothing to compare with the owner's partition (looking it up loads aws-cdk-lib's Region facts)
  }
  const partition = knownPartition(owner);
  if (partition === undefined) {
    return;
  }
  for (const arn of partner.principalArns) {
    if (Token.isUnresolved(arn)) {
      continue;
    }
    const p = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).partition;
    if (p !== partition) {
      throwValidationError(
        'PartnerInOtherPartition',
        `${prop} names "${arn}", of partition ${p}, but ${owner.node.path} is in partition ${partition}: a policy of one partition can never match principals of another. ` +
          `Use the principal's ARN in ${partition} (arn:${partition}:iam::<account>:role/<name>), or share from a stack in ${p}.`,
        scope,
      );
    }
  }
}

/** The partition of a construct's stack when its Region is known at synth time (undefined when neither is). */
export function knownPartition(c: IConstruct): string | undefined {
  const stack = Stack.of(c);
  if (!Token.isUnresolved(stack.partition)) {
    return stack.partition;
  }
  const region = c instanceof Resource ? c.env.region : stack.region;
  if (Token.isUnresolved(region)) {
    return undefined;
  }
  const partitions = StackFacts.of(stack).get(PARTITIONS);
  if (!partitions.has(region)) {
    partitions.set(region, RegionInfo.get(region).partition);
  }
  return partitions.get(region);
}

/** The partition of each Region named in a stack, looked up once (`RegionInfo` searches its facts on every call). */
const PARTITIONS = new FactKey<Map<string, string | undefined>>('sharing.partitions', () => new Map());

/**
 * Throws unless `partners` (each already checked to be a `Partner`) is not
 * empty and all of one kind: one statement can hold only one kind.
 */
export function requireOneKind(partners: Partner[]): void {
  if (partners.length === 0) {
    throwValidationError('NoPartners', 'partners needs at least one Partner, got an empty list');
  }
  const kinds = [...new Set(partners.map((p) => p.kind))];
  if (kinds.length > 1) {
    throwValidationError('MixedPartnerKinds', `partners must all be of one kind to share one statement, got ${kinds.join(', ')}. Build one statement per kind.`);
  }
}

/** The partner accounts (for ACCOUNT and PRINCIPALS), deduplicated, in order. */
export function partnerAccounts(partners: Partner[]): string[] {
  return uniq(partners.flatMap((p) => p._accounts()));
}

/**
 * The principals a resource-policy statement names for partners of one kind
 * (see `Partner._policyPrincipals`).
 */
export function partnerPrincipals(partners: Partner[]): iam.IPrincipal[] {
  return partners[0]._policyPrincipals(partners);
}

/**
 * The principals a key-policy statement names for partners of one kind
 * (see `Partner._keyPolicyPrincipals`): everyone for account partners, whose
 * accounts `kms:CallerAccount` names.
 */
export function partnerKeyPolicyPrincipals(partners: Partner[]): iam.IPrincipal[] {
  return partners[0]._keyPolicyPrincipals(partners);
}

/**
 * Conditions identifying partners of one kind (beyond the principal), for
 * resource policies of `ownerAccount` (organization shares leave the owner
 * account out unless the partner includes it).
 *
 * @param ownerAccount the account of the bucket or key; `AWS::AccountId` (the policy's own stack) when not given
 */
export function partnerConditions(partners: Partner[], ownerAccount: string = Aws.ACCOUNT_ID): Record<string, Record<string, unknown>> {
  return partners[0]._policyConditions(partners, ownerAccount);
}

/** Merges condition blocks operator by operator (later keys win within an operator). */
export function mergeConditions(...blocks: Array<Record<string, Record<string, unknown>>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    for (const [op, keys] of Object.entries(block)) {
      out[op] = { ...(out[op] ?? {}), ...keys };
    }
  }
  return out;
}

/** One value stays a string; several become a list (the shape AWS returns). */
export function listOrOne(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

/** A short stable hash of a string, for statement ids (8 hex digits). */
export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8).toUpperCase();
}

/** A stable alphanumeric name of a construct, for statement ids, e.g. `DataBucket1A2B3C4D`. */
export function constructSidPart(c: IConstruct): string {
  // A function of the construct's path, which never changes: computed once per construct
  // (a bucket shared with n partners asks n times; each time hashes the path).
  const parts = StackFacts.of(c).get(SID_PARTS);
  let part = parts.get(c);
  if (part === undefined) {
    part = Names.uniqueResourceName(c, { maxLength: 48, separator: '' }).replace(/[^A-Za-z0-9]/g, '');
    parts.set(c, part);
  }
  return part;
}

/** The statement-id part of each construct of a stack that has been asked for one (see `constructSidPart`). */
const SID_PARTS = new FactKey<Map<IConstruct, string>>('sharing.sidParts', () => new Map());

/** The S3 endpoint `kms:ViaService` names in a region, e.g. `s3.eu-west-1.amazonaws.com` (a token when the region is one). */
export function s3ViaService(region: string, scope?: IConstruct): string {
  if (Token.isUnresolved(region)) {
    return `s3.${region}.${scope ? Stack.of(scope).urlSuffix : 'amazonaws.com'}`;
  }
  return `s3.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

/** A stable identity of a partner, to deduplicate shares. */
export function partnerIdentity(p: Partner): string {
  return p._identity();
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return JSON.stringify(x);
}

/**
 * A resource-policy statement that grows as partners with the same access
 * and scope are added: it renders, at synthesis, the statement `build`
 * makes for all of them. One statement with many accounts keeps policies
 * small (a partner account costs 33 bytes in a bucket policy and 15 in a key
 * policy instead of a whole statement).
 */
export class MergedPartnerStatement extends DeferredPolicyStatement {
  private readonly members: Partner[] = [];
  private readonly seen = new Set<string>();
  /** The statement last built, and for how many partners: partners are only ever added, so the same count is the same statement. */
  private built?: { readonly count: number; readonly statement: iam.PolicyStatement };

  constructor(private readonly build: (partners: Partner[]) => iam.PolicyStatement, first: Partner) {
    super(build([first]));
    this.add(first);
  }

  /** The partners this statement holds, in the order they were added. */
  public get partners(): Partner[] {
    return [...this.members];
  }

  /** Adds a partner; returns false when it was already there. */
  public add(partner: Partner): boolean {
    const id = partnerIdentity(partner);
    if (this.seen.has(id)) {
      return false;
    }
    this.seen.add(id);
    this.members.push(partner);
    return true;
  }

  protected render(): iam.PolicyStatement {
    // Rendered on every resolution of the policy (references, checks, size, report, template):
    // building it anew each time would make n principals again each time.
    if (this.built?.count !== this.members.length) {
      this.built = { count: this.members.length, statement: this.build(this.members) };
    }
    return this.built.statement;
  }
}

/** The merged partner statements of each policy owner (a key, a bucket), by group, in the owner's stack. */
const MERGED = new FactKey<Map<IConstruct, Map<string, MergedPartnerStatement>>>('sharing.mergedStatements', () => new Map());

/**
 * Adds a partner to the merged statement `groupKey` of a policy owner (a
 * key, a bucket), creating the statement and handing it to `sink` the first
 * time. Returns the merged statement.
 */
export function addMergedPartner(
  owner: IConstruct,
  groupKey: string,
  partner: Partner,
  build: (partners: Partner[]) => iam.PolicyStatement,
  sink: (statement: iam.PolicyStatement) => void,
): MergedPartnerStatement {
  const merged = StackFacts.of(owner).get(MERGED);
  let groups = merged.get(owner);
  if (!groups) {
    groups = new Map();
    merged.set(owner, groups);
  }
  const existing = groups.get(groupKey);
  if (existing) {
    existing.add(partner);
    return existing;
  }
  const statement = new MergedPartnerStatement(build, partner);
  groups.set(groupKey, statement);
  sink(statement);
  return statement;
}

/**
 * Warns (`cdk-data-protection:partnerStatementChanged`) for each merged
 * partner statement of `owner` that the final template holds changed (an
 * override, an escape hatch, an Aspect) or not at all: what the partners
 * may do is then not what the share wrote, nor what the report says.
 *
 * @param finalStatements the policy's statements as the template holds them
 */
export function warnAboutChangedPartnerStatements(
  owner: IConstruct,
  scope: IConstruct,
  finalStatements: Array<Record<string, unknown>> | undefined,
): void {
  if (finalStatements === undefined) {
    return;
  }
  const stack = Stack.of(owner);
  const bySid = new Map(finalStatements.map((st) => [st.Sid, st]));
  for (const merged of mergedStatementsOf(owner)) {
    const written = normalized(stack.resolve(merged.toStatementJson()));
    const found = bySid.get(merged.sid);
    if (found !== undefined && JSON.stringify(normalized(found)) === JSON.stringify(written)) {
      continue;
    }
    Annotations.of(scope).addWarningV2(
      'cdk-data-protection:partnerStatementChanged',
      `The partner statement ${merged.sid} of ${owner.node.path} is ${found === undefined ? 'missing from' : 'changed in'} the final template (an override, escape hatch or Aspect): ` +
        `the partners ${merged.partners.map(String).join(', ')} may do what the template says, not what the share wrote, and the access report describes the share as written. ` +
        'Remove the override, or acknowledge this warning if the change is meant.',
    );
  }
}

/** A statement with its lists sorted and single values as lists, to compare what two renderings allow. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalized);
    return items.every((i) => typeof i === 'string') ? [...(items as string[])].sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalized(typeof v === 'string' ? [v] : v)]));
  }
  return value;
}

/** The merged partner statements of a policy owner so far. */
export function mergedStatementsOf(owner: IConstruct): MergedPartnerStatement[] {
  return [...(StackFacts.of(owner).get(MERGED).get(owner)?.values() ?? [])];
}

/**
 * An object key prefix: no leading `/`, no wildcards (the library appends
 * `*`), no policy variables (`${...}`), no quotes or control characters
 * (newlines), at most 1,024 bytes (the S3 object key limit), and, unless
 * `match` is `PrefixMatch.KEY_NAME`, ending with `/` (a folder: `a` would
 * also match `admin/…`). Public entry points call it once, and again on the
 * value a token resolves to at synthesis; the code behind them trusts it.
 *
 * @param scope the construct whose argument it is, if any (the error is attached to it)
 * @param matchProp the name of the option that says what the prefix matches, for messages
 */
export function validatePrefix(prop: string, prefix: string | undefined, scope?: IConstruct, match: PrefixMatch = PrefixMatch.FOLDER, matchProp = 'prefixMatch'): void {
  if (prefix === undefined || (typeof prefix === 'string' && Token.isUnresolved(prefix))) {
    return;
  }
  if (
    typeof prefix !== 'string' ||
    prefix.length === 0 ||
    prefix.startsWith('/') ||
    /[*?"'`]/.test(prefix) ||
    prefix.includes('${') ||
    /[\u0000-\u001f\u007f]/.test(prefix) ||
    Buffer.byteLength(prefix, 'utf8') > 1024
  ) {
    throwValidationError(
      'InvalidSharePrefix',
      `${prop} must be a non-empty object key prefix without a leading '/', without the wildcards '*' and '?', policy variables ('\${...}'), quotes or control characters such as newlines (at most 1024 bytes), got ${JSON.stringify(prefix)}. ` +
        "Example: 'incoming/'. Leave it unset to share the whole bucket.",
      scope,
    );
  }
  if (match !== PrefixMatch.KEY_NAME && !prefix.endsWith('/')) {
    throwValidationError(
      'InvalidSharePrefix',
      `${prop} ${JSON.stringify(prefix)} does not end with '/': as a folder it would also match every key that merely starts with it (${JSON.stringify(prefix + '-private/…')}, ${JSON.stringify(prefix + 'x…')}). ` +
        `Use ${JSON.stringify(prefix + '/')}, or set ${matchProp}: PrefixMatch.KEY_NAME if a raw key-name prefix is meant.`,
      scope,
    );
  }
}

/** Throws unless `match` is a `PrefixMatch` (undefined is the default, `FOLDER`). */
export function validatePrefixMatch(prop: string, match: PrefixMatch | undefined, scope?: IConstruct): void {
  if (match !== undefined && !Object.values(PrefixMatch).includes(match)) {
    throwValidationError('InvalidSharePrefix', `${prop} must be PrefixMatch.FOLDER or PrefixMatch.KEY_NAME, got ${JSON.stringify(match)}`, scope);
  }
}

/**
 * The bucket's ARN built from its physical name, so a key policy can name it
 * without referencing the bucket (the bucket references the key for its
 * encryption, so a reference back would be a cycle). Undefined when the
 * bucket is defined in this app without a physical name.
 */
export function bucketArnByName(bucket: s3.IBucket, scope: IConstruct): string | undefined {
  const cfn = bucket.node.defaultChild;
  if (cfn instanceof s3.CfnBucket) {
    return physicalBucketName(cfn) === undefined ? undefined : `arn:${Stack.of(scope).partition}:s3:::${cfn.bucketName}`;
  }
  if (Resource.isOwnedResource(bucket)) {
    return undefined;
  }
  return bucket.bucketArn;
}

/**
 * A physical name for a bucket that has none: readable, unique within the
 * app (path hash), and per account and Region (bucket names are global).
 */
export function generatedBucketName(bucket: IConstruct): string {
  const stack = Stack.of(bucket);
  const base = Names.uniqueResourceName(bucket, { maxLength: 30, separator: '-' })
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base}-${stack.account}-${stack.region}`;
}

/** The bucket's physical name as the template will carry it, or undefined when CloudFormation generates it. */
export function physicalBucketName(cfn: s3.CfnBucket): string | undefined {
  const name = cfn.bucketName;
  if (name === undefined || !Token.isUnresolved(name)) {
    return name; // what resolving would give (a literal resolves to itself), without resolving on every share
  }
  return Stack.of(cfn).resolve(name) === undefined ? undefined : name;
}

/**
 * A share's arguments that were tokens when it was made, checked again once
 * they resolve at synthesis (see `checkOnceResolved`): the partner, rebuilt
 * through its factory and checked against the owner's account, and the prefix.
 */
export function recheckResolvedShare(
  owner: IConstruct,
  scope: IConstruct,
  partner: Partner,
  prefix: string | undefined,
  prefixMatch: PrefixMatch | undefined,
  sameAccountFix: string,
): void {
  const arns = partner.principalArns.length;
  const values = [prefix, partner.accountId, partner.organizationId, ...partner.principalArns, ...partner.principalOrgPaths];
  checkOnceResolved(scope, values, ([p, accountId, organizationId, ...rest]) => {
    const principalArns = rest.slice(0, arns) as string[];
    const paths = rest.slice(arns) as string[];
    const resolved =
      partner.kind === PartnerKind.ACCOUNT ? Partner.account(accountId!)
        : partner.kind === PartnerKind.PRINCIPALS ? Partner.principals(principalArns)
          : partner.kind === PartnerKind.ORGANIZATION ? Partner.organization(organizationId!, { includeOwnerAccount: partner.includeOwnerAccount })
            : Partner.organizationPaths(paths, organizationId, { includeOwnerAccount: partner.includeOwnerAccount });
    validatePartnerForOwner('partner', resolved, owner, sameAccountFix, scope);
    validatePrefix('prefix', p, scope, prefixMatch);
  });
}
