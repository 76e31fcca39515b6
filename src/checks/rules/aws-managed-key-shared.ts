import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, crossAccountGrants, encryptionRules, isKmsAlgorithm, keyReference } from '../../analysis/bucket';
import { describeWho } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

function partners(node: CfnResource): string[] | undefined {
  if (node.cfnResourceType !== BUCKET) {
    return undefined;
  }
  const bucket = render(node);
  const rules = (encryptionRules(bucket) ?? []).filter((r) => isKmsAlgorithm(r.algorithm));
  if (!rules.some((r) => keyReference(node, r.keyId).kind === 'aws-managed')) {
    return undefined;
  }
  const statements = bucketPolicyStatements(node);
  if (statements === undefined) {
    return undefined;
  }
  return crossAccountGrants(bucket, statements).map((g) => describeWho(g.who));
}

/**
 * DP6: a bucket encrypted under the AWS-managed key `aws/s3` whose policy
 * lets another account read or write objects. The AWS-managed key's policy
 * cannot be changed, so the partner can never decrypt.
 */
export const AwsManagedKeyShared: RuleDefinition = {
  id: 'DP6',
  level: RuleLevel.ERROR,
  info: 'The bucket is encrypted under the AWS-managed key aws/s3 and shared with another account, which can never decrypt its objects.',
  explanation:
    'The key policy of an AWS-managed key trusts only its own account and cannot be changed, so no other account can ever be allowed kms:Decrypt: the partner lists the bucket but every read is AccessDenied. ' +
    'Fix: encrypt the bucket under a customer-managed key (EncryptedBucket, or s3.Bucket with encryption: BucketEncryption.KMS and encryptionKey) and allow the partner on it; objects already written under aws/s3 must be copied to re-encrypt them.',
  check(node: CfnResource): RuleCompliance {
    const found = partners(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = partners(node);
    return found && found.length > 0 ? `Shared with ${found.join(', ')}.` : undefined;
  },
};
