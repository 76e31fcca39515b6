import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey, EncryptedStream } from '../../src';
import { producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP23 stream customer-managed key', () => {
    test('Noncompliance 1: kinesis.Stream without encryption (aws-cdk-lib\'s default, alias/aws/kinesis outside China)', () => {
      const { app, stack } = producerStack();
      new kinesis.Stream(stack, 'S');
      expect(reported(app, 'DP23')).toEqual(['Producer/S/Resource']);
      expect(explanation(app, 'DP23', 'Producer/S/Resource')).toMatch(/AWS-managed key alias\/aws\/kinesis \(aws-cdk-lib's default\)/);
    });

    test('Noncompliance 2: StreamEncryption.MANAGED (alias/aws/kinesis)', () => {
      const { app, stack } = producerStack();
      new kinesis.Stream(stack, 'S', { encryption: kinesis.StreamEncryption.MANAGED });
      expect(reported(app, 'DP23')).toEqual(['Producer/S/Resource']);
    });

    test('Noncompliance 3: StreamEncryption.UNENCRYPTED (no StreamEncryption)', () => {
      const { app, stack } = producerStack();
      new kinesis.Stream(stack, 'S', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
      expect(reported(app, 'DP23')).toEqual(['Producer/S/Resource']);
      expect(explanation(app, 'DP23', 'Producer/S/Resource')).toMatch(/stored unencrypted/);
    });

    test('Noncompliance 4: an L1 stream naming the AWS-managed key by ARN', () => {
      const { app, stack } = producerStack();
      new kinesis.CfnStream(stack, 'S', { shardCount: 1, streamEncryption: { encryptionType: 'KMS', keyId: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/kinesis' } });
      expect(reported(app, 'DP23')).toEqual(['Producer/S']);
    });

    test('Compliance: a customer-managed key (kinesis.Stream with encryptionKey, EncryptedStream, a key ARN of another app)', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
      new kinesis.Stream(stack, 'Plain', { encryptionKey: key });
      new EncryptedStream(stack, 'Ours', { encryptionKey: new CrossAccountSharedKey(stack, 'Shared').key });
      new kinesis.CfnStream(stack, 'External', {
        shardCount: 1,
        streamEncryption: { encryptionType: 'KMS', keyId: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      });
      expect(reported(app, 'DP23')).toEqual([]);
    });
  });
});
