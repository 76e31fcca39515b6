import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, explanation, reported } from './helpers';
import { PARTNER, producerStack } from '../support';

function shareRead(bucket: s3.Bucket, principal: iam.IPrincipal): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], principals: [principal], resources: [bucket.arnForObjects('*')] }));
}

describe('DataProtectionChecks', () => {
  describe('DP6 AWS-managed key on a bucket shared with another account', () => {
    test('Noncompliance 1: KMS_MANAGED bucket shared with an account', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS_MANAGED, enforceSSL: true });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP6')).toEqual(['Producer/Data/Resource']);
      expect(explanation(app, 'DP6', 'Producer/Data/Resource')).toMatch(/grants account 222222222222 s3:GetObject on <Data\w+\.Arn>\/\*; the key policy of aws\/s3 can never give account 222222222222 kms:Decrypt \(missing: kms:Decrypt\)/);
    });

    test('Noncompliance 2: L1 bucket under alias/aws/s3 shared through a wildcard narrowed by aws:PrincipalAccount', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.CfnBucket(stack, 'Data', {
        bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/aws/s3' } }] },
      });
      new s3.CfnBucketPolicy(stack, 'Policy', {
        bucket: bucket.ref,
        policyDocument: {
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:Get*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '222222222222' } } }],
        },
      });
      expect(reported(app, 'DP6')).toEqual(['Producer/Data']);
    });

    test('Compliance: AWS-managed key not shared; SSE-S3 shared; customer-managed key shared', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'NotShared', { encryption: s3.BucketEncryption.KMS_MANAGED });
      shareRead(new s3.Bucket(stack, 'SseS3', { encryption: s3.BucketEncryption.S3_MANAGED }), new iam.AccountPrincipal(PARTNER));
      shareRead(compliantPlainBucket(stack, 'Cmk').bucket, new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP6')).toEqual([]);
    });
  });
});
