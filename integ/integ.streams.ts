import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CrossAccountSharedKey, EncryptedBucket, EncryptedDeliveryStream, EncryptedStream } from '../src';

const app = new App();
const stack = new Stack(app, 'StreamsInteg');
const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key.key, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
const stream = new EncryptedStream(stack, 'Events', { encryptionKey: key.key, removalPolicy: RemovalPolicy.DESTROY });
const errors = new logs.LogGroup(stack, 'DeliveryErrors', { removalPolicy: RemovalPolicy.DESTROY, retention: logs.RetentionDays.ONE_WEEK });
const delivery = new EncryptedDeliveryStream(stack, 'Orders', {
  encryptionKey: key.key,
  destination: exchange,
  dataOutputPrefix: 'orders/',
  errorOutputPrefix: 'errors/',
  bufferingInterval: Duration.seconds(60),
  errorLogGroup: errors,
});

const integ = new IntegTest(app, 'StreamsTest', { testCases: [stack] });
// Kinesis says the stream is encrypted under the key.
integ.assertions
  .awsApiCall('Kinesis', 'describeStreamSummary', { StreamARN: stream.streamArn })
  .expect(ExpectedResult.objectLike({ StreamDescriptionSummary: { EncryptionType: 'KMS', KeyId: key.keyArn } }));
// Firehose says server-side encryption is on under the key (ENABLED once its grant is in place).
integ.assertions
  .awsApiCall('Firehose', 'describeDeliveryStream', { DeliveryStreamName: delivery.deliveryStreamName })
  .expect(
    ExpectedResult.objectLike({
      DeliveryStreamDescription: { DeliveryStreamEncryptionConfiguration: { KeyARN: key.keyArn, KeyType: 'CUSTOMER_MANAGED_CMK', Status: 'ENABLED' } },
    }),
  );
// A record put through Firehose is accepted (delivered into the bucket under SSE-KMS by the delivery role).
integ.assertions
  .awsApiCall('Firehose', 'putRecord', { DeliveryStreamName: delivery.deliveryStreamName, Record: { Data: '{"order":1}\n' } })
  .expect(ExpectedResult.objectLike({ Encrypted: true }));
