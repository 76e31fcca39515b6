import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as athenaStatements from './athena';
import * as clientSideStatements from './client-side';
import * as emrStatements from './emr';
import * as encryptionStatements from './encryption';
import { ServerSideEncryption, TlsVersion } from './enums';
import * as firehoseStatements from './firehose';
import * as glueStatements from './glue';
import * as keyAdministration from './key-administration';
import * as kinesisStatements from './kinesis';
import * as logDelivery from './log-delivery';
import * as partnerIdentity from './partner-identity';
import * as partnerResource from './partner-resource';
import { viaServiceOf } from './perms';
import * as redshiftStatements from './redshift';
import * as sids from './sids';
import * as transport from './transport';
import * as vpcEndpoint from './vpc-endpoint';
import {
  BUCKET,
  each,
  eachString,
  KEY,
  optionalArrayOf,
  optionalString,
  PRINCIPAL,
  requireArrayOf,
  requireConstruct,
  requireEnum,
  requireObject,
  requireString,
} from '../core/props';
import { resultsPrefixProblem, validatePrincipalArnPatterns, validateVpcEndpointIds, validateVpcIds } from '../core/validation';
import { AccessLevel, Partner, PartnerKind, PrefixMatch } from '../sharing/partner';
import { requireOneKind, s3ViaService, validateAccess, validatePartner, validatePrefix, validatePrefixMatch } from '../sharing/partner-policy';

/**
 * Options of {@link DataProtectionStatements.allowPartnerKeyUse}.
 */
export interface PartnerKeyUseOptions {
  /**
   * The services through which partners may use the key (`kms:ViaService`),
   * e.g. `s3.eu-west-1.amazonaws.com`. Partners can never call KMS directly.
   *
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   */
  readonly viaServices: string[];

  /**
   * Limit use of the key to objects of one bucket: the ARN of the bucket.
   * Adds `kms:EncryptionContext:aws:s3:arn` matching both the bucket ARN
   * (what S3 sends with an S3 Bucket Key) and `<bucket ARN>/*` (objects
   * written without a Bucket Key).
   *
   * @default - any bucket the partner reaches through `viaServices`
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
   */
  readonly bucketArn?: string;

  /**
   * The statement id.
   *
   * @default - `DataProtectionStatements.sidPartnerKeyUse(access, kind)`
   */
  readonly sid?: string;
}

/**
 * Options of {@link DataProtectionStatements.allowPartnerBucketAccess}.
 */
export interface PartnerBucketAccessOptions {
  /**
   * Limit access to object keys starting with this prefix, e.g. `incoming/`:
   * a folder, ending with `/`, unless `prefixMatch` is `PrefixMatch.KEY_NAME`.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * What `prefix` matches: a folder (`PrefixMatch.FOLDER`, the prefix ends
   * with `/`) or every key whose name starts with it (`PrefixMatch.KEY_NAME`).
   *
   * @default PrefixMatch.FOLDER
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
   */
  readonly prefixMatch?: PrefixMatch;

  /**
   * The statement id.
   *
   * @default - `DataProtectionStatements.sidPartnerBucketAccess(access, kind, prefix)`
   */
  readonly sid?: string;
}

/**
 * Who a deny of data access from outside a VPC endpoint
 * ({@link DataProtectionStatements.denyDataAccessOutsideVpcEndpoints}) never
 * applies to, besides calls AWS services make (always exempt).
 */
export interface VpcEndpointExemptions {
  /**
   * Administrators and deployment roles, matched with `ArnNotLike` on
   * `aws:PrincipalArn` (role, user or root ARNs; wildcards allowed). A role
   * is matched by its ARN, whichever session uses it.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly principalArns: string[];

  /**
   * Accounts whose principals reach the bucket from their own networks
   * (`aws:PrincipalAccount`), e.g. partner accounts the bucket is shared with.
   *
   * @default - none
   */
  readonly accounts?: string[];

  /**
   * Organizations whose principals reach the bucket from their own networks
   * (`aws:PrincipalOrgID`).
   *
   * @default - none
   */
  readonly organizationIds?: string[];

  /**
   * Organizational unit paths whose principals reach the bucket from their
   * own networks (`aws:PrincipalOrgPaths`).
   *
   * @default - none
   */
  readonly organizationPaths?: string[];
}

/**
 * Every policy statement this library emits is built here, so that the same
 * statements can be put into any policy, and each `Sid` in a synthesized
 * template leads back to one method.
 *
 * Statement ids are stable: changing one is a breaking change.
 *
 * @example
 * declare const bucket: s3.Bucket;
 * bucket.addToResourcePolicy(DataProtectionStatements.denyInsecureTransport(bucket));
 */
