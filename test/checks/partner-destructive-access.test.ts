import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { explanation, reported } from './helpers';
import { AccessLevel, EncryptedBucket, Partner } from '../../src';
import { producerStack, THIRD } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP19 no other account deletes or reconfigures the bucket', () => {
    test('Noncompliance 1: aws-cdk-lib\'s grantDelete and grantPutAcl to another account', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Data');
      bucket.grantDelete(new iam.AccountPrincipal(THIRD));
      bucket.grantPutAcl(new iam.AccountPrincipal(THIRD));
      expect(reported(app, 'DP19')).toEqual(['Producer/Data/Resource']);
      expect(explanation(app, 'DP19', 'Producer/Data/Resource')).toMatch(/grants account 333333333333 s3:DeleteObject\* on <Data\w+\.Arn>\/\*, which allows s3:DeleteObject, s3:DeleteObjectVersion/);
    });

    test('Noncompliance 2: s3:* to any principal of an organization', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Data');
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()], actions: ['s3:*'], resources: [bucket.arnForObjects('*')], conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }));
      expect(reported(app, 'DP19')).toEqual(['Producer/Data/Resource']);
    });

    test('Compliance: partner shares (READ_WRITE) and same-account deletes', () => {
      const { app, stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      data.shareWith(Partner.account(THIRD), AccessLevel.READ_WRITE);
      data.grantDelete(new iam.Role(stack, 'Cleaner', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(reported(app, 'DP19')).toEqual([]);
    });

    test('EncryptedBucket warns (partnerDestructiveAccess) when the L2 bucket\'s grantDelete reaches another account', () => {
      const { stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      data.bucket.grantDelete(new iam.AccountPrincipal(THIRD));
      Annotations.fromStack(Stack.of(data)).hasWarning('/Producer/Data', Match.stringLikeRegexp('DataProtection-DP19.*partnerDestructiveAccess|partnerDestructiveAccess.*DataProtection-DP19'));
    });
  });
});
