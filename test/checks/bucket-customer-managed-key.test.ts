import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, reported } from './helpers';
import { EncryptedBucket } from '../../src';
import { KEY_ARN, KEY_ID, producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP1 bucket under a customer-managed key', () => {
    test('Noncompliance 1: no default encryption configured', () => {
      const { app, stack } = producerStack();
      new s3.CfnBucket(stack, 'Data');
      expect(reported(app, 'DP1')).toEqual(['Producer/Data']);
    });

    test('Noncompliance 2: SSE-S3', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED });
      expect(reported(app, 'DP1')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 3: SSE-KMS under the AWS-managed key (no KMSMasterKeyID)', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS_MANAGED });
      expect(reported(app, 'DP1')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 4: the AWS-managed key named by alias ARN', () => {
      const { app, stack } = producerStack();
      new s3.CfnBucket(stack, 'Data', {
        bucketEncryption: {
          serverSideEncryptionConfiguration: [
            { serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' } },
          ],
        },
      });
      expect(reported(app, 'DP1')).toEqual(['Producer/Data']);
    });

    test('Noncompliance 5: DSSE-KMS under the AWS-managed key', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.DSSE_MANAGED });
      expect(reported(app, 'DP1')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 6: SSE-S3 set through an escape hatch over a KMS configuration', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(
        'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault',
        { SSEAlgorithm: 'AES256' },
      );
      expect(reported(app, 'DP1')).toEqual(['Producer/Data/Resource']);
    });

    test.each([
      ['an alias ARN', (_stack: Stack) => 'arn:aws:kms:eu-west-1:111111111111:alias/data'],
      ['an alias name', (_stack: Stack) => 'alias/data'],
      ['a bare key id', (_stack: Stack) => KEY_ID],
      ['the Ref of a key of the stack (its key id)', (stack: Stack) => new kms.Key(stack, 'Key', { enableKeyRotation: true }).keyId],
      ['the Ref of an alias of the stack (its name)', (stack: Stack) => new kms.Alias(stack, 'Alias', { aliasName: 'alias/data', targetKey: new kms.Key(stack, 'Key') }).aliasName],
    ])('Noncompliance 7 (case D03): the key is named by %s, which S3 resolves in the account of the caller', (_, keyId) => {
      const { app, stack } = producerStack();
      new s3.CfnBucket(stack, 'Data', {
        bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyId(stack) } }] },
      });
      expect(reported(app, 'DP1')).toEqual(['Producer/Data']);
    });

    test('Compliance: SSE-KMS and DSSE-KMS under keys of the app, an imported key ARN, EncryptedBucket', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data');
      new s3.Bucket(stack, 'Dsse', { encryption: s3.BucketEncryption.DSSE, encryptionKey: new kms.Key(stack, 'DsseKey', { enableKeyRotation: true }) });
      new s3.Bucket(stack, 'Imported', {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: kms.Key.fromKeyArn(stack, 'Ext', KEY_ARN),
      });
      new EncryptedBucket(stack, 'Ours');
      expect(reported(app, 'DP1')).toEqual([]);
    });

    test('Compliance: SSE-S3 on a bucket receiving server access logs (AWS supports only SSE-S3 there)', () => {
      const { app, stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
      compliantPlainBucket(stack, 'Data', { serverAccessLogsBucket: logs });
      expect(reported(app, 'DP1')).toEqual([]);
    });

    test('Not applicable: the key is a parameter, unknown until deployment', () => {
      const { app, stack } = producerStack();
      const keyArn = new CfnParameter(stack, 'KeyArn');
      new s3.CfnBucket(stack, 'Data', {
        bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn.valueAsString } }] },
      });
      expect(reported(app, 'DP1')).toEqual([]);
    });
  });
});