export class DataProtectionStatements {
  /** `Sid` of {@link denyInsecureTransport}. */
  public static readonly SID_DENY_INSECURE_TRANSPORT = sids.SID_DENY_INSECURE_TRANSPORT;
  /** `Sid` of {@link denySseC}. */
  public static readonly SID_DENY_SSE_C = sids.SID_DENY_SSE_C;
  /** `Sid` of {@link denyUnexpectedEncryption}. */
  public static readonly SID_DENY_UNEXPECTED_ENCRYPTION = sids.SID_DENY_UNEXPECTED_ENCRYPTION;
  /** `Sid` of {@link denyOtherKmsKeys}. */
  public static readonly SID_DENY_OTHER_KMS_KEYS = sids.SID_DENY_OTHER_KMS_KEYS;
  /** `Sid` of {@link denyKmsWithoutKeyId}. */
  public static readonly SID_DENY_KMS_WITHOUT_BUCKET_KEY_ID = sids.SID_DENY_KMS_WITHOUT_BUCKET_KEY_ID;
  /** `Sid` of {@link allowServerAccessLogDelivery}. */
  public static readonly SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY = sids.SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY;
  /** `Sid` of {@link allowAccountIamPolicies}. */
  public static readonly SID_ALLOW_ACCOUNT_IAM_POLICIES = sids.SID_ALLOW_ACCOUNT_IAM_POLICIES;
  /** `Sid` of {@link allowKeyAdministration}. */
  public static readonly SID_ALLOW_KEY_ADMINISTRATION = sids.SID_ALLOW_KEY_ADMINISTRATION;
  /** `Sid` of {@link denyDataAccessOutsideVpcEndpoints}. */
  public static readonly SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS = sids.SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS;
  /** `Sid` of {@link denyOwnAccountAccessOutsideVpcEndpoints}. */
  public static readonly SID_DENY_OWN_ACCOUNT_OUTSIDE_VPC_ENDPOINTS = sids.SID_DENY_OWN_ACCOUNT_OUTSIDE_VPC_ENDPOINTS;
  /** `Sid` of {@link allowEndpointAccessToBuckets}. */
  public static readonly SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS = sids.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS;
  /** `Sid` of {@link allowEndpointAccessToKeys}. */
  public static readonly SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS = sids.SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS;
  /** `Sid` of {@link allowCloudFormationResponses}. */
  public static readonly SID_ALLOW_CLOUDFORMATION_RESPONSES = sids.SID_ALLOW_CLOUDFORMATION_RESPONSES;
  /** `Sid` of {@link allowAmazonLinuxRepositories}. */
  public static readonly SID_ALLOW_AMAZON_LINUX_REPOSITORIES = sids.SID_ALLOW_AMAZON_LINUX_REPOSITORIES;
  /** `Sid` of {@link denyDirectKeyUseOutsideVpcs}. */
  public static readonly SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS = sids.SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS;
  /** `Sid` of {@link denyGrantsExceptForAwsResources}. */
  public static readonly SID_DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES = sids.SID_DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES;
  /** `Sid` of the statement of a `KeyMonitoring` topic key's policy letting CloudWatch alarms publish to the topic through SNS. */
  public static readonly SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE = sids.SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE;
  /** `Sid` of the statement of a `KeyMonitoring` topic key's policy letting EventBridge rules publish to the topic through SNS. */
  public static readonly SID_ALLOW_EVENTBRIDGE_TOPIC_KEY_USE = sids.SID_ALLOW_EVENTBRIDGE_TOPIC_KEY_USE;
  /** `Sid` of the statement of a `KeyMonitoring` topic's policy letting the account's CloudWatch alarms publish. */
  public static readonly SID_ALLOW_CLOUDWATCH_ALARMS_PUBLISH = sids.SID_ALLOW_CLOUDWATCH_ALARMS_PUBLISH;
  /** `Sid` of the statement of a `KeyMonitoring` topic's policy letting its key-event rules publish. */
  public static readonly SID_ALLOW_KEY_EVENT_RULES_PUBLISH = sids.SID_ALLOW_KEY_EVENT_RULES_PUBLISH;
  // EMR and Redshift
  /** `Sid` of {@link allowEmrEbsEncryption}. */
  public static readonly SID_ALLOW_EMR_EBS_ENCRYPTION = sids.SID_ALLOW_EMR_EBS_ENCRYPTION;
  /** `Sid` of {@link allowEmrEbsGrants}. */
  public static readonly SID_ALLOW_EMR_EBS_GRANTS = sids.SID_ALLOW_EMR_EBS_GRANTS;
  /** `Sid` of {@link allowRedshiftKeyUse}. */
  public static readonly SID_ALLOW_REDSHIFT_KEY_USE = sids.SID_ALLOW_REDSHIFT_KEY_USE;
  /** `Sid` of {@link allowRedshiftServerlessKeyUse}. */
  public static readonly SID_ALLOW_REDSHIFT_SERVERLESS_KEY_USE = sids.SID_ALLOW_REDSHIFT_SERVERLESS_KEY_USE;
  /** Key policy of a Glue security configuration's key: CloudWatch Logs may encrypt the Glue log groups ({@link DataProtectionStatements.allowGlueLogsKeyUse}). */
  public static readonly SID_ALLOW_GLUE_LOGS_KEY_USE = sids.SID_ALLOW_GLUE_LOGS_KEY_USE;
  /** Key policy of the Data Catalog's key: principals of the account may use it through AWS Glue only ({@link DataProtectionStatements.allowGlueCatalogKeyUse}). */
  public static readonly SID_ALLOW_GLUE_CATALOG_KEY_USE = sids.SID_ALLOW_GLUE_CATALOG_KEY_USE;
  /** `Sid` of {@link allowDeliveryKeyUse}. */
  public static readonly SID_DELIVERY_KEY_USE = sids.SID_DELIVERY_KEY_USE;
  /** `Sid` of {@link allowDeliveryBucketAccess}. */
  public static readonly SID_DELIVERY_BUCKET_ACCESS = sids.SID_DELIVERY_BUCKET_ACCESS;

  /**
   * `Sid` of {@link denyOutdatedTls} for a minimum version.
   * @returns `DenyTlsBelow12` for TLS 1.2, `DenyTlsBelow13` for TLS 1.3
   */
  public static sidDenyOutdatedTls(minimum: TlsVersion): string {
    requireEnum('minimum', minimum, TlsVersion, 'TlsVersion');
    return sids.sidDenyOutdatedTls(minimum);
  }

