import { CfnResource } from 'aws-cdk-lib';
import { asList, isObject, referencedLogicalId, render, resourceByLogicalId } from './template';

/** CloudFormation types of Amazon Redshift. */
export const REDSHIFT_CLUSTER = 'AWS::Redshift::Cluster';
export const REDSHIFT_PARAMETER_GROUP = 'AWS::Redshift::ClusterParameterGroup';
export const REDSHIFT_SERVERLESS_NAMESPACE = 'AWS::RedshiftServerless::Namespace';
export const REDSHIFT_SERVERLESS_WORKGROUP = 'AWS::RedshiftServerless::Workgroup';

/** The value of `require_ssl` in a list of `{ ParameterName|ParameterKey, ParameterValue }`: undefined when absent, `unknown` when not readable. */
export function requireSslValue(parameters: unknown, nameKey: 'ParameterName' | 'ParameterKey'): string | undefined | 'unknown' {
  if (parameters !== undefined && !Array.isArray(parameters)) {
    return 'unknown';
  }
  for (const p of asList(parameters)) {
    if (!isObject(p)) return 'unknown';
    const name = p[nameKey];
    if (typeof name !== 'string') return 'unknown';
    if (name === 'require_ssl') {
      const value = p.ParameterValue;
      return typeof value === 'string' || typeof value === 'boolean' ? String(value).toLowerCase() : 'unknown';
    }
  }
  return undefined;
}

/**
 * How a cluster's parameter group stands on `require_ssl`: `default` (no
 * group, or a `default.*` group), `on`, `off` (a group of this stack without
 * `require_ssl` = true), or `unknown` (a group of another stack or account).
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html
 */
export function clusterRequireSsl(node: CfnResource): { state: 'default' | 'on' | 'off' | 'unknown'; group?: string } {
  const name = render(node).props.ClusterParameterGroupName;
  if (name === undefined || (typeof name === 'string' && name.startsWith('default.'))) {
    return { state: 'default', group: typeof name === 'string' ? name : undefined };
  }
  const ref = referencedLogicalId(name);
  const group = ref ? resourceByLogicalId(node, ref.logicalId) : undefined;
  if (!group || group.cfnResourceType !== REDSHIFT_PARAMETER_GROUP) {
    return { state: 'unknown', group: typeof name === 'string' ? name : undefined };
  }
  const value = requireSslValue(render(group).props.Parameters, 'ParameterName');
  if (value === 'unknown') return { state: 'unknown', group: group.node.path };
  return { state: value === 'true' ? 'on' : 'off', group: group.node.path };
}
