import * as iam from 'aws-cdk-lib/aws-iam';
import {
  SID_ALLOW_GLUE_CATALOG_KEY_USE,
  SID_ALLOW_GLUE_LOGS_KEY_USE,
  SID_GLUE_JOB_BOOKMARKS_KEY_USE,
  SID_GLUE_JOB_LOGS_ASSOCIATE_KEY,
  SID_GLUE_JOB_S3_KEY_USE,
  sidGlueCatalogKeyUse,
} from './sids';
import { AccessLevel, Partner } from '../sharing/partner';
import { listOrOne, mergeConditions, partnerAccounts, partnerConditions, partnerKeyPolicyPrincipals } from '../sharing/partner-policy';

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

// ---------------------------------------------------------------- Data Catalog encryption (GlueDataCatalogEncryption)

/**
 * The KMS actions Glue calls on the caller's behalf for an encrypted Data
 * Catalog: `kms:Decrypt` to read catalog objects, `kms:Encrypt` and
 * `kms:GenerateDataKey` to write them (and `kms:Encrypt` for connection
 * passwords on `CreateConnection` / `UpdateConnection`).
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_ConnectionPasswordEncryption.html
 */
export const GLUE_CATALOG_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The KMS actions of a catalog reader (`kms:Decrypt`) and writer (all of {@link GLUE_CATALOG_KEY_ACTIONS}). */
export function glueCatalogKmsActionsFor(access: AccessLevel): string[] {
  return access === AccessLevel.READ ? ['kms:Decrypt'] : GLUE_CATALOG_KEY_ACTIONS;
}


/**
 * Key policy of the Data Catalog's key: principals of `account` may use the
 * key through AWS Glue of the Region only (`kms:ViaService`,
 * `kms:CallerAccount`), as Glue does on their behalf when they read or
 * write encrypted catalog objects and connection passwords. Whether a
 * principal reaches a catalog object is decided by its Glue permissions
 * (IAM, the catalog's resource policy, Lake Formation); no encryption
 * context is named, because the Glue documentation read for this builder
 * gives none to match.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function allowGlueCatalogKeyUse(account: string, viaService: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_GLUE_CATALOG_KEY_USE,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AccountPrincipal(account)],
    actions: GLUE_CATALOG_KEY_ACTIONS,
    resources: ['*'],
    conditions: { StringEquals: { 'kms:ViaService': viaService, 'kms:CallerAccount': account } },
  });
}

/**
 * Identity policy of a Data Catalog reader or writer: the catalog's key,
 * through AWS Glue of the Region only and by the account only. The Glue
 * actions on catalog objects are not part of it.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function glueCatalogKeyUse(keyArn: string, viaService: string, account: string, access: AccessLevel): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidGlueCatalogKeyUse(access),
    effect: iam.Effect.ALLOW,
    actions: glueCatalogKmsActionsFor(access),
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': viaService, 'kms:CallerAccount': account } },
  });
}

/**
 * Key policy of the Data Catalog's key: partners (of one kind) may use the
 * key through AWS Glue of the Region only, as Glue does when they read (and,
 * for WRITE, write) objects of this account's catalog. Account partners are
 * named in `kms:CallerAccount` under `{"AWS":"*"}`, as
 * `allowPartnerKeyUse` does.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/cross-account-access.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
 */
export function allowPartnerGlueCatalogKeyUse(
  partners: Partner[], access: AccessLevel, options: { readonly viaService: string; readonly sid: string; readonly ownerAccount: string },
): iam.PolicyStatement {
  const accounts = partnerAccounts(partners);
  return new iam.PolicyStatement({
    sid: options.sid,
    effect: iam.Effect.ALLOW,
    principals: partnerKeyPolicyPrincipals(partners),
    actions: glueCatalogKmsActionsFor(access),
    resources: ['*'],
    conditions: mergeConditions(
      {
        StringEquals: {
          'kms:ViaService': options.viaService,
          ...(accounts.length > 0 ? { 'kms:CallerAccount': listOrOne(accounts) } : {}),
        },
      },
      partnerConditions(partners, options.ownerAccount),
    ),
  });
}
