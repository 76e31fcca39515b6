import { AccountContext, conditionEntries, coversAction, flatten, isAllow, restrictedValues, Statement, statementsOf, UNKNOWN, Who } from './policy';
import { asList, isObject, RenderedResource } from './template';

/**
 * The statements of a key's policy. A key without `KeyPolicy` gets the
 * default key policy (the account root principal is allowed `kms:*`).
 * Undefined when the policy is not readable.
 */
/** The action whose holder can always repair the key policy. */
export const PUT_KEY_POLICY = 'kms:PutKeyPolicy';

/**
 * Whether a key-policy statement, read alone, makes its principals key
 * administrators: an unconditioned Allow of `kms:PutKeyPolicy` to named AWS
 * principals (not `*`). Whether they are of the key's own account is for
 * the caller, who knows the account, to say.
 */
export function grantsKeyPolicyAdministration(json: Statement): boolean {
  if (!isAllow(json) || json.Condition !== undefined || coversAction(json, PUT_KEY_POLICY) !== true) {
    return false;
  }
  return isObject(json.Principal) && asList(json.Principal.AWS).some((p) => flatten(p) !== '*');
}

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
