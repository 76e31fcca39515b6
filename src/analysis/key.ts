import {
  AccountContext,
  requiredValues,
  conditionEntries,
  coversAction,
  describeWho,
  flatten,
  hasExemption,
  hasNetworkCondition,
  isAllow,
  isConditional,
  isDeny,
  isOtherAccount,
  PRINCIPAL_EXEMPTION_KEYS,
  restrictedValues,
  SELF_ACCOUNT,
  Statement,
  statementsOf,
  UNKNOWN,
  Who,
} from './policy';
import { asList, isObject, RenderedResource } from './template';

/** `kms:ViaService` of S3 in one Region (`s3.<region>.amazonaws.com[.cn]`; the Region may be unknown at synth time). */
const S3_VIA_SERVICE = /^s3\.[^.*?]+\.amazonaws\.com(\.cn)?$/;
/** One bucket's ARN, or all its objects: no wildcard in the bucket's name. */
const ONE_BUCKET_CONTEXT = /^arn:[^:*?]+:s3:::[^/*?]+(\/\*)?$/;

/**
 * Whether a key-policy statement can only apply to requests S3 makes for
 * one bucket: `kms:ViaService` required to be S3 (KMS is never called
 * directly) and `kms:EncryptionContext:aws:s3:arn` required (not
 * `IfExists`) to be that bucket's ARN or its objects'. S3 sets that
 * context itself, so a caller reaching KMS through S3 cannot choose
 * another: whoever S3 authorized for the bucket (its bucket and access
 * point policies) may use the key for it, and no one else. The shape of a
 * bucket shared through access points (`SharingMode.ACCESS_POINTS`),
 * whose partners are too many to name in a key policy.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function isBoundToOneBucketThroughS3(statement: Statement): boolean {
  const via = requiredValues(statement, 'kms:ViaService');
  const context = requiredValues(statement, 'kms:EncryptionContext:aws:s3:arn');
  if (via === undefined || context === undefined) {
    return false;
  }
  const buckets = new Set(context.map((c) => c.replace(/\/\*$/, '')));
  return via.every((v) => S3_VIA_SERVICE.test(v)) && context.every((c) => ONE_BUCKET_CONTEXT.test(c)) && buckets.size === 1;
}

/** The action whose holder can always repair the key policy. */
export const PUT_KEY_POLICY = 'kms:PutKeyPolicy';

/**
 * The Allows of a key policy that let a principal outside the key's
 * account, or anyone, call `kms:PutKeyPolicy` (a takeover), each with those
 * principals. A literal account id is not counted as outside when the
 * stack's account is a token (it may be the key's own).
 */
export function keyPolicyTakeovers(ctx: AccountContext, statements: Statement[]): Array<{ statement: Statement; outsiders: Who[] }> {
  const found: Array<{ statement: Statement; outsiders: Who[] }> = [];
  for (const s of statements) {
    if (!isAllow(s) || coversAction(s, PUT_KEY_POLICY) !== true) {
      continue;
    }
    const outsiders = ctx.principalsOf(s).filter((w) => w.kind === 'any' || (isOtherAccount(w) && (w.kind !== 'account' || ctx.knowsAccount)));
    if (outsiders.length > 0) {
      found.push({ statement: s, outsiders });
    }
  }
  return found;
}

/**
 * Whether a key-policy statement, read alone, makes its principals key
 * administrators: an unconditioned Allow of `kms:PutKeyPolicy` to named AWS
 * principals (not `*`). Whether they are of the key's own account is for
 * the caller, who knows the account, to say.
 */
export function grantsKeyPolicyAdministration(json: Statement): boolean {
  if (!isAllow(json) || json.Condition !== undefined || isConditional(json) || coversAction(json, PUT_KEY_POLICY) !== true) {
    return false;
  }
  return isObject(json.Principal) && asList(json.Principal.AWS).some((p) => flatten(p) !== '*');
}

/**
 * The statements of a key's policy. A key without `KeyPolicy` gets the
 * default key policy (the account root principal is allowed `kms:*`).
 * Undefined when the policy is not readable.
 */
export function keyPolicyStatements(key: RenderedResource): Statement[] | undefined {
  if (key.props.KeyPolicy === undefined) {
    return [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Action: 'kms:*', Resource: '*' }];
  }
  let document = key.props.KeyPolicy;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  return statementsOf(document);
}

