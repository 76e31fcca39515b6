import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { AccessLevel, CrossAccountConsumerPolicy, EncryptedBucket } from '../../src';
import { ENV, PRODUCER, producerStack } from '../support';

const role = (stack: Stack, id = 'Reader') => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });

describe('DataProtectionChecks', () => {
  describe('DP18 identity policies that use every KMS key', () => {
    test('Noncompliance 1: aws-cdk-lib\'s grant of a key to a role of another Region writes kms:Decrypt on Resource "*"', () => {
      const app = new App();
      const keyStack = new Stack(app, 'Keys', { env: ENV });
      const east = new Stack(app, 'East', { env: { account: PRODUCER, region: 'us-east-1' } });
      const key = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
      key.grants.decrypt(role(east));
      expect(reported(app, 'DP18')).toEqual(['East/Reader/DefaultPolicy/Resource']);
      expect(explanation(app, 'DP18', 'East/Reader/DefaultPolicy/Resource')).toContain('kms:Decrypt');
    });

    test('Noncompliance 2: a managed policy on arn:aws:kms:*:*:key/* and an inline role policy on "*"', () => {
      const { app, stack } = producerStack();
      new iam.ManagedPolicy(stack, 'Every', { statements: [new iam.PolicyStatement({ sid: 'AnyKey', actions: ['kms:GenerateDataKey*'], resources: ['arn:aws:kms:*:*:key/*'] })] });
      new iam.Role(stack, 'Inline', {
        assumedBy: new iam.AccountRootPrincipal(),
        inlinePolicies: { p: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] })] }) },
      });
      expect(reported(app, 'DP18')).toEqual(['Producer/Every/Resource', 'Producer/Inline/Resource']);
    });

    test('Noncompliance 3: conditions that scope nothing (kms:CallerAccount, a "*" value, IfExists), NotResource, every key of the account, key administration', () => {
      const { app, stack } = producerStack();
      const policy = (id: string, statement: iam.PolicyStatement) => new iam.ManagedPolicy(stack, id, { statements: [statement] });
      policy('Caller', new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:CallerAccount': PRODUCER } } }));
      policy('Star', new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringLike: { 'kms:ViaService': '*' } } }));
      policy('IfExists', new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }));
      policy('Not', new iam.PolicyStatement({ actions: ['kms:Decrypt'], notResources: ['arn:aws:kms:eu-west-1:111111111111:key/x'] }));
      policy('Account', new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [`arn:aws:kms:eu-west-1:${PRODUCER}:key/*`] }));
      policy('Admin', new iam.PolicyStatement({ actions: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'], resources: ['*'] }));
      expect(reported(app, 'DP18')).toEqual(['Account', 'Admin', 'Caller', 'IfExists', 'Not', 'Star'].map((id) => `Producer/${id}/Resource`));
    });

    test('Compliance: a named key, keys of one account and Region through S3, "*" scoped by kms:ViaService; describe-only actions; the library\'s grants across Regions', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      key.grantDecrypt(role(stack, 'Local'));
      new iam.ManagedPolicy(stack, 'Scoped', {
        statements: [
          new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }),
          new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [`arn:aws:kms:eu-west-1:${PRODUCER}:key/*`], conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }),
          new iam.PolicyStatement({ actions: ['kms:DescribeKey', 'kms:ListAliases'], resources: ['*'] }),
        ],
      });
      const east = new Stack(app, 'East', { env: { account: PRODUCER, region: 'us-east-1' } });
      new EncryptedBucket(stack, 'Data').grantRead(role(east));
      new CrossAccountConsumerPolicy(east, 'Consumer', { bucketArn: 'arn:aws:s3:::data', keyArn: key.keyArn, access: AccessLevel.READ, roles: [role(east, 'Other')] });
      expect(reported(app, 'DP18')).toEqual([]);
    });
  });
});
