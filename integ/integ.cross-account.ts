/**
 * A producer bucket shared with two partners, one READ and one WRITE (under
 * `incoming/`), read back from AWS: the key policy (KMS GetKeyPolicy) and
 * the bucket policy (S3 GetBucketPolicy) hold the partner statements.
 *
 * The partners are the deploying account itself (`Aws.ACCOUNT_ID`): KMS and
 * S3 validate the principals of a resource policy, so placeholder accounts
 * would fail in a sandbox; the statements have the same shape for any
 * account. Everything is destroyed with the stack.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLevel, EncryptedBucket, Partner } from '../src';

const app = new App();
const stack = new Stack(app, 'CrossAccountInteg');
// integ-runner deploys to one account: the partners are the deploying account itself, on purpose.
Annotations.of(stack).acknowledgeWarning('cdk-data-protection:partnerIsDeployingAccount', 'integ-runner deploys to one sandbox account, so the partner is that account itself.');
const producer = new EncryptedBucket(stack, 'Exchange', {
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  partners: [
    { partner: Partner.account(Aws.ACCOUNT_ID), access: AccessLevel.READ },
    { partner: Partner.account(Aws.ACCOUNT_ID), access: AccessLevel.WRITE, prefix: 'incoming/' },
  ],
});

const integ = new IntegTest(app, 'CrossAccountTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('KMS', 'getKeyPolicy', { KeyId: producer.encryptionKey!.keyArn, PolicyName: 'default' })
  .expect(
    ExpectedResult.objectLike({
      Policy: Match.serializedJson({
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'kms:CallerAccount': Aws.ACCOUNT_ID }) }) }),
          Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'] }),
        ]),
      }),
    }),
  );

integ.assertions
  .awsApiCall('S3', 'getBucketPolicy', { Bucket: producer.bucket.bucketName })
  .expect(
    ExpectedResult.objectLike({
      Policy: Match.serializedJson({
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'PartnerReadAccounts', Action: Match.arrayWith(['s3:GetObject', 's3:ListBucket']) }),
          Match.objectLike({ Sid: Match.stringLikeRegexp('^PartnerWriteAccountsPrefix'), Action: Match.arrayWith(['s3:PutObject', 's3:AbortMultipartUpload']) }),
        ]),
      }),
    }),
  );