// ---------------------------------------------------------------- lockout (case D12)

/**
 * An administrator of a key: a principal of the key's own account that an
 * Allow of the administrator shape (see {@link keyAdministration}) lets call
 * `kms:PutKeyPolicy`.
 */
export interface KeyAdministrator {
  /** The principal's value as written in the template, as JSON. */
  readonly id: string;
  /** The statement that makes it an administrator: its Sid, or `#<index>`. */
  readonly statement: string;
  /**
   * Whether it certainly is one: false when the action, the resource or the
   * principal's account cannot be read at synth time.
   */
  readonly certain: boolean;
}

/** A Deny that takes `kms:PutKeyPolicy` away from administrators. */
export interface AdministrationDeny {
  /** The Deny: its Sid, or `#<index>`. */
  readonly statement: string;
  /** The administrators it certainly denies, by {@link KeyAdministrator.id}. */
  readonly denied: string[];
}

/**
 * An Allow of `kms:PutKeyPolicy` that does not make an administrator of the
 * key's account, and why: what a reader of the finding needs to fix it.
 */
export interface NotAnAdministrator {
  /** The statement: its Sid, or `#<index>`. */
  readonly statement: string;
  /** Why not, e.g. `only under a condition on aws:MultiFactorAuthPresent`. */
  readonly reason: string;
}

/** What a key policy says about its administration, relative to the key's account. */
export interface KeyAdministration {
  /**
   * `kept`: some administrator of the key's account certainly keeps
   * `kms:PutKeyPolicy`; `lockedOut`: none possibly does (no administrator
   * statement, or Denies take it from every one); `unknown`: a value that
   * decides it cannot be read at synth time.
   */
  readonly verdict: 'kept' | 'lockedOut' | 'unknown';
  /** How many statements the policy has. */
  readonly statementCount: number;
  /** Every principal that is, or may be, an administrator. */
  readonly administrators: KeyAdministrator[];
  /** The Denies that certainly take `kms:PutKeyPolicy` from some administrator. */
  readonly denies: AdministrationDeny[];
  /** Allows of `kms:PutKeyPolicy` that make no administrator of the account, and why. */
  readonly notAdministrators: NotAnAdministrator[];
}

/**
 * Reads who administers a key: one decision for the rule DP12 and for
 * `CrossAccountSharedKey`, which refuses a `policy` prop and a final
 * template that DP12 flags.
 *
 * An administrator is a principal of the key's own account (the account
 * principal, or a named role or user of it) in an Allow that covers
 * `kms:PutKeyPolicy` (`kms:*`, `kms:Put*`, `*`, a `NotAction` that leaves it
 * in), applies to the key itself (`Resource` `*`) and has no `Condition`,
 * `NotPrincipal` or `NotResource`. Any condition disqualifies it, MFA
 * included: a condition is evaluated on each request, and the principal that
 * repairs a broken key policy (the account root user, the deployment role
 * CloudFormation uses, which never carries MFA, an administrator outside the
 * VPC) may not meet it; KMS's own lockout safety check only tests the
 * principal making the `PutKeyPolicy` call, in that call's context. Another
 * account, `*` and services are never administrators of the key's account.
 *
 * A Deny takes `kms:PutKeyPolicy` from an administrator when it covers the
 * action and the key, names the administrator (or `*`, or the account
 * principal, which stands for every principal of the account) and has no
 * condition, or only network conditions with no principal exemption (an
 * administrator outside the network could not repair the policy). A Deny
 * with another condition applies only sometimes: it may, not does.
 *
 * @param ctx the key's account
 * @param statements the key policy's resolved statements
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
 */
