import { CfnResource } from 'aws-cdk-lib';
import { BUCKET_POLICY, KEY } from '../../analysis/bucket';
import { keyPolicyStatements } from '../../analysis/key';
import { coversAction, hasExemption, hasNetworkCondition, isDeny, Statement, statementsOf } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

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
    let statements: Statement[] | undefined;
    let manageAction: string;
    if (node.cfnResourceType === BUCKET_POLICY) {
      statements = statementsOf(render(node).props.PolicyDocument);
      manageAction = 's3:PutBucketPolicy';
    } else if (node.cfnResourceType === KEY) {
      statements = keyPolicyStatements(render(node));
      manageAction = 'kms:PutKeyPolicy';
    } else {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (statements === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    let unknown = false;
    for (const s of statements) {
      if (!isDeny(s) || !hasNetworkCondition(s) || hasExemption(s)) {
        continue;
      }
      const locksPolicy = coversAction(s, manageAction);
      if (locksPolicy === true) {
        return RuleCompliance.NON_COMPLIANT;
      }
      unknown ||= locksPolicy === undefined;
    }
    return unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT;
  },
};
