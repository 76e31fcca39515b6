import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KMS_ADMIN_ACTIONS, SSE_C_ALGORITHM_HEADER, SSE_HEADER, SSE_KMS_KEY_ID_HEADER } from './private/perms';

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
}
