import { Token } from 'aws-cdk-lib';
import { TlsVersion } from './enums';
import { AccessLevel, Partner, PartnerKind } from '../sharing/partner';
import { accessWord, shortHash } from '../sharing/partner-policy';

/**
 * The statement ids (`Sid`) of every statement this library writes, each
 * defined here once: the builders write them, `DataProtectionStatements`
 * publishes them, the report and the rules read them from here.
 *
 * Statement ids are stable: changing one is a breaking change. The functions
 * take checked values (the facade validates its arguments).
 */

export const SID_DENY_INSECURE_TRANSPORT = 'DenyInsecureTransport';
export const SID_DENY_SSE_C = 'DenySseCRequests';
export const SID_DENY_UNEXPECTED_ENCRYPTION = 'DenyOtherEncryptionTypes';
export const SID_DENY_OTHER_KMS_KEYS = 'DenyOtherKmsKeys';
export const SID_DENY_KMS_WITHOUT_BUCKET_KEY_ID = 'DenyKmsWithoutBucketKeyId';
export const SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY = 'AllowServerAccessLogDelivery';
export const SID_ALLOW_ACCOUNT_IAM_POLICIES = 'AllowAccountIamPolicies';
export const SID_ALLOW_KEY_ADMINISTRATION = 'AllowKeyAdministration';
export const SID_DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES = 'DenyGrantsExceptForAwsResources';
export const SID_SHARED_PREFIX_LISTING = 'SharedPrefixListing';
export const SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS = 'DenyDataAccessOutsideVpcEndpoints';
export const SID_DENY_OWN_ACCOUNT_OUTSIDE_VPC_ENDPOINTS = 'DenyOwnAccountOutsideVpcEndpoints';
/** What every {@link sidDenyPartnerOutsideVpcEndpoints} starts with. */
export const SID_PREFIX_DENY_PARTNER_OUTSIDE_VPC_ENDPOINTS = 'DenyPartnerOutsideVpcEndpoints';
export const SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS = 'AllowProtectedBucketsThroughEndpoint';
export const SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS = 'AllowProtectedKeysThroughEndpoint';
export const SID_ALLOW_CLOUDFORMATION_RESPONSES = 'AllowCloudFormationResponses';
export const SID_ALLOW_AMAZON_LINUX_REPOSITORIES = 'AllowAmazonLinuxRepositories';
export const SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS = 'DenyDirectKeyUseOutsideVpcs';

/** `DenyTlsBelow12` for TLS 1.2, `DenyTlsBelow13` for TLS 1.3. */
export function sidDenyOutdatedTls(minimum: TlsVersion): string {
  return `DenyTlsBelow${minimum.replace('.', '')}`;
}

/** `PartnerReadAccounts`, or `PartnerReadAccountsOnExchangeBucket1A2B3C4D` when scoped to a bucket (`PartnerReadOrganizationsWithOwnerAccount` for a partner that includes the owner account). */
export function sidPartnerKeyUse(access: AccessLevel, kind: PartnerKind | Partner, scope?: string): string {
  return `Partner${accessWord(access)}${Partner._sidWord(kind)}${scope ? `On${scope.replace(/[^A-Za-z0-9]/g, '')}` : ''}`;
}

/** `PartnerReadAccounts`, or `PartnerReadAccountsPrefix1A2B3C4D` for a prefix (a hash of the prefix). */
export function sidPartnerBucketAccess(access: AccessLevel, kind: PartnerKind | Partner, prefix?: string): string {
  return `Partner${accessWord(access)}${Partner._sidWord(kind)}${prefix ? `Prefix${shortHash(prefix)}` : ''}`;
}

/** The listing under a prefix that goes with {@link sidPartnerBucketAccess}: `PartnerReadAccountsPrefix1A2B3C4DList`. */
export function sidPartnerPrefixListing(access: AccessLevel, kind: PartnerKind | Partner, prefix: string): string {
  return `${sidPartnerBucketAccess(access, kind, prefix)}List`;
}

/**
 * `SharedReadBucketAccess` (`SharedWriteBucketAccess`, `SharedReadWriteBucketAccess`), or
 * `SharedReadBucketAccessOnProducerexchange` scoped to a shared bucket (see `sharedSidPart`), so that the
 * grants of several buckets or prefixes keep apart in one document.
 */
export function sidSharedBucketAccess(access: AccessLevel, scope?: string): string {
  return `Shared${accessWord(access)}BucketAccess${scope ? `On${scope}` : ''}`;
}

/** `SharedPrefixListing`, or `SharedPrefixListingOnProducerexchangePrefix1A2B3C4D` scoped to a shared bucket and prefix. */
export function sidSharedPrefixListing(scope?: string): string {
  return `${SID_SHARED_PREFIX_LISTING}${scope ? `On${scope}` : ''}`;
}