export function keyAdministration(ctx: AccountContext, statements: Statement[]): KeyAdministration {
  const administrators: KeyAdministrator[] = [];
  const notAdministrators: NotAnAdministrator[] = [];
  statements.forEach((s, i) => {
    const read = administratorsOf(ctx, s, nameOf(s, i));
    administrators.push(...read.administrators);
    notAdministrators.push(...read.notAdministrators);
  });

  const denies: AdministrationDeny[] = [];
  const denial = new Map<KeyAdministrator, Coverage>(administrators.map((a) => [a, 'no']));
  statements.forEach((s, i) => {
    if (!isDeny(s)) {
      return;
    }
    const denied: string[] = [];
    for (const a of administrators) {
      const d = deniesAdministration(ctx, s, a);
      if (d === 'yes') {
        denied.push(a.id);
      }
      denial.set(a, strongest(denial.get(a)!, d));
    }
    if (denied.length > 0) {
      denies.push({ statement: nameOf(s, i), denied });
    }
  });

  const certainlyKept = administrators.some((a) => a.certain && denial.get(a) === 'no');
  const possiblyKept = administrators.some((a) => denial.get(a) !== 'yes');
  const verdict = certainlyKept ? 'kept' : possiblyKept ? 'unknown' : 'lockedOut';
  return { verdict, statementCount: statements.length, administrators, denies, notAdministrators };
}

/**
 * Whether a key's properties set `BypassPolicyLockoutSafetyCheck`, which lets
 * KMS accept a key policy that locks every administrator out: yes, no, or
 * unknown (a parameter or another token).
 */
export function bypassesLockoutSafetyCheck(props: Record<string, unknown>): Coverage {
  const value = props.BypassPolicyLockoutSafetyCheck;
  if (value === undefined || value === false || value === 'false') {
    return 'no';
  }
  return value === true || value === 'true' ? 'yes' : 'unknown';
}

/** A locked-out key policy, in words (see {@link describeLockout}). */
export interface LockoutDescription {
  /** No administrator statement at all, or Denies that take kms:PutKeyPolicy from every administrator. */
  readonly kind: 'noAdministrator' | 'everyAdministratorDenied';
  /** What the policy does, in one clause. */
  readonly head: string;
  /** Why each Allow of kms:PutKeyPolicy made no administrator of the account, one sentence each (no final period). */
  readonly reasons: string[];
}

/**
 * What is wrong with a locked-out key policy, in words: `head`, what the
 * policy does, in one clause (`has no administrator statement (…)`, `denies
 * kms:PutKeyPolicy to every administrator (…)`); `reasons`, one sentence per
 * Allow of `kms:PutKeyPolicy` that made no administrator of the account,
 * saying why. Undefined unless the verdict is `lockedOut`.
 */
export function describeLockout(analysis: KeyAdministration): LockoutDescription | undefined {
  if (analysis.verdict !== 'lockedOut') {
    return undefined;
  }
  const reasons = analysis.notAdministrators.map((n) => `Statement ${n.statement} allows kms:PutKeyPolicy ${n.reason}`);
  if (analysis.administrators.length === 0) {
    return {
      kind: 'noAdministrator',
      head:
        `has no administrator statement (${analysis.statementCount} statement(s), ` +
        'none an unconditioned Allow of kms:PutKeyPolicy, kms:* or kms:Put* to this account or its named principals)',
      reasons,
    };
  }
  const admins = [...new Set(analysis.administrators.map((a) => a.statement))];
  return {
    kind: 'everyAdministratorDenied',
    head:
      `denies kms:PutKeyPolicy to every administrator (Deny statement(s) ${analysis.denies.map((d) => d.statement).join(', ')} ` +
      `override the administrator statement(s) ${admins.join(', ')})`,
    reasons,
  };
}

/** How a statement is named in findings: its Sid, or its position. */
function nameOf(s: Statement, index: number): string {
  return typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : `#${index}`;
}

/** What one statement says about administration. */
interface AllowReading {
  readonly administrators: KeyAdministrator[];
  readonly notAdministrators: NotAnAdministrator[];
}

