import { CfnResource } from 'aws-cdk-lib';
import { BUCKET_POLICY, KEY } from '../../analysis/bucket';
import { keyPolicyStatements } from '../../analysis/key';
import { AccountContext, coversAction, hasExemption, hasNetworkCondition, isDeny, NETWORK_CONDITION_KEYS, Statement, statementsOf } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { actionsText, principalsText, resourcesText, conditionsText, statementName } from '../statement-text';

/** The network denies that also deny managing the policy, each described; undefined when not applicable or a statement cannot be read. */
function lockouts(node: CfnResource): { found: string[]; unknown: boolean } | undefined {
  let statements: Statement[] | undefined;
  let manageAction: string;
  let policy: string;
  if (node.cfnResourceType === BUCKET_POLICY) {
    statements = statementsOf(render(node).props.PolicyDocument);
    manageAction = 's3:PutBucketPolicy';
    policy = 'Bucket policy';
  } else if (node.cfnResourceType === KEY) {
    statements = keyPolicyStatements(render(node));
    manageAction = 'kms:PutKeyPolicy';
    policy = 'Key policy';
  } else {
    return undefined;
  }
  if (statements === undefined) {
    return undefined;
  }
  const ctx = new AccountContext(node);
  const found: string[] = [];
  let unknown = false;
  statements.forEach((s, i) => {
    if (!isDeny(s) || !hasNetworkCondition(s) || hasExemption(s)) {
      return;
    }
    const locksPolicy = coversAction(s, manageAction);
    if (locksPolicy === true) {
      const network = conditionsText(s, NETWORK_CONDITION_KEYS);
      found.push(
        `${policy} ${statementName(s, i)} denies ${principalsText(ctx, s)} ${actionsText(s)} on ${resourcesText(s)} under ${network}, ` +
          `which includes ${manageAction} (missing: an exemption by aws:PrincipalArn for administrators or aws:ViaAWSService for AWS services).`,
      );
    }
    unknown ||= locksPolicy === undefined;
  });
  return { found, unknown };
}

/**
 * DP10: a bucket or key policy that denies on network conditions
 * (`aws:SourceVpce`, `aws:SourceVpc`, `aws:SourceIp`), including the
 * actions that manage the policy itself, without exempting administrators
 * (`aws:PrincipalArn`, …) or AWS services (`aws:ViaAWSService`, …).
 */
export const NetworkDenyLockout: RuleDefinition = {
  id: 'DP10',
  level: RuleLevel.WARNING,
  info: 'The policy denies requests on network conditions (aws:SourceVpce, aws:SourceVpc, aws:SourceIp) with no exemption for administrators or AWS services: lockout risk.',
  explanation:
    'Requests from the console, from CloudFormation and from AWS services acting for a caller do not come through your VPC endpoint, so such a deny also stops administrators from changing the policy ' +
    '(for a KMS key, for good: only AWS Support can restore access) and breaks services that use the resource. ' +
    'Fix: exempt administrators (StringNotLike aws:PrincipalArn <admin role ARNs>) and AWS services (Bool aws:ViaAWSService "false"), or deny only data actions (s3:GetObject, s3:PutObject, kms:Decrypt…), not the policy-management ones.',
  check(node: CfnResource): RuleCompliance {
    const result = lockouts(node);
    if (result === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (result.found.length > 0) {
      return RuleCompliance.NON_COMPLIANT;
    }
    return result.unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const result = lockouts(node);
    return result && result.found.length > 0 ? result.found.join(' ') : undefined;
  },
};
