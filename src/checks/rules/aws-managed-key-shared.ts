import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, crossAccountGrants, encryptionRules, isKmsAlgorithm, keyReference } from '../../analysis/bucket';
import { describeWho, isAllow } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { grantText, listText } from '../statement-text';

/** Per statement of the bucket policy that shares objects with another account, what it grants and what the partner would need from the key. */
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
  const found: string[] = [];
  statements.forEach((s, i) => {
    for (const g of isAllow(s) ? crossAccountGrants(bucket, [s]) : []) {
      const needed = [...(g.reads || g.writes ? ['kms:Decrypt'] : []), ...(g.writes ? ['kms:GenerateDataKey*'] : [])];
      found.push(`Bucket policy ${grantText(s, describeWho(g.who), i)}; the key policy of aws/s3 can never give ${describeWho(g.who)} ${listText(needed)} (missing: ${needed.join(', ')}).`);
    }
  });
  return found;
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
    'The key policy of an AWS-managed key trusts only its own account and cannot be changed, so no other account can ever be allowed kms:Decrypt: every read of the partner (and every upload) is AccessDenied, whatever the bucket policy grants. ' +
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
    return found && found.length > 0 ? found.join(' ') : undefined;
  },
};
