import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { rulesWatchingKey } from '../../analysis/topic';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/** The context value that turns DP22 on, for an app, a stage or a stack (`true`); off by default. */
export const KEY_MONITORING_CONTEXT_KEY = 'cdk-data-protection:requireKeyMonitoring';

function required(node: CfnResource): boolean {
  const value = node.node.tryGetContext(KEY_MONITORING_CONTEXT_KEY);
  return value === true || value === 'true';
}

/**
 * DP22 (opt-in: context `cdk-data-protection:requireKeyMonitoring` true): a
 * customer-managed key of the app is watched by an EventBridge rule of its
 * stack (one whose event pattern names the key), so that disabling it,
 * scheduling its deletion or replacing its policy reaches someone.
 * Asymmetric and HMAC keys are checked too: their deletion loses data as well.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html
 */
export const KeyMonitored: RuleDefinition = {
  id: 'DP22',
  level: RuleLevel.WARNING,
  info: 'No EventBridge rule of the stack watches this KMS key: disabling it or scheduling its deletion goes unnoticed.',
  explanation:
    'DisableKey, ScheduleKeyDeletion, PutKeyPolicy and a grant to an outsider are silent unless someone watches the key; once the key is deleted, everything encrypted under it is lost. ' +
    'This rule runs only when the context value cdk-data-protection:requireKeyMonitoring is true. ' +
    'Fix: add the key to a KeyMonitoring (new KeyMonitoring(this, \'Monitoring\', { keys: [key] })), or an EventBridge rule of your own whose event pattern names the key\'s ARN.',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== KEY || !required(node)) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return rulesWatchingKey(node).length > 0 ? RuleCompliance.COMPLIANT : RuleCompliance.NON_COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    return `The key ${render(node).logicalId} (${node.node.path}) is named in no event pattern of its stack.`;
  },
};