/** `SharedReadKeyUse` (`SharedWriteKeyUse`, `SharedReadWriteKeyUse`), or `SharedReadKeyUseOnProducerexchange` scoped to a shared bucket. */
export function sidSharedKeyUse(access: AccessLevel, scope?: string): string {
  return `Shared${accessWord(access)}KeyUse${scope ? `On${scope}` : ''}`;
}

/** `DenyPartnerOutsideVpcEndpoints222222222222` or `DenyPartnerOutsideVpcEndpointsOa1b2c3d4e5` (one per partner). */
export function sidDenyPartnerOutsideVpcEndpoints(partner: Partner): string {
  const id = partner._sidName();
  const alnum = Token.isUnresolved(id) ? 'Token' : id.replace(/[^A-Za-z0-9]/g, '');
  return `${SID_PREFIX_DENY_PARTNER_OUTSIDE_VPC_ENDPOINTS}${alnum.charAt(0).toUpperCase()}${alnum.slice(1)}`.slice(0, 100);
}

/** Key policy of a monitoring topic's key: CloudWatch alarms may use the key to publish to the topic. */
export const SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE = 'AllowCloudWatchAlarmsTopicKeyUse';
/** Key policy of a monitoring topic's key: EventBridge rules may use the key to publish to the topic. */
export const SID_ALLOW_EVENTBRIDGE_TOPIC_KEY_USE = 'AllowEventBridgeTopicKeyUse';
/** Topic policy of a monitoring topic: CloudWatch alarms of the account may publish. */
export const SID_ALLOW_CLOUDWATCH_ALARMS_PUBLISH = 'AllowCloudWatchAlarmsPublish';
/** Topic policy of a monitoring topic: the key-event rules may publish. */
export const SID_ALLOW_KEY_EVENT_RULES_PUBLISH = 'AllowKeyEventRulesPublish';

