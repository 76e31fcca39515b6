import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, encryptionRules } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/** DP7: an SSE-KMS bucket uses an S3 Bucket Key. */
export const BucketKeyEnabled: RuleDefinition = {
  id: 'DP7',
  level: RuleLevel.WARNING,
  info: 'The SSE-KMS bucket does not use an S3 Bucket Key.',
  explanation:
    'Without a Bucket Key S3 calls KMS for every object request: each call is billed, and SSE-KMS requests count against the KMS request quota of the account and Region, so busy buckets are throttled (ThrottlingException). ' +
    'Fix: set BucketKeyEnabled: true on the encryption rule (bucketKeyEnabled: true on s3.Bucket; on by default in EncryptedBucket). Bucket Keys do not apply to DSSE-KMS.',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== BUCKET) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const rules = encryptionRules(render(node));
    const kms = (rules ?? []).filter((r) => r.algorithm === 'aws:kms');
    if (kms.length === 0) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (kms.some((r) => r.bucketKeyEnabled === false || r.bucketKeyEnabled === 'false' || r.bucketKeyEnabled === undefined)) {
      return RuleCompliance.NON_COMPLIANT;
    }
    return kms.every((r) => r.bucketKeyEnabled === true || r.bucketKeyEnabled === 'true') ? RuleCompliance.COMPLIANT : RuleCompliance.NOT_APPLICABLE;
  },
};
