import { Duration, Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossAccountSharedKey, DataProtectionReport, EncryptedBucket, EncryptedDeliveryStream, EncryptedStream, ServerSideEncryption } from '../src';
import { findings } from './checks/helpers';
import { kmsKeyArn, producerStack } from './support';

const KEY = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] };
const BUCKET = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExchangeBucket'), 'Arn'] };

function deliveryStack(props: Partial<ConstructorParameters<typeof EncryptedDeliveryStream>[2]> = {}) {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key.key });
  const delivery = new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange, dataOutputPrefix: 'orders/', ...props });
  return { app, stack, key, exchange, delivery };
}

describe('EncryptedDeliveryStream', () => {
  describe('encryption', () => {
    test('server-side encryption under the key (CUSTOMER_MANAGED_CMK), delivering SSE-KMS objects under the same key', () => {
      const { stack } = deliveryStack();
      Template.fromStack(stack).hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: KEY },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BucketARN: BUCKET,
          Prefix: 'orders/',
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KEY } },
        }),
      });
    });

    test('the delivery stream waits for its role policy', () => {
      const { stack } = deliveryStack();
      Template.fromStack(stack).hasResource('AWS::KinesisFirehose::DeliveryStream', { DependsOn: [Match.stringLikeRegexp('^OrdersRolePolicy')] });
    });

    test('passes the DataProtection pack', () => {
      const { app } = deliveryStack();
      expect(findings(app)).toEqual([]);
    });

    test('fails synthesis when an escape hatch turns SSE to an AWS-owned key (DP24 promised)', () => {
      const { app, delivery } = deliveryStack();
      delivery.deliveryStream.addPropertyOverride('DeliveryStreamEncryptionConfigurationInput', { KeyType: 'AWS_OWNED_CMK' });
      expect(() => app.synth()).toThrow(/fails DataProtection-DP24 on the final template, which EncryptedDeliveryStream Producer\/Orders promises/);
    });
  });

  describe('delivery role', () => {
    test('assumed by Firehose with the account as external id', () => {
      const { stack } = deliveryStack();
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'sts:ExternalId': '111111111111' } } }],
        },
      });
    });

    test('reaches the key only through S3 and only for the bucket (kms:ViaService, kms:EncryptionContext:aws:s3:arn)', () => {
      const { stack } = deliveryStack();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^OrdersRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Sid: 'DeliveryBucketAccess', Action: Match.arrayWith(['s3:AbortMultipartUpload', 's3:PutObject']) }),
            {
              Sid: 'DeliveryKeyUseThroughS3',
              Effect: 'Allow',
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: KEY,
              Condition: {
                StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
                StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, { 'Fn::Join': ['', [BUCKET, '/*']] }] },
              },
            },
          ],
        },
      });
      // no other statement of the stack grants the delivery role the key
      const policies = [...Object.values(template.findResources('AWS::IAM::Policy')), ...Object.values(template.findResources('AWS::IAM::ManagedPolicy'))];
      const keyStatements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith('kms:')));
      expect(keyStatements.map((s: any) => s.Sid)).toEqual(['DeliveryKeyUseThroughS3']);
    });

    test('error logging: a log stream in the given group, PutLogEvents on it, CloudWatchLoggingOptions', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key.key });
      const group = new logs.LogGroup(stack, 'Errors');
      new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange, errorLogGroup: group, bufferingInterval: Duration.seconds(60) });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Logs::LogStream', { LogStreamName: 'DeliveryErrors' });
      template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BufferingHints: { IntervalInSeconds: 60 },
          CloudWatchLoggingOptions: { Enabled: true, LogGroupName: { Ref: Match.stringLikeRegexp('^Errors') }, LogStreamName: { Ref: Match.stringLikeRegexp('^OrdersDeliveryErrors') } },
        }),
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DeliveryErrorLogging', Action: 'logs:PutLogEvents' })]) },
      });
    });

    test('grantPutRecords: firehose:PutRecord and PutRecordBatch on the stream, nothing on the key', () => {
      const { stack, delivery } = deliveryStack();
      const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      delivery.grantPutRecords(producer);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Producer') }],
        PolicyDocument: { Statement: [{ Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDeliveryStream'), 'Arn'] } }] },
      });
    });
  });

  describe('report', () => {
    test('the key\'s request budget lists the bucket, the delivery stream and a stream under the same key', () => {
      const { stack, key } = deliveryStack();
      new EncryptedStream(stack, 'Events', { encryptionKey: key.key });
      const report = DataProtectionReport.of(stack).toJson() as any;
      const budget = report.keys.find((k: any) => k.path === 'Producer/Key').requestBudget;
      expect(budget.usedBy.map((u: any) => `${u.kind} ${u.path}`)).toEqual([
        'bucket Producer/Exchange/Bucket',
        'AWS::KinesisFirehose::DeliveryStream Producer/Orders/DeliveryStream',
        'AWS::Kinesis::Stream Producer/Events/Stream',
      ]);
    });
  });

  describe('bad input', () => {
    test('fails if the destination bucket is under another key (names destination and the fix)', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const other = new CrossAccountSharedKey(stack, 'Other');
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: other.key });
      expect(() => new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange })).toThrow(
        /^destination Producer\/Exchange is encrypted under Producer\/Other\/Key .* but encryptionKey is Producer\/Key\/Key .*Pass the bucket's key as encryptionKey/,
      );
    });

    test('fails if the destination bucket uses SSE-S3', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryption: ServerSideEncryption.SSE_S3 });
      expect(() => new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange })).toThrow(
        /^destination Producer\/Exchange is encrypted with ServerSideEncryption.SSE_S3 \(AES256\), not SSE-KMS.*encryption: ServerSideEncryption.SSE_KMS/,
      );
    });

    test('fails if the destination bucket uses DSSE-KMS', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryption: ServerSideEncryption.DSSE_KMS, encryptionKey: key.key });
      expect(() => new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange })).toThrow(/is encrypted with ServerSideEncryption.DSSE_KMS \(aws:kms:dsse\), not SSE-KMS/);
    });

    test('fails if the destination is a plain s3.Bucket', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Plain', { encryptionKey: key.key });
      expect(() => new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: bucket as any })).toThrow(/^destination must be an EncryptedBucket, got Producer\/Plain/);
    });

    test('fails if the key is AWS-managed (alias/aws/firehose)', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key.key });
      expect(() => new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/firehose'), destination: exchange })).toThrow(
        /^encryptionKey is the AWS-managed key alias\/aws\/[a-z]+: its key policy cannot be changed/,
      );
    });

    test('fails if the key is of another Region', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1'));
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key });
      expect(() => new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key, destination: exchange })).toThrow(/^encryptionKey arn:aws:kms:us-east-1:\d{12}:key\/\S+ is in Region us-east-1, but/);
    });

    test('fails at synthesis if a token resolves to a key of another Region', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-east-1') }));
      const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key });
      new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key, destination: exchange });
      expect(() => app.synth()).toThrow(/Producer\/Orders: a value that was a token at construction is refused once resolved at synthesis: encryptionKey arn:aws:kms:us-east-1:\d{12}:key\/\S+ is in Region us-east-1, but/);
    });

    test('fails if bufferingInterval is over 900 seconds', () => {
      expect(() => deliveryStack({ bufferingInterval: Duration.minutes(20) })).toThrow(/^bufferingInterval must be between 0 and 900 seconds .* got 1200 seconds/);
    });
  });
});

