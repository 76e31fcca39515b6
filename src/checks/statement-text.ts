import { walkIntrinsics } from '../analysis/intrinsics';
import { AccountContext, describeWho, Statement, Who } from '../analysis/policy';
import { asList, isObject } from '../analysis/template';

/**
 * How the details of a finding name the statements it is about: by `Sid`,
 * with the principals, actions and resources as the template writes them,
 * so that a reader finds the statement in one hop and sees what it grants.
 */

/** A resolved value as text: `<Logical.Arn>` for a `Fn::GetAtt`, `<Logical>` or `<AWS::AccountId>` for a `Ref`. */
export function valueText(value: unknown): string {
  return walkIntrinsics<string>(value, {
    literal: (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)),
    ref: (name) => (name === 'AWS::Partition' ? 'aws' : name === 'AWS::URLSuffix' ? 'amazonaws.com' : `<${name}>`),
    getAtt: (logicalId, attribute) => `<${logicalId}.${attribute}>`,
    join: (separator, parts) => (Array.isArray(parts) ? parts.join(separator) : '<Fn::Join>'),
    unknown: (fn) => `<${fn ?? 'unknown'}>`,
  });
}

/** `statement ReadForPartner`, or `a statement without Sid` (with its index in the policy when given). */
export function statementName(s: Statement, index?: number): string {
  if (typeof s.Sid === 'string' && s.Sid.length > 0) {
    return `statement ${s.Sid}`;
  }
  return index === undefined ? 'a statement without Sid' : `statement #${index + 1} (no Sid)`;
}

/** The actions a statement names, as written: `s3:GetObject, s3:ListBucket`, or `every action except …` for `NotAction`. */
export function actionsText(s: Statement): string {
  if (s.NotAction !== undefined) {
    return `every action except ${asList(s.NotAction).map(valueText).join(', ')}`;
  }
  const actions = asList(s.Action).map(valueText);
  return actions.length > 0 ? actions.join(', ') : 'no action';
}

/** The resources a statement names, as written: `<Bucket.Arn>/*`, or `every resource except …` for `NotResource`. */
export function resourcesText(s: Statement): string {
  if (s.NotResource !== undefined) {
    return `every resource except ${asList(s.NotResource).map(valueText).join(', ')}`;
  }
  const resources = asList(s.Resource).map(valueText);
  return resources.length > 0 ? resources.join(', ') : 'no resource';
}

/** One principal as a finding names it: `account 222222222222`, `organization o-…`, `any principal`. */
export function whoText(who: Who): string {
  if (who.kind === 'any') {
    return 'any principal';
  }
  if (who.kind === 'self') {
    return 'the stack\'s own account';
  }
  if (who.kind === 'unknown') {
    return 'a principal known only at deployment';
  }
  return describeWho(who);
}

/**
 * The principals of a statement as a finding names them: the accounts and
 * organizations it resolves to (a wildcard narrowed by conditions included),
 * or the `Principal` as written when none can be named.
 */
export function principalsText(ctx: AccountContext, s: Statement): string {
  const named = [...new Set(ctx.principalsOf(s).map(whoText))];
  if (named.length > 0 && !named.every((n) => n === 'a principal known only at deployment')) {
    return named.join(', ');
  }
  if (s.NotPrincipal !== undefined) {
    return `every principal except ${JSON.stringify(s.NotPrincipal)}`;
  }
  return isObject(s.Principal) || typeof s.Principal === 'string' ? `principal ${JSON.stringify(s.Principal)}` : 'no principal';
}

/** `<statement> grants <who> <actions> on <resources>`: what one Allow gives, as written. */
export function grantText(s: Statement, who: string, index?: number): string {
  return `${statementName(s, index)} grants ${who} ${actionsText(s)} on ${resourcesText(s)}`;
}

/** `a, b and c` (or `a, b or c`). */
export function listText(items: string[], conjunction: 'and' | 'or' = 'and'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The conditions of a statement on the given keys (lower-case names), as written: `StringNotEquals aws:SourceVpce vpce-1`. */
export function conditionsText(s: Statement, keys: readonly string[]): string {
  const found: string[] = [];
  for (const [operator, block] of Object.entries(isObject(s.Condition) ? s.Condition : {})) {
    for (const [key, values] of Object.entries(isObject(block) ? block : {})) {
      if (keys.includes(key.toLowerCase())) {
        found.push(`${operator} ${key} ${asList(values).map(valueText).join(', ')}`);
      }
    }
  }
  return found.join(' and ');
}