/** The administrators one Allow makes, or why it makes none (see {@link keyAdministration}). */
function administratorsOf(ctx: AccountContext, s: Statement, name: string): AllowReading {
  const none: AllowReading = { administrators: [], notAdministrators: [] };
  const manages = isAllow(s) ? coversAction(s, PUT_KEY_POLICY) : false;
  if (manages === false) {
    return none;
  }
  const why = (reason: string): AllowReading => (manages === true ? { administrators: [], notAdministrators: [{ statement: name, reason }] } : none);
  if (s.NotPrincipal !== undefined) {
    return why('with NotPrincipal, which names no administrator');
  }
  if (s.NotResource !== undefined) {
    return why('with NotResource: an administrator statement applies to the key, Resource "*"');
  }
  if (isConditional(s)) {
    return why('only under a CloudFormation condition (Fn::If), so it may not be deployed');
  }
  if (hasCondition(s)) {
    const keys = conditionKeysAsWritten(s);
    return why(
      `only under a condition${keys.length > 0 ? ` on ${keys.join(', ')}` : ''}, which whoever must repair the key policy ` +
        '(the account root user, the deployment role CloudFormation uses) may not meet',
    );
  }
  const onKey = resourceIsKey(s);
  if (onKey === 'no') {
    return why(`on Resource ${JSON.stringify(s.Resource)}, not on the key itself (Resource "*")`);
  }
  const values = s.Principal === '*' ? ['*'] : isObject(s.Principal) ? asList(s.Principal.AWS) : [];
  const administrators: KeyAdministrator[] = [];
  const outsiders: string[] = [];
  for (const value of values) {
    const own = ownAccount(ctx, value);
    if (own === 'no') {
      outsiders.push(describePrincipal(ctx.awsPrincipal(value)));
    } else {
      administrators.push({ id: JSON.stringify(value), statement: name, certain: manages === true && onKey === 'yes' && own === 'yes' });
    }
  }
  if (isObject(s.Principal)) {
    for (const [type, list] of Object.entries(s.Principal)) {
      if (type !== 'AWS') {
        outsiders.push(...asList(list).map((v) => `${type === 'Service' ? 'service' : type} ${flatten(v)}`));
      }
    }
  }
  const notAdministrators = administrators.length === 0 && manages === true && outsiders.length > 0
    ? [{ statement: name, reason: `only to ${outsiders.join(', ')}, not to this account or named principals of it` }]
    : [];
  return { administrators, notAdministrators };
}

/** Whether a statement has a condition (an empty `Condition` object is none). */
function hasCondition(s: Statement): boolean {
  return isObject(s.Condition) ? Object.keys(s.Condition).length > 0 : s.Condition !== undefined;
}

/** The condition keys of a statement as it spells them. */
function conditionKeysAsWritten(s: Statement): string[] {
  const blocks = isObject(s.Condition) ? Object.values(s.Condition) : [];
  return [...new Set(blocks.flatMap((block) => (isObject(block) ? Object.keys(block) : [])))];
}

/** Whether an `AWS` principal value is of the key's own account (unknown when its account, or the stack's, cannot be known). */
function ownAccount(ctx: AccountContext, value: unknown): Coverage {
  const who = ctx.awsPrincipal(value);
  if (who.kind === 'self') {
    return 'yes';
  }
  if (who.kind === 'unknown') {
    return 'unknown';
  }
  // In a stack of unknown account, a literal account id may be the key's own.
  return who.kind === 'account' && !ctx.knowsAccount ? 'unknown' : 'no';
}

function describePrincipal(who: Who): string {
  return who.kind === 'any' ? '*' : describeWho(who);
}

/** Whether a statement's `Resource` covers the key whose policy it is in (`*`; a literal ARN never can: the key's id is not known before it exists). */
function resourceIsKey(s: Statement): Coverage {
  const resources = asList(s.Resource);
  if (resources.length === 0) {
    return 'no';
  }
  let result: Coverage = 'no';
  for (const r of resources) {
    const text = flatten(r);
    if (text === '*') {
      return 'yes';
    }
    if (text.includes(UNKNOWN) || text.includes('*') || text.includes('?')) {
      result = 'unknown';
    }
  }
  return result;
}

/** Whether a Deny takes `kms:PutKeyPolicy` from an administrator: yes, no, or it may (see {@link keyAdministration}). */
function deniesAdministration(ctx: AccountContext, d: Statement, admin: KeyAdministrator): Coverage {
  const action = coversAction(d, PUT_KEY_POLICY);
  if (action === false) {
    return 'no';
  }
  const resource = d.NotResource !== undefined ? 'unknown' : d.Resource === undefined ? 'yes' : resourceIsKey(d);
  if (resource === 'no') {
    return 'no';
  }
  const condition: Coverage = isConditional(d) ? 'unknown' : !hasCondition(d) || (hasNetworkCondition(d) && !hasExemption(d, PRINCIPAL_EXEMPTION_KEYS)) ? 'yes' : 'unknown';
  const principal = d.NotPrincipal !== undefined ? 'unknown' : denyNames(ctx, d.Principal, admin);
  return weakest([action === true ? 'yes' : 'unknown', resource, condition, principal]);
}

