import { CfnResource } from 'aws-cdk-lib';
import { walkIntrinsics } from './intrinsics';
import { asList, isObject, knownStackAccount, resourceByLogicalId } from './template';

/** Stands for the stack's own account id (`{ Ref: AWS::AccountId }`) in flattened strings. */
export const SELF_ACCOUNT = '\u0000self\u0000';
/** Stands for any part of a flattened string that cannot be known at synth time. */
export const UNKNOWN = '\u0000unknown\u0000';

/** The pseudo parameters `flatten` reads: the stack's account as {@link SELF_ACCOUNT}, the commercial partition's name and URL suffix. */
const FLAT_PSEUDO: Readonly<Record<string, string>> = Object.freeze({
  'AWS::AccountId': SELF_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
});

/**
 * Flattens a resolved CloudFormation value to a string: literal parts kept,
 * `Fn::Join` joined, pseudo parameters replaced (the account by
 * {@link SELF_ACCOUNT}), and anything else by {@link UNKNOWN}. A resource
 * reference is replaced by what `ref` returns for it, or UNKNOWN.
 */
export function flatten(value: unknown, ref?: (logicalId: string, attribute?: string) => string | undefined): string {
  return walkIntrinsics<string>(value, {
    literal: (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : UNKNOWN),
    ref: (name) => (Object.prototype.hasOwnProperty.call(FLAT_PSEUDO, name) ? FLAT_PSEUDO[name] : undefined) ?? (name.startsWith('AWS::') ? undefined : ref?.(name)) ?? UNKNOWN,
    getAtt: (logicalId, attribute) => ref?.(logicalId, attribute) ?? UNKNOWN,
    join: (separator, parts) => (Array.isArray(parts) ? parts.join(separator) : UNKNOWN),
    unknown: () => UNKNOWN,
  });
}

/** Marks a statement that is deployed only under a CloudFormation condition (see {@link isConditional}). */
const CONDITIONAL = Symbol('cdk-data-protection.conditionalStatement');

/**
 * The statements of a resolved policy document; undefined when it is not a
 * readable document. A statement (or the list) chosen by `Fn::If` counts
 * with both branches, each marked conditional: an allow in either branch
 * may be deployed, a deny in one branch may not.
 */
export function statementsOf(document: unknown): Statement[] | undefined {
  if (!isObject(document) || document.Statement === undefined) {
    return undefined;
  }
  const statements: unknown[] = [];
  const expand = (value: unknown, conditional: boolean): void => {
    const branches = isObject(value) && Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3 ? value['Fn::If'].slice(1) : undefined;
    if (branches) {
      branches.forEach((b: unknown) => expand(b, true));
    } else if (Array.isArray(value)) {
      value.forEach((v) => expand(v, conditional));
    } else if (isObject(value) && value.Ref === 'AWS::NoValue') {
      return;
    } else {
      if (conditional && isObject(value)) {
        markConditional(value);
      }
      statements.push(value);
    }
  };
  expand(document.Statement, false);
  if (!statements.every(isObject)) {
    return undefined;
  }
  return statements as Statement[];
}

/** Marks a statement as deployed only under a condition (an `Fn::If` branch, or a policy resource with a `Condition`). */
export function markConditional(statement: Statement): void {
  if (!(CONDITIONAL in statement)) {
    Object.defineProperty(statement, CONDITIONAL, { value: true, enumerable: false });
  }
}

/** Whether a statement may not be deployed (see {@link statementsOf}): a required Deny must not be one. */
export function isConditional(statement: Statement): boolean {
  return CONDITIONAL in statement;
}

/** A resolved policy statement, as CloudFormation writes it. */
export type Statement = Record<string, any>;

/** Whether a wildcard pattern of IAM (`*`, `?`, case-insensitive) matches `value`. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (LINE_TERMINATOR.test(pattern) || LINE_TERMINATOR.test(value)) {
    return wildcardRegExp(pattern).test(value);
  }
  // What wildcardRegExp(pattern).test(value) answers, without compiling a pattern on every call
  // (the checks match the same few actions and ARNs many times over): `*` is any run of
  // characters, `?` one character, anything else itself, compared as the RegExp's `i` flag does.
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c !== STAR && (c === QUESTION || canonical(c) === canonical(value.charCodeAt(v)))) {
      p++;
      v++;
    } else if (p < pattern.length && c === STAR) {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) {
    p++;
  }
  return p === pattern.length;
}

/** The pattern as a RegExp (`.` matches no line terminator, so neither do `*` and `?`). */
function wildcardRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const STAR = 42;
const QUESTION = 63;

