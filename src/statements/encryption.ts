import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ServerSideEncryption } from './enums';
import { SID_DENY_KMS_WITHOUT_BUCKET_KEY_ID, SID_DENY_OTHER_KMS_KEYS, SID_DENY_SSE_C, SID_DENY_UNEXPECTED_ENCRYPTION } from './sids';
import { SSE_C_ALGORITHM_HEADER, SSE_HEADER, SSE_KMS_KEY_ID_HEADER } from '../analysis/encryption';

/**
 * Encryption statements (bucket policy): uploads get the bucket's encryption
 * and key, never SSE-C. Internal builders: they take checked values and do
 * not validate.
 */

/** Deny uploads that carry the SSE-C algorithm header. */
export function denySseC(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_SSE_C,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { Null: { [SSE_C_ALGORITHM_HEADER]: 'false' } },
  });
}

/** Deny uploads that ask for an encryption type other than `encryption` (uploads that ask for none are not affected). */
export function denyUnexpectedEncryption(bucket: s3.IBucket, encryption: ServerSideEncryption): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_UNEXPECTED_ENCRYPTION,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      Null: { [SSE_HEADER]: 'false' },
      StringNotEquals: { [SSE_HEADER]: encryption },
    },
  });
}

/** Deny uploads that name a KMS key other than `key` (uploads that name none are not affected). */
export function denyOtherKmsKeys(bucket: s3.IBucket, key: kms.IKey): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_OTHER_KMS_KEYS,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      Null: { [SSE_KMS_KEY_ID_HEADER]: 'false' },
      StringNotEquals: { [SSE_KMS_KEY_ID_HEADER]: key.keyArn },
    },
  });
}

/** Deny uploads that ask for SSE-KMS or DSSE-KMS without naming a key (S3 would use `aws/s3`). */
export function denyKmsWithoutKeyId(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_KMS_WITHOUT_BUCKET_KEY_ID,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      Null: { [SSE_HEADER]: 'false', [SSE_KMS_KEY_ID_HEADER]: 'true' },
    },
  });
}
