import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, reported } from './helpers';
import { EncryptedBucket, ServerSideEncryption } from '../../src';
import { producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP7 S3 Bucket Key on SSE-KMS buckets', () => {
    test('Noncompliance 1: SSE-KMS without bucketKeyEnabled', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data', { bucketKeyEnabled: undefined });
      expect(reported(app, 'DP7')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 2: an L1 bucket with BucketKeyEnabled false', () => {
      const { app, stack } = producerStack();
      const key = new kms.CfnKey(stack, 'Key', { enableKeyRotation: true });
      new s3.CfnBucket(stack, 'Data', {
        bucketEncryption: {
          serverSideEncryptionConfiguration: [{ bucketKeyEnabled: false, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } }],
        },
      });
      expect(reported(app, 'DP7')).toEqual(['Producer/Data']);
    });

    test('Compliance: Bucket Key on, EncryptedBucket', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data');
      new EncryptedBucket(stack, 'Ours');
      expect(reported(app, 'DP7')).toEqual([]);
    });

    test('Not applicable: SSE-S3 and DSSE-KMS (Bucket Keys do not apply)', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'SseS3', { encryption: s3.BucketEncryption.S3_MANAGED });
      new EncryptedBucket(stack, 'Dsse', { encryption: ServerSideEncryption.DSSE_KMS });
      expect(reported(app, 'DP7')).toEqual([]);
    });
  });
});
