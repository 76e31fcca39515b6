import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { keyPolicyStatements, keyPolicyTakeovers } from '../../analysis/key';
import { AccountContext, describeWho } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/** The statements letting another account, an organization or anyone rewrite the key policy, as `<Sid> for <who>`; undefined when not applicable. */
function outsidersWhoAdminister(node: CfnResource): string[] | undefined {
  if (node.cfnResourceType !== KEY) {
    return undefined;
  }
  const statements = keyPolicyStatements(render(node));
  if (statements === undefined) {
    return undefined;
  }
  return keyPolicyTakeovers(new AccountContext(node), statements).map(
    ({ statement: s, outsiders }) =>
      `${s.Sid ? `statement ${s.Sid}` : 'a statement'} for ${outsiders.map((w) => (w.kind === 'any' ? 'any principal' : describeWho(w))).join(', ')}`,
  );
}

/**
 * DP20: the key policy lets another account, an organization or anyone call
 * `kms:PutKeyPolicy` (also through `kms:*` or `kms:Put*`): that principal can
 * rewrite the policy and take the key over. `CrossAccountSharedKey` refuses
 * such a statement at the call and on the final template.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
export const KeyPolicyTakeover: RuleDefinition = {
  id: 'DP20',
  level: RuleLevel.ERROR,
  info: 'The key policy lets another account, an organization or anyone rewrite it (kms:PutKeyPolicy, kms:Put* or kms:*).',
  explanation:
    'Whoever may call kms:PutKeyPolicy can replace the key policy, lock the key\'s own account out and keep the data encrypted under it. ' +
    'Fix: grant other accounts only the actions they use, through a service (CrossAccountSharedKey.grantPartner, EncryptedBucket.shareWith), and keep kms:PutKeyPolicy to the key\'s own account.',
  check(node: CfnResource): RuleCompliance {
    const found = outsidersWhoAdminister(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = outsidersWhoAdminister(node);
    return found && found.length > 0 ? `May rewrite the key policy: ${found.join('; ')}.` : undefined;
  },
};
