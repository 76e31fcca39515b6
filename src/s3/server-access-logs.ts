import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addToBucketPolicyOnce, isOwnedBucket, isSameStatement, markCreatedHere } from './bucket-policy';
import { applyTlsStatements } from './tls';
import { throwValidationError } from '../core/errors';
import { acknowledgeNagRule, LOG_TARGET_SSE_S3_REASON, REPLICATION_REASON } from '../core/nag';
import { BUCKET, requireConstruct, requireObject, requireString } from '../core/props';
import { TlsVersion } from '../statements/enums';
import { allowServerAccessLogDelivery } from '../statements/log-delivery';

/**
 * Options of a server access log bucket created by {@link EncryptedBucket}.
 */
export interface ServerAccessLogsBucketOptions {
  /**
   * Object key prefix the logs are written under, e.g. `access-logs/`.
   *
   * @default 'access-logs/'
   */
  readonly prefix?: string;
}

/**
 * What a bucket hands its {@link ServerAccessLogs} choice when it binds it.
 *
 * @internal
 */
export interface ServerAccessLogsBindOptions {
  /** The data bucket whose access is logged (already created). */
  readonly bucket: s3.Bucket;
  /** Removal policy of the data bucket, for a log bucket created with it. */
  readonly removalPolicy: RemovalPolicy;
  /** Whether the data bucket is emptied on deletion, for a log bucket created with it. */
  readonly autoDeleteObjects?: boolean;
}

/**
 * Where the logs of a bound {@link ServerAccessLogs} go.
 *
 * @internal
 */
export interface ServerAccessLogsConfig {
  /** The log bucket; undefined when logging is off. */
  readonly bucket?: s3.IBucket;
  /** The log object key prefix; undefined when logging is off. */
  readonly prefix?: string;
}

/**
 * Where an {@link EncryptedBucket} writes its S3 server access logs.
 *
 * A log target bucket must use SSE-S3: AWS does not support delivering server
 * access logs into a bucket encrypted with SSE-KMS.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export class ServerAccessLogs {
  /**
   * Create a dedicated log bucket (SSE-S3, versioned, Block Public Access,
   * TLS only, retained like the data bucket), with child id `AccessLogs`.
   */
  public static toNewBucket(options: ServerAccessLogsBucketOptions = {}): ServerAccessLogs {
    requireObject('ServerAccessLogs.toNewBucket(options)', options, 'an object { prefix? }');
    const prefix = options?.prefix ?? 'access-logs/';
    validateLogPrefix('ServerAccessLogs.toNewBucket({ prefix })', prefix);
    return new NewLogBucket(prefix);
  }

  /**
   * Write logs into an existing bucket.
   *
   * If the bucket is defined in the same app, the statement allowing the S3
   * logging service to write is added to its policy; otherwise its owner must
   * allow it.
   *
   * @param bucket the log bucket; it must use SSE-S3
   * @param prefix object key prefix of the logs, e.g. `my-bucket/`: printable characters, no `*`, no leading `/`, at most 900 characters
   * @throws if the bucket is missing, if the prefix is invalid, or (when the bucket is used) if the bucket is known to use SSE-KMS or DSSE-KMS, under its own key or the AWS-managed one
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  public static toBucket(bucket: s3.IBucket, prefix: string = 'access-logs/'): ServerAccessLogs {
    if (!bucket || typeof (bucket as s3.IBucket).bucketArn !== 'string') {
      throwValidationError(
        'InvalidAccessLogsBucket',
        `ServerAccessLogs.toBucket(bucket) needs the s3.IBucket the logs go to, got ${String(bucket)}. Use ServerAccessLogs.toNewBucket() to create one.`,
      );
    }
    requireConstruct('ServerAccessLogs.toBucket(bucket)', bucket, BUCKET);
    validateLogPrefix('ServerAccessLogs.toBucket(bucket, prefix)', prefix);
    return new ExistingLogBucket(bucket, prefix);
  }

  /**
   * Do not log access to the bucket. Compliance packs will report it; the
   * reason is attached to the acknowledgement of their findings.
   *
   * @param reason why access logs are not needed, for reviewers
   */
  public static disabled(reason: string): ServerAccessLogs {
    requireString('ServerAccessLogs.disabled(reason)', reason, 'a string saying why access to the bucket need not be logged');
    return new LogsDisabled(reason);
  }

  private constructor() {}

  /**
   * Applies the choice to a data bucket: creates the log bucket, points the
   * bucket's logging configuration at it and lets the S3 logging service
   * write there, or (logging off) acknowledges the findings with the reason.
   *
   * @param scope the construct that owns the data bucket (a created log bucket is its child `AccessLogs`)
   * @internal
   */
  public _bind(scope: Construct, _options: ServerAccessLogsBindOptions): ServerAccessLogsConfig {
    // Each kind below overrides this; only an object made around the factories gets here.
    return throwValidationError(
      'InvalidServerAccessLogs',
      'serverAccessLogs must be made with ServerAccessLogs.toNewBucket(), ServerAccessLogs.toBucket(bucket) or ServerAccessLogs.disabled(reason), got an object that none of them made.',
      scope,
    );
  }
}

/**
 * The private constructor of {@link ServerAccessLogs}, for its kinds below:
 * jsii sees no initializer, so no other language can subclass it.
 */
const ServerAccessLogsKind = ServerAccessLogs as unknown as new () => ServerAccessLogs;

/** Logs go to a bucket: the statement that lets S3 deliver them, and the bucket's logging configuration. */
abstract class LogsToBucket extends ServerAccessLogsKind {
  constructor(private readonly prefix: string) {
    super();
  }

