import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { BUCKET, bucketPolicyStatements, encryptionRules, mayCoverObjects } from '../../analysis/bucket';
import { deniesSseCUploads } from '../../analysis/encryption';
import { asList, isObject, render } from '../../analysis/template';
import { DataProtectionRule } from '../rule';

/**
 * DP8: uploads with customer-provided keys (SSE-C) are blocked, by the
 * encryption rule (`BlockedEncryptionTypes: SSE-C`) or by a bucket-policy deny.
 */
export const SseCBlocked: DataProtectionRule = {
  id: 'DP8',
  level: NagMessageLevel.ERROR,
  info: 'The bucket does not block uploads encrypted with customer-provided keys (SSE-C).',
  explanation:
    'Objects uploaded with SSE-C are under no key policy, KMS does not log their use, and whoever holds the key can make them unreadable to you; stolen credentials have been used this way to hold buckets to ransom. ' +
    'Fix: set BlockedEncryptionTypes { EncryptionType: [SSE-C] } on the encryption rule (blockedEncryptionTypes: [BlockedEncryptionType.SSE_C] on s3.Bucket), ' +
    'or deny s3:PutObject when s3:x-amz-server-side-encryption-customer-algorithm is present (DataProtectionStatements.denySseC). EncryptedBucket does both by default.',
  check(node: CfnResource): NagRuleResult {
    if (node.cfnResourceType !== BUCKET) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const bucket = render(node);
    const rules = encryptionRules(bucket);
    if (rules && rules.length > 0 && rules.every(blocksSseC)) {
      return NagRuleCompliance.COMPLIANT;
    }
    const statements = bucketPolicyStatements(node);
    if (statements === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const denies = statements.map((s) => (mayCoverObjects(bucket, s) ? deniesSseCUploads(s) : false));
    if (denies.includes(true)) {
      return NagRuleCompliance.COMPLIANT;
    }
    return denies.includes(undefined) ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
  },
};

function blocksSseC(rule: { blockedEncryptionTypes?: unknown }): boolean {
  const blocked = rule.blockedEncryptionTypes;
  return isObject(blocked) && asList(blocked.EncryptionType).includes('SSE-C');
}