  /**
   * Deny every request to the bucket and its objects made without TLS
   * (`aws:SecureTransport` is `false`), whoever makes it.
   *
   * @param bucket the bucket the statement protects (its ARN and `bucket/*` are the resources)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
   */
  public static denyInsecureTransport(bucket: s3.IBucket): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    return transport.denyInsecureTransport(bucket);
  }

  /**
   * Deny every request to the bucket and its objects made over a TLS version
   * older than `minimum` (`NumericLessThan` on `s3:TlsVersion`).
   *
   * @param bucket the bucket the statement protects
   * @param minimum the oldest TLS version accepted
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#example-object-tls-version
   */
  public static denyOutdatedTls(bucket: s3.IBucket, minimum: TlsVersion): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requireEnum('minimum', minimum, TlsVersion, 'TlsVersion');
    return transport.denyOutdatedTls(bucket, minimum);
  }

  /**
   * Deny writes that carry SSE-C headers (a customer-provided key), so objects
   * can only be encrypted with keys whose use is controlled and audited.
   *
   * Requests without the header are not affected.
   *
   * @param bucket the bucket the statement protects
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html
   */
  public static denySseC(bucket: s3.IBucket): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    return encryptionStatements.denySseC(bucket);
  }

  /**
   * Deny uploads that ask for an encryption type other than the bucket's.
   *
   * Uploads that send no `x-amz-server-side-encryption` header are not
   * affected (the `Null` condition requires the header to be present), so they
   * get the bucket's default encryption.
   *
   * @param bucket the bucket the statement protects
   * @param encryption the only encryption type an upload may ask for
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
   */
  public static denyUnexpectedEncryption(bucket: s3.IBucket, encryption: ServerSideEncryption): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requireEnum('encryption', encryption, ServerSideEncryption, 'ServerSideEncryption');
    return encryptionStatements.denyUnexpectedEncryption(bucket, encryption);
  }

  /**
   * Deny uploads that name a KMS key other than the bucket's.
   *
   * Uploads that name no key are not affected; they are encrypted under the
   * bucket's default key.
   *
   * @param bucket the bucket the statement protects
   * @param key the only key an upload may name (compared by full key ARN)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
   */
  public static denyOtherKmsKeys(bucket: s3.IBucket, key: kms.IKey): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requireConstruct('key', key, KEY);
    return encryptionStatements.denyOtherKmsKeys(bucket, key);
  }

  /**
   * Deny uploads that ask for SSE-KMS or DSSE-KMS (the
   * `x-amz-server-side-encryption` header is present) without naming a key
   * (no `x-amz-server-side-encryption-aws-kms-key-id` header): S3 would then
   * encrypt the object under the AWS-managed key `aws/s3` of the uploader's
   * account, not the bucket's key.
   *
   * Uploads that send no encryption header at all are not affected (both
   * keys of the `Null` condition must hold); they get the bucket's default
   * encryption. Uploads that name the bucket's key by ARN are not affected.
   * Use it only for SSE-KMS and DSSE-KMS buckets: it also denies an SSE-S3
   * header (`AES256`), which names no key.
   *
   * @param bucket the bucket the statement protects
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax
   */
  public static denyKmsWithoutKeyId(bucket: s3.IBucket): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    return encryptionStatements.denyKmsWithoutKeyId(bucket);
  }

  /**
   * Allow the S3 logging service to deliver server access logs of `sourceBucket`
   * into `logBucket`, and nothing else.
   *
   * @param logBucket the bucket receiving the logs
   * @param sourceBucket the bucket whose access is logged
   * @param prefix the object key prefix the logs are written under, e.g. `access-logs/`
   * @param sourceAccount the account that owns `sourceBucket` (12 digits, or a token)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
   */
  public static allowServerAccessLogDelivery(
    logBucket: s3.IBucket,
    sourceBucket: s3.IBucket,
    prefix: string,
    sourceAccount: string,
  ): iam.PolicyStatement {
    requireConstruct('logBucket', logBucket, BUCKET);
    requireConstruct('sourceBucket', sourceBucket, BUCKET);
    requireString('prefix', prefix);
    requireString('sourceAccount', sourceAccount, 'a string (the 12-digit account id of the source bucket)');
    return logDelivery.allowServerAccessLogDelivery(logBucket, sourceBucket, prefix, sourceAccount);
  }

  /**
   * Key policy: let IAM policies of the key's own account grant use and
   * management of the key (the account root principal gets `kms:*`). This is
   * the administrator statement that prevents the key from becoming
   * unmanageable.
   *
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
   */
  public static allowAccountIamPolicies(): iam.PolicyStatement {
    return keyAdministration.allowAccountIamPolicies();
  }

  /**
   * Key policy: let named administrators manage the key (policy, rotation,
   * tags, deletion) without using it to encrypt or decrypt.
   *
   * @param administrators the administrators (roles, users or accounts)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
   */
  public static allowKeyAdministration(administrators: iam.IPrincipal[]): iam.PolicyStatement {
    requireArrayOf('administrators', administrators, each(PRINCIPAL), 'an array of iam.IPrincipal');
    return keyAdministration.allowKeyAdministration(administrators);
  }

  /**
   * Key policy: deny `kms:CreateGrant` to everyone unless the grant is for an
   * AWS resource (`kms:GrantIsForAWSResource`, e.g. an EBS volume) or the
   * caller is an AWS service (`aws:PrincipalIsAWSService`), both with
   * `BoolIfExists`: the shape AWS Control Tower control CT.KMS.PR.3 checks.
   * SSE-KMS through S3 uses no grants, so reads and writes of buckets are not
   * affected.
   *
   * @see https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
   */
  public static denyGrantsExceptForAwsResources(): iam.PolicyStatement {
    return keyAdministration.denyGrantsExceptForAwsResources();
  }

  /**
   * `Sid` of {@link allowPartnerKeyUse}, e.g. `PartnerReadAccounts`, or
   * `PartnerReadAccountsOnExchangeBucket1A2B3C4D` when scoped to a bucket.
   *
   * @param access the access level
   * @param kind how the partners are identified
   * @param scope an alphanumeric name of the bucket the statement is scoped to, if any
   */
  public static sidPartnerKeyUse(access: AccessLevel, kind: PartnerKind, scope?: string): string {
    validateAccess('access', access);
    requireEnum('kind', kind, PartnerKind, 'PartnerKind');
    optionalString('scope', scope);
    return sids.sidPartnerKeyUse(access, kind, scope);
  }

  /**
   * `Sid` of {@link allowPartnerBucketAccess}, e.g. `PartnerReadAccounts`, or
   * `PartnerReadAccountsPrefix1A2B3C4D` for a prefix (a hash of the prefix).
   *
   * @param access the access level
   * @param kind how the partners are identified
   * @param prefix the object key prefix, if any
   */
  public static sidPartnerBucketAccess(access: AccessLevel, kind: PartnerKind, prefix?: string): string {
    validateAccess('access', access);
    requireEnum('kind', kind, PartnerKind, 'PartnerKind');
    optionalString('prefix', prefix);
    return sids.sidPartnerBucketAccess(access, kind, prefix);
  }

  /**
   * Key policy: let partners use the key through S3 (or the services named),
   * with the KMS actions their access level needs and nothing else.
   *
   * - READ: `kms:Decrypt`, `kms:DescribeKey`. WRITE: `kms:GenerateDataKey`,
   *   `kms:Decrypt` (S3 decrypts the data key for each part of a multipart
   *   upload), `kms:DescribeKey`. READ_WRITE: both.
   * - Principals are accounts (`arn:aws:iam::<account>:root`), also for named
   *   roles, which are matched through `aws:PrincipalArn`: the policy then
   *   neither fails when a role does not exist yet nor breaks when it is
   *   recreated. Organizations are matched through `aws:PrincipalOrgID` or
   *   `aws:PrincipalOrgPaths`.
   * - `kms:ViaService` limits use to the services named; `kms:CallerAccount`
   *   to the partner accounts.
   * - With `bucketArn`, `kms:EncryptionContext:aws:s3:arn` must match the
   *   bucket ARN or an object ARN of it. The operator is `StringLikeIfExists`
   *   because `kms:DescribeKey` carries no encryption context; every
   *   cryptographic call S3 makes carries it.
   *
   * All partners must be of one kind; they share the one statement.
   *
   * @param partners the partners (all of one `PartnerKind`)
   * @param access what they may do
   * @param options services and scope
   * @throws if `partners` is empty or mixes kinds, or `viaServices` is empty
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
   */
  public static allowPartnerKeyUse(partners: Partner[], access: AccessLevel, options: PartnerKeyUseOptions): iam.PolicyStatement {
    requirePartners(partners);
    requireObject('options', options, 'an object { viaServices, bucketArn?, sid? }');
    requireArrayOf('viaServices', options.viaServices, eachString, 'an array of service endpoints such as s3.eu-west-1.amazonaws.com');
    optionalString('bucketArn', options.bucketArn);
    optionalString('sid', options.sid);
    validateAccess('access', access);
    requireOneKind(partners);
    if (!options.viaServices || options.viaServices.length === 0) {
      throw new Error('viaServices needs at least one service endpoint such as s3.eu-west-1.amazonaws.com, got an empty list: partners must never call KMS directly');
    }
    return partnerResource.allowPartnerKeyUse(partners, access, options);
  }

  /**
   * Bucket policy: let partners read or write objects (optionally under a
   * prefix) with the S3 actions their access level needs.
   *
   * - READ: get objects, their versions and tags; list the bucket and its
   *   versions; get the bucket location. With a prefix, listing is granted by
   *   {@link allowPartnerPrefixListing} instead.
   * - WRITE: put objects and tags, multipart uploads (abort, list parts),
   *   get the bucket location. Listing the bucket's multipart uploads is not
   *   granted: uploading in parts does not need it, and it would show a
   *   prefixed writer the uploads of the whole bucket.
   * - Principals as in {@link allowPartnerKeyUse}.
   *
   * @param bucket the shared bucket
   * @param partners the partners (all of one `PartnerKind`)
   * @param access what they may do
   * @param options prefix and statement id
   * @throws if `partners` is empty or mixes kinds
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
   */
  public static allowPartnerBucketAccess(
    bucket: s3.IBucket,
    partners: Partner[],
    access: AccessLevel,
    options: PartnerBucketAccessOptions = {},
  ): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requirePartners(partners);
    requireObject('options', options, 'an object { prefix?, prefixMatch?, sid? }');
    validatePrefixMatch('prefixMatch', options.prefixMatch);
    validatePrefix('prefix', options.prefix, undefined, options.prefixMatch);
    optionalString('sid', options.sid);
    validateAccess('access', access);
    requireOneKind(partners);
    return partnerResource.allowPartnerBucketAccess(bucket, partners, access, options);
  }

  /**
   * Bucket policy: let partners list the object keys (and versions) under a
   * prefix, and only there (`s3:prefix`).
   *
   * @param bucket the shared bucket
   * @param partners the partners (all of one `PartnerKind`)
   * @param access the access level the listing belongs to (READ or READ_WRITE)
   * @param prefix the object key prefix, e.g. `outgoing/` (a folder, ending with `/`, unless `prefixMatch` says otherwise)
   * @param prefixMatch what the prefix matches (default `PrefixMatch.FOLDER`)
   * @throws if `partners` is empty or mixes kinds, or the prefix is invalid
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2
   */
  public static allowPartnerPrefixListing(
    bucket: s3.IBucket,
    partners: Partner[],
    access: AccessLevel,
    prefix: string,
    prefixMatch?: PrefixMatch,
  ): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requirePartners(partners);
    requireString('prefix', prefix);
    validatePrefixMatch('prefixMatch', prefixMatch);
    validatePrefix('prefix', prefix, undefined, prefixMatch);
    validateAccess('access', access);
    requireOneKind(partners);
    return partnerResource.allowPartnerPrefixListing(bucket, partners, access, prefix);
  }

  /**
   * Identity policy of a partner: the S3 actions on a shared bucket of
   * another account (the partner-side mirror of {@link allowPartnerBucketAccess}).
   *
   * @param bucketArn the shared bucket's ARN
   * @param access what the partner may do
   * @param prefix limit to object keys under this prefix (a folder, ending with `/`, unless `prefixMatch` says otherwise)
   * @param prefixMatch what the prefix matches (default `PrefixMatch.FOLDER`)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
   */
  public static allowSharedBucketAccess(bucketArn: string, access: AccessLevel, prefix?: string, prefixMatch?: PrefixMatch): iam.PolicyStatement {
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    validatePrefixMatch('prefixMatch', prefixMatch);
    validatePrefix('prefix', prefix, undefined, prefixMatch);
    validateAccess('access', access);
    return partnerIdentity.allowSharedBucketAccess(bucketArn, access, prefix);
  }

  /**
   * Identity policy of a partner: list the shared bucket under a prefix only.
   *
   * @param bucketArn the shared bucket's ARN
   * @param prefix the object key prefix (a folder, ending with `/`, unless `prefixMatch` says otherwise)
   * @param prefixMatch what the prefix matches (default `PrefixMatch.FOLDER`)
   */
  public static allowSharedPrefixListing(bucketArn: string, prefix: string, prefixMatch?: PrefixMatch): iam.PolicyStatement {
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    requireString('prefix', prefix);
    validatePrefixMatch('prefixMatch', prefixMatch);
    validatePrefix('prefix', prefix, undefined, prefixMatch);
    return partnerIdentity.allowSharedPrefixListing(bucketArn, prefix);
  }

  /**
   * Identity policy of a partner: use the shared bucket's key through S3
   * only (`kms:ViaService`), for that bucket's objects only
   * (`kms:EncryptionContext:aws:s3:arn`).
   *
   * @param keyArn the key's ARN (or `arn:aws:kms:<region>:<account>:key/*` when the key's id is not known yet)
   * @param access what the partner may do
   * @param viaService the S3 endpoint of the key's region, e.g. `s3.eu-west-1.amazonaws.com`
   * @param bucketArn the shared bucket's ARN
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
   */
  public static allowSharedKeyUse(keyArn: string, access: AccessLevel, viaService: string, bucketArn: string): iam.PolicyStatement {
    requireString('keyArn', keyArn, 'a string (a KMS key ARN)');
    requireString('viaService', viaService, 'a string (a service endpoint such as s3.eu-west-1.amazonaws.com)');
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    validateAccess('access', access);
    return partnerIdentity.allowSharedKeyUse(keyArn, access, viaService, bucketArn);
  }
  /**
   * `Sid` of {@link denyPartnerAccessOutsideVpcEndpoints}, e.g.
   * `DenyPartnerOutsideVpcEndpoints222222222222` or
   * `DenyPartnerOutsideVpcEndpointsOa1b2c3d4e5` (one per partner).
   *
   * @param partner the partner
   */
  public static sidDenyPartnerOutsideVpcEndpoints(partner: Partner): string {
    validatePartner('partner', partner);
    return sids.sidDenyPartnerOutsideVpcEndpoints(partner);
  }

  /**
   * Bucket policy: deny object and listing access to the bucket unless the
   * request comes through one of the VPC endpoints (`aws:SourceVpce`).
   *
   * The deny never applies to:
   * - calls AWS services make, on a principal's behalf or as themselves
   *   (`BoolIfExists` `aws:ViaAWSService` and `aws:PrincipalIsAWSService`
   *   `false`: both must be false for the deny to apply);
   * - the named administrators and deployment roles (`ArnNotLike`
   *   `aws:PrincipalArn`), who work from outside the VPC;
   * - the accounts, organizations and organizational unit paths given, such
   *   as partners who reach the bucket from their own networks. An
   *   organization may hold the bucket's own account: pair this statement
   *   with {@link denyOwnAccountAccessOutsideVpcEndpoints}, so principals of
   *   the own account are never exempt through a partner exemption.
   *
   * Only object and listing actions are denied (`s3:GetObject*`,
   * `s3:PutObject*`, `s3:DeleteObject*`, `s3:ListBucket`, ...): reading,
   * changing or deleting the bucket policy and the bucket's configuration is
   * never covered, so no one is ever locked out of the bucket policy.
   *
   * @param bucket the bucket the statement protects (its ARN and `bucket/*`)
   * @param vpcEndpointIds the S3 VPC endpoints requests must come through
   * @param exemptions who is exempt; `principalArns` must not be empty
   * @throws if `vpcEndpointIds` is empty or malformed, or `exemptions.principalArns` is empty (nobody could then fix the policy's effects from outside the VPC)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice
   */
  public static denyDataAccessOutsideVpcEndpoints(
    bucket: s3.IBucket,
    vpcEndpointIds: string[],
    exemptions: VpcEndpointExemptions,
  ): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requireObject('exemptions', exemptions, 'an object { principalArns, accounts?, organizationIds?, organizationPaths? }');
    optionalArrayOf('exemptions.principalArns', exemptions.principalArns, eachString, 'an array of IAM principal ARNs');
    optionalArrayOf('exemptions.accounts', exemptions.accounts, eachString, 'an array of account ids');
    optionalArrayOf('exemptions.organizationIds', exemptions.organizationIds, eachString, 'an array of organization ids');
    optionalArrayOf('exemptions.organizationPaths', exemptions.organizationPaths, eachString, 'an array of organization paths');
    validateVpcEndpointIds('vpcEndpointIds', vpcEndpointIds);
    requireExemptAdministrators('exemptions.principalArns', exemptions.principalArns ?? []);
    return vpcEndpoint.denyDataAccessOutsideVpcEndpoints(bucket, vpcEndpointIds, exemptions);
  }

  /**
   * Bucket policy: deny principals of the bucket's own account
   * (`aws:PrincipalAccount`) object and listing access to the bucket unless
   * it comes through one of the VPC endpoints, whatever partner exemption
   * {@link denyDataAccessOutsideVpcEndpoints} carries (a partner
   * organization or organizational unit may hold the own account).
   *
   * The deny never applies to calls AWS services make, nor to the named
   * administrators and deployment roles; as in
   * {@link denyDataAccessOutsideVpcEndpoints}, the bucket policy itself is
   * never covered.
   *
   * @param bucket the bucket the statement protects (its ARN and `bucket/*`)
   * @param vpcEndpointIds the S3 VPC endpoints requests must come through
   * @param account the bucket's own account (12 digits, or a token)
   * @param principalArns administrators and deployment roles exempt from the deny
   * @throws if `vpcEndpointIds` is empty or malformed, or `principalArns` is empty or malformed
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
   */
  public static denyOwnAccountAccessOutsideVpcEndpoints(
    bucket: s3.IBucket,
    vpcEndpointIds: string[],
    account: string,
    principalArns: string[],
  ): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    requireString('account', account, 'a string (the 12-digit account id)');
    optionalArrayOf('principalArns', principalArns, eachString, 'an array of IAM principal ARNs');
    validateVpcEndpointIds('vpcEndpointIds', vpcEndpointIds);
    requireExemptAdministrators('principalArns', principalArns ?? []);
    return vpcEndpoint.denyOwnAccountAccessOutsideVpcEndpoints(bucket, vpcEndpointIds, account, principalArns);
  }

  /**
   * Bucket policy: deny a partner object and listing access to the bucket
   * unless it comes through one of the partner's own VPC endpoints. Calls
   * AWS services make for the partner stay allowed.
   *
   * @param bucket the shared bucket
   * @param partner the partner
   * @param vpcEndpointIds the partner's S3 VPC endpoints
   * @throws if `vpcEndpointIds` is empty or malformed
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
   */
  public static denyPartnerAccessOutsideVpcEndpoints(bucket: s3.IBucket, partner: Partner, vpcEndpointIds: string[]): iam.PolicyStatement {
    requireConstruct('bucket', bucket, BUCKET);
    validatePartner('partner', partner);
    validateVpcEndpointIds('vpcEndpointIds', vpcEndpointIds);
    return vpcEndpoint.denyPartnerAccessOutsideVpcEndpoints(bucket, partner, vpcEndpointIds);
  }

  /**
   * S3 gateway endpoint policy: allow access to the protected buckets and
   * their objects, for principals of this account (`aws:PrincipalAccount`)
   * or, when given, of this organization (`aws:PrincipalOrgID`). Other
   * buckets cannot be reached through the endpoint, so data cannot be copied
   * out to a bucket of another account.
   *
   * @param buckets the protected buckets
   * @param account the account whose principals may use the endpoint (12 digits or a token)
   * @param organizationId the organization whose principals may use the endpoint instead
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#edit-vpc-endpoint-policy-s3
   */
  public static allowEndpointAccessToBuckets(buckets: s3.IBucket[], account: string, organizationId?: string): iam.PolicyStatement {
    optionalArrayOf('buckets', buckets, each(BUCKET), 'an array of s3.IBucket');
    requireString('account', account, 'a string (the 12-digit account id)');
    optionalString('organizationId', organizationId);
    if (!buckets || buckets.length === 0) {
      throw new Error('buckets needs at least one bucket, got an empty list');
    }
    return vpcEndpoint.allowEndpointAccessToBuckets(buckets, account, organizationId);
  }

  /**
   * KMS interface endpoint policy: allow cryptographic use and
   * `kms:DescribeKey` of the protected keys only, for principals of this
   * account or, when given, of this organization.
   *
   * @param keys the protected keys (by full key ARN)
   * @param account the account whose principals may use the endpoint
   * @param organizationId the organization whose principals may use the endpoint instead
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy
   */
  public static allowEndpointAccessToKeys(keys: kms.IKey[], account: string, organizationId?: string): iam.PolicyStatement {
    optionalArrayOf('keys', keys, each(KEY), 'an array of kms.IKey');
    requireString('account', account, 'a string (the 12-digit account id)');
    optionalString('organizationId', organizationId);
    if (!keys || keys.length === 0) {
      throw new Error('keys needs at least one KMS key, got an empty list');
    }
    return vpcEndpoint.allowEndpointAccessToKeys(keys, account, organizationId);
  }

  /**
   * S3 gateway endpoint policy: let custom resources and wait conditions in
   * the VPC answer CloudFormation. They upload their response to a presigned
   * URL of an AWS-owned bucket
   * (`cloudformation-custom-resource-response-<region without dashes>`,
   * `cloudformation-waitcondition-<region>`), signed by CloudFormation, so no
   * principal condition can apply; only `s3:PutObject` to those buckets of
   * this region is allowed.
   *
   * @param region the region (e.g. `eu-west-1`, or a token)
   * @param partition the partition
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html
   */
  public static allowCloudFormationResponses(region: string, partition: string = 'aws'): iam.PolicyStatement {
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    requireString('partition', partition, 'a string (aws, aws-cn or aws-us-gov)');
    return vpcEndpoint.allowCloudFormationResponses(region, partition);
  }

  /**
   * S3 gateway endpoint policy: let instances in the VPC read the Amazon
   * Linux 2 and Amazon Linux 2023 package repositories of this region
   * (AWS-owned buckets; `s3:GetObject` only), so `yum`/`dnf` work in private
   * subnets.
   *
   * @param region the region (e.g. `eu-west-1`, or a token)
   * @param partition the partition
   * @see https://repost.aws/knowledge-center/ec2-al1-al2-update-yum-without-internet
   */
  public static allowAmazonLinuxRepositories(region: string, partition: string = 'aws'): iam.PolicyStatement {
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    requireString('partition', partition, 'a string (aws, aws-cn or aws-us-gov)');
    return vpcEndpoint.allowAmazonLinuxRepositories(region, partition);
  }

  /**
   * Key policy: deny direct cryptographic use of the key (calls not made by
   * an AWS service) unless it comes through a VPC endpoint of one of the VPCs
   * (`aws:SourceVpc`, present only on requests that come through a VPC
   * endpoint). The VPC, not the endpoint id, is named so the key does not
   * depend on an endpoint whose policy names the key (a dependency cycle);
   * the KMS endpoint's policy narrows further to the protected keys.
   *
   * Calls AWS services make with the key, above all S3 for SSE-KMS, are never
   * affected: the deny needs both `aws:ViaAWSService` `false` and no
   * `kms:ViaService` (`Null` `true`), and S3 calls KMS from AWS's own network,
   * with neither. Key management (`kms:PutKeyPolicy`, ...) is not covered.
   *
   * @param vpcIds the VPCs whose KMS endpoints direct calls must come through (`vpc-...`)
   * @param exemptPrincipalArns principals that may call KMS directly from anywhere (`ArnNotLike` `aws:PrincipalArn`)
   * @throws if `vpcIds` is empty or malformed, or an ARN is malformed
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
   */
  public static denyDirectKeyUseOutsideVpcs(vpcIds: string[], exemptPrincipalArns: string[] = []): iam.PolicyStatement {
    requireArrayOf('exemptPrincipalArns', exemptPrincipalArns, () => undefined, 'an array of IAM principal ARNs');
    validateVpcIds('vpcIds', vpcIds);
    validatePrincipalArnPatterns('exemptPrincipalArns', exemptPrincipalArns);
    return vpcEndpoint.denyDirectKeyUseOutsideVpcs(vpcIds, exemptPrincipalArns);
  }

  // ---------------------------------------------------------------- EMR and Redshift (key policy)

  /**
   * Key policy: let principals of `account` (through their IAM policies)
   * use the key for the EBS volumes of an EMR cluster, through Amazon EC2
   * only (`kms:ViaService`, `kms:CallerAccount`): `kms:Encrypt`,
   * `kms:Decrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:DescribeKey`.
   *
   * @param account the account of the EMR service role (12 digits, or a token)
   * @param ec2ViaService the EC2 endpoint of the key's Region, e.g. `ec2.eu-west-1.amazonaws.com`
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html
   */
  public static allowEmrEbsEncryption(account: string, ec2ViaService: string): iam.PolicyStatement {
    requireString('account', account, 'a string (the 12-digit account id)');
    requireViaService('ec2ViaService', ec2ViaService, 'ec2');
    return emrStatements.allowEmrEbsEncryption(account, ec2ViaService);
  }

  /**
   * Key policy: let principals of `account` create, list and revoke grants
   * on the key through Amazon EC2, for AWS resources only
   * (`kms:GrantIsForAWSResource` true): what EBS needs to attach an
   * encrypted volume to an EMR instance. `DenyGrantsExceptForAwsResources`
   * is left whole: it never denies a grant for an AWS resource.
   *
   * @param account the account of the EMR service role (12 digits, or a token)
   * @param ec2ViaService the EC2 endpoint of the key's Region, e.g. `ec2.eu-west-1.amazonaws.com`
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
   */
  public static allowEmrEbsGrants(account: string, ec2ViaService: string): iam.PolicyStatement {
    requireString('account', account, 'a string (the 12-digit account id)');
    requireViaService('ec2ViaService', ec2ViaService, 'ec2');
    return emrStatements.allowEmrEbsGrants(account, ec2ViaService);
  }

  /**
   * Key policy: let principals of `account` create a provisioned Redshift
   * cluster encrypted under the key, through Amazon Redshift and, for the
   * managed admin password, AWS Secrets Manager only (`kms:ViaService`,
   * `kms:CallerAccount`): `kms:CreateGrant`, `kms:DescribeKey`,
   * `kms:GenerateDataKey`, `kms:Decrypt`.
   *
   * @param account the account creating the cluster (12 digits, or a token)
   * @param redshiftViaService e.g. `redshift.eu-west-1.amazonaws.com`
   * @param secretsManagerViaService e.g. `secretsmanager.eu-west-1.amazonaws.com`
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-kms-customer-managed-key.html
   */
  public static allowRedshiftKeyUse(account: string, redshiftViaService: string, secretsManagerViaService: string): iam.PolicyStatement {
    requireString('account', account, 'a string (the 12-digit account id)');
    requireViaService('redshiftViaService', redshiftViaService, 'redshift');
    requireViaService('secretsManagerViaService', secretsManagerViaService, 'secretsmanager');
    return redshiftStatements.allowRedshiftKeyUse(account, redshiftViaService, secretsManagerViaService);
  }

  /**
   * Key policy: as {@link allowRedshiftKeyUse}, for a Redshift Serverless
   * namespace: through `redshift-serverless.<region>.amazonaws.com` and
   * Secrets Manager only.
   *
   * @param account the account creating the namespace (12 digits, or a token)
   * @param serverlessViaService e.g. `redshift-serverless.eu-west-1.amazonaws.com`
   * @param secretsManagerViaService e.g. `secretsmanager.eu-west-1.amazonaws.com`
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-kms-customer-managed-key.html
   */
  public static allowRedshiftServerlessKeyUse(account: string, serverlessViaService: string, secretsManagerViaService: string): iam.PolicyStatement {
    requireString('account', account, 'a string (the 12-digit account id)');
    requireViaService('serverlessViaService', serverlessViaService, 'redshift-serverless');
    requireViaService('secretsManagerViaService', secretsManagerViaService, 'secretsmanager');
    return redshiftStatements.allowRedshiftServerlessKeyUse(account, serverlessViaService, secretsManagerViaService);
  }

  // ---------------------------------------------------------------- Glue (key policy)

  /**
   * Key policy: CloudWatch Logs of `region` (`logs.<region>.amazonaws.com`)
   * may use the key for the Glue log groups of `account` only
   * (`kms:EncryptionContext:aws:logs:arn` like `arn:<partition>:logs:<region>:<account>:log-group:/aws-glue/*`).
   *
   * @param partition the partition of the account, e.g. `aws`
   * @param region the Region of the log groups, e.g. `eu-west-1`
   * @param account the account of the log groups (12 digits)
   * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
   */
  public static allowGlueLogsKeyUse(partition: string, region: string, account: string): iam.PolicyStatement {
    requireString('partition', partition);
    requireString('region', region);
    requireString('account', account);
    return glueStatements.allowGlueLogsKeyUse(partition, region, account);
  }

  /**
   * Key policy of the Data Catalog's key (`GlueDataCatalogEncryption`):
   * principals of `account` may use the key (`kms:Decrypt`, `kms:Encrypt`,
   * `kms:GenerateDataKey`) through AWS Glue of `region` only
   * (`kms:ViaService` `glue.<region>.amazonaws.com`, `kms:CallerAccount`
   * `account`), as Glue does on their behalf for catalog objects and
   * connection passwords. No encryption context is named.
   *
   * @param account the account of the catalog (12 digits, or a token)
   * @param region the Region of the catalog, e.g. `eu-west-1`
   * @throws if an argument is not a string
   * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
   * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
   */
  public static allowGlueCatalogKeyUse(account: string, region: string): iam.PolicyStatement {
    requireString('account', account, 'a string (a 12-digit account id)');
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    return glueStatements.allowGlueCatalogKeyUse(account, viaServiceOf('glue', region));
  }

  /**
   * Identity policy: the key of an encrypted Data Catalog, used only by AWS
   * Glue of `region` on the caller's behalf (`kms:ViaService`), by principals
   * of `callerAccount` only; `kms:Decrypt` to read, plus `kms:Encrypt` and
   * `kms:GenerateDataKey` to write. A partner account reading a shared
   * catalog attaches it to its own roles with its own account as
   * `callerAccount` (with the Glue actions, which this statement does not grant).
   *
   * @param keyArn the catalog's key
   * @param region the catalog's Region, e.g. `eu-west-1`
   * @param callerAccount the account of the principals the policy is attached to
   * @param access READ, WRITE or READ_WRITE (WRITE and READ_WRITE grant the same)
   * @throws if an argument is not a string or `access` is not an AccessLevel
   * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
   */
  public static glueCatalogKeyUse(keyArn: string, region: string, callerAccount: string, access: AccessLevel): iam.PolicyStatement {
    requireString('keyArn', keyArn, 'a string (a KMS key ARN)');
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    requireString('callerAccount', callerAccount, 'a string (a 12-digit account id)');
    validateAccess('access', access);
    return glueStatements.glueCatalogKeyUse(keyArn, viaServiceOf('glue', region), callerAccount, access);
  }

  // ---- Kinesis Data Streams, Firehose, client-side encryption ----

  /**
   * Identity policy: a stream's key, used only by Kinesis Data Streams for
   * that stream (`kms:ViaService` `kinesis.<region>.amazonaws.com`,
   * `kms:EncryptionContext:aws:kinesis:arn` the stream's ARN), with the KMS
   * actions of `access`: `kms:GenerateDataKey` to write, `kms:Decrypt` to read.
   *
   * @param keyArn the stream's key
   * @param streamArn the stream
   * @param region the stream's Region (e.g. `eu-west-1`, or a token)
   * @param access what the principal does with the stream
   * @param sidScope an alphanumeric name of the stream for the Sid, `StreamReadKeyUseOn<sidScope>`
   * @throws if an argument is not a string or `access` is not an AccessLevel
   * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
   */
  public static allowStreamKeyUse(keyArn: string, streamArn: string, region: string, access: AccessLevel, sidScope: string): iam.PolicyStatement {
    requireString('keyArn', keyArn, 'a string (a KMS key ARN)');
    requireString('streamArn', streamArn, 'a string (a Kinesis stream ARN)');
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    validateAccess('access', access);
    requireString('sidScope', sidScope, 'an alphanumeric string');
    return kinesisStatements.allowStreamKeyUse(keyArn, streamArn, viaServiceOf('kinesis', region), access, sidScope.replace(/[^A-Za-z0-9]/g, ''));
  }

  /**
   * Identity policy of a Firehose delivery role: the destination bucket's
   * key, only through S3 of the bucket's Region and only for that bucket
   * (`kms:EncryptionContext:aws:s3:arn` the bucket ARN or one of its objects).
   *
   * @param keyArn the bucket's key
   * @param bucketArn the destination bucket
   * @param region the bucket's Region
   * @throws if an argument is not a string
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
   */
  public static allowDeliveryKeyUse(keyArn: string, bucketArn: string, region: string): iam.PolicyStatement {
    requireString('keyArn', keyArn, 'a string (a KMS key ARN)');
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    return firehoseStatements.allowDeliveryKeyUse(keyArn, bucketArn, s3ViaService(region));
  }

  /**
   * Identity policy of a Firehose delivery role: deliver objects into the bucket
   * (the S3 actions Firehose documents).
   *
   * @param bucketArn the destination bucket
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
   */
  public static allowDeliveryBucketAccess(bucketArn: string): iam.PolicyStatement {
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    return firehoseStatements.allowDeliveryBucketAccess(bucketArn);
  }

  // ---- Athena ----

  /**
   * Identity policy of a principal running queries in an Athena workgroup:
   * the Athena query actions (start, stop and read queries, read the
   * workgroup) on that workgroup only.
   *
   * @param workGroupArn the workgroup, `arn:aws:athena:<region>:<account>:workgroup/<name>`
   * @param sidScope an alphanumeric name of the workgroup for the Sid, `AthenaQueryOn<sidScope>`
   * @throws if an argument is not a string
   * @see https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
   */
  public static allowAthenaQuery(workGroupArn: string, sidScope: string): iam.PolicyStatement {
    requireString('workGroupArn', workGroupArn, 'a string (an Athena workgroup ARN)');
    requireString('sidScope', sidScope, 'an alphanumeric string');
    return athenaStatements.allowAthenaQuery(workGroupArn, sidScope.replace(/[^A-Za-z0-9]/g, ''));
  }

  /**
   * Identity policies of a principal running queries in an Athena workgroup:
   * the results bucket (its Region, listing, multipart uploads) and read and
   * write of the objects under the results prefix only. Athena writes and
   * reads the results with the caller's credentials.
   *
   * @param bucketArn the results bucket
   * @param prefix the results prefix, e.g. `athena-results/`
   * @param sidScope an alphanumeric name of the workgroup for the Sids, `AthenaResultsOn<sidScope>`, `AthenaResultsBucketOn<sidScope>`
   * @throws if an argument is not a string, or `prefix` is not path segments each ending in `/`
   * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
   */
  public static allowAthenaResults(bucketArn: string, prefix: string, sidScope: string): iam.PolicyStatement[] {
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    requireAthenaPrefix(prefix);
    requireString('sidScope', sidScope, 'an alphanumeric string');
    return athenaStatements.allowAthenaResults(bucketArn, prefix, sidScope.replace(/[^A-Za-z0-9]/g, ''));
  }

  /**
   * Identity policy of a principal running queries in an Athena workgroup
   * whose results are SSE-KMS: `kms:GenerateDataKey` and `kms:Decrypt` on
   * the results key, only through S3 of `region` (`kms:ViaService`) and only
   * for the results bucket (`kms:EncryptionContext:aws:s3:arn` the bucket
   * ARN, or an object under the prefix without an S3 Bucket Key).
   *
   * @param keyArn the results key
   * @param bucketArn the results bucket
   * @param prefix the results prefix, e.g. `athena-results/`
   * @param region the workgroup's Region
   * @param sidScope an alphanumeric name of the workgroup for the Sid, `AthenaResultsKeyUseOn<sidScope>`
   * @throws if an argument is not a string, or `prefix` is not path segments each ending in `/`
   * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
   */
  public static allowAthenaResultsKeyUse(keyArn: string, bucketArn: string, prefix: string, region: string, sidScope: string): iam.PolicyStatement {
    requireString('keyArn', keyArn, 'a string (a KMS key ARN)');
    requireString('bucketArn', bucketArn, 'a string (an S3 bucket ARN)');
    requireAthenaPrefix(prefix);
    requireString('region', region, 'a string (a Region such as eu-west-1)');
    requireString('sidScope', sidScope, 'an alphanumeric string');
    return athenaStatements.allowAthenaResultsKeyUse(keyArn, bucketArn, prefix, s3ViaService(region), sidScope.replace(/[^A-Za-z0-9]/g, ''));
  }

  /**
   * Key policy: let partners of one kind call KMS directly for client-side
   * encryption with the Amazon S3 Encryption Client (`kms:GenerateDataKey`
   * to encrypt, `kms:Decrypt` to decrypt), only with the encryption context
   * the client sends (`kms:EncryptionContext:aws:x-amz-cek-alg`) and only
   * from their accounts (`kms:CallerAccount`). No `kms:ViaService`: the
   * client, not an AWS service, calls KMS.
   *
   * @param partners partners of one kind
   * @param access READ (`kms:Decrypt`), WRITE (`kms:GenerateDataKey`) or READ_WRITE
   * @throws if `partners` is empty or mixes kinds, or `access` is invalid
   * @see https://docs.aws.amazon.com/amazon-s3-encryption-client/latest/developerguide/what-is-s3-encryption-client.html
   */
  public static allowClientSideKeyUse(partners: Partner[], access: AccessLevel): iam.PolicyStatement {
    requirePartners(partners);
    requireOneKind(partners);
    validateAccess('access', access);
    return clientSideStatements.allowClientSideKeyUse(partners, access);
  }

  /**
   * `Sid` of {@link allowClientSideKeyUse}: `ClientSideReadAccounts`, `ClientSideWriteOrganizations`, ...
   *
   * @param access the access level
   * @param kind the partners' kind
   */
  public static sidClientSideKeyUse(access: AccessLevel, kind: PartnerKind): string {
    validateAccess('access', access);
    return sids.sidClientSideKeyUse(access, kind);
  }
}