/** A UTF-16 code unit as a RegExp with the `i` flag (and no `u` flag) compares it (ECMAScript's Canonicalize). */
function canonical(code: number): number {
  if (code < 128) {
    return code >= 97 && code <= 122 ? code - 32 : code;
  }
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) {
    return code;
  }
  const u = upper.charCodeAt(0);
  return u < 128 ? code : u;
}

/**
 * Whether the statement names `action` (through `Action` or `NotAction`).
 * `undefined` when an action is not a literal and none of the literal ones match.
 */
export function coversAction(statement: Statement, action: string): boolean | undefined {
  const negated = statement.NotAction !== undefined;
  const actions = asList(negated ? statement.NotAction : statement.Action);
  let unknown = false;
  let match = false;
  for (const a of actions) {
    if (typeof a !== 'string') {
      unknown = true;
    } else if (wildcardMatch(a, action)) {
      match = true;
    }
  }
  if (!match && unknown) {
    return undefined;
  }
  return negated ? !match : match;
}

export function isAllow(statement: Statement): boolean {
  return statement.Effect === 'Allow';
}

export function isDeny(statement: Statement): boolean {
  return statement.Effect === 'Deny';
}

/** Condition operators that restrict a key to the listed values (not negated ones). */
const POSITIVE_OPERATORS = ['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike'];

function baseOperator(operator: string): string {
  return operator
    .toLowerCase()
    .replace(/^for(any|all)value:/, '')
    .replace(/ifexists$/, '');
}

/** The condition keys of a statement, lower-cased, whatever the operator. */
export function conditionKeys(statement: Statement): string[] {
  const keys: string[] = [];
  if (isObject(statement.Condition)) {
    for (const block of Object.values(statement.Condition)) {
      if (isObject(block)) {
        keys.push(...Object.keys(block).map((k) => k.toLowerCase()));
      }
    }
  }
  return keys;
}

/** Every (operator, key, values) of a statement's conditions; keys lower-cased, operators without set and IfExists parts. */
export function conditionEntries(statement: Statement): { operator: string; key: string; values: unknown[] }[] {
  const entries: { operator: string; key: string; values: unknown[] }[] = [];
  if (isObject(statement.Condition)) {
    for (const [operator, block] of Object.entries(statement.Condition)) {
      if (isObject(block)) {
        for (const [key, values] of Object.entries(block)) {
          entries.push({ operator: baseOperator(operator), key: key.toLowerCase(), values: asList(values) });
        }
      }
    }
  }
  return entries;
}

/**
 * The values a condition key is restricted to by positive operators
 * (`StringEquals`, `StringLike`, `ArnLike`, …), flattened; undefined when the key is not restricted.
 */
export function restrictedValues(statement: Statement, key: string): string[] | undefined {
  const found = conditionEntries(statement).filter((e) => e.key === key.toLowerCase() && POSITIVE_OPERATORS.includes(e.operator));
  if (found.length === 0) {
    return undefined;
  }
  return found.flatMap((e) => e.values.map((v) => flatten(v)));
}

/**
 * The values a condition key must have for the statement to apply: positive
 * operators (`StringEquals`, `StringLike`, …) that fail when the key is
 * absent (no `IfExists`, no `ForAllValues:`), flattened; undefined when no
 * such condition names the key. A `*`-only value requires nothing.
 */
export function requiredValues(statement: Statement, key: string): string[] | undefined {
  if (!isObject(statement.Condition)) {
    return undefined;
  }
  const values: string[] = [];
  for (const [operator, block] of Object.entries(statement.Condition)) {
    const op = operator.toLowerCase();
    if (!isObject(block) || op.endsWith('ifexists') || op.startsWith('forallvalues:') || !POSITIVE_OPERATORS.includes(baseOperator(operator))) {
      continue;
    }
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === key.toLowerCase()) {
        values.push(...asList(v).map((x) => flatten(x)));
      }
    }
  }
  return values.length > 0 && values.every((v) => !/^\*+$/.test(v)) ? values : undefined;
}

