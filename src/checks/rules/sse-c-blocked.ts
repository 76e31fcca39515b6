import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { BUCKET, bucketPolicyStatements, encryptionRules, isEveryone, mayCoverObjects } from '../../analysis/bucket';
import { conditionEntries, coversAction, flatten, isDeny, Statement } from '../../analysis/policy';
import { asList, isObject, render, RenderedResource } from '../../analysis/template';
import { DataProtectionRule } from '../rule';

const SSE_C_ALGORITHM = 's3:x-amz-server-side-encryption-customer-algorithm';
const SSE = 's3:x-amz-server-side-encryption';

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
    const denies = statements.map((s) => deniesSseC(bucket, s));
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

/**
 * A deny of uploads to everyone that catches SSE-C requests: `Null` on the
 * SSE-C algorithm header being false, or a `StringNotEquals` on the
 * encryption header without a `Null` guard (SSE-C requests do not send it).
 */
function deniesSseC(bucket: RenderedResource, s: Statement): boolean | undefined {
  if (!isDeny(s) || !isEveryone(s) || !mayCoverObjects(bucket, s)) {
    return false;
  }
  const puts = coversAction(s, 's3:PutObject');
  if (puts !== true) {
    return puts === undefined ? undefined : false;
  }
  const entries = conditionEntries(s);
  const nullHeader = entries.find((e) => e.operator === 'null' && e.key === SSE_C_ALGORITHM);
  if (nullHeader && entries.length === 1) {
    return nullHeader.values.map((v) => flatten(v).toLowerCase()).every((v) => v === 'false');
  }
  const requiresType = entries.find((e) => e.operator === 'stringnotequals' && e.key === SSE);
  if (requiresType && entries.length === 1) {
    return true;
  }
  return false;
}
