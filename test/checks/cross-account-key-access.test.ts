import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, explanation, reported } from './helpers';
import { agnosticStack, KEY_ARN, ORG, PARTNER, producerStack, stackIn } from '../support';

function shareRead(bucket: s3.Bucket, principal: iam.IPrincipal, conditions?: Record<string, unknown>): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:ListBucket'], principals: [principal], resources: [bucket.bucketArn, bucket.arnForObjects('*')], conditions }),
  );
}

function allowKey(key: kms.Key, actions: string[], principal: iam.IPrincipal, conditions?: Record<string, unknown>): void {
  key.addToResourcePolicy(new iam.PolicyStatement({ actions, principals: [principal], resources: ['*'], conditions }));
}

/** An L1 bucket under an L1 key whose policy has the given statements, and a bucket policy with the given statements. */
function l1(stack: Stack, bucketStatements: unknown[], keyStatements: unknown[]): void {
  const key = new kms.CfnKey(stack, 'Key', {
    enableKeyRotation: true,
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }, ...keyStatements],
    },
  });
  const bucket = new s3.CfnBucket(stack, 'Data', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } }] },
  });
  new s3.CfnBucketPolicy(stack, 'Policy', { bucket: bucket.ref, policyDocument: { Version: '2012-10-17', Statement: bucketStatements } });
}

const readBy = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...extra });