/** Whether a Deny's `Principal` covers an administrator. */
function denyNames(ctx: AccountContext, principal: unknown, admin: KeyAdministrator): Coverage {
  if (principal === '*') {
    return 'yes';
  }
  if (!isObject(principal)) {
    return 'no';
  }
  let result: Coverage = 'no';
  for (const value of asList(principal.AWS)) {
    const text = flatten(value);
    const who = ctx.awsPrincipal(value);
    if (text === '*' || JSON.stringify(value) === admin.id || (who.kind === 'self' && isAccountRoot(text))) {
      return 'yes';
    }
    if (who.kind === 'unknown') {
      result = 'unknown';
    }
  }
  return result;
}

/** The account principal (`arn:…:iam::<account>:root`, or a bare account id), which stands for every principal of the account. */
function isAccountRoot(text: string): boolean {
  return /^arn:[^:]*:iam::[^:]*:root$/.test(text) || text === SELF_ACCOUNT || /^\d{12}$/.test(text);
}

const RANK: Record<Coverage, number> = { no: 0, unknown: 1, yes: 2 };

/** The weakest of several coverages: no if any is no, else unknown if any is unknown. */
function weakest(all: Coverage[]): Coverage {
  return all.reduce((a, b) => (RANK[b] < RANK[a] ? b : a), 'yes');
}

/** The strongest of two coverages. */
function strongest(a: Coverage, b: Coverage): Coverage {
  return RANK[b] > RANK[a] ? b : a;
}

/** Whether a key-policy statement lets a partner use `action` through S3: yes, no, or cannot tell. */
export type Coverage = 'yes' | 'no' | 'unknown';

/** Whether values of `kms:EncryptionContext:aws:s3:arn` admit the bucket S3 calls KMS for. */
export type EncryptionContextMatcher = (values: unknown[]) => Coverage;

const S3_CONTEXT_KEY = 'kms:encryptioncontext:aws:s3:arn';
const CONTEXT_OPERATORS = ['stringequals', 'stringlike', 'arnequals', 'arnlike'];

/** Another account or an organization, whom a key policy may let use the key. */
type Partner = Extract<Who, { kind: 'account' | 'organization' }>;

/** The accounts a list of account values names: literal ids, and whether one cannot be read. */
interface NamedAccounts {
  readonly accounts: ReadonlySet<string>;
  readonly unknown: boolean;
}

/**
 * What {@link statementCovers} reads of one statement for one action and
 * bucket, read once: the partner-independent verdict (action, `kms:ViaService`,
 * encryption context), and the accounts, organizations and principals the
 * partner is looked up in. A policy of n partners is read once, not once per partner.
 */
interface ReadStatement {
  /** The verdict of what does not depend on the partner. */
  readonly base: Coverage;
  /** `kms:CallerAccount` and `aws:PrincipalAccount`, where restricted. */
  readonly callerAccounts: NamedAccounts[];
  /** `aws:PrincipalOrgID`, where restricted. */
  readonly orgs?: { readonly ids: ReadonlySet<string>; readonly unknown: boolean };
  /** The principals (conditions aside). */
  readonly principals: { readonly any: boolean; readonly accounts: ReadonlySet<string>; readonly someAccount: boolean; readonly unknown: boolean };
}

