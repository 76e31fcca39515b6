/**
 * A bucket shared through S3 access points (`SharingMode.ACCESS_POINTS`):
 * one READ partner and one WRITE partner under `incoming/`, each in the
 * policy of its own access point; read back from AWS: the access point
 * policy names the partner (S3 Control GetAccessPointPolicy) and the bucket
 * policy delegates to the account's access points (S3 GetBucketPolicy).
 *
 * The partner is the deploying account itself (`Aws.ACCOUNT_ID`): S3
 * validates the principals of a policy, so placeholder accounts would fail
 * in a sandbox; the statements have the same shape for any account.
 * Everything is destroyed with the stack.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLevel, EncryptedBucket, Partner, SharingMode } from '../src';

const app = new App();
const stack = new Stack(app, 'AccessPointsInteg');
// integ-runner deploys to one account: the partners are the deploying account itself, on purpose.
Annotations.of(stack).acknowledgeWarning('cdk-data-protection:partnerIsDeployingAccount', 'integ-runner deploys to one sandbox account, so the partner is that account itself.');
const producer = new EncryptedBucket(stack, 'Exchange', {
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  sharingMode: SharingMode.ACCESS_POINTS,
  partners: [
    { partner: Partner.account(Aws.ACCOUNT_ID), access: AccessLevel.READ },
    { partner: Partner.account(Aws.ACCOUNT_ID), access: AccessLevel.WRITE, prefix: 'incoming/' },
  ],
});
const readPoint = producer.accessPointFor(Partner.account(Aws.ACCOUNT_ID), AccessLevel.READ)!;

const integ = new IntegTest(app, 'AccessPointsTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('S3Control', 'getAccessPointPolicy', { AccountId: Aws.ACCOUNT_ID, Name: readPoint.name! })
  .expect(ExpectedResult.objectLike({ Policy: Match.stringLikeRegexp('PartnerReadAccounts') }));

integ.assertions
  .awsApiCall('S3', 'getBucketPolicy', { Bucket: producer.bucket.bucketName })
  .expect(ExpectedResult.objectLike({ Policy: Match.stringLikeRegexp('DelegateToOwnAccountAccessPoints') }));
