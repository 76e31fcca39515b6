import * as iam from 'aws-cdk-lib/aws-iam';
import { dataKeyActionsFor } from './perms';
import { sidStreamAccess, sidStreamKeyUse } from './sids';
import { AccessLevel } from '../sharing/partner';

/**
 * Statements of Kinesis Data Streams encrypted under a customer-managed key
 * (`EncryptedStream`): what a producer or consumer needs on the stream, and
 * on its key through Kinesis only. Internal builders: they take checked
 * values and do not validate.
 */

/**
 * The Kinesis actions of a reader and of a writer (those aws-cdk-lib's
 * `Stream.grantRead` / `grantWrite` grant).
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/controlling-access.html
 */
export const KINESIS_READ_ACTIONS = [
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:SubscribeToShard',
  'kinesis:DescribeStream',
  'kinesis:ListStreams',
  'kinesis:DescribeStreamConsumer',
];
export const KINESIS_WRITE_ACTIONS = ['kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'];


/** The Kinesis actions of an access level. */
export function kinesisActionsFor(access: AccessLevel): string[] {
  switch (access) {
    case AccessLevel.READ:
      return KINESIS_READ_ACTIONS;
    case AccessLevel.WRITE:
      return KINESIS_WRITE_ACTIONS;
    default:
      return [...new Set([...KINESIS_READ_ACTIONS, ...KINESIS_WRITE_ACTIONS])];
  }
}


/**
 * Identity policy: the key of one stream, only as Kinesis uses it for that
 * stream: `kms:ViaService` is Kinesis of the stream's Region and the
 * encryption context Kinesis sends in every call (`aws:kinesis:arn`) is the
 * stream's ARN.
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html#sse-kms-encryption-context
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function allowStreamKeyUse(keyArn: string, streamArn: string, viaService: string, access: AccessLevel, scope: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidStreamKeyUse(access, scope),
    effect: iam.Effect.ALLOW,
    actions: dataKeyActionsFor(access),
    resources: [keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': viaService,
        'kms:EncryptionContext:aws:kinesis:arn': streamArn,
      },
    },
  });
}

/** Identity policy: the Kinesis actions of `access` on one stream. */
export function allowStreamAccess(streamArn: string, access: AccessLevel, scope: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidStreamAccess(access, scope),
    effect: iam.Effect.ALLOW,
    actions: kinesisActionsFor(access),
    resources: [streamArn],
  });
}
