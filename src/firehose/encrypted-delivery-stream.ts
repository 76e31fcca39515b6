import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { promise } from '../checks/guarantees';
import { StackFacts } from '../core/facts';
import { validateKeyedBucket } from '../core/keyed-bucket';
import { acknowledgeWildcardResources } from '../core/nag';
import { optionalDuration, optionalString, requireObject } from '../core/props';
import { validateServiceKey } from '../core/service-key';
import { EncryptedBucket } from '../s3/encrypted-bucket';
import { withSid } from '../sharing/grant-routing';
import { constructSidPart, s3ViaService } from '../sharing/partner-policy';
import { allowDeliveryBucketAccess, allowDeliveryErrorLogging, allowDeliveryKeyUse } from '../statements/firehose';
import { sidDeliveryPutRecords } from '../statements/sids';

/**
 * Properties of an {@link EncryptedDeliveryStream}.
 */
export interface EncryptedDeliveryStreamProps {
  /**
   * The customer-managed key of the delivery stream's server-side
   * encryption (`CUSTOMER_MANAGED_CMK`), and of the objects it delivers: the
   * destination bucket must be encrypted under the same key.
   *
   * @throws if AWS-managed, of another Region or of another account (also when a token resolves to one at synthesis)
   * @see https://docs.aws.amazon.com/firehose/latest/dev/encryption.html
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The bucket records are delivered into: an `EncryptedBucket` with SSE-KMS
   * under `encryptionKey`.
   *
   * @throws if not an EncryptedBucket, not SSE-KMS, or under another key
   */
  readonly destination: EncryptedBucket;

  /**
   * The delivery stream's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly deliveryStreamName?: string;

  /**
   * The object key prefix of delivered records, e.g. `orders/`.
   *
   * @default - Firehose's default, `YYYY/MM/dd/HH/` under the bucket
   * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
   */
  readonly dataOutputPrefix?: string;

  /**
   * The object key prefix of records Firehose failed to deliver or process.
   *
   * @default - Firehose's default
   * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
   */
  readonly errorOutputPrefix?: string;

  /**
   * How long Firehose buffers records before delivering them, 0 to 900 seconds.
   *
   * @default Duration.seconds(300)
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
   */
  readonly bufferingInterval?: Duration;

  /**
   * A log group for delivery errors (a log stream `DeliveryErrors` is
   * created in it, and the delivery role may write to it).
   *
   * @default - no error logging
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
   */
  readonly errorLogGroup?: logs.ILogGroup;
}

/**
 * A Firehose delivery stream (DirectPut) with server-side encryption under a
 * customer-managed key, delivering into an `EncryptedBucket` encrypted under
 * the same key. Its delivery role reaches the key only through S3 of the
 * stream's Region and only for that bucket (`kms:ViaService`,
 * `kms:EncryptionContext:aws:s3:arn`), never directly.
 *
 * Written with the L1 `CfnDeliveryStream`: aws-cdk-lib's `DeliveryStream`
 * and its `S3Bucket` destination grant the delivery role the key directly
 * (`grantEncryptDecrypt`, through any service), which this construct avoids.
 * It promises DataProtection-DP24 on the final template.
 *
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key');
 * const exchange = new EncryptedBucket(this, 'Exchange', { encryptionKey: key.key });
 * new EncryptedDeliveryStream(this, 'Orders', { encryptionKey: key.key, destination: exchange, dataOutputPrefix: 'orders/' });
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/encryption.html
 */
export class EncryptedDeliveryStream extends Construct {
  /** The delivery stream. */
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  /** The role Firehose assumes to deliver into the bucket. */
  public readonly role: iam.Role;
  /** The key of the stream and of the delivered objects. */
  public readonly encryptionKey: kms.IKey;
  /** The delivery stream's ARN. */
  public readonly deliveryStreamArn: string;
  /** The delivery stream's name. */
  public readonly deliveryStreamName: string;

