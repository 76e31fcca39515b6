import * as iam from 'aws-cdk-lib/aws-iam';
import {
  SID_ALLOW_EMR_EBS_ENCRYPTION, SID_ALLOW_EMR_EBS_GRANTS,
  SID_EMR_INSTANCE_ROLE_LOCAL_DISK_KEY_USE,
  SID_EMR_INSTANCE_ROLE_S3_KEY_USE,
  SID_EMR_SERVICE_ROLE_EBS_GRANTS,
  SID_EMR_SERVICE_ROLE_EBS_KEY_USE,
} from './sids';

/**
 * Amazon EMR statements (key policy and the identity policies of the
 * cluster's roles). Internal builders: they take checked values and do not
 * validate.
 *
 * No encryption context is named: EBS sends the volume id
 * (`aws:ebs:id`), unknown until EMR launches the cluster, and EMRFS sends
 * the ARN of whichever bucket the job writes.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
 */

/** What EBS calls on the key for an encrypted volume (through EC2). */
export const EMR_EBS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
/** The grants EBS creates so the instance can use the key while the volume is attached. */
export const EMR_EBS_GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];
/** What EMRFS calls through S3 for SSE-KMS objects. */
export const EMRFS_S3_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'];
/** What the instances call directly for local disk encryption (LUKS data keys). */
export const EMR_LOCAL_DISK_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

function viaAccount(account: string, viaService: string): Record<string, Record<string, string>> {
  return { StringEquals: { 'kms:ViaService': viaService, 'kms:CallerAccount': account } };
}

/** Key policy: principals of `account` (through IAM) may use the key for EBS volumes through EC2 only. */
export function allowEmrEbsEncryption(account: string, ec2ViaService: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_EMR_EBS_ENCRYPTION,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AccountPrincipal(account)],
    actions: EMR_EBS_KEY_ACTIONS,
    resources: ['*'],
    conditions: viaAccount(account, ec2ViaService),
  });
}

/**
 * Key policy: principals of `account` may create, list and revoke grants
 * through EC2, for AWS resources only (`kms:GrantIsForAWSResource` true),
 * which `DenyGrantsExceptForAwsResources` leaves in place.
 */
export function allowEmrEbsGrants(account: string, ec2ViaService: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_EMR_EBS_GRANTS,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AccountPrincipal(account)],
    actions: EMR_EBS_GRANT_ACTIONS,
    resources: ['*'],
    conditions: { ...viaAccount(account, ec2ViaService), Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  });
}

/** Identity policy of the EMR service role: the key for EBS volumes, through EC2 only, grants for AWS resources only. */
export function emrServiceRoleKeyUse(keyArn: string, account: string, ec2ViaService: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: SID_EMR_SERVICE_ROLE_EBS_KEY_USE,
      actions: EMR_EBS_KEY_ACTIONS,
      resources: [keyArn],
      conditions: viaAccount(account, ec2ViaService),
    }),
    new iam.PolicyStatement({
      sid: SID_EMR_SERVICE_ROLE_EBS_GRANTS,
      actions: EMR_EBS_GRANT_ACTIONS,
      resources: [keyArn],
      conditions: { ...viaAccount(account, ec2ViaService), Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

/**
 * Identity policy of the EC2 instance role: EMRFS objects through S3
 * (`kms:ViaService` s3), and, when local disks are encrypted, the data
 * keys the instances ask KMS for directly (`kms:CallerAccount` only: the
 * instance is the caller, no service is in between).
 */
export function emrInstanceRoleKeyUse(keyArn: string, account: string, s3ViaService: string, localDisk: boolean): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: SID_EMR_INSTANCE_ROLE_S3_KEY_USE,
      actions: EMRFS_S3_KEY_ACTIONS,
      resources: [keyArn],
      conditions: viaAccount(account, s3ViaService),
    }),
  ];
  if (localDisk) {
    statements.push(
      new iam.PolicyStatement({
        sid: SID_EMR_INSTANCE_ROLE_LOCAL_DISK_KEY_USE,
        actions: EMR_LOCAL_DISK_KEY_ACTIONS,
        resources: [keyArn],
        conditions: { StringEquals: { 'kms:CallerAccount': account } },
      }),
    );
  }
  return statements;
}
