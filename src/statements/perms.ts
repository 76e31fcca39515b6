import { Token } from 'aws-cdk-lib';
import { AccessLevel } from '../sharing/partner';

/**
 * Action lists, kept apart from the statements that use them (as aws-cdk-lib
 * keeps them in `perms.ts`). Nothing here is re-exported.
 */

/** Object reads a partner needs: objects, their versions, and listing the bucket. */
export const S3_READ_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'];
export const S3_READ_BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];

/**
 * Object writes a partner needs, multipart uploads included. Listing the
 * bucket's multipart uploads (`s3:ListBucketMultipartUploads`) is not needed
 * to upload in parts, and would show a prefixed writer the uploads of the
 * whole bucket, so it is not granted.
 */
export const S3_WRITE_OBJECT_ACTIONS = [
  's3:PutObject',
  's3:PutObjectTagging',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
];
export const S3_WRITE_BUCKET_ACTIONS = ['s3:GetBucketLocation'];

/** What S3 calls on a reader's behalf: decrypt the data key; describe to resolve the key. */
export const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/**
 * What S3 calls on a writer's behalf. `kms:Decrypt` is needed too: S3 decrypts
 * the data key to upload each part of a multipart upload and to complete it.
 */
export const KMS_WRITE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'];

/** Managing the key without using it for cryptography. */
export const KMS_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** Listing object keys (and versions) under a prefix. */
export const S3_PREFIX_LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];

/** The KMS actions S3 calls on a partner's behalf for an access level. */
export function kmsActionsFor(access: AccessLevel): string[] {
  switch (access) {
    case AccessLevel.READ:
      return KMS_READ_ACTIONS;
    case AccessLevel.WRITE:
      return KMS_WRITE_ACTIONS;
    default:
      return [...new Set([...KMS_WRITE_ACTIONS, ...KMS_READ_ACTIONS])];
  }
}

/** The S3 actions of an access level; with a prefix, listing is granted apart (`s3:prefix`), so readers get only the bucket location. */
export function s3ActionsFor(access: AccessLevel, prefixed: boolean): string[] {
  const read = [...S3_READ_OBJECT_ACTIONS, ...(prefixed ? ['s3:GetBucketLocation'] : S3_READ_BUCKET_ACTIONS)];
  const write = [...S3_WRITE_OBJECT_ACTIONS, ...S3_WRITE_BUCKET_ACTIONS];
  switch (access) {
    case AccessLevel.READ:
      return read;
    case AccessLevel.WRITE:
      return write;
    default:
      return [...new Set([...read, ...write])];
  }
}

/**
 * What a service publishing to an SNS topic encrypted under a customer-managed
 * key needs on that key (SNS generates and decrypts the data key on its behalf).
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const KMS_TOPIC_PUBLISH_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

/**
 * The data-key actions of an access level when a caller encrypts its own
 * data under the key through envelope encryption: `kms:GenerateDataKey` to
 * write, `kms:Decrypt` to read. Kinesis Data Streams calls them on a
 * producer's and consumer's behalf; the S3 Encryption Client calls them
 * itself.
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
 * @see https://docs.aws.amazon.com/amazon-s3-encryption-client/latest/developerguide/what-is-s3-encryption-client.html
 */
export function dataKeyActionsFor(access: AccessLevel): string[] {
  switch (access) {
    case AccessLevel.READ:
      return ['kms:Decrypt'];
    case AccessLevel.WRITE:
      return ['kms:GenerateDataKey'];
    default:
      return ['kms:GenerateDataKey', 'kms:Decrypt'];
  }
}

/**
 * `<service>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China), the
 * value of `kms:ViaService` for calls `service` makes in `region`;
 * `urlSuffix` (the stack's `AWS::URLSuffix`) for a token Region.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function viaServiceOf(service: string, region: string, urlSuffix = 'amazonaws.com'): string {
  if (Token.isUnresolved(region)) {
    return `${service}.${region}.${urlSuffix}`;
  }
  return `${service}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}