/** Who a principal entry is, relative to the stack's account. */
export type Who =
  | { readonly kind: 'self' }
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'organization'; readonly organizationId: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'unknown' };

/**
 * Reads accounts, relative to the account of `node`'s stack. When the stack's
 * account is a token, only `{ Ref: AWS::AccountId }` is the stack's account and
 * every literal 12-digit id is another account.
 */
export class AccountContext {
  private readonly self?: string;

  constructor(private readonly node: CfnResource) {
    this.self = knownStackAccount(node);
  }

  /** Whether the stack's account is known at synth time (not a token). */
  public get knowsAccount(): boolean {
    return this.self !== undefined;
  }

  /** Who an `AWS` principal value (account id, IAM ARN, `*`, intrinsic) names. */
  public awsPrincipal(value: unknown): Who {
    const text = flatten(value, (logicalId, attribute) => this.referencedPrincipal(logicalId, attribute));
    if (text === '*') {
      return { kind: 'any' };
    }
    return this.accountOf(text.startsWith('arn:') ? iamArnAccount(text) : text);
  }

  /** Who an account value (`aws:PrincipalAccount`, `kms:CallerAccount`, an ARN's account) names. */
  public accountOf(text: string | undefined): Who {
    if (text === undefined) {
      return { kind: 'unknown' };
    }
    if (text === SELF_ACCOUNT || (this.self !== undefined && text === this.self)) {
      return { kind: 'self' };
    }
    if (/^\d{12}$/.test(text)) {
      return { kind: 'account', account: text };
    }
    return { kind: 'unknown' };
  }

  /**
   * Who a statement's `Principal` names. A wildcard narrowed by
   * `aws:PrincipalAccount`, `aws:PrincipalArn` or `aws:PrincipalOrgID`
   * names those accounts or organizations. `NotPrincipal` is unknown.
   */
  public principalsOf(statement: Statement): Who[] {
    if (statement.NotPrincipal !== undefined) {
      return [{ kind: 'unknown' }];
    }
    const principal = statement.Principal;
    const who: Who[] = [];
    if (principal === '*') {
      who.push({ kind: 'any' });
    } else if (isObject(principal)) {
      for (const [type, values] of Object.entries(principal)) {
        for (const v of asList(values)) {
          if (type === 'AWS') {
            who.push(this.awsPrincipal(v));
          } else if (type === 'Service') {
            who.push({ kind: 'service', service: flatten(v) });
          } else {
            who.push({ kind: 'unknown' });
          }
        }
      }
    } else if (principal !== undefined) {
      who.push({ kind: 'unknown' });
    }
    if (!who.some((w) => w.kind === 'any')) {
      return who;
    }
    const narrowed = this.narrowWildcard(statement);
    return narrowed ? [...who.filter((w) => w.kind !== 'any'), ...narrowed] : who;
  }

  /** The accounts or organizations a wildcard principal is narrowed to by conditions; undefined if not narrowed. */
  public narrowWildcard(statement: Statement): Who[] | undefined {
    const accounts = restrictedValues(statement, 'aws:PrincipalAccount');
    const callerAccounts = restrictedValues(statement, 'kms:CallerAccount');
    const arns = restrictedValues(statement, 'aws:PrincipalArn');
    const orgs = restrictedValues(statement, 'aws:PrincipalOrgID');
    if (accounts === undefined && callerAccounts === undefined && arns === undefined && orgs === undefined) {
      return undefined;
    }
    const who: Who[] = [];
    for (const a of accounts ?? callerAccounts ?? []) {
      who.push(this.accountOf(a));
    }
    if (accounts === undefined && callerAccounts === undefined) {
      for (const arn of arns ?? []) {
        who.push(this.accountOf(iamArnAccount(arn)));
      }
    }
    if (accounts === undefined && callerAccounts === undefined && arns === undefined) {
      for (const org of orgs ?? []) {
        who.push(/^o-[a-z0-9]{10,32}$/.test(org) ? { kind: 'organization', organizationId: org } : { kind: 'unknown' });
      }
    }
    return who;
  }

