import { CfnResource } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import fc from 'fast-check';
import { join, KEY_ARN, producerStack } from '../support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

const partition = { Ref: 'AWS::Partition' };

const principal = fc.oneof(
  fc.constant('*'),
  fc.constant({ AWS: '*' }),
  fc.constant({ AWS: '222222222222' }),
  fc.constant({ AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:role/x'] }),
  fc.constant({ AWS: join('arn:', partition, ':iam::', { Ref: 'AWS::AccountId' }, ':root') }),
  fc.constant({ AWS: join('arn:', partition, ':iam::444444444444:root') }),
  fc.constant({ AWS: { 'Fn::ImportValue': 'x' } }),
  fc.constant({ AWS: { Ref: 'Param' } }),
  fc.constant({ Service: 'logging.s3.amazonaws.com' }),
  fc.constant({ CanonicalUser: 'abc' }),
  fc.constant({ Federated: 'cognito-identity.amazonaws.com' }),
  fc.anything(),
);
const action = fc.oneof(
  fc.constantFrom('s3:*', '*', 's3:GetObject', 's3:Put*', 'kms:*', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Put*'),
  fc.array(fc.constantFrom('s3:GetObject', 'kms:Decrypt', 's3:PutObject', 'kms:PutKeyPolicy')),
  fc.constant({ Ref: 'Param' }),
  fc.anything(),
);
const resource = fc.oneof(
  fc.constant('*'),
  fc.constant({ 'Fn::GetAtt': ['Data', 'Arn'] }),
  fc.constant(join({ 'Fn::GetAtt': ['Data', 'Arn'] }, '/*')),
  fc.constant('arn:aws:s3:::bucket/*'),
  fc.anything(),
);
const conditionKey = fc.constantFrom(
  'aws:SecureTransport',
  's3:TlsVersion',
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalArn',
  'kms:CallerAccount',
  'kms:ViaService',
  'kms:EncryptionContext:aws:s3:arn',
  'aws:SourceVpce',
  'aws:ViaAWSService',
  's3:x-amz-server-side-encryption-customer-algorithm',
);
const operator = fc.constantFrom('Bool', 'StringEquals', 'StringLike', 'StringNotEquals', 'NumericLessThan', 'Null', 'ArnLike', 'ForAnyValue:StringLike', 'StringEqualsIfExists');
const condition = fc.oneof(
  fc.dictionary(operator, fc.dictionary(conditionKey, fc.oneof(fc.string(), fc.constant('222222222222'), fc.constant({ Ref: 'AWS::Region' }), fc.array(fc.string()), fc.anything()))),
  fc.anything(),
);
const statement = fc.record(
  {
    Sid: fc.string(),
    Effect: fc.constantFrom('Allow', 'Deny', 'Other'),
    Principal: principal,
    NotPrincipal: principal,
    Action: action,
    NotAction: action,
    Resource: resource,
    NotResource: resource,
    Condition: condition,
  },
  { requiredKeys: ['Effect'] },
);
const document = fc.oneof(
  fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.oneof(fc.array(statement, { maxLength: 6 }), statement) }),
  fc.constant({ 'Fn::ImportValue': 'Policy' }),
  fc.anything(),
);
const keyId = fc.oneof(
  fc.constant(undefined),
  fc.constant({ 'Fn::GetAtt': ['Key', 'Arn'] }),
  fc.constant({ Ref: 'Key' }),
  fc.constant('alias/aws/s3'),
  fc.constant(KEY_ARN),
  fc.string(),
);

const algorithm = fc.constantFrom('aws:kms', 'AES256', 'aws:kms:dsse', 'other');

describe('DataProtectionChecks', () => {
  describe('robustness', () => {
    test('random bucket policies, key policies and encryption settings never make a rule throw', () => {
      fc.assert(
        fc.property(document, document, keyId, algorithm, fc.boolean(), (bucketPolicy, keyPolicy, kmsMasterKeyId, sseAlgorithm, bucketKey) => {
          const { app, stack } = producerStack();
          const key = new kms.CfnKey(stack, 'KeyResource', { keyPolicy });
          key.overrideLogicalId('Key');
          const rule = { bucketKeyEnabled: bucketKey, serverSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId: kmsMasterKeyId as any } };
          const bucket = new s3.CfnBucket(stack, 'DataResource', { bucketEncryption: { serverSideEncryptionConfiguration: [rule] } });
          bucket.overrideLogicalId('Data');
          new s3.CfnBucketPolicy(stack, 'Policy', { bucket: bucket.ref, policyDocument: bucketPolicy ?? {} });
          // cdk-nag groups violations by rule and keeps only the first description,
          // so validate one resource at a time to see every resource's own description.
          const resources = app.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource);
          expect(resources.map((r) => r.node.path).sort()).toEqual(['Producer/DataResource', 'Producer/KeyResource', 'Producer/Policy']);
          const thrown: string[] = [];
          for (const target of resources) {
            const report = new DataProtectionChecks(app, { verbose: true }).validateScope(target);
            for (const v of report.violations) {
              if (v.description.includes('Rule threw an error')) {
                thrown.push(`${target.node.path} ${v.ruleName}: ${v.description}`);
              }
            }
          }
          expect(thrown).toEqual([]);
        }),
        { numRuns: 150, seed: 20240601 },
      );
    });
  });
});
