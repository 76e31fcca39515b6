import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { keyPolicyStatements, keyPolicyTakeovers, PUT_KEY_POLICY } from '../../analysis/key';
import { AccountContext } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { actionsText, grantText, listText, whoText } from '../statement-text';

/** The statements letting another account, an organization or anyone rewrite the key policy, with what they grant; undefined when not applicable. */
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
      `${grantText(s, listText([...new Set(outsiders.map(whoText))]), statements.indexOf(s))}${actionsText(s) === PUT_KEY_POLICY ? '' : `, which includes ${PUT_KEY_POLICY}`}`,
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
    return found && found.length > 0 ? `Key policy ${found.join('; ')}.` : undefined;
  },
};
