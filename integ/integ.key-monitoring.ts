import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CrossAccountSharedKey, KeyMonitoring } from '../src';

const app = new App();
const stack = new Stack(app, 'KeyMonitoringInteg');
const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const monitoring = new KeyMonitoring(stack, 'Monitoring', { keys: [key.key], quotaAlarmThresholdPercent: 80 });
// A queue subscribed to the topic, to see what reaches it (SQS-managed encryption: SNS needs no key policy for it).
const inbox = new sqs.Queue(stack, 'Inbox', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
monitoring.topic.addSubscription(new subscriptions.SqsSubscription(inbox, { rawMessageDelivery: true }));

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
// EventBridge itself says the patterns match CloudTrail's records of the calls (TestEventPattern), and that
// CreateGrant matches a grantee of another account only.
const patternOf = (rule: events.Rule) => stack.toJsonString((rule.node.defaultChild as events.CfnRule).eventPattern);
const cloudTrailRecord = (eventName: string, extra: Record<string, unknown> = {}) =>
  stack.toJsonString({
    'version': '0',
    'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': 'aws.kms',
    'account': stack.account,
    'time': '2026-12-03T12:00:00Z',
    'region': stack.region,
    'resources': [],
    'detail': {
      eventSource: 'kms.amazonaws.com',
      eventName,
      userIdentity: { arn: `arn:${stack.partition}:iam::${stack.account}:role/Admin` },
      resources: [{ accountId: stack.account, type: 'AWS::KMS::Key', ARN: key.keyArn }],
      ...extra,
    },
  });
const [, scheduleKeyDeletion, , createGrant] = monitoring.rules;
integ.assertions
  .awsApiCall('EventBridge', 'testEventPattern', { EventPattern: patternOf(scheduleKeyDeletion), Event: cloudTrailRecord('ScheduleKeyDeletion') })
  .expect(ExpectedResult.objectLike({ Result: true }));
integ.assertions
  .awsApiCall('EventBridge', 'testEventPattern', {
    EventPattern: patternOf(createGrant),
    Event: cloudTrailRecord('CreateGrant', { requestParameters: { granteePrincipal: 'arn:aws:iam::222222222222:role/Outsider' } }),
  })
  .expect(ExpectedResult.objectLike({ Result: true }));
integ.assertions
  .awsApiCall('EventBridge', 'testEventPattern', {
    EventPattern: patternOf(createGrant),
    Event: cloudTrailRecord('CreateGrant', { requestParameters: { granteePrincipal: `arn:${stack.partition}:iam::${stack.account}:role/Worker` } }),
  })
  .expect(ExpectedResult.objectLike({ Result: false }));
// The proof that matters: an alarm's notification gets through the encrypted topic (kms:ViaService and the
// encryption context of the key policy hold for CloudWatch's publication). Set the quota alarm to ALARM, read the inbox.
integ.assertions
  .awsApiCall('CloudWatch', 'setAlarmState', {
    AlarmName: monitoring.quotaAlarm!.alarmName,
    StateValue: 'ALARM',
    StateReason: 'integ test: the notification must reach the encrypted topic',
  })
  .next(
    integ.assertions
      .awsApiCall('SQS', 'receiveMessage', { QueueUrl: inbox.queueUrl, WaitTimeSeconds: 20 })
      .expect(ExpectedResult.objectLike({ Messages: [{ Body: ExpectedResult.stringLikeRegexp('integ test: the notification must reach the encrypted topic') }] }))
      .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) }),
  );
