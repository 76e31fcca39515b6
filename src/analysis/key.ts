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

/**
 * Whether `statement` allows the partner `who` to call `action` on the key
 * when S3 calls KMS on the partner's behalf (for the bucket `context`
 * matches, when given).
 */
export function statementCovers(
  ctx: AccountContext,
  statement: Statement,
  who: Extract<Who, { kind: 'account' | 'organization' }>,
  action: string,
  context?: EncryptionContextMatcher,
): Coverage {
  if (!isAllow(statement)) {
    return 'no';
  }
  const actionMatch = coversAction(statement, action);
  if (actionMatch === false) {
    return 'no';
  }
  let result: Coverage = actionMatch === undefined ? 'unknown' : 'yes';

  // kms:ViaService must let S3 through.
  // (The Region part may be a token: S3 calls KMS in the key's own Region.)
  const via = restrictedValues(statement, 'kms:ViaService');
  if (via !== undefined && !via.some((v) => /^s3[.*]/.test(v) || v === '*')) {
    if (via.some((v) => v.includes(UNKNOWN))) {
      result = 'unknown';
    } else {
      return 'no';
    }
  }

  // S3 always sends the bucket ARN (or, without a Bucket Key, the object ARN) as encryption context.
  if (context) {
    for (const entry of conditionEntries(statement).filter((e) => e.key === S3_CONTEXT_KEY && CONTEXT_OPERATORS.includes(e.operator))) {
      const match = context(entry.values);
      if (match === 'no') {
        return 'no';
      }
      if (match === 'unknown') {
        result = 'unknown';
      }
    }
  }

  // The caller's account must be allowed by kms:CallerAccount / aws:PrincipalAccount, when present.
  for (const key of ['kms:CallerAccount', 'aws:PrincipalAccount']) {
    const accounts = restrictedValues(statement, key);
    if (accounts === undefined) {
      continue;
    }
    if (who.kind === 'organization') {
      result = 'unknown';
      continue;
    }
    const named = accounts.map((a) => ctx.accountOf(a));
    if (named.some((n) => n.kind === 'account' && n.account === who.account)) {
      continue;
    }
    if (named.some((n) => n.kind === 'unknown')) {
      result = 'unknown';
      continue;
    }
    return 'no';
  }

  const orgs = restrictedValues(statement, 'aws:PrincipalOrgID');
  if (orgs !== undefined) {
    if (who.kind === 'organization' && orgs.includes(who.organizationId)) {
      // the same organization
    } else if (orgs.some((o) => o.includes(UNKNOWN)) || who.kind === 'account') {
      result = 'unknown'; // the account may be a member
    } else {
      return 'no';
    }
  }

  const principals = ctx.principalsOf({ ...statement, Condition: undefined });
  let principalMatch: Coverage = 'no';
  for (const p of principals) {
    if (p.kind === 'any') {
      principalMatch = 'yes';
    } else if (who.kind === 'account' && p.kind === 'account' && p.account === who.account) {
      principalMatch = 'yes';
    } else if (p.kind === 'unknown' && principalMatch === 'no') {
      principalMatch = 'unknown';
    } else if (who.kind === 'organization' && p.kind === 'account' && principalMatch === 'no') {
      principalMatch = 'unknown'; // the account may be a member of the organization
    }
  }
  if (principalMatch === 'no') {
    return 'no';
  }
  return principalMatch === 'unknown' || result === 'unknown' ? 'unknown' : 'yes';
}

/** Whether any statement of the key policy lets the partner call `action`. */
export function policyCovers(
  ctx: AccountContext,
  statements: Statement[],
  who: Extract<Who, { kind: 'account' | 'organization' }>,
  action: string,
  context?: EncryptionContextMatcher,
): Coverage {
  let result: Coverage = 'no';
  for (const s of statements) {
    const c = statementCovers(ctx, s, who, action, context);
    if (c === 'yes') {
      return 'yes';
    }
    if (c === 'unknown') {
      result = 'unknown';
    }
  }
  return result;
}