describe('DataProtectionChecks', () => {
  describe('DP5 a partner allowed by the bucket policy but not by the key policy', () => {
    test('Noncompliance 1: read grant to an AccountPrincipal, key policy untouched; the explanation names kms:Decrypt and the account', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP5')).toEqual(['Producer/Data/Resource']);
      const text = explanation(app, 'DP5', 'Producer/Data/Resource');
      expect(text).toMatch(/grants account 222222222222 s3:GetObject, s3:ListBucket on <Data\w+\.Arn>, <Data\w+\.Arn>\/\*; the key policy of Producer\/DataKey\/Resource gives account 222222222222 no kms:Decrypt .*\(missing: kms:Decrypt\)/);
    });

    test('Noncompliance 2: write grant, the key allows the partner kms:Decrypt only', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data');
      bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('incoming/*')] }));
      allowKey(key, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
      expect(reported(app, 'DP5')).toEqual(['Producer/Data/Resource']);
      expect(explanation(app, 'DP5', 'Producer/Data/Resource')).toMatch(
        /grants account 222222222222 s3:PutObject on <Data\w+\.Arn>\/incoming\/\*; the key policy of Producer\/DataKey\/Resource gives account 222222222222 kms:Decrypt but no kms:GenerateDataKey\* .*\(missing: kms:GenerateDataKey\*\)/,
      );
    });

    test('Noncompliance 3: L1 resources, partner given as a bare account id', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy({ AWS: '222222222222' })], []);
      expect(reported(app, 'DP5')).toEqual(['Producer/Data']);
    });

    test('Noncompliance 4: wildcard principal narrowed by aws:PrincipalAccount', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ['222222222222'] } } })], []);
      expect(reported(app, 'DP5')).toEqual(['Producer/Data']);
    });

    test('Noncompliance 5: the key allows the partner only through another service', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data');
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      allowKey(key, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
      expect(reported(app, 'DP5')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 6: the key statement is scoped to another caller account', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy({ AWS: 'arn:aws:iam::222222222222:role/reader' })], [
        { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '333333333333' } } },
      ]);
      expect(reported(app, 'DP5')).toEqual(['Producer/Data']);
    });

    test('Noncompliance 7: environment-agnostic stack, the partner is a literal account', () => {
      const { app, stack } = agnosticStack('Producer');
      const { bucket } = compliantPlainBucket(stack, 'Data');
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP5')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 8: shared with an organization, the key grants only its own account', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })], []);
      expect(reported(app, 'DP5')).toEqual(['Producer/Data']);
      expect(explanation(app, 'DP5', 'Producer/Data')).toContain(`organization ${ORG}`);
    });

    test('Noncompliance 9: the key statement is scoped to the encryption context of another bucket', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data', { bucketName: 'data-111111111111' });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      allowKey(key, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), {
        StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
        StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::other-bucket', 'arn:aws:s3:::other-bucket/*'] },
      });
      expect(reported(app, 'DP5')).toEqual(['Producer/Data/Resource']);
    });

    test.each([
      ['with a Bucket Key, the key statement admits object ARNs only (S3 sends the bucket ARN)', true, 'arn:aws:s3:::data-111111111111/*'],
      ['without a Bucket Key, the key statement admits the bucket ARN only (S3 sends object ARNs)', false, 'arn:aws:s3:::data-111111111111'],
    ])('Noncompliance 10 (case D05): %s', (_, bucketKeyEnabled, context) => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data', { bucketName: 'data-111111111111', bucketKeyEnabled });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      allowKey(key, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), {
        StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
        StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': context },
      });
      expect(reported(app, 'DP5')).toEqual(['Producer/Data/Resource']);
    });

    test('Compliance 1: the key grants the partner kms:Decrypt (grantDecrypt)', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data');
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      key.grantDecrypt(new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Compliance 2: wildcard key statement scoped by kms:CallerAccount and kms:ViaService s3', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } })], [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': '222222222222', 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        },
      ]);
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Compliance 3: read-write partner with kms:GenerateDataKey* and kms:Decrypt', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data');
      bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }));
      allowKey(key, ['kms:Decrypt', 'kms:GenerateDataKey*'], new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Compliance 4: same-account grants only', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      shareRead(bucket, role);
      shareRead(bucket, new iam.AccountPrincipal('111111111111'));
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Compliance 5: organization partner with a key statement for the same organization', () => {
      const { app, stack } = producerStack();
      const cond = { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } };
      l1(stack, [readBy('*', cond)], [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', ...cond }]);
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Compliance 6: the key statement is scoped to the encryption context of this bucket, by name or by ARN', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data', { bucketName: 'data-111111111111' });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      allowKey(key, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), {
        StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::data-111111111111', 'arn:aws:s3:::data-111111111111/*'] },
      });
      const { bucket: other, key: otherKey } = compliantPlainBucket(stack, 'Other');
      shareRead(other, new iam.AccountPrincipal(PARTNER));
      allowKey(otherKey, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), {
        StringEquals: { 'kms:EncryptionContext:aws:s3:arn': other.bucketArn },
      });
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test.each([
      ['a Bucket Key: the bucket ARN', true, 'arn:aws:s3:::data-111111111111'],
      ['no Bucket Key: object ARNs', false, 'arn:aws:s3:::data-111111111111/*'],
    ])('Compliance 7 (case D05): with %s, what S3 sends', (_, bucketKeyEnabled, context) => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Data', { bucketName: 'data-111111111111', bucketKeyEnabled });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      allowKey(key, ['kms:Decrypt'], new iam.AccountPrincipal(PARTNER), { StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': context } });
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Not applicable 1: the key is imported (its policy is not in the app)', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'Ext', KEY_ARN);
      const { bucket } = compliantPlainBucket(stack, 'Data', { encryptionKey: key });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Not applicable 2: the key lives in another stack (a cross-stack reference)', () => {
      const app = new App();
      const keys = stackIn(app, 'Keys');
      const key = new kms.Key(keys, 'Key', { enableKeyRotation: true });
      const data = stackIn(app, 'Data');
      const { bucket } = compliantPlainBucket(data, 'Bucket', { encryptionKey: key });
      shareRead(bucket, new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Not applicable 3: a key-policy principal known only at deployment may be the partner', () => {
      const { app, stack } = producerStack();
      const who = new CfnParameter(stack, 'Who');
      l1(stack, [readBy({ AWS: '222222222222' })], [{ Effect: 'Allow', Principal: { AWS: who.valueAsString }, Action: 'kms:Decrypt', Resource: '*' }]);
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Not applicable 4: the partner account may belong to the organization the key trusts', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy({ AWS: '222222222222' })], [
        { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } },
      ]);
      expect(reported(app, 'DP5')).toEqual([]);
    });

    test('Not applicable 5: the bucket-policy principal is known only at deployment', () => {
      const { app, stack } = producerStack();
      l1(stack, [readBy({ AWS: Fn.importValue('PartnerRoleArn') })], []);
      expect(reported(app, 'DP5')).toEqual([]);
    });
  });
});
