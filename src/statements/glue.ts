import * as iam from 'aws-cdk-lib/aws-iam';
import {
  SID_ALLOW_GLUE_LOGS_KEY_USE,
  SID_GLUE_JOB_BOOKMARKS_KEY_USE,
  SID_GLUE_JOB_LOGS_ASSOCIATE_KEY,
  SID_GLUE_JOB_S3_KEY_USE,
} from './sids';

/**
 * Statements of a Glue security configuration (`GlueSecurityConfiguration`):
 * the key policy letting CloudWatch Logs encrypt the Glue log groups, and the
 * job role's use of the key. Internal builders: they take checked values and
 * do not validate.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
 */

/** The KMS actions a Glue job role needs on the key for S3 (SSE-KMS) and job bookmarks (CSE-KMS). */
export const GLUE_JOB_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The KMS actions CloudWatch Logs needs on the key of an encrypted log group. */
export const LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];

/** The ARN pattern of the log groups Glue writes (`/aws-glue/jobs/...`, `/aws-glue/crawlers...`) in one account and Region. */
export function glueLogGroupArnPattern(partition: string, region: string, account: string): string {
  return `arn:${partition}:logs:${region}:${account}:log-group:/aws-glue/*`;
}

/**
 * Key policy: the CloudWatch Logs service principal of `region` may use the
 * key only for the Glue log groups of `account` (the encryption context
 * `aws:logs:arn` CloudWatch Logs sends is the log group's ARN).
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowGlueLogsKeyUse(partition: string, region: string, account: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_GLUE_LOGS_KEY_USE,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
    actions: LOGS_KEY_ACTIONS,
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': glueLogGroupArnPattern(partition, region, account) },
    },
  });
}

/**
 * Identity policy of a Glue job role: the key for the job's S3 writes and
 * reads, through S3 of `region` only (`kms:ViaService`) and by the account
 * only (`kms:CallerAccount`).
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function glueJobS3KeyUse(keyArn: string, region: string, account: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_GLUE_JOB_S3_KEY_USE,
    effect: iam.Effect.ALLOW,
    actions: GLUE_JOB_KEY_ACTIONS,
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': account } },
  });
}

/**
 * Identity policy of a Glue job role: the key for job bookmarks. Bookmarks
 * are encrypted client-side (CSE-KMS): the job calls KMS itself, so there is
 * no service to name in `kms:ViaService`; the statement is limited to the
 * account (`kms:CallerAccount`).
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 */
export function glueJobBookmarksKeyUse(keyArn: string, account: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_GLUE_JOB_BOOKMARKS_KEY_USE,
    effect: iam.Effect.ALLOW,
    actions: GLUE_JOB_KEY_ACTIONS,
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:CallerAccount': account } },
  });
}

/**
 * Identity policy of a Glue job role: `logs:AssociateKmsKey` on the Glue log
 * groups, which a job with CloudWatch Logs encryption calls to encrypt them.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
 */
export function glueJobLogsAssociateKey(partition: string, region: string, account: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_GLUE_JOB_LOGS_ASSOCIATE_KEY,
    effect: iam.Effect.ALLOW,
    actions: ['logs:AssociateKmsKey'],
    resources: [glueLogGroupArnPattern(partition, region, account)],
  });
}
