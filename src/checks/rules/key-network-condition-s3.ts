import { CfnResource } from 'aws-cdk-lib';
import { bucketsUsingKey, KEY } from '../../analysis/bucket';
import { keyPolicyStatements } from '../../analysis/key';
import { AccountContext, NETWORK_CONDITION_KEYS, restrictedValues, s3PathBreak, Statement } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { actionsText, listText, principalsText, conditionsText, statementName } from '../statement-text';

function usedByS3(node: CfnResource, statements: Statement[]): boolean {
  return statements.some((s) => (restrictedValues(s, 'kms:ViaService') ?? []).some((v) => v.startsWith('s3.'))) || bucketsUsingKey(node).length > 0;
}

/** The statements that break S3's path to the key, each described with the buckets that use the key; undefined when not applicable. */
function breaks(node: CfnResource): string[] | undefined {
  if (node.cfnResourceType !== KEY) {
    return undefined;
  }
  const statements = keyPolicyStatements(render(node));
  if (statements === undefined || !usedByS3(node, statements)) {
    return undefined;
  }
  const ctx = new AccountContext(node);
  const buckets = bucketsUsingKey(node).map((b) => b.node.path);
  const usedBy = buckets.length > 0 ? `the key of ${listText(buckets)}` : 'a key the policy lets S3 use (kms:ViaService s3.*)';
  const found: string[] = [];
  statements.forEach((s, i) => {
    const kind = s3PathBreak(s);
    if (kind === undefined) {
      return;
    }
    const network = conditionsText(s, NETWORK_CONDITION_KEYS);
    found.push(
      kind === 'allow'
        ? `Key policy ${statementName(s, i)} allows ${principalsText(ctx, s)} ${actionsText(s)} only under ${network}, which S3's calls to KMS never meet`
        : `Key policy ${statementName(s, i)} denies ${principalsText(ctx, s)} ${actionsText(s)} under ${network}, which S3's calls to KMS always meet (missing: Bool aws:ViaAWSService "false")`,
    );
  });
  return found.map((f) => `${f}; this is ${usedBy}.`);
}

/**
 * DP11: a network condition (`aws:SourceVpce`, `aws:SourceVpc`,
 * `aws:SourceIp`) in the policy of a key S3 uses. S3 calls KMS itself, from
 * outside the caller's VPC: an allow with such a condition never matches, and
 * a deny always matches unless AWS services are exempt.
 */
export const KeyNetworkConditionS3: RuleDefinition = {
  id: 'DP11',
  level: RuleLevel.ERROR,
  info: 'The key policy of a KMS key used by S3 has a network condition (aws:SourceVpce, aws:SourceVpc, aws:SourceIp) that S3\'s own calls to KMS never satisfy.',
  explanation:
    'For SSE-KMS, S3 calls KMS on the caller\'s behalf; those calls carry no VPC endpoint, VPC or caller IP, so an Allow conditioned on them never applies and a Deny on them always applies: reads and writes of the bucket fail with AccessDenied. ' +
    'Fix: put the network condition in the bucket policy (aws:SourceVpce there is the caller\'s), and scope the key policy with kms:ViaService s3.<region>.amazonaws.com instead; ' +
    'a Deny in the key policy must exempt AWS services (Bool aws:ViaAWSService "false").',
  check(node: CfnResource): RuleCompliance {
    const found = breaks(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = breaks(node);
    return found && found.length > 0 ? found.join(' ') : undefined;
  },
};
