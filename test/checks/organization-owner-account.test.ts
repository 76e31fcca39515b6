import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { explanation, reported } from './helpers';
import { AccessLevel, EncryptedBucket, Partner } from '../../src';
import { ORG, PRODUCER, producerStack } from '../support';

const orgWide = (extra: Record<string, unknown> = {}) => ({
  Sid: 'OrgRead',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::data/*',
  Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG }, ...extra },
});

function plainBucketWith(stack: any, statement: unknown): void {
  const bucket = new s3.CfnBucket(stack, 'Data', { bucketName: 'data' });
  new s3.CfnBucketPolicy(stack, 'Policy', { bucket: bucket.ref, policyDocument: { Statement: [statement] } });
}

describe('DataProtectionChecks', () => {
  describe('DP17 organization shares leave the owner account out', () => {
    test('Noncompliance 1: a bucket policy allowing the whole organization, owner account included', () => {
      const { app, stack } = producerStack();
      plainBucketWith(stack, orgWide());
      expect(reported(app, 'DP17')).toEqual(['Producer/Data']);
      expect(explanation(app, 'DP17', 'Producer/Data')).toContain('statement OrgRead');
    });

    test('Noncompliance 2: a key policy allowing organizational units (aws:PrincipalOrgPaths only)', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/r-ab12/*` }, 'StringEquals': { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        }),
      );
      expect(reported(app, 'DP17')).toEqual(['Producer/Key/Resource']);
    });

    test('Noncompliance 3: the exclusion names another account, not the owner', () => {
      const { app, stack } = producerStack();
      plainBucketWith(stack, orgWide({ StringNotEquals: { 'aws:PrincipalAccount': '333333333333' } }));
      expect(reported(app, 'DP17')).toEqual(['Producer/Data']);
    });

    test('Compliance: the owner account excluded by literal id or AWS::AccountId; shares with accounts are not applicable', () => {
      const { app, stack } = producerStack();
      plainBucketWith(stack, orgWide({ StringNotEquals: { 'aws:PrincipalAccount': PRODUCER } }));
      const other = new s3.CfnBucket(stack, 'Other', { bucketName: 'other' });
      new s3.CfnBucketPolicy(stack, 'OtherPolicy', {
        bucket: other.ref,
        policyDocument: { Statement: [orgWide({ StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } })] },
      });
      new EncryptedBucket(stack, 'Shared').shareWith(Partner.organization(ORG), AccessLevel.READ);
      new EncryptedBucket(stack, 'ToAccount').shareWith(Partner.account('222222222222'), AccessLevel.READ);
      expect(reported(app, 'DP17')).toEqual([]);
    });
  });
});
