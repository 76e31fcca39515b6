import * as iam from 'aws-cdk-lib/aws-iam';
import { KMS_TOPIC_PUBLISH_ACTIONS } from './perms';
import {
  SID_ALLOW_CLOUDWATCH_ALARMS_PUBLISH,
  SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE,
  SID_ALLOW_EVENTBRIDGE_TOPIC_KEY_USE,
  SID_ALLOW_KEY_EVENT_RULES_PUBLISH,
} from './sids';

/**
 * Statements of a monitoring topic (`KeyMonitoring`): the topic key's policy
 * letting CloudWatch and EventBridge publish through SNS, and the topic
 * policy letting the account's alarms and the key-event rules publish.
 * Internal builders: they take checked values and do not validate.
 */

/** The service principals that publish a monitoring topic's notifications, with the Sid of their key-policy statement. */
export const TOPIC_PUBLISHING_SERVICES: ReadonlyArray<{ readonly service: string; readonly sid: string }> = [
  { service: 'cloudwatch.amazonaws.com', sid: SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE },
  { service: 'events.amazonaws.com', sid: SID_ALLOW_EVENTBRIDGE_TOPIC_KEY_USE },
];

/**
 * Key policy: let `service` use the key for one topic only, and only through
 * SNS: `kms:ViaService` is SNS of the topic's Region and the encryption
 * context SNS sends (`aws:sns:topicArn`) is the topic's ARN.
 *
 * The ARN must not reference the topic (the topic references the key: a
 * cycle): build it from the topic's physical name.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * @see https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html (the `kms:EncryptionContext:aws:sns:topicArn` condition)
 */
export function allowServiceTopicKeyUse(service: string, sid: string, topicArn: string, region: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal(service)],
    actions: KMS_TOPIC_PUBLISH_ACTIONS,
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:ViaService': `sns.${region}.amazonaws.com`,
        'kms:EncryptionContext:aws:sns:topicArn': topicArn,
      },
    },
  });
}

/**
 * Topic policy: CloudWatch alarms of `account` in `region` may publish
 * (`aws:SourceAccount`, and `aws:SourceArn` an alarm ARN of that account and Region).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function allowCloudWatchAlarmsPublish(topicArn: string, account: string, alarmArnPattern: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_CLOUDWATCH_ALARMS_PUBLISH,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': alarmArnPattern },
    },
  });
}

/**
 * Topic policy: the EventBridge rules `ruleArns` (and no other rule) may
 * publish (`aws:SourceArn`, `aws:SourceAccount`).
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
export function allowKeyEventRulesPublish(topicArn: string, account: string, ruleArns: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_KEY_EVENT_RULES_PUBLISH,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': account },
      ArnEquals: { 'aws:SourceArn': ruleArns },
    },
  });
}
