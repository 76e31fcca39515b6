import { coversAction, requiredValues, Statement } from './policy';

/**
 * Client-side encryption (CSE) with the Amazon S3 Encryption Client and a
 * KMS key, read in one place: the encryption context key the client adds to
 * every KMS call, the values it puts there, and the predicate of a
 * key-policy statement scoped to it (read by DP9 and the report).
 */

/** The encryption context key the S3 Encryption Client adds to every KMS call of its `kms+context` wrapping. */
export const CSE_CONTEXT_KEY = 'aws:x-amz-cek-alg';

/**
 * The values the S3 Encryption Client puts under {@link CSE_CONTEXT_KEY}:
 * its content encryption algorithm, `AES/GCM/NoPadding` (the V2 clients of
 * the AWS SDKs, version 3 of the Amazon S3 Encryption Client), and `115`
 * (AES-GCM with key commitment, which version 4 writes by default).
 *
 * @see https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/s3/package-summary.html
 * @see https://docs.aws.amazon.com/amazon-s3-encryption-client/latest/developerguide/what-is-s3-encryption-client.html
 */
export const CSE_CONTENT_ALGORITHMS: readonly string[] = ['AES/GCM/NoPadding', '115'];

/** Actions a CSE statement may allow: the data key of an upload, its decryption on download. */
const CSE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
const OTHER_USE_ACTIONS = ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:PutKeyPolicy'];

/**
 * Whether a statement is scoped to client-side encryption: it requires the
 * encryption context `aws:x-amz-cek-alg` to be one of the client's
 * algorithms (never `*`, never `IfExists`), requires the caller's account
 * (`kms:CallerAccount`, or `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`
 * for an organization), and allows nothing but `kms:GenerateDataKey` and
 * `kms:Decrypt`.
 */
export function isClientSideScoped(s: Statement): boolean {
  const algorithms = requiredValues(s, `kms:EncryptionContext:${CSE_CONTEXT_KEY}`);
  if (!algorithms || !algorithms.every((a) => CSE_CONTENT_ALGORITHMS.includes(a))) {
    return false;
  }
  const who = ['kms:CallerAccount', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths'].some((k) => requiredValues(s, k) !== undefined);
  const onlyCse = CSE_ACTIONS.some((a) => coversAction(s, a) === true) && OTHER_USE_ACTIONS.every((a) => coversAction(s, a) === false);
  return who && onlyCse;
}
