import { CfnResource } from 'aws-cdk-lib';
import { keyPolicyStatements } from '../../analysis/key';
import { render } from '../../analysis/template';
import { alarmsNotifying, keyAllowsServicePublish, TOPIC, topicKey } from '../../analysis/topic';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/** Why CloudWatch cannot publish to the topic; undefined when it can, when no alarm notifies the topic, or when it cannot be told. */
function problem(node: CfnResource): { text?: string; compliance: RuleCompliance } {
  if (node.cfnResourceType !== TOPIC) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const alarms = alarmsNotifying(node);
  if (alarms.length === 0) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const names = alarms.map((a) => a.node.path).join(', ');
  const key = topicKey(node);
  switch (key.kind) {
    case 'none':
      return { compliance: RuleCompliance.COMPLIANT };
    case 'aws-managed':
      return {
        compliance: RuleCompliance.NON_COMPLIANT,
        text: `The topic is encrypted under the AWS-managed key alias/aws/sns, whose key policy cannot let CloudWatch use it, and the alarm(s) ${names} notify it.`,
      };
    case 'stack': {
      const statements = keyPolicyStatements(render(key.key));
      if (statements === undefined) {
        return { compliance: RuleCompliance.NOT_APPLICABLE };
      }
      const verdict = keyAllowsServicePublish(statements, CLOUDWATCH);
      if (verdict === 'unknown') {
        return { compliance: RuleCompliance.NOT_APPLICABLE };
      }
      return verdict === 'yes'
        ? { compliance: RuleCompliance.COMPLIANT }
        : {
          compliance: RuleCompliance.NON_COMPLIANT,
          text: `The policy of the topic's key ${key.key.node.path} does not allow ${CLOUDWATCH} kms:GenerateDataKey* and kms:Decrypt, and the alarm(s) ${names} notify the topic.`,
        };
    }
    default:
      // a key of another stack or account: its policy is not in this template
      return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
}

/**
 * DP21: an SNS topic that CloudWatch alarms notify, encrypted under a KMS
 * key, lets CloudWatch use the key. Otherwise SNS refuses every alarm
 * notification (KMS AccessDenied, seen only in the alarm's history) and
 * nobody is told.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const AlarmTopicKey: RuleDefinition = {
  id: 'DP21',
  level: RuleLevel.ERROR,
  info: 'CloudWatch alarms notify an SNS topic encrypted under a KMS key that CloudWatch may not use: their notifications are dropped.',
  explanation:
    'To publish to an encrypted topic, CloudWatch needs kms:GenerateDataKey* and kms:Decrypt on the topic\'s key; without them SNS rejects the alarm\'s notification and the alarm history alone records the failure. ' +
    'The AWS-managed key alias/aws/sns can never allow it. ' +
    'Fix: encrypt the topic under a customer-managed key whose policy allows the service principal cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt (KeyMonitoring creates such a topic), or notify an unencrypted topic.',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
