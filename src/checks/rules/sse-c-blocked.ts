import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, encryptionRules, mayCoverObjects } from '../../analysis/bucket';
import { deniesSseCUploads } from '../../analysis/encryption';
import { isConditional } from '../../analysis/policy';
import { asList, isObject, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/**
 * DP8: uploads with customer-provided keys (SSE-C) are blocked, by the
 * encryption rule (`BlockedEncryptionTypes: SSE-C`) or by a bucket-policy deny.
 */
export const SseCBlocked: RuleDefinition = {
  id: 'DP8',
  level: RuleLevel.ERROR,
  info: 'The bucket does not block uploads encrypted with customer-provided keys (SSE-C).',
  explanation:
    'Objects uploaded with SSE-C are under no key policy, KMS does not log their use, and whoever holds the key can make them unreadable to you; stolen credentials have been used this way to hold buckets to ransom. ' +
    'Fix: set BlockedEncryptionTypes { EncryptionType: [SSE-C] } on the encryption rule (blockedEncryptionTypes: [BlockedEncryptionType.SSE_C] on s3.Bucket), ' +
    'or deny s3:PutObject when s3:x-amz-server-side-encryption-customer-algorithm is present (DataProtectionStatements.denySseC). EncryptedBucket does both by default.',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== BUCKET) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const bucket = render(node);
    const rules = encryptionRules(bucket);
    if (rules && rules.length > 0 && rules.every(blocksSseC)) {
      return RuleCompliance.COMPLIANT;
    }
    const statements = bucketPolicyStatements(node);
    if (statements === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const denies = statements.map((s) => (mayCoverObjects(bucket, s) && !isConditional(s) ? deniesSseCUploads(s) : false));
    if (denies.includes(true)) {
      return RuleCompliance.COMPLIANT;
    }
    return denies.includes(undefined) ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.NON_COMPLIANT;
  },
};

function blocksSseC(rule: { blockedEncryptionTypes?: unknown }): boolean {
  const blocked = rule.blockedEncryptionTypes;
  return isObject(blocked) && asList(blocked.EncryptionType).includes('SSE-C');
}
