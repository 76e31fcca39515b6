import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedBucket, TlsOnlyBucketPolicy, TlsVersion } from '../src';

const app = new App();
const stack = new Stack(app, 'EncryptedBucketInteg');
const encrypted = new EncryptedBucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
const plain = new s3.Bucket(stack, 'Plain', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true, enforceSSL: true });
new TlsOnlyBucketPolicy(stack, 'PlainTlsOnly', { bucket: plain, minimumTlsVersion: TlsVersion.TLS_1_3 });

const integ = new IntegTest(app, 'EncryptedBucketTest', { testCases: [stack] });
integ.assertions
  .awsApiCall('S3', 'getBucketEncryption', { Bucket: encrypted.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    ServerSideEncryptionConfiguration: { Rules: [{ BucketKeyEnabled: true, ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: encrypted.encryptionKey!.keyArn } }] },
  }));
