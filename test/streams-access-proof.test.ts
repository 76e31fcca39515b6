/**
 * Access proof of the streams, the delivery stream and client-side
 * encryption: the synthesized key policy and IAM policies, evaluated with
 * @cloud-copilot/iam-simulate. The simulator does not evaluate
 * `kms:EncryptionContext:*` keys (it accepts them whatever the request
 * holds) and never fills in request context itself: `withEncryptionContext`
 * decides those conditions against the request first, and every request
 * names the context the service (or the S3 Encryption Client) sends.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLevel, CrossAccountConsumerPolicy, CrossAccountSharedKey, EncryptedBucket, EncryptedDeliveryStream, EncryptedStream, Partner } from '../src';
import { PARTNER, PRODUCER, producerStack, REGION, THIRD } from './support';
import { ALLOW_EVERYTHING, decideCall, PolicyDocument, RequestContext, synthesizedWorld } from './support/access/service-call';

function world() {
  const { stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key.key, bucketName: 'producer-exchange' });
  new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange });
  const stream = new EncryptedStream(stack, 'Events', { encryptionKey: key.key, streamName: 'events' });
  const consumer = new iam.Role(stack, 'Consumer', { roleName: 'consumer', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  stream.grantRead(consumer);
  key.grantPartnerClientSideEncryption(Partner.account(PARTNER), { access: AccessLevel.READ_WRITE });
  const w = synthesizedWorld(stack);
  return {
    keyArn: w.keyArn,
    keyPolicy: w.keyPolicy,
    deliveryPolicy: w.policyOf('OrdersRolePolicy', 'AWS::IAM::ManagedPolicy'),
    deliveryRole: w.arnOf('OrdersRole'),
    consumerPolicy: w.policyOf('ConsumerDefaultPolicy'),
    consumerRole: w.arnOf('Consumer'),
    streamArn: w.arnOf('Events', 'AWS::Kinesis::Stream'),
  };
}

const VIA_S3 = `s3.${REGION}.amazonaws.com`;
const VIA_KINESIS = `kinesis.${REGION}.amazonaws.com`;
const BUCKET_ARN = 'arn:aws:s3:::producer-exchange';

describe('access proof: streams, delivery stream, client-side encryption', () => {
  const w = world();

  describe('Firehose delivery role', () => {
    test.each(['kms:GenerateDataKey', 'kms:Decrypt'])('reaches the key through S3 for the destination bucket (%s, kms:ViaService S3, the bucket\'s encryption context)', async (action) => {
      for (const context of [BUCKET_ARN, `${BUCKET_ARN}/2026/12/03/orders-1`]) {
        expect(await decideCall(w.deliveryRole, action, w.keyArn, w.deliveryPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': context })).toBe('Allowed');
      }
    });

    test('is denied the key directly (no kms:ViaService), through another service, or for another bucket', async () => {
      expect(await decideCall(w.deliveryRole, 'kms:Decrypt', w.keyArn, w.deliveryPolicy, w.keyPolicy, { 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN })).not.toBe('Allowed');
      expect(await decideCall(w.deliveryRole, 'kms:Decrypt', w.keyArn, w.deliveryPolicy, w.keyPolicy, { 'kms:ViaService': VIA_KINESIS, 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN })).not.toBe('Allowed');
      expect(await decideCall(w.deliveryRole, 'kms:Decrypt', w.keyArn, w.deliveryPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other-bucket/x' })).not.toBe('Allowed');
    });
  });

  describe('stream consumer', () => {
    test('decrypts through Kinesis for the stream, not directly and not for another stream', async () => {
      expect(await decideCall(w.consumerRole, 'kms:Decrypt', w.keyArn, w.consumerPolicy, w.keyPolicy, { 'kms:ViaService': VIA_KINESIS, 'kms:EncryptionContext:aws:kinesis:arn': w.streamArn })).toBe('Allowed');
      expect(await decideCall(w.consumerRole, 'kms:Decrypt', w.keyArn, w.consumerPolicy, w.keyPolicy, { 'kms:EncryptionContext:aws:kinesis:arn': w.streamArn })).not.toBe('Allowed');
      expect(await decideCall(w.consumerRole, 'kms:Decrypt', w.keyArn, w.consumerPolicy, w.keyPolicy, { 'kms:ViaService': VIA_KINESIS, 'kms:EncryptionContext:aws:kinesis:arn': `arn:aws:kinesis:${REGION}:${PRODUCER}:stream/other` })).not.toBe('Allowed');
      expect(await decideCall(w.consumerRole, 'kms:GenerateDataKey', w.keyArn, w.consumerPolicy, w.keyPolicy, { 'kms:ViaService': VIA_KINESIS, 'kms:EncryptionContext:aws:kinesis:arn': w.streamArn })).not.toBe('Allowed');
    });
  });

  describe('another account', () => {
    test('a principal of an account without a share is denied every use of the key, even with an allow-everything IAM policy', async () => {
      const outsider = `arn:aws:iam::${THIRD}:role/anyone`;
      for (const context of <RequestContext[]>[{}, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN }, { 'kms:EncryptionContext:aws:x-amz-cek-alg': 'AES/GCM/NoPadding' }]) {
        for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
          expect(await decideCall(outsider, action, w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, context)).not.toBe('Allowed');
        }
      }
    });
  });

  describe('client-side encryption partner', () => {
    const partnerRole = `arn:aws:iam::${PARTNER}:role/uploader`;
    const consumerPolicy = (keyArn: string): PolicyDocument =>
      JSON.parse(
        CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn, access: AccessLevel.READ_WRITE, clientSideEncryption: true }),
      );

    test.each(['AES/GCM/NoPadding', '115'])('calls KMS directly with the S3 Encryption Client\'s context (aws:x-amz-cek-alg %s)', async (algorithm) => {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        expect(await decideCall(partnerRole, action, w.keyArn, consumerPolicy(w.keyArn), w.keyPolicy, { 'kms:EncryptionContext:aws:x-amz-cek-alg': algorithm })).toBe('Allowed');
      }
    });

    test('is denied without the context, with another value, or for an action CSE does not use', async () => {
      const policy = consumerPolicy(w.keyArn);
      expect(await decideCall(partnerRole, 'kms:Decrypt', w.keyArn, policy, w.keyPolicy, {})).not.toBe('Allowed');
      expect(await decideCall(partnerRole, 'kms:Decrypt', w.keyArn, policy, w.keyPolicy, { 'kms:EncryptionContext:aws:x-amz-cek-alg': 'AES/CBC/PKCS5Padding' })).not.toBe('Allowed');
      expect(await decideCall(partnerRole, 'kms:Encrypt', w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, { 'kms:EncryptionContext:aws:x-amz-cek-alg': 'AES/GCM/NoPadding' })).not.toBe('Allowed');
    });
  });
});
