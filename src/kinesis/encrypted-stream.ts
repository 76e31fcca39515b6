import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { GRANTABLE, optionalDuration, optionalEnum, optionalString, requireConstruct, requireObject } from '../core/props';
import { validateServiceKey } from '../core/service-key';
import { grantEnvironment, withSid } from '../sharing/grant-routing';
import { AccessLevel } from '../sharing/partner';
import { constructSidPart } from '../sharing/partner-policy';
import { allowStreamKeyUse, kinesisActionsFor } from '../statements/kinesis';
import { viaServiceOf } from '../statements/perms';
import { sidStreamAccess } from '../statements/sids';

/**
 * Properties of an {@link EncryptedStream}.
 */
export interface EncryptedStreamProps {
  /**
   * The customer-managed key the stream is encrypted under: a
   * `CrossAccountSharedKey`'s `key`, or a `kms.Key` of the stack's account
   * and Region. AWS-managed keys (`alias/aws/kinesis`) are refused.
   *
   * @throws if AWS-managed, of another Region or of another account (also when a token resolves to one at synthesis)
   * @see https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The stream's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly streamName?: string;

  /**
   * How long records stay in the stream, 24 hours to 365 days.
   *
   * @default Duration.hours(24)
   * @see https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html
   */
  readonly retentionPeriod?: Duration;

  /**
   * Provisioned or on-demand capacity.
   *
   * @default kinesis.StreamMode.ON_DEMAND
   * @see https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html
   */
  readonly streamMode?: kinesis.StreamMode;

  /**
   * The number of shards, for `StreamMode.PROVISIONED` only.
   *
   * @default - 1 for a provisioned stream
   */
  readonly shardCount?: number;

  /**
   * What happens to the stream (and its records) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Kinesis data stream encrypted at rest under a customer-managed KMS key
 * (`StreamEncryption` `KMS` with the key's ARN), retained by default, whose
 * grants give producers and consumers the key only as Kinesis uses it for
 * this stream (`kms:ViaService` Kinesis of the stream's Region,
 * `kms:EncryptionContext:aws:kinesis:arn` the stream's ARN).
 *
 * The construct promises DataProtection-DP23 (a customer-managed key) on the
 * final template.
 *
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key');
 * const orders = new EncryptedStream(this, 'Orders', { encryptionKey: key.key });
 * declare const producer: iam.Role;
 * orders.grantWrite(producer);
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html
 */
export class EncryptedStream extends Construct {
  /** The stream. */
  public readonly stream: kinesis.Stream;
  /** The key the stream is encrypted under. */
  public readonly encryptionKey: kms.IKey;
  /** The stream's ARN. */
  public readonly streamArn: string;
  /** The stream's name. */
  public readonly streamName: string;

  constructor(scope: Construct, id: string, props: EncryptedStreamProps) {
    super(scope, id);
    requireObject('props', props, 'an object of EncryptedStreamProps with encryptionKey');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'Kinesis Data Streams');
    optionalString('streamName', props.streamName);
    optionalDuration('retentionPeriod', props.retentionPeriod);
    optionalEnum('streamMode', props.streamMode, kinesis.StreamMode, 'kinesis.StreamMode');
    optionalEnum('removalPolicy', props.removalPolicy, RemovalPolicy, 'RemovalPolicy');
    const streamMode = props.streamMode ?? (props.shardCount !== undefined ? kinesis.StreamMode.PROVISIONED : kinesis.StreamMode.ON_DEMAND);
    if (props.shardCount !== undefined && streamMode !== kinesis.StreamMode.PROVISIONED) {
      throw new Error(`shardCount (${props.shardCount}) applies to provisioned streams only, but streamMode is ${streamMode}: drop shardCount or use StreamMode.PROVISIONED.`);
    }

    this.encryptionKey = props.encryptionKey;
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: props.streamName,
      retentionPeriod: props.retentionPeriod,
      streamMode,
      shardCount: props.shardCount,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.streamArn = this.stream.streamArn;
    this.streamName = this.stream.streamName;

    const cfn = this.stream.node.defaultChild as kinesis.CfnStream;
    promise(this, 'EncryptedStream', cfn, ['DP23']);
    const key = props.encryptionKey.node.defaultChild;
    if (key instanceof kms.CfnKey) {
      // the key of the data: at least as durable as the stream
      promise(this, 'EncryptedStream', key, ['DP14']);
    }
  }

  /**
   * Grant a principal of the stream's account and Region read access: the
   * Kinesis read actions on this stream, and `kms:Decrypt` on its key
   * through Kinesis for this stream only (never the key directly).
   *
   * @param grantee the consumer
   * @returns the grant of the Kinesis actions
   * @throws if the grantee is of another account or Region
   * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html#example-consumer-permissions
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess('grantRead', grantee, AccessLevel.READ);
  }

  /**
   * Grant a principal of the stream's account and Region write access: the
   * Kinesis put actions on this stream, and `kms:GenerateDataKey` on its key
   * through Kinesis for this stream only.
   *
   * @param grantee the producer
   * @returns the grant of the Kinesis actions
   * @throws if the grantee is of another account or Region
   * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html#example-producer-permissions
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess('grantWrite', grantee, AccessLevel.WRITE);
  }

  /**
   * `grantRead` and `grantWrite` together.
   *
   * @param grantee the producer and consumer
   * @returns the grant of the Kinesis actions
   * @throws if the grantee is of another account or Region
   */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess('grantReadWrite', grantee, AccessLevel.READ_WRITE);
  }

  private grantAccess(method: string, grantee: iam.IGrantable, access: AccessLevel): iam.Grant {
    requireConstruct('grantee', grantee, GRANTABLE);
    const where = grantEnvironment(this.stream, grantee);
    if (where.kind !== 'same') {
      throwValidationError(
        'GrantOutsideEnvironment',
        `${method}(grantee) on ${this.node.path}: the grantee ${grantee.grantPrincipal} is ${where.kind === 'otherAccount' ? `of account ${where.account}` : `in a stack of Region ${where.region}`}, ` +
          'outside the stream\'s account and Region. EncryptedStream grants principals of its own environment only; ' +
          'share the data through an EncryptedDeliveryStream into an EncryptedBucket and EncryptedBucket.shareWith instead.',
        this,
      );
    }
    const grant = withSid(this.stream.grant(grantee, ...kinesisActionsFor(access)), sidStreamAccess(access, constructSidPart(this.stream)));
    const stack = Stack.of(this);
    const viaService = viaServiceOf('kinesis', stack.region, stack.urlSuffix);
    const statement = allowStreamKeyUse(this.encryptionKey.keyArn, this.stream.streamArn, viaService, access, constructSidPart(this.stream));
    grantee.grantPrincipal.addToPrincipalPolicy(statement);
    return grant;
  }
}
