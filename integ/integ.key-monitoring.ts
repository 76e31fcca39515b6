import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CrossAccountSharedKey, KeyMonitoring } from '../src';

const app = new App();
const stack = new Stack(app, 'KeyMonitoringInteg');
const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const monitoring = new KeyMonitoring(stack, 'Monitoring', { keys: [key.key], quotaAlarmThresholdPercent: 80 });

const integ = new IntegTest(app, 'KeyMonitoringTest', { testCases: [stack] });
// The topic is encrypted under its key, and the key's policy lets CloudWatch and EventBridge use it.
integ.assertions
  .awsApiCall('SNS', 'getTopicAttributes', { TopicArn: monitoring.topic.topicArn })
  .expect(ExpectedResult.objectLike({ Attributes: { KmsMasterKeyId: monitoring.topicKey!.keyArn } }));
integ.assertions
  .awsApiCall('KMS', 'getKeyPolicy', { KeyId: monitoring.topicKey!.keyArn, PolicyName: 'default' })
  .assertAtPath('Policy', ExpectedResult.stringLikeRegexp('cloudwatch.amazonaws.com'));
// The rule for ScheduleKeyDeletion watches the key.
integ.assertions
  .awsApiCall('EventBridge', 'describeRule', { Name: monitoring.rules[1].ruleName })
  .assertAtPath('EventPattern', ExpectedResult.stringLikeRegexp('ScheduleKeyDeletion'));