  constructor(scope: Construct, id: string, props: EncryptedDeliveryStreamProps) {
    super(scope, id);
    requireObject('props', props, 'an object of EncryptedDeliveryStreamProps with encryptionKey and destination');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'Amazon Data Firehose');
    validateKeyedBucket(this, props.destination, props.encryptionKey, {
      prop: 'destination',
      error: 'DestinationKeyMismatch',
      writes: 'the delivery stream writes SSE-KMS objects',
      otherKey: 'the delivered objects and the stream must be under one key',
      notEncryptedBucketFix: 'Wrap the bucket in an EncryptedBucket with encryptionKey.',
    });
    optionalString('deliveryStreamName', props.deliveryStreamName);
    optionalString('dataOutputPrefix', props.dataOutputPrefix);
    optionalString('errorOutputPrefix', props.errorOutputPrefix);
    optionalDuration('bufferingInterval', props.bufferingInterval);
    const interval = props.bufferingInterval?.toSeconds();
    if (interval !== undefined && !Token.isUnresolved(interval) && (interval < 0 || interval > 900)) {
      throw new Error(`bufferingInterval must be between 0 and 900 seconds (Firehose BufferingHints IntervalInSeconds), got ${interval} seconds. Use Duration.seconds(n) with 0 <= n <= 900.`);
    }

    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey;
    const bucketArn = props.destination.bucket.bucketArn;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        // the confused-deputy guard Firehose documents for its delivery role
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
      description: `Firehose delivery into ${props.destination.node.path}`,
    });
    // a managed policy of its own (not an inline one), attached to the role alone
    const policy = new iam.ManagedPolicy(this, 'RolePolicy', {
      description: `Firehose delivery into ${props.destination.node.path} (cdk-data-protection EncryptedDeliveryStream)`,
      statements: [
        allowDeliveryBucketAccess(bucketArn),
        allowDeliveryKeyUse(props.encryptionKey.keyArn, bucketArn, s3ViaService(stack.region, this)),
      ],
    });
    let logging: firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty | undefined;
    if (props.errorLogGroup) {
      const logStream = new logs.LogStream(this, 'DeliveryErrors', { logGroup: props.errorLogGroup, logStreamName: 'DeliveryErrors' });
      policy.addStatements(
        allowDeliveryErrorLogging(
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${props.errorLogGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      );
      logging = { enabled: true, logGroupName: props.errorLogGroup.logGroupName, logStreamName: logStream.logStreamName };
    }
    policy.attachToRole(this.role);
    // cdk-nag reports each wildcard resource by its exact id (AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]),
    // known once cross-stack references are resolved: acknowledged then, so a wildcard added later is reported.
    StackFacts.of(this).addCheck(
      () => {
        acknowledgeWildcardResources(
          policy,
          policy.document,
          'Firehose names the objects it delivers (prefix, then a time-based key): it needs the documented <bucket ARN>/* for object writes; the key statement is bound to S3 and to this bucket by conditions.',
        );
        return [];
      },
      { scope: this },
    );

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: props.deliveryStreamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: props.encryptionKey.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn,
        roleArn: this.role.roleArn,
        prefix: props.dataOutputPrefix,
        errorOutputPrefix: props.errorOutputPrefix,
        bufferingHints: interval !== undefined ? { intervalInSeconds: interval } : undefined,
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn } },
        cloudWatchLoggingOptions: logging,
      },
    });
    // Firehose checks its access when the stream is created: the role's policy must exist first
    this.deliveryStream.node.addDependency(policy);
    this.deliveryStreamArn = this.deliveryStream.attrArn;
    this.deliveryStreamName = this.deliveryStream.ref;

    promise(this, 'EncryptedDeliveryStream', this.deliveryStream, ['DP24']);
    const key = props.encryptionKey.node.defaultChild;
    if (key instanceof kms.CfnKey) {
      promise(this, 'EncryptedDeliveryStream', key, ['DP14']);
    }
  }

  /**
   * Grant a producer `firehose:PutRecord` and `firehose:PutRecordBatch` on
   * this delivery stream. It needs nothing on the key: Firehose encrypts
   * with a grant of its own.
   *
   * @param grantee the producer
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
   */
  public grantPutRecords(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resourceArns: [this.deliveryStreamArn] });
    return withSid(grant, sidDeliveryPutRecords(constructSidPart(this.deliveryStream)));
  }
}

