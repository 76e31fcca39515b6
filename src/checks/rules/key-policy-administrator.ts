import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { bypassesLockoutSafetyCheck, describeLockout, KeyAdministration, keyAdministration, keyPolicyStatements } from '../../analysis/key';
import { AccountContext } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

interface Analysis {
  /** Whether the key sets BypassPolicyLockoutSafetyCheck. */
  readonly bypass: 'yes' | 'no' | 'unknown';
  /** Who administers the key; undefined when its policy cannot be read. */
  readonly administration?: KeyAdministration;
}

function analyze(node: CfnResource): Analysis | undefined {
  if (node.cfnResourceType !== KEY) {
    return undefined;
  }
  const key = render(node);
  const statements = keyPolicyStatements(key);
  return {
    bypass: bypassesLockoutSafetyCheck(key.props),
    administration: statements === undefined ? undefined : keyAdministration(new AccountContext(node), statements),
  };
}

/**
 * DP12: the key policy keeps an administrator of the key's own account that
 * no Deny cancels (see `keyAdministration` for what counts), and the key
 * does not bypass the KMS lockout safety check. `CrossAccountSharedKey`
 * promises it on its key.
 */
export const KeyPolicyAdministrator: RuleDefinition = {
  id: 'DP12',
  level: RuleLevel.ERROR,
  info: 'The key policy keeps no administrator of its account (an unconditioned Allow of kms:PutKeyPolicy no Deny cancels), or bypasses the KMS lockout safety check.',
  explanation:
    'A key policy that lets nobody of the account call kms:PutKeyPolicy cannot be changed again, not even by the account root user: access can be restored only through AWS Support. ' +
    'An administrator statement is an Allow of kms:PutKeyPolicy (kms:*, kms:Put*) on Resource "*" to the account principal or named roles and users of the account, with no Condition: ' +
    'a condition (MFA, network, tags) is evaluated on each request, and whoever must repair the policy (the root user, the deployment role, which never carries MFA) may not meet it. ' +
    'Another account or "*" is no administrator of the key\'s account. BypassPolicyLockoutSafetyCheck lets KMS accept a policy that locks the caller out; never set it. ' +
    'Fix: keep a statement allowing the account root principal kms:* (so IAM policies of the account can administer the key), or named administrator roles the key-management actions, ' +
    'and exempt them from any Deny of kms:PutKeyPolicy (CrossAccountSharedKey always keeps AllowAccountIamPolicies, plus AllowKeyAdministration for its administrators).',
  check(node: CfnResource): RuleCompliance {
    const found = analyze(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (found.bypass === 'yes' || found.administration?.verdict === 'lockedOut') {
      return RuleCompliance.NON_COMPLIANT;
    }
    return found.bypass === 'no' && found.administration?.verdict === 'kept' ? RuleCompliance.COMPLIANT : RuleCompliance.NOT_APPLICABLE;
  },
  details(node: CfnResource): string | undefined {
    const found = analyze(node);
    if (found === undefined) {
      return undefined;
    }
    const parts: string[] = [];
    const lockout = found.administration ? describeLockout(found.administration) : undefined;
    if (lockout) {
      parts.push(`The key policy ${lockout.head}.`, ...lockout.reasons.map((r) => `${r}.`));
    }
    if (found.bypass === 'yes') {
      parts.push('The key sets BypassPolicyLockoutSafetyCheck to true: KMS would accept a key policy that locks every administrator out. Remove it from the key (the L1 property or the override).');
    }
    return parts.length > 0 ? parts.join(' ') : undefined;
  },
};
