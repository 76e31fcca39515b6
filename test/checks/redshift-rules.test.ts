import * as kms from 'aws-cdk-lib/aws-kms';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as rss from 'aws-cdk-lib/aws-redshiftserverless';
import { explanation, reported } from './helpers';
import { DataProtectionRules, RuleCompliance } from '../../src';
import { KEY_ARN, producerStack } from '../support';

const BASE = { nodeType: 'ra3.xlplus', clusterType: 'single-node', dbName: 'dev', masterUsername: 'awsuser', manageMasterPassword: true };

function sslGroup(stack: any, id: string, value?: string) {
  return new redshift.CfnClusterParameterGroup(stack, id, {
    description: id,
    parameterGroupFamily: 'redshift-1.0',
    parameters: value === undefined ? [{ parameterName: 'enable_user_activity_logging', parameterValue: 'true' }] : [{ parameterName: 'require_ssl', parameterValue: value }],
  });
}

describe('DataProtectionChecks', () => {
  describe('DP31 Redshift encrypted under a customer-managed key', () => {
    test('Noncompliance 1: a cluster not encrypted', () => {
      const { app, stack } = producerStack();
      new redshift.CfnCluster(stack, 'C', { ...BASE, clusterParameterGroupName: sslGroup(stack, 'G', 'true').ref });
      expect(reported(app, 'DP31')).toEqual(['Producer/C']);
      expect(explanation(app, 'DP31', 'Producer/C')).toContain('The cluster is not encrypted (Encrypted is not true).');
    });

    test('Noncompliance 2: encrypted under the AWS-managed key (no KmsKeyId)', () => {
      const { app, stack } = producerStack();
      new redshift.CfnCluster(stack, 'C', { ...BASE, encrypted: true });
      expect(reported(app, 'DP31')).toEqual(['Producer/C']);
    });

    test('Noncompliance 3: a Serverless namespace without KmsKeyId', () => {
      const { app, stack } = producerStack();
      new rss.CfnNamespace(stack, 'N', { namespaceName: 'data' });
      expect(reported(app, 'DP31')).toEqual(['Producer/N']);
    });

    test('Compliance: a cluster and a namespace under a customer-managed key', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
      new redshift.CfnCluster(stack, 'C', { ...BASE, encrypted: true, kmsKeyId: key.keyArn });
      new rss.CfnNamespace(stack, 'N', { namespaceName: 'data', kmsKeyId: KEY_ARN });
      expect(reported(app, 'DP31')).toEqual([]);
    });
  });

  describe('DP32 Redshift requires TLS', () => {
    test('Noncompliance 1: a cluster on the default parameter group (none named)', () => {
      const { app, stack } = producerStack();
      new redshift.CfnCluster(stack, 'C', { ...BASE, encrypted: true, kmsKeyId: KEY_ARN });
      expect(reported(app, 'DP32')).toEqual(['Producer/C']);
      expect(explanation(app, 'DP32', 'Producer/C')).toContain('The cluster uses the default parameter group');
    });

    test('Noncompliance 2: a default.* group named; a group of the stack without require_ssl; one with require_ssl false', () => {
      const { app, stack } = producerStack();
      new redshift.CfnCluster(stack, 'Default', { ...BASE, clusterParameterGroupName: 'default.redshift-1.0' });
      new redshift.CfnCluster(stack, 'Without', { ...BASE, clusterParameterGroupName: sslGroup(stack, 'G1').ref });
      new redshift.CfnCluster(stack, 'False', { ...BASE, clusterParameterGroupName: sslGroup(stack, 'G2', 'false').ref });
      expect(reported(app, 'DP32')).toEqual(['Producer/Default', 'Producer/False', 'Producer/Without']);
    });

    test('the rule alone: a parameter group of the stack without require_ssl = true is non-compliant, one with it compliant', () => {
      const { stack } = producerStack();
      const dp32 = DataProtectionRules.find('DP32');
      const without = new redshift.CfnCluster(stack, 'Without', { ...BASE, clusterParameterGroupName: sslGroup(stack, 'G1').ref });
      expect(dp32.check(without)).toBe(RuleCompliance.NON_COMPLIANT);
      const { stack: other } = producerStack();
      const on = new redshift.CfnCluster(other, 'On', { ...BASE, clusterParameterGroupName: sslGroup(other, 'G', 'true').ref });
      expect(dp32.check(on)).toBe(RuleCompliance.COMPLIANT);
    });

    test('Noncompliance 3: a Serverless workgroup without require_ssl', () => {
      const { app, stack } = producerStack();
      new rss.CfnWorkgroup(stack, 'W', { workgroupName: 'wg', namespaceName: 'data' });
      expect(reported(app, 'DP32')).toEqual(['Producer/W']);
    });

    test('Compliance: a group of the stack with require_ssl true; a workgroup with require_ssl true; a group of another stack is not judged', () => {
      const { app, stack } = producerStack();
      new redshift.CfnCluster(stack, 'C', { ...BASE, clusterParameterGroupName: sslGroup(stack, 'G', 'true').ref });
      new redshift.CfnCluster(stack, 'Elsewhere', { ...BASE, clusterParameterGroupName: 'team-ssl-group' });
      new rss.CfnWorkgroup(stack, 'W', { workgroupName: 'wg', namespaceName: 'data', configParameters: [{ parameterKey: 'require_ssl', parameterValue: 'true' }] });
      expect(reported(app, 'DP32')).toEqual([]);
    });
  });
});