  public _bind(scope: Construct, options: ServerAccessLogsBindOptions): ServerAccessLogsConfig {
    const target = this.target(scope, options);
    const prefix = this.prefix;
    const targetAlgorithm = target.encryptionKey ? 'aws:kms' : kmsAlgorithmOf(target);
    if (targetAlgorithm !== undefined) {
      throwValidationError(
        'AccessLogsTargetUsesKms',
        `serverAccessLogs: the log bucket ${target.node.path} uses ${targetAlgorithm === 'aws:kms:dsse' ? 'DSSE-KMS' : 'SSE-KMS'}, which S3 server access logging does not support as a destination (SSEAlgorithm ${targetAlgorithm}${target.encryptionKey ? '' : ', under the AWS-managed key'}). ` +
          'Use a log bucket with SSE-S3 (s3.BucketEncryption.S3_MANAGED), or ServerAccessLogs.toNewBucket().',
        scope,
      );
    }
    (options.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: target.bucketName,
      logFilePrefix: prefix,
    };
    const allowLogs = allowServerAccessLogDelivery(target, options.bucket, prefix, Stack.of(scope).account);
    const added = isOwnedBucket(target) && addToBucketPolicyOnce(target, allowLogs, isSameStatement(allowLogs));
    if (!added) {
      Annotations.of(scope).addWarningV2(
        'cdk-data-protection:accessLogsTargetPolicy',
        `The log bucket is imported: its owner must allow logging.s3.amazonaws.com to s3:PutObject under "${prefix}" with aws:SourceArn ${options.bucket.node.path}, or no logs arrive.`,
      );
    }
    return { bucket: target, prefix };
  }

  /** The bucket the logs go to. */
  protected abstract target(scope: Construct, options: ServerAccessLogsBindOptions): s3.IBucket;
}

/** `ServerAccessLogs.toNewBucket()`: a dedicated SSE-S3 log bucket, child `AccessLogs` of the scope. */
class NewLogBucket extends LogsToBucket {
  protected target(scope: Construct, options: ServerAccessLogsBindOptions): s3.IBucket {
    const logBucket = new s3.Bucket(scope, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      enforceSSL: false,
      removalPolicy: options.removalPolicy,
      autoDeleteObjects: options.autoDeleteObjects,
    });
    markCreatedHere(logBucket);
    applyTlsStatements(logBucket, TlsVersion.TLS_1_2);
    const packs = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
    acknowledgeNagRule(logBucket, 'S3BucketReplicationEnabled', REPLICATION_REASON, packs);
    acknowledgeNagRule(logBucket, 'S3DefaultEncryptionKMS', LOG_TARGET_SSE_S3_REASON, packs);
    return logBucket;
  }
}

/** `ServerAccessLogs.toBucket(bucket, prefix)`: a bucket the user gives. */
class ExistingLogBucket extends LogsToBucket {
  constructor(private readonly bucket: s3.IBucket, prefix: string) {
    super(prefix);
  }

  protected target(): s3.IBucket {
    return this.bucket;
  }
}

/** `ServerAccessLogs.disabled(reason)`: no logs; the findings are acknowledged with the reason. */
class LogsDisabled extends ServerAccessLogsKind {
  constructor(private readonly reason: string) {
    super();
  }

  public _bind(scope: Construct, options: ServerAccessLogsBindOptions): ServerAccessLogsConfig {
    const reason = this.reason;
    if (!Token.isUnresolved(reason) && reason.trim().length === 0) {
      throwValidationError(
        'EmptyAccessLogsReason',
        'serverAccessLogs: ServerAccessLogs.disabled(reason) needs a non-empty reason, got an empty string. Say why access to this bucket need not be logged.',
        scope,
      );
    }
    Annotations.of(scope).addWarningV2('cdk-data-protection:accessLogsDisabled', `Server access logs are off: ${reason}`);
    acknowledgeNagRule(options.bucket, 'S1', `Server access logs turned off on purpose: ${reason}`, ['AwsSolutions']);
    acknowledgeNagRule(options.bucket, 'S3BucketLoggingEnabled', `Server access logs turned off on purpose: ${reason}`, ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);
    return {};
  }
}

/**
 * The KMS algorithm (`aws:kms`, `aws:kms:dsse`) a bucket of this app encrypts
 * with by default, read from its `AWS::S3::Bucket` (also when no key object is
 * attached, as with `BucketEncryption.KMS_MANAGED` and `DSSE_MANAGED`).
 */
function kmsAlgorithmOf(bucket: s3.IBucket): string | undefined {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    return undefined;
  }
  const encryption = Stack.of(cfn).resolve(cfn.bucketEncryption);
  const rules: any[] = encryption?.serverSideEncryptionConfiguration ?? [];
  const algorithms = (Array.isArray(rules) ? rules : [rules]).map((r) => r?.serverSideEncryptionByDefault?.sseAlgorithm).filter((a) => typeof a === 'string');
  return algorithms.find((a: string) => a.startsWith('aws:kms'));
}

/** A server access log prefix: printable, no `*`, no leading `/`, at most 900 characters. */
function validateLogPrefix(prop: string, prefix: string): void {
  if (typeof prefix === 'string' && Token.isUnresolved(prefix)) {
    return;
  }
  if (typeof prefix !== 'string' || prefix.startsWith('/') || prefix.includes('*') || prefix.length > 900 || !/^[\x20-\x7e\u00a0-\uffff]*$/.test(prefix)) {
    throwValidationError(
      'InvalidAccessLogsPrefix',
      `${prop}: the log object key prefix must be printable characters without '*' or a leading '/', at most 900 characters (S3 appends the date and a unique id to each log object key, at most 1,024 bytes), got ${JSON.stringify(prefix)}. Example: 'access-logs/'.`,
    );
  }
}
