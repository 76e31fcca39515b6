import { Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, reported } from './helpers';
import { DataProtectionStatements, EncryptedBucket, TlsOnlyBucketPolicy } from '../../src';
import { producerStack } from '../support';

function denyHttp(resources: string[], actions = ['s3:*']): iam.PolicyStatement {
  return new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions,
    resources,
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}

describe('DataProtectionChecks', () => {
  describe('DP2 secure-transport deny on the bucket and its objects', () => {
    test('Noncompliance 1: no bucket policy', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
      expect(reported(app, 'DP2')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 2: the deny covers the objects only', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
      bucket.addToResourcePolicy(denyHttp([bucket.arnForObjects('*')]));
      expect(reported(app, 'DP2')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 3: the deny covers the bucket only', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
      bucket.addToResourcePolicy(denyHttp([bucket.bucketArn]));
      expect(reported(app, 'DP2')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 4: the deny covers some actions only', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
      bucket.addToResourcePolicy(denyHttp([bucket.bucketArn, bucket.arnForObjects('*')], ['s3:GetObject']));
      expect(reported(app, 'DP2')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 5: the deny covers one prefix only', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
      bucket.addToResourcePolicy(denyHttp([bucket.bucketArn, bucket.arnForObjects('reports/*')]));
      expect(reported(app, 'DP2')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 6: an L1 bucket policy that only allows', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.CfnBucket(stack, 'Data', { bucketName: 'data-bucket-111111111111' });
      new s3.CfnBucketPolicy(stack, 'Policy', {
        bucket: bucket.ref,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data-bucket-111111111111/*' }],
        },
      });
      expect(reported(app, 'DP2')).toEqual(['Producer/Data']);
    });

    test('Compliance: enforceSSL, TlsOnlyBucketPolicy, DataProtectionStatements, EncryptedBucket', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Ssl');
      const { bucket } = compliantPlainBucket(stack, 'Tls', { enforceSSL: false, minimumTLSVersion: undefined });
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      const { bucket: third } = compliantPlainBucket(stack, 'Statement', { enforceSSL: false, minimumTLSVersion: undefined });
      third.addToResourcePolicy(DataProtectionStatements.denyInsecureTransport(third));
      new EncryptedBucket(stack, 'Ours');
      expect(reported(app, 'DP2')).toEqual([]);
    });

    test('Compliance: an L1 policy naming the bucket by literal name and ARN, with a boolean condition value', () => {
      const { app, stack } = producerStack();
      new s3.CfnBucket(stack, 'Data', { bucketName: 'data-bucket-111111111111' });
      new s3.CfnBucketPolicy(stack, 'Policy', {
        bucket: 'data-bucket-111111111111',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: '*',
              Resource: [Fn.join('', ['arn:', Fn.ref('AWS::Partition'), ':s3:::data-bucket-111111111111']), 'arn:aws:s3:::data-bucket-111111111111/*'],
              Condition: { Bool: { 'aws:SecureTransport': false } },
            },
          ],
        },
      });
      expect(reported(app, 'DP2')).toEqual([]);
    });

    test('Not applicable: the policy document is imported, unknown until deployment', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.CfnBucket(stack, 'Data');
      new s3.CfnBucketPolicy(stack, 'Policy', { bucket: bucket.ref, policyDocument: Fn.importValue('SharedPolicy') });
      expect(reported(app, 'DP2')).toEqual([]);
    });
  });
});
