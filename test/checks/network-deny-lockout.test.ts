import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, reported } from './helpers';
import { producerStack } from '../support';

function vpceDeny(bucket: s3.Bucket, actions: string[], extra: Record<string, unknown> = {}): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions,
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' }, ...extra },
    }),
  );
}

describe('DataProtectionChecks', () => {
  describe('DP10 network-condition denies without an exemption for administrators or AWS services', () => {
    test('Noncompliance 1: bucket policy denies s3:* outside a VPC endpoint', () => {
      const { app, stack } = producerStack();
      vpceDeny(compliantPlainBucket(stack, 'Data').bucket, ['s3:*']);
      expect(reported(app, 'DP10')).toEqual(['Producer/Data/Policy/Resource']);
    });

    test('Noncompliance 2: key policy denies kms:* outside an IP range', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:*'],
          resources: ['*'],
          conditions: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      );
      expect(reported(app, 'DP10')).toEqual(['Producer/Key/Resource']);
    });

    test('Noncompliance 3: an L1 bucket policy denying every action outside a VPC', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.CfnBucket(stack, 'Data');
      new s3.CfnBucketPolicy(stack, 'Policy', {
        bucket: bucket.ref,
        policyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } } }] },
      });
      expect(reported(app, 'DP10')).toEqual(['Producer/Policy']);
    });

    test('Compliance: administrators exempt by aws:PrincipalArn; AWS services exempt; data actions only', () => {
      const { app, stack } = producerStack();
      vpceDeny(compliantPlainBucket(stack, 'Admins').bucket, ['s3:*'], { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Admin' } });
      vpceDeny(compliantPlainBucket(stack, 'Services').bucket, ['s3:*'], { Bool: { 'aws:ViaAWSService': 'false' } });
      vpceDeny(compliantPlainBucket(stack, 'Data').bucket, ['s3:GetObject', 's3:PutObject']);
      expect(reported(app, 'DP10')).toEqual([]);
    });
  });
});
