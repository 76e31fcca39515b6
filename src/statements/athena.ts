import * as iam from 'aws-cdk-lib/aws-iam';
import { sidAthenaQuery, sidAthenaResults, sidAthenaResultsBucket, sidAthenaResultsKeyUse } from './sids';

/**
 * Statements of an Athena workgroup whose query results are written to an
 * `EncryptedBucket` under SSE-KMS (`EncryptedAthenaWorkGroup`): what a
 * principal running queries needs on the workgroup, on the results
 * location, and on the results key through S3 only. Internal builders: they
 * take checked values and do not validate.
 *
 * Athena writes and reads the results in S3 with the credentials of the
 * principal that runs the query, so that principal (not Athena) needs the S3
 * actions on the results location and the KMS actions S3 calls for SSE-KMS.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
 */

/**
 * The Athena actions of a workgroup user: run, stop and read queries in the
 * workgroup, and read the workgroup (its enforced settings).
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
 */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:BatchGetQueryExecution',
  'athena:ListQueryExecutions',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'athena:GetWorkGroup',
];

/** The bucket-level S3 actions of a results location (Athena lists it and finds its Region). */
export const ATHENA_RESULTS_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];

/** The object-level S3 actions of a results location: write results (multipart), read them back. */
export const ATHENA_RESULTS_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** What S3 calls on the querying principal's behalf for SSE-KMS results: a data key to write, a decrypt to read (and for multipart uploads). */
export const ATHENA_RESULTS_KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** Identity policy: the Athena query actions on one workgroup. */
export function allowAthenaQuery(workGroupArn: string, scope: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidAthenaQuery(scope),
    effect: iam.Effect.ALLOW,
    actions: ATHENA_QUERY_ACTIONS,
    resources: [workGroupArn],
  });
}

/**
 * Identity policies: the results location, the bucket-level actions on the
 * bucket and the object actions under `prefix` only.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying.html
 */
export function allowAthenaResults(bucketArn: string, prefix: string, scope: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: sidAthenaResultsBucket(scope),
      effect: iam.Effect.ALLOW,
      actions: ATHENA_RESULTS_BUCKET_ACTIONS,
      resources: [bucketArn],
    }),
    new iam.PolicyStatement({
      sid: sidAthenaResults(scope),
      effect: iam.Effect.ALLOW,
      actions: ATHENA_RESULTS_OBJECT_ACTIONS,
      resources: [`${bucketArn}/${prefix}*`],
    }),
  ];
}

/**
 * Identity policy: the results key, only through S3 of the bucket's Region
 * (`kms:ViaService`) and only for the results bucket: the encryption context
 * S3 sends (`aws:s3:arn`) is the bucket ARN with an S3 Bucket Key, the
 * object ARN (under the results prefix) without.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function allowAthenaResultsKeyUse(
  keyArn: string, bucketArn: string, prefix: string, s3ViaService: string, scope: string,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidAthenaResultsKeyUse(scope),
    effect: iam.Effect.ALLOW,
    actions: ATHENA_RESULTS_KMS_ACTIONS,
    resources: [keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': s3ViaService },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/${prefix}*`] },
    },
  });
}