  /** A role or user created in this stack is in the stack's account. */
  private referencedPrincipal(logicalId: string, attribute?: string): string | undefined {
    const target = resourceByLogicalId(this.node, logicalId);
    if (target && ['AWS::IAM::Role', 'AWS::IAM::User'].includes(target.cfnResourceType) && attribute === 'Arn') {
      return `arn:aws:iam::${SELF_ACCOUNT}:${target.cfnResourceType === 'AWS::IAM::Role' ? 'role' : 'user'}/${logicalId}`;
    }
    return undefined;
  }
}

/** The account of an IAM or STS ARN (`arn:aws:iam::222222222222:root`), or undefined. */
export function iamArnAccount(arn: string): string | undefined {
  const match = /^arn:[^:]*:(?:iam|sts)::([^:]*):/.exec(arn);
  return match ? match[1] : undefined;
}

/** A short, stable key for a partner, e.g. `account 222222222222`. */
export function describeWho(who: Who): string {
  switch (who.kind) {
    case 'account':
      return `account ${who.account}`;
    case 'organization':
      return `organization ${who.organizationId}`;
    case 'service':
      return `service ${who.service}`;
    default:
      return who.kind;
  }
}

/** Whether a partner is another account or an organization (not the stack's account, a service, or unknown). */
export function isOtherAccount(who: Who): who is Extract<Who, { kind: 'account' | 'organization' }> {
  return who.kind === 'account' || who.kind === 'organization';
}

/** Network condition keys whose absence in service-made requests makes policies lock people and services out. */
export const NETWORK_CONDITION_KEYS = ['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:vpcsourceip'];

/** Condition keys that exempt administrators (by principal) from a deny. */
export const PRINCIPAL_EXEMPTION_KEYS = ['aws:principalarn', 'aws:userid', 'aws:username', 'aws:principalaccount'];

/** Condition keys that exempt AWS services acting on a caller's behalf from a deny. */
export const SERVICE_EXEMPTION_KEYS = [
  'aws:viaawsservice',
  'aws:principalisawsservice',
  'aws:calledvia',
  'aws:calledviafirst',
  'aws:calledvialast',
  'aws:principalservicename',
  'aws:principalservicenameslist',
];

/** Whether the statement has a condition on a network key. */
export function hasNetworkCondition(statement: Statement): boolean {
  return conditionKeys(statement).some((k) => NETWORK_CONDITION_KEYS.includes(k));
}

/**
 * Condition keys that exempt the calls S3 makes to KMS on a caller's behalf
 * (SSE-KMS): `aws:PrincipalIsAWSService` does not, as S3 then acts as the caller.
 */
export const S3_TO_KMS_EXEMPTION_KEYS = ['aws:viaawsservice', 'kms:viaservice'];

/**
 * How a key-policy statement breaks the path S3 uses to call KMS, which comes
 * from AWS's own network (no VPC endpoint, VPC or caller IP): an Allow
 * conditioned on the network never applies to it; a Deny conditioned on the
 * network always does, unless it exempts calls made through AWS services.
 * One rule for DataProtectionChecks (DP11) and the constructs' synth checks.
 */
export function s3PathBreak(statement: Statement): 'allow' | 'deny' | undefined {
  if (!hasNetworkCondition(statement)) {
    return undefined;
  }
  if (isAllow(statement)) {
    return 'allow';
  }
  return isDeny(statement) && !hasExemption(statement, S3_TO_KMS_EXEMPTION_KEYS) ? 'deny' : undefined;
}

/** Whether a deny statement exempts administrators or AWS services. */
export function hasExemption(statement: Statement, keys: string[] = [...PRINCIPAL_EXEMPTION_KEYS, ...SERVICE_EXEMPTION_KEYS]): boolean {
  return statement.NotPrincipal !== undefined || conditionKeys(statement).some((k) => keys.includes(k) || k.startsWith('aws:principaltag/'));
}
