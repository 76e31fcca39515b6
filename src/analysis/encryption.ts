import { isEveryone } from './bucket';
import { conditionEntries, coversAction, flatten, isDeny, Statement } from './policy';

/**
 * The shapes of the encryption denies, read in one place: the rule (DP8) and
 * the report ask these predicates. Resources are not considered here.
 */

/** The request header that carries the SSE-C algorithm (present on every SSE-C request). */
export const SSE_C_ALGORITHM_HEADER = 's3:x-amz-server-side-encryption-customer-algorithm';
/** The request header that asks for SSE-S3, SSE-KMS or DSSE-KMS. */
export const SSE_HEADER = 's3:x-amz-server-side-encryption';
/** The request header that names the KMS key of an SSE-KMS or DSSE-KMS upload. */
export const SSE_KMS_KEY_ID_HEADER = 's3:x-amz-server-side-encryption-aws-kms-key-id';

/**
 * Whether the statement is a deny of uploads to everyone that catches SSE-C
 * requests: `Null` on the SSE-C algorithm header being false, or a
 * `StringNotEquals` on the encryption header without a `Null` guard (SSE-C
 * requests do not send it), as its only condition. Undefined when its
 * actions cannot be read.
 */
export function deniesSseCUploads(s: Statement): boolean | undefined {
  if (!isDeny(s) || !isEveryone(s)) {
    return false;
  }
  const puts = coversAction(s, 's3:PutObject');
  if (puts !== true) {
    return puts === undefined ? undefined : false;
  }
  const entries = conditionEntries(s);
  const nullHeader = entries.find((e) => e.operator === 'null' && e.key === SSE_C_ALGORITHM_HEADER);
  if (nullHeader && entries.length === 1) {
    return nullHeader.values.map((v) => flatten(v).toLowerCase()).every((v) => v === 'false');
  }
  const requiresType = entries.find((e) => e.operator === 'stringnotequals' && e.key === SSE_HEADER);
  if (requiresType && entries.length === 1) {
    return true;
  }
  return false;
}