/** Key policy: EMR's EBS encryption may use the key through Amazon EC2 (`kms:ViaService` ec2). */
export const SID_ALLOW_EMR_EBS_ENCRYPTION = 'AllowEmrEbsEncryption';
/** Identity policy of the EMR service role: the key for the cluster's EBS volumes, through Amazon EC2 only. */
export const SID_EMR_SERVICE_ROLE_EBS_KEY_USE = 'EmrServiceRoleEbsKeyUse';
/** Identity policy of the EMR service role: grants on the key for the cluster's EBS volumes, through Amazon EC2 and for AWS resources only. */
export const SID_EMR_SERVICE_ROLE_EBS_GRANTS = 'EmrServiceRoleEbsGrants';
/** Identity policy of the EMR instance role: the key for EMRFS objects, through S3 only. */
export const SID_EMR_INSTANCE_ROLE_S3_KEY_USE = 'EmrInstanceRoleS3KeyUse';
/** Identity policy of the EMR instance role: data keys for local disk encryption, called by the instances themselves in the account. */
export const SID_EMR_INSTANCE_ROLE_LOCAL_DISK_KEY_USE = 'EmrInstanceRoleLocalDiskKeyUse';
/** Identity policy of a delivery stream producer: `DeliveryPutRecordsOnOrdersDeliveryStream1A2B3C4D` (PutRecord and PutRecordBatch on one delivery stream). */
export function sidDeliveryPutRecords(scope: string): string {
  return `DeliveryPutRecordsOn${scope}`;
}
/** Key policy: EMR's EBS encryption may create grants on the key for the cluster's volumes, through Amazon EC2 and for AWS resources only. */
export const SID_ALLOW_EMR_EBS_GRANTS = 'AllowEmrEbsGrants';
/** Key policy: a provisioned Redshift cluster may use the key through Amazon Redshift (and its admin secret through Secrets Manager). */
export const SID_ALLOW_REDSHIFT_KEY_USE = 'AllowRedshiftKeyUse';
/** Key policy: a Redshift Serverless namespace may use the key through Redshift Serverless (and its admin secret through Secrets Manager). */
export const SID_ALLOW_REDSHIFT_SERVERLESS_KEY_USE = 'AllowRedshiftServerlessKeyUse';
/** Key policy of a Glue security configuration's key: CloudWatch Logs may encrypt the Glue log groups. */
export const SID_ALLOW_GLUE_LOGS_KEY_USE = 'AllowGlueLogsKeyUse';
/** Identity policy of a Glue job role: the key through S3 (SSE-KMS of the job's S3 writes). */
export const SID_GLUE_JOB_S3_KEY_USE = 'GlueJobS3KeyUse';
/** Identity policy of a Glue job role: the key for job bookmarks (CSE-KMS: the job calls KMS itself). */
export const SID_GLUE_JOB_BOOKMARKS_KEY_USE = 'GlueJobBookmarksKeyUse';
/** Identity policy of a Glue job role: associate the key with the Glue log groups. */
export const SID_GLUE_JOB_LOGS_ASSOCIATE_KEY = 'GlueJobLogsAssociateKey';
/** Key policy of the Data Catalog's key: principals of the account may use the key through AWS Glue only (catalog encryption at rest, connection passwords). */
export const SID_ALLOW_GLUE_CATALOG_KEY_USE = 'AllowGlueDataCatalogKeyUse';
/** Identity policy of a Data Catalog reader: `GlueCatalogReadKeyUse` (`GlueCatalogReadWriteKeyUse`), the catalog's key through AWS Glue only. */
export function sidGlueCatalogKeyUse(access: AccessLevel): string {
  return `GlueCatalog${accessWord(access)}KeyUse`;
}
/** The scope part of the partner statements of the Data Catalog's key: `PartnerReadAccountsOnGlueDataCatalog` (see {@link sidPartnerKeyUse}). */
export const SID_SCOPE_GLUE_DATA_CATALOG = 'GlueDataCatalog';
/** Identity policy of a stream reader or writer: `StreamReadKeyUseOnOrdersStream1A2B3C4D` (kms through Kinesis, for one stream). */
export function sidStreamKeyUse(access: AccessLevel, scope: string): string {
  return `Stream${accessWord(access)}KeyUseOn${scope}`;
}
/** Identity policy of a stream reader or writer: `StreamReadOnOrdersStream1A2B3C4D` (the Kinesis actions on one stream). */
export function sidStreamAccess(access: AccessLevel, scope: string): string {
  return `Stream${accessWord(access)}On${scope}`;
}
/** Identity policy of a Firehose delivery role: writes into its destination bucket. */
export const SID_DELIVERY_BUCKET_ACCESS = 'DeliveryBucketAccess';
/** Identity policy of a Firehose delivery role: the bucket's key through S3, for that bucket only. */
export const SID_DELIVERY_KEY_USE = 'DeliveryKeyUseThroughS3';
/** Identity policy of a Firehose delivery role: error records to its CloudWatch Logs stream. */
export const SID_DELIVERY_ERROR_LOGGING = 'DeliveryErrorLogging';
/** Key policy: `ClientSideReadAccounts` (`ClientSideWriteAccounts`, ...): partners calling KMS directly for the S3 Encryption Client. */
export function sidClientSideKeyUse(access: AccessLevel, kind: PartnerKind | Partner): string {
  return `ClientSide${accessWord(access)}${Partner._sidWord(kind)}`;
}
/** Identity policy: `ClientSideReadKeyUse`, or `ClientSideReadKeyUseOnProducerexchange` scoped to a shared bucket (S3 Encryption Client, KMS called directly). */
export function sidClientSideIdentityKeyUse(access: AccessLevel, scope?: string): string {
  return `ClientSide${accessWord(access)}KeyUse${scope ? `On${scope}` : ''}`;
}
/** Bucket policy of a bucket shared through access points: access control delegated to the access points of its own account. */
export const SID_DELEGATE_TO_OWN_ACCESS_POINTS = 'DelegateToOwnAccountAccessPoints';

/**
 * Key policy of a bucket shared through access points: `S3AuthorizedReadOnExchangeBucket1A2B3C4D`, the key
 * used by S3, for this bucket only, on behalf of whomever S3 authorized (the bucket and access point policies).
 */
export function sidS3AuthorizedKeyUse(access: AccessLevel, scope: string): string {
  return `S3Authorized${accessWord(access)}On${scope.replace(/[^A-Za-z0-9]/g, '')}`;
}
/** Identity policy of an Athena workgroup user: `AthenaQueryOnAnalytics1A2B3C4D` (the Athena query actions on one workgroup). */
export function sidAthenaQuery(scope: string): string {
  return `AthenaQueryOn${scope}`;
}
/** Identity policy of an Athena workgroup user: `AthenaResultsOnAnalytics1A2B3C4D` (the objects under the results prefix, read and write). */
export function sidAthenaResults(scope: string): string {
  return `AthenaResultsOn${scope}`;
}
/** Identity policy of an Athena workgroup user: `AthenaResultsBucketOnAnalytics1A2B3C4D` (the results bucket: its Region, listing, multipart uploads). */
export function sidAthenaResultsBucket(scope: string): string {
  return `AthenaResultsBucketOn${scope}`;
}
/** Identity policy of an Athena workgroup user: `AthenaResultsKeyUseOnAnalytics1A2B3C4D` (the results key, through S3 for the results bucket only). */
export function sidAthenaResultsKeyUse(scope: string): string {
  return `AthenaResultsKeyUseOn${scope}`;
}