function readStatement(ctx: AccountContext, statement: Statement, action: string, context?: EncryptionContextMatcher): ReadStatement | undefined {
  if (!isAllow(statement)) {
    return undefined;
  }
  const actionMatch = coversAction(statement, action);
  if (actionMatch === false) {
    return undefined;
  }
  let base: Coverage = actionMatch === undefined ? 'unknown' : 'yes';

  // kms:ViaService must let S3 through.
  // (The Region part may be a token: S3 calls KMS in the key's own Region.)
  const via = restrictedValues(statement, 'kms:ViaService');
  if (via !== undefined && !via.some((v) => /^s3[.*]/.test(v) || v === '*')) {
    if (via.some((v) => v.includes(UNKNOWN))) {
      base = 'unknown';
    } else {
      return undefined;
    }
  }

  // S3 always sends the bucket ARN (or, without a Bucket Key, the object ARN) as encryption context.
  if (context) {
    for (const entry of conditionEntries(statement).filter((e) => e.key === S3_CONTEXT_KEY && CONTEXT_OPERATORS.includes(e.operator))) {
      const match = context(entry.values);
      if (match === 'no') {
        return undefined;
      }
      if (match === 'unknown') {
        base = 'unknown';
      }
    }
  }

  const callerAccounts: NamedAccounts[] = [];
  for (const key of ['kms:CallerAccount', 'aws:PrincipalAccount']) {
    const values = restrictedValues(statement, key);
    if (values === undefined) {
      continue;
    }
    const accounts = new Set<string>();
    let unknown = false;
    for (const value of values) {
      const named = ctx.accountOf(value);
      if (named.kind === 'account') {
        accounts.add(named.account);
      } else if (named.kind === 'unknown') {
        unknown = true;
      }
    }
    callerAccounts.push({ accounts, unknown });
  }

  const orgValues = restrictedValues(statement, 'aws:PrincipalOrgID');
  const orgs = orgValues === undefined ? undefined : { ids: new Set(orgValues), unknown: orgValues.some((o) => o.includes(UNKNOWN)) };

  const principals = { any: false, accounts: new Set<string>(), someAccount: false, unknown: false };
  for (const p of ctx.principalsOf({ ...statement, Condition: undefined })) {
    if (p.kind === 'any') {
      principals.any = true;
    } else if (p.kind === 'account') {
      principals.accounts.add(p.account);
      principals.someAccount = true;
    } else if (p.kind === 'unknown') {
      principals.unknown = true;
    }
  }
  return { base, callerAccounts, orgs, principals };
}

/** {@link statementCovers} for a statement already read. */
function readCovers(read: ReadStatement | undefined, who: Partner): Coverage {
  if (read === undefined) {
    return 'no';
  }
  let result = read.base;

  // The caller's account must be allowed by kms:CallerAccount / aws:PrincipalAccount, when present.
  for (const named of read.callerAccounts) {
    if (who.kind === 'organization') {
      result = 'unknown';
      continue;
    }
    if (named.accounts.has(who.account)) {
      continue;
    }
    if (named.unknown) {
      result = 'unknown';
      continue;
    }
    return 'no';
  }

  if (read.orgs !== undefined) {
    if (who.kind === 'organization' && read.orgs.ids.has(who.organizationId)) {
      // the same organization
    } else if (read.orgs.unknown || who.kind === 'account') {
      result = 'unknown'; // the account may be a member
    } else {
      return 'no';
    }
  }

  const p = read.principals;
  let principalMatch: Coverage;
  if (p.any || (who.kind === 'account' && p.accounts.has(who.account))) {
    principalMatch = 'yes';
  } else if (p.unknown || (who.kind === 'organization' && p.someAccount)) {
    principalMatch = 'unknown'; // (an account may be a member of the organization)
  } else {
    return 'no';
  }
  return principalMatch === 'unknown' || result === 'unknown' ? 'unknown' : 'yes';
}

/**
 * Whether `statement` allows the partner `who` to call `action` on the key
 * when S3 calls KMS on the partner's behalf (for the bucket `context`
 * matches, when given).
 */
export function statementCovers(
  ctx: AccountContext,
  statement: Statement,
  who: Partner,
  action: string,
  context?: EncryptionContextMatcher,
): Coverage {
  return readCovers(readStatement(ctx, statement, action, context), who);
}

/**
 * Whether any statement of the key policy lets a partner call `action`, as a
 * function of the partner: the policy is read once, and each partner is then
 * looked up (so checking n partners against a policy naming n partners is
 * linear, not quadratic).
 */
export function policyCoverage(
  ctx: AccountContext,
  statements: Statement[],
  action: string,
  context?: EncryptionContextMatcher,
): (who: Partner) => Coverage {
  const read = statements.map((s) => readStatement(ctx, s, action, context)).filter((r): r is ReadStatement => r !== undefined);
  return (who) => {
    let result: Coverage = 'no';
    for (const r of read) {
      const c = readCovers(r, who);
      if (c === 'yes') {
        return 'yes';
      }
      if (c === 'unknown') {
        result = 'unknown';
      }
    }
    return result;
  };
}

/** Whether any statement of the key policy lets the partner call `action`. */
export function policyCovers(
  ctx: AccountContext,
  statements: Statement[],
  who: Partner,
  action: string,
  context?: EncryptionContextMatcher,
): Coverage {
  return policyCoverage(ctx, statements, action, context)(who);
}
