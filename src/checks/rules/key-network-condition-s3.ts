import { CfnResource } from 'aws-cdk-lib';
import { bucketsUsingKey, KEY } from '../../analysis/bucket';
import { keyPolicyStatements } from '../../analysis/key';
import { restrictedValues, s3PathBreak, Statement } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

function usedByS3(node: CfnResource, statements: Statement[]): boolean {
  return statements.some((s) => (restrictedValues(s, 'kms:ViaService') ?? []).some((v) => v.startsWith('s3.'))) || bucketsUsingKey(node).length > 0;
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
    if (node.cfnResourceType !== KEY) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const statements = keyPolicyStatements(render(node));
    if (statements === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (!usedByS3(node, statements)) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const broken = statements.some((s) => s3PathBreak(s) !== undefined);
    return broken ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
};