/** `prefix` is an Athena results prefix, `athena-results/`. */
function requireAthenaPrefix(prefix: string): void {
  requireString('prefix', prefix, "a string (an object key prefix such as 'athena-results/')");
  const problem = resultsPrefixProblem('prefix', prefix);
  if (problem) throw new Error(problem);
}

/** `value` is `<service>.<region>.amazonaws.com` (or a token). */
function requireViaService(prop: string, value: string, service: string): void {
  requireString(prop, value, `a string (a service endpoint such as ${service}.eu-west-1.amazonaws.com)`);
  if (!Token.isUnresolved(value) && !new RegExp(`^${service}\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$`).test(value)) {
    throw new Error(`${prop} must be the ${service} endpoint of a Region, ${service}.<region>.amazonaws.com (e.g. ${service}.eu-west-1.amazonaws.com), got ${JSON.stringify(value)}`);
  }
}

/** `partners` is an array of `Partner` (requireOneKind refuses an empty one). */
function requirePartners(partners: Partner[]): void {
  requireArrayOf('partners', partners, (itemProp, item) => validatePartner(itemProp, item as Partner), 'an array of Partner');
}

/** A deny of access from outside the VPC endpoints must exempt named administrators, or nobody could reach the data from outside. */
function requireExemptAdministrators(prop: string, principalArns: string[]): void {
  if (principalArns.length === 0) {
    throw new Error(
      `${prop} is empty: a deny of access from outside the VPC endpoint with no administrator exempt leaves no one able to reach the data from outside the VPC. ` +
        'Name the administrator and deployment roles (their ARNs).',
    );
  }
  validatePrincipalArnPatterns(prop, principalArns);
}
