import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey, KeyMonitoring } from '../../src';
import { producerStack } from '../support';

/** An alarm of `scope` that notifies `topic`. */
function alarmOn(scope: Construct, id: string, topic: sns.ITopic): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: '5xxErrors', statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}

describe('DataProtectionChecks', () => {
  describe('DP21 an alarm\'s encrypted topic lets CloudWatch use its key', () => {
    test('Noncompliance 1: a topic under a customer-managed key whose policy does not allow cloudwatch.amazonaws.com', () => {
      const { app, stack } = producerStack();
      const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true }) });
      alarmOn(stack, 'Errors', topic);
      expect(reported(app, 'DP21')).toEqual(['Producer/Alerts/Resource']);
      expect(explanation(app, 'DP21', 'Producer/Alerts/Resource')).toContain(
        'The policy of the topic\'s key Producer/AlertsKey/Resource does not allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, and the alarm(s) Producer/Errors/Resource notify the topic.',
      );
    });

    test('Noncompliance 2: a topic under the AWS-managed key alias/aws/sns', () => {
      const { app, stack } = producerStack();
      const topic = new sns.Topic(stack, 'Alerts', { masterKey: kms.Alias.fromAliasName(stack, 'Managed', 'alias/aws/sns') });
      alarmOn(stack, 'Errors', topic);
      expect(reported(app, 'DP21')).toEqual(['Producer/Alerts/Resource']);
    });

    test('Compliance: the key policy allows CloudWatch; KeyMonitoring\'s own topic; an unencrypted topic', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true });
      key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }));
      alarmOn(stack, 'Errors', new sns.Topic(stack, 'Alerts', { masterKey: key }));
      alarmOn(stack, 'Plain', new sns.Topic(stack, 'PlainTopic'));
      new KeyMonitoring(stack, 'Monitoring', { keys: [new CrossAccountSharedKey(stack, 'Key').key], trail: true });
      expect(reported(app, 'DP21')).toEqual([]);
    });

    test('Not applicable: no alarm notifies the topic; the key is imported', () => {
      const { app, stack } = producerStack();
      new sns.Topic(stack, 'Quiet', { masterKey: new kms.Key(stack, 'QuietKey', { enableKeyRotation: true }) });
      alarmOn(stack, 'Errors', new sns.Topic(stack, 'Imported', { masterKey: kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') }));
      expect(reported(app, 'DP21')).toEqual([]);
    });
  });
});
