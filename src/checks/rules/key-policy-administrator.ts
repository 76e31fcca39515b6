import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { keyPolicyStatements } from '../../analysis/key';
import { AccountContext, coversAction, hasNetworkCondition, isAllow } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/**
 * DP12: the key policy has an administrator statement: an Allow of
 * `kms:PutKeyPolicy` (through `kms:*`, `kms:Put*`, …) for a principal that
 * is not an AWS service, without network conditions.
 */
export const KeyPolicyAdministrator: RuleDefinition = {
  id: 'DP12',
  level: RuleLevel.ERROR,
  info: 'The key policy has no administrator statement: nobody can change the key policy.',
  explanation:
    'A key policy that allows nobody kms:PutKeyPolicy cannot be changed again, not even by the account root user: access can be restored only through AWS Support. ' +
    'Fix: keep a statement allowing the account root principal kms:* (so IAM policies of the account can administer the key), or named administrator roles the key-management actions ' +
    '(CrossAccountSharedKey always keeps AllowAccountIamPolicies, plus AllowKeyAdministration for its administrators).',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== KEY) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const statements = keyPolicyStatements(render(node));
    if (statements === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const ctx = new AccountContext(node);
    let unknown = false;
    for (const s of statements) {
      if (!isAllow(s) || hasNetworkCondition(s)) {
        continue;
      }
      const manages = coversAction(s, 'kms:PutKeyPolicy');
      const principals = ctx.principalsOf({ ...s, Condition: undefined });
      const person = principals.some((p) => p.kind !== 'service');
      if (manages === true && person) {
        return RuleCompliance.COMPLIANT;
      }
      unknown ||= manages === undefined && person;
    }
    return unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.NON_COMPLIANT;
  },
};
