import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { reported } from './helpers';
import { CrossAccountSharedKey, KeyMonitoring } from '../../src';
import { KEY_MONITORING_CONTEXT_KEY } from '../../src/checks/rules/key-monitored';
import { ENV } from '../support';

/** An app that opts in to DP22 (or not), and its producer stack. */
function app(optIn: boolean): { app: App; stack: Stack } {
  const a = new App({ context: optIn ? { [KEY_MONITORING_CONTEXT_KEY]: true } : {} });
  return { app: a, stack: new Stack(a, 'Producer', { env: ENV }) };
}

describe('DataProtectionChecks', () => {
  describe('DP22 (opt-in) every key of the app is watched', () => {
    test('the context key is cdk-data-protection:requireKeyMonitoring', () => {
      expect(KEY_MONITORING_CONTEXT_KEY).toBe('cdk-data-protection:requireKeyMonitoring');
    });

    test('Noncompliance: opted in, a CrossAccountSharedKey and a kms.Key no rule watches', () => {
      const { app: a, stack } = app(true);
      new CrossAccountSharedKey(stack, 'Shared');
      new kms.Key(stack, 'Plain', { enableKeyRotation: true });
      expect(reported(a, 'DP22')).toEqual(['Producer/Plain/Resource', 'Producer/Shared/Key/Resource']);
    });

    test('Compliance: opted in, the keys are in a KeyMonitoring (its topic key too), or a rule of the user names the key', () => {
      const { app: a, stack } = app(true);
      const shared = new CrossAccountSharedKey(stack, 'Shared');
      new KeyMonitoring(stack, 'Monitoring', { keys: [shared.key] });
      const plain = new kms.Key(stack, 'Plain', { enableKeyRotation: true });
      new events.Rule(stack, 'Own', { eventPattern: { source: ['aws.kms'], resources: [plain.keyArn] } });
      expect(reported(a, 'DP22')).toEqual([]);
    });

    test('Not applicable: not opted in', () => {
      const { app: a, stack } = app(false);
      new CrossAccountSharedKey(stack, 'Shared');
      expect(reported(a, 'DP22')).toEqual([]);
    });
  });
});
