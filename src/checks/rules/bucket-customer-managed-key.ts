import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, encryptionRules, isAccessLogTarget, isKmsAlgorithm, keyNamedInCallerAccount, keyReference } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/**
 * DP1: a bucket is encrypted by default under a customer-managed KMS key,
 * named by its full ARN. SSE-S3 and the AWS-managed key `aws/s3` are flagged,
 * except SSE-S3 on a bucket that receives server access logs (AWS supports
 * only SSE-S3 there); so is a key named by alias or bare key id, which S3
 * resolves in the account of the caller (case D03).
 */
export const BucketCustomerManagedKey: RuleDefinition = {
  id: 'DP1',
  level: RuleLevel.ERROR,
  info: 'The S3 bucket is not encrypted by default under a customer-managed KMS key named by its full ARN (SSE-S3, the AWS-managed aws/s3 key, an alias or a bare key id).',
  explanation:
    'With SSE-S3 or the AWS-managed key, no key policy of yours controls who can decrypt, CloudTrail records no per-use key events, and the data can never be shared with another account under a key you control. ' +
    'A key named by alias or bare key id is resolved by S3 in the account of the caller, so another account\'s uploads are encrypted under a key of its own. ' +
    'Fix: encrypt with SSE-KMS under a customer-managed key given by its full ARN (EncryptedBucket does this by default; with s3.Bucket use encryption: BucketEncryption.KMS and encryptionKey). ' +
    'Buckets that receive S3 server access logs are exempt: AWS supports only SSE-S3 on them.',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== BUCKET) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const bucket = render(node);
    const rules = encryptionRules(bucket);
    if (rules === null) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (rules === undefined || rules.length === 0) {
      return RuleCompliance.NON_COMPLIANT;
    }
    let unknown = false;
    for (const rule of rules) {
      if (rule.unresolved) {
        unknown = true;
        continue;
      }
      if (!rule.hasDefault) {
        return RuleCompliance.NON_COMPLIANT;
      }
      if (rule.algorithm === 'AES256') {
        if (isAccessLogTarget(bucket)) {
          continue;
        }
        return RuleCompliance.NON_COMPLIANT;
      }
      if (!isKmsAlgorithm(rule.algorithm)) {
        unknown = true;
        continue;
      }
      const key = keyReference(node, rule.keyId);
      if (key.kind === 'aws-managed' || keyNamedInCallerAccount(node, rule.keyId) !== undefined) {
        return RuleCompliance.NON_COMPLIANT;
      }
      if (key.kind === 'unknown') {
        unknown = true;
      }
    }
    return unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT;
  },
};