describe('DataProtectionChecks', () => {
  describe('DP24 delivery stream customer-managed key', () => {
    const destination = (bucketArn: string, roleArn: string) => ({ bucketArn, roleArn });

    test('Noncompliance 1: no server-side encryption', () => {
      const { app, stack } = producerStack();
      new firehose.CfnDeliveryStream(stack, 'D', { deliveryStreamType: 'DirectPut', s3DestinationConfiguration: destination('arn:aws:s3:::b', 'arn:aws:iam::111111111111:role/r') });
      expect(findings(app)).toContain('DataProtection-DP24 Producer/D');
    });

    test('Noncompliance 2: an AWS-owned key (aws-cdk-lib StreamEncryption.awsOwnedKey)', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'B');
      new firehose.DeliveryStream(stack, 'D', { destination: new firehose.S3Bucket(bucket), encryption: firehose.StreamEncryption.awsOwnedKey() });
      expect(findings(app)).toContain('DataProtection-DP24 Producer/D/Resource');
    });

    test('Noncompliance 3: CUSTOMER_MANAGED_CMK without a KeyARN', () => {
      const { app, stack } = producerStack();
      new firehose.CfnDeliveryStream(stack, 'D', {
        deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK' },
        s3DestinationConfiguration: destination('arn:aws:s3:::b', 'arn:aws:iam::111111111111:role/r'),
      });
      expect(findings(app)).toContain('DataProtection-DP24 Producer/D');
    });

    test('Compliance: a customer-managed key (aws-cdk-lib StreamEncryption.customerManagedKey, EncryptedDeliveryStream)', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
      new firehose.DeliveryStream(stack, 'D', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B')), encryption: firehose.StreamEncryption.customerManagedKey(key) });
      expect(findings(app).filter((f) => f.startsWith('DataProtection-DP24'))).toEqual([]);
    });

    test('Not applicable: a delivery stream reading a Kinesis data stream (the stream\'s encryption applies)', () => {
      const { app, stack } = producerStack();
      new firehose.CfnDeliveryStream(stack, 'D', {
        deliveryStreamType: 'KinesisStreamAsSource',
        kinesisStreamSourceConfiguration: { kinesisStreamArn: 'arn:aws:kinesis:eu-west-1:111111111111:stream/s', roleArn: 'arn:aws:iam::111111111111:role/r' },
        s3DestinationConfiguration: destination('arn:aws:s3:::b', 'arn:aws:iam::111111111111:role/r'),
      });
      expect(findings(app).filter((f) => f.startsWith('DataProtection-DP24'))).toEqual([]);
    });
  });
});
