import { CfnResource } from 'aws-cdk-lib';
import { BUCKET_POLICY, KEY } from '../../analysis/bucket';
import { deployedSize } from '../../analysis/size';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/** AWS limits, in bytes. */
export const BUCKET_POLICY_LIMIT = 20_480;
export const KEY_POLICY_LIMIT = 32_768;
/** The share of the limit above which a policy is reported. */
export const SIZE_THRESHOLD = 0.9;

function measure(node: CfnResource): { size: number; limit: number; what: string } | undefined {
  if (node.cfnResourceType === BUCKET_POLICY) {
    const doc = render(node).props.PolicyDocument;
    return doc === undefined ? undefined : { size: deployedSize(node, doc), limit: BUCKET_POLICY_LIMIT, what: 'bucket policy' };
  }
  if (node.cfnResourceType === KEY) {
    const doc = render(node).props.KeyPolicy;
    return doc === undefined ? undefined : { size: deployedSize(node, doc), limit: KEY_POLICY_LIMIT, what: 'key policy' };
  }
  return undefined;
}

/**
 * DP13: a bucket policy over 90 % of 20,480 bytes or a key policy over 90 %
 * of 32,768 bytes, measured on the resolved JSON with realistic values for
 * what is known only at deployment.
 */
export const PolicySize: RuleDefinition = {
  id: 'DP13',
  level: RuleLevel.WARNING,
  info: 'The bucket or key policy is over 90 % of its AWS size limit (bucket policy 20,480 bytes, key policy 32,768 bytes).',
  explanation:
    'A policy over its limit fails to deploy (MalformedPolicy / LimitExceededException), often on the day one more partner is added. ' +
    'Fix: merge statements that differ only by principal, grant an organization (aws:PrincipalOrgID, Partner.organization) instead of listing accounts, or move grants to access points.',
  check(node: CfnResource): RuleCompliance {
    const m = measure(node);
    if (m === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return m.size > m.limit * SIZE_THRESHOLD ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const m = measure(node);
    return m ? `The ${m.what} measures about ${m.size} bytes of its ${m.limit}-byte limit.` : undefined;
  },
};
