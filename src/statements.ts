import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, Partner, PartnerKind } from './partner';
import {
  accessWord,
  kindOf,
  kindWord,
  listOrOne,
  mergeConditions,
  partnerAccounts,
  partnerConditions,
  partnerPrincipals,
  shortHash,
  validateAccess,
} from './private/partner-policy';
import {
  KMS_ADMIN_ACTIONS,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  S3_READ_BUCKET_ACTIONS,
  S3_READ_OBJECT_ACTIONS,
  S3_WRITE_BUCKET_ACTIONS,
  S3_WRITE_OBJECT_ACTIONS,
  SSE_C_ALGORITHM_HEADER,
  SSE_HEADER,
  SSE_KMS_KEY_ID_HEADER,
} from './private/perms';

/**
 * The minimum TLS version a bucket accepts.
 *
 * Only TLS 1.2 and TLS 1.3 can be expressed: older versions are deprecated and
 * AWS endpoints have required TLS 1.2 or later since February 2024.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#example-object-tls-version
 */
export enum TlsVersion {
  /** TLS 1.2: requests over TLS 1.0 and 1.1 are denied. */
  TLS_1_2 = '1.2',
  /** TLS 1.3: requests over TLS 1.2 and older are denied. */
  TLS_1_3 = '1.3',
}

/**
 * How objects in a bucket are encrypted at rest by default.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
 */
