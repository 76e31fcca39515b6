import { CfnResource } from 'aws-cdk-lib';
import { clusterRequireSsl, REDSHIFT_CLUSTER, REDSHIFT_SERVERLESS_WORKGROUP, requireSslValue } from '../../analysis/redshift';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType === REDSHIFT_CLUSTER) {
    const { state, group } = clusterRequireSsl(node);
    switch (state) {
      case 'on':
        return { compliance: RuleCompliance.COMPLIANT };
      case 'unknown':
        return { compliance: RuleCompliance.NOT_APPLICABLE };
      case 'default':
        return {
          compliance: RuleCompliance.NON_COMPLIANT,
          text: `The cluster uses the default parameter group${group ? ` ${group}` : ''}, whose require_ssl the template does not set and which cannot be changed.`,
        };
      default:
        return { compliance: RuleCompliance.NON_COMPLIANT, text: `The parameter group ${group} does not set require_ssl to true.` };
    }
  }
  if (node.cfnResourceType === REDSHIFT_SERVERLESS_WORKGROUP) {
    const value = requireSslValue(render(node).props.ConfigParameters, 'ParameterKey');
    if (value === 'unknown') return { compliance: RuleCompliance.NOT_APPLICABLE };
    return value === 'true'
      ? { compliance: RuleCompliance.COMPLIANT }
      : { compliance: RuleCompliance.NON_COMPLIANT, text: `The workgroup's ConfigParameters ${value === undefined ? 'do not set require_ssl' : `set require_ssl to ${value}`}.` };
  }
  return { compliance: RuleCompliance.NOT_APPLICABLE };
}

/**
 * DP32: a Redshift cluster's parameter group, or a Serverless workgroup,
 * sets `require_ssl` to true, so clients connect over TLS only.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-connecting.html
 */
export const RedshiftRequireSsl: RuleDefinition = {
  id: 'DP32',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Redshift cluster (on the default parameter group or one without require_ssl = true) or Serverless workgroup accepts connections without TLS.',
  explanation:
    'Without require_ssl, a client that does not ask for TLS sends credentials and query results in plain text, and nothing in the template says otherwise. ' +
    'Fix: give the cluster a parameter group of its own with require_ssl = true, and the workgroup the config parameter require_ssl = true (EncryptedRedshiftCluster and EncryptedRedshiftServerless do).',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
