import { isEveryone } from './bucket';
import { conditionEntries, coversAction, flatten, isDeny, Statement } from './policy';

/**
 * The shapes of the TLS denies, read in one place: the constructs' "already
 * there" checks, the rules (DP2, DP3) and the report ask these predicates.
 * Resources are not considered here: which bucket a statement covers is the
 * caller's question (a resolved template or a construct's own statements).
 */

/** The condition key of the secure-transport deny (`Bool` `false`). */
export const SECURE_TRANSPORT_KEY = 'aws:SecureTransport';
/** The condition key of the minimum-TLS deny (`NumericLessThan` the version). */
export const TLS_VERSION_KEY = 's3:TlsVersion';

/**
 * Whether the statement denies every S3 action to everyone, the principal and
 * actions of both TLS denies: undefined when its actions cannot be read.
 */
export function deniesEveryS3ActionToEveryone(s: Statement): boolean | undefined {
  if (!isDeny(s) || !isEveryone(s)) {
    return false;
  }
  return coversAction(s, 's3:GetObject') && coversAction(s, 's3:PutObject') && coversAction(s, 's3:ListBucket') && coversAction(s, 's3:PutBucketPolicy');
}

/**
 * Whether the statement is the secure-transport deny: every S3 action denied
 * to everyone when its only condition, `aws:SecureTransport` false (`Bool` or
 * `BoolIfExists`), holds. Undefined when its actions or condition values
 * cannot be read.
 */
export function deniesInsecureTransport(s: Statement): boolean | undefined {
  return both(deniesEveryS3ActionToEveryone(s), secureTransportFalse(s));
}

/**
 * Whether the statement is a minimum-TLS deny enforcing `minimum` or a later
 * version: every S3 action denied to everyone when its only condition,
 * `NumericLessThan` on `s3:TlsVersion`, holds. Undefined when unreadable.
 */
export function deniesTlsBelow(s: Statement, minimum: number): boolean | undefined {
  const version = minimumTlsOf(s);
  return both(deniesEveryS3ActionToEveryone(s), version === false || version === undefined ? version : version >= minimum);
}

/** The newest TLS version there is (RFC 8446): every client negotiates it or an older one. */
export const NEWEST_TLS_VERSION = 1.3;

/**
 * The minimum a Deny enforces that no client can meet: a Deny whose only
 * condition is `NumericLessThan` `s3:TlsVersion` above
 * {@link NEWEST_TLS_VERSION} (e.g. `1.4`), which denies every request for
 * its actions. Undefined when the statement is not one, or its version
 * cannot be read.
 */
export function unmeetableTlsMinimum(s: Statement): number | undefined {
  const version = isDeny(s) ? minimumTlsOf(s) : undefined;
  return typeof version === 'number' && version > NEWEST_TLS_VERSION ? version : undefined;
}

/**
 * The TLS version a minimum-TLS deny enforces (see {@link deniesTlsBelow});
 * undefined when the statement is not one or its version cannot be read.
 */
export function minimumTlsDenied(s: Statement): number | undefined {
  const version = minimumTlsOf(s);
  return typeof version === 'number' && deniesEveryS3ActionToEveryone(s) === true ? version : undefined;
}

/**
 * The condition of a minimum-TLS deny: the version of its only condition,
 * `NumericLessThan` on `s3:TlsVersion`; false when the statement has another
 * condition, undefined when the version cannot be read.
 */
export function minimumTlsOf(s: Statement): number | false | undefined {
  const entries = conditionEntries(s);
  const tls = entries.filter((e) => e.key === TLS_VERSION_KEY.toLowerCase() && e.operator === 'numericlessthan');
  if (tls.length !== 1 || entries.length !== 1 || tls[0].values.length !== 1) {
    return false;
  }
  const text = flatten(tls[0].values[0]);
  const version = Number(text);
  return Number.isFinite(version) && /^\d+(\.\d+)?$/.test(text) ? version : undefined;
}

/** Whether the statement's only condition is `aws:SecureTransport` false (Bool or BoolIfExists). */
function secureTransportFalse(s: Statement): boolean | undefined {
  const entries = conditionEntries(s);
  const transport = entries.filter((e) => e.key === SECURE_TRANSPORT_KEY.toLowerCase() && e.operator === 'bool');
  if (transport.length === 0 || entries.length !== transport.length) {
    return false;
  }
  const values = transport.flatMap((e) => e.values.map((v) => flatten(v).toLowerCase()));
  if (values.every((v) => v === 'false')) {
    return true;
  }
  return values.some((v) => v !== 'true' && v !== 'false') ? undefined : false;
}

/** Both hold: false when either is false, else undefined when either is unknown. */
function both(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === false || b === false) {
    return false;
  }
  return a === undefined || b === undefined ? undefined : true;
}