export enum ServerSideEncryption {
  /**
   * SSE-KMS: server-side encryption with a customer-managed AWS KMS key.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
   */
  SSE_KMS = 'aws:kms',
  /**
   * DSSE-KMS: dual-layer server-side encryption with a customer-managed AWS KMS key.
   * S3 Bucket Keys do not apply to it.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingDSSEncryption.html
   */
  DSSE_KMS = 'aws:kms:dsse',
  /**
   * SSE-S3: server-side encryption with keys S3 owns and manages. No key policy
   * controls who decrypts, and no KMS audit trail records each use.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html
   */
  SSE_S3 = 'AES256',
}

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
   * Limit access to object keys starting with this prefix, e.g. `incoming/`.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * The statement id.
   *
   * @default - `DataProtectionStatements.sidPartnerBucketAccess(access, kind, prefix)`
   */
  readonly sid?: string;
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
  public static readonly SID_DENY_INSECURE_TRANSPORT = 'DenyInsecureTransport';
  /** `Sid` of {@link denySseC}. */
  public static readonly SID_DENY_SSE_C = 'DenySseCRequests';
  /** `Sid` of {@link denyUnexpectedEncryption}. */
  public static readonly SID_DENY_UNEXPECTED_ENCRYPTION = 'DenyOtherEncryptionTypes';
  /** `Sid` of {@link denyOtherKmsKeys}. */
  public static readonly SID_DENY_OTHER_KMS_KEYS = 'DenyOtherKmsKeys';
  /** `Sid` of {@link allowServerAccessLogDelivery}. */
  public static readonly SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY = 'AllowServerAccessLogDelivery';
  /** `Sid` of {@link allowAccountIamPolicies}. */
  public static readonly SID_ALLOW_ACCOUNT_IAM_POLICIES = 'AllowAccountIamPolicies';
  /** `Sid` of {@link allowKeyAdministration}. */
  public static readonly SID_ALLOW_KEY_ADMINISTRATION = 'AllowKeyAdministration';

  /**
   * `Sid` of {@link denyOutdatedTls} for a minimum version.
   * @returns `DenyTlsBelow12` for TLS 1.2, `DenyTlsBelow13` for TLS 1.3
   */
  public static sidDenyOutdatedTls(minimum: TlsVersion): string {
    return `DenyTlsBelow${minimum.replace('.', '')}`;
  }

  /**
   * Deny every request to the bucket and its objects made without TLS
   * (`aws:SecureTransport` is `false`), whoever makes it.
   *
   * @param bucket the bucket the statement protects (its ARN and `bucket/*` are the resources)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
   */
  public static denyInsecureTransport(bucket: s3.IBucket): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_DENY_INSECURE_TRANSPORT,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    });
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
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.sidDenyOutdatedTls(minimum),
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { NumericLessThan: { 's3:TlsVersion': minimum } },
    });
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
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_DENY_SSE_C,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { Null: { [SSE_C_ALGORITHM_HEADER]: 'false' } },
    });
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
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_DENY_UNEXPECTED_ENCRYPTION,
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
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_DENY_OTHER_KMS_KEYS,
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
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY,
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logBucket.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': sourceBucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': sourceAccount },
      },
    });
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
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_ALLOW_ACCOUNT_IAM_POLICIES,
      effect: iam.Effect.ALLOW,
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:*'],
      resources: ['*'],
    });
  }

  /**
   * Key policy: let named administrators manage the key (policy, rotation,
   * tags, deletion) without using it to encrypt or decrypt.
   *
   * @param admins the administrators (roles, users or accounts)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
   */
  public static allowKeyAdministration(admins: iam.IPrincipal[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: DataProtectionStatements.SID_ALLOW_KEY_ADMINISTRATION,
      effect: iam.Effect.ALLOW,
      principals: admins,
      actions: KMS_ADMIN_ACTIONS,
      resources: ['*'],
    });
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
    return `Partner${accessWord(access)}${kindWord(kind)}${scope ? `On${scope.replace(/[^A-Za-z0-9]/g, '')}` : ''}`;
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
    return `Partner${accessWord(access)}${kindWord(kind)}${prefix ? `Prefix${shortHash(prefix)}` : ''}`;
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
    validateAccess('access', access);
    const kind = kindOf(partners);
    if (!options.viaServices || options.viaServices.length === 0) {
      throw new Error('viaServices needs at least one service endpoint such as s3.eu-west-1.amazonaws.com, got an empty list: partners must never call KMS directly');
    }
    const accounts = partnerAccounts(partners);
    const conditions = mergeConditions(
      {
        StringEquals: {
          'kms:ViaService': listOrOne(options.viaServices),
          ...(accounts.length > 0 ? { 'kms:CallerAccount': listOrOne(accounts) } : {}),
        },
      },
      partnerConditions(kind, partners),
      options.bucketArn !== undefined
        ? { StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': [options.bucketArn, `${options.bucketArn}/*`] } }
        : {},
    );
    return new iam.PolicyStatement({
      sid: options.sid ?? DataProtectionStatements.sidPartnerKeyUse(access, kind),
      effect: iam.Effect.ALLOW,
      principals: partnerPrincipals(kind, partners),
      actions: kmsActions(access),
      resources: ['*'],
      conditions,
    });
  }

  /**
   * Bucket policy: let partners read or write objects (optionally under a
   * prefix) with the S3 actions their access level needs.
   *
   * - READ: get objects, their versions and tags; list the bucket and its
   *   versions; get the bucket location. With a prefix, listing is granted by
   *   {@link allowPartnerPrefixListing} instead.
   * - WRITE: put objects and tags, multipart uploads (abort, list parts,
   *   list uploads), get the bucket location.
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
    validateAccess('access', access);
    const kind = kindOf(partners);
    return new iam.PolicyStatement({
      sid: options.sid ?? DataProtectionStatements.sidPartnerBucketAccess(access, kind, options.prefix),
      effect: iam.Effect.ALLOW,
      principals: partnerPrincipals(kind, partners),
      actions: s3Actions(access, options.prefix !== undefined),
      resources: [bucket.bucketArn, bucket.arnForObjects(`${options.prefix ?? ''}*`)],
      conditions: nonEmpty(partnerConditions(kind, partners)),
    });
  }

  /**
   * Bucket policy: let partners list the object keys (and versions) under a
   * prefix, and only there (`s3:prefix`).
   *
   * @param bucket the shared bucket
   * @param partners the partners (all of one `PartnerKind`)
   * @param access the access level the listing belongs to (READ or READ_WRITE)
   * @param prefix the object key prefix, e.g. `outgoing/`
   * @throws if `partners` is empty or mixes kinds
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2
   */
  public static allowPartnerPrefixListing(bucket: s3.IBucket, partners: Partner[], access: AccessLevel, prefix: string): iam.PolicyStatement {
    validateAccess('access', access);
    const kind = kindOf(partners);
    return new iam.PolicyStatement({
      sid: `${DataProtectionStatements.sidPartnerBucketAccess(access, kind, prefix)}List`,
      effect: iam.Effect.ALLOW,
      principals: partnerPrincipals(kind, partners),
      actions: PREFIX_LIST_ACTIONS,
      resources: [bucket.bucketArn],
      conditions: mergeConditions({ StringLike: { 's3:prefix': `${prefix}*` } }, partnerConditions(kind, partners)),
    });
  }

  /**
   * Identity policy of a partner: the S3 actions on a shared bucket of
   * another account (the partner-side mirror of {@link allowPartnerBucketAccess}).
   *
   * @param bucketArn the shared bucket's ARN
   * @param access what the partner may do
   * @param prefix limit to object keys under this prefix
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
   */
  public static allowSharedBucketAccess(bucketArn: string, access: AccessLevel, prefix?: string): iam.PolicyStatement {
    validateAccess('access', access);
    return new iam.PolicyStatement({
      sid: `Shared${accessWord(access)}BucketAccess`,
      effect: iam.Effect.ALLOW,
      actions: s3Actions(access, prefix !== undefined),
      resources: [bucketArn, `${bucketArn}/${prefix ?? ''}*`],
    });
  }

  /**
   * Identity policy of a partner: list the shared bucket under a prefix only.
   *
   * @param bucketArn the shared bucket's ARN
   * @param prefix the object key prefix
   */
  public static allowSharedPrefixListing(bucketArn: string, prefix: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'SharedPrefixListing',
      effect: iam.Effect.ALLOW,
      actions: PREFIX_LIST_ACTIONS,
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': `${prefix}*` } },
    });
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
    validateAccess('access', access);
    return new iam.PolicyStatement({
      sid: `Shared${accessWord(access)}KeyUse`,
      effect: iam.Effect.ALLOW,
      actions: kmsActions(access),
      resources: [keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': viaService },
        StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
      },
    });
  }
}

const PREFIX_LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];

function kmsActions(access: AccessLevel): string[] {
  switch (access) {
    case AccessLevel.READ:
      return KMS_READ_ACTIONS;
    case AccessLevel.WRITE:
      return KMS_WRITE_ACTIONS;
    default:
      return [...new Set([...KMS_WRITE_ACTIONS, ...KMS_READ_ACTIONS])];
  }
}

function s3Actions(access: AccessLevel, prefixed: boolean): string[] {
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

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length > 0 ? o : undefined;
}
