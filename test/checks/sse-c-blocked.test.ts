import * as iam from 'aws-cdk-lib/aws-iam';
import { compliantPlainBucket, reported } from './helpers';
import { DataProtectionStatements, EncryptedBucket, ServerSideEncryption } from '../../src';
import { producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP8 SSE-C blocked', () => {
    test('Noncompliance 1: neither the encryption rule nor the bucket policy blocks SSE-C', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data', { blockedEncryptionTypes: undefined });
      expect(reported(app, 'DP8')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 2: a deny that only catches requests without the SSE-C header', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { blockedEncryptionTypes: undefined });
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects('*')],
          conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'true' } },
        }),
      );
      expect(reported(app, 'DP8')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 3: EncryptedBucket with allowSseC', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Ours', { allowSseC: true });
      expect(reported(app, 'DP8')).toEqual(['Producer/Ours/Bucket/Resource']);
    });

    test('Compliance: BlockedEncryptionTypes, a denySseC statement, a deny of uploads naming another encryption type', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Blocked');
      const { bucket } = compliantPlainBucket(stack, 'Denied', { blockedEncryptionTypes: undefined });
      bucket.addToResourcePolicy(DataProtectionStatements.denySseC(bucket));
      const { bucket: strict } = compliantPlainBucket(stack, 'KmsOnly', { blockedEncryptionTypes: undefined });
      strict.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: [strict.arnForObjects('*')],
          conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        }),
      );
      new EncryptedBucket(stack, 'Ours');
      new EncryptedBucket(stack, 'OursSseS3', { encryption: ServerSideEncryption.SSE_S3 });
      expect(reported(app, 'DP8')).toEqual([]);
    });
  });
});
