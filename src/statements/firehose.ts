import * as iam from 'aws-cdk-lib/aws-iam';
import { SID_DELIVERY_BUCKET_ACCESS, SID_DELIVERY_ERROR_LOGGING, SID_DELIVERY_KEY_USE } from './sids';

/**
 * Statements of a Firehose delivery role (`EncryptedDeliveryStream`): the
 * destination bucket, its key through S3 for that bucket only, and error
 * logging. Internal builders: they take checked values and do not validate.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
 */

/** The S3 actions Firehose needs to deliver into a bucket, as AWS documents them. */
export const FIREHOSE_S3_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:PutObject',
];

/** What S3 calls on the delivery role's behalf to write SSE-KMS objects (and multipart parts). */
export const FIREHOSE_KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** Identity policy: deliver into the bucket (and its objects). */
export function allowDeliveryBucketAccess(bucketArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DELIVERY_BUCKET_ACCESS,
    effect: iam.Effect.ALLOW,
    actions: FIREHOSE_S3_ACTIONS,
    resources: [bucketArn, `${bucketArn}/*`],
  });
}

/**
 * Identity policy: the bucket's key, only through S3 of the bucket's Region
 * (`kms:ViaService`) and only for that bucket: the encryption context S3
 * sends (`aws:s3:arn`) is the bucket ARN with an S3 Bucket Key, the object
 * ARN without.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function allowDeliveryKeyUse(keyArn: string, bucketArn: string, s3ViaService: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DELIVERY_KEY_USE,
    effect: iam.Effect.ALLOW,
    actions: FIREHOSE_KMS_ACTIONS,
    resources: [keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': s3ViaService },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
    },
  });
}

/** Identity policy: write error records to one log stream. */
export function allowDeliveryErrorLogging(logStreamArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DELIVERY_ERROR_LOGGING,
    effect: iam.Effect.ALLOW,
    actions: ['logs:PutLogEvents'],
    resources: [logStreamArn],
  });
}
