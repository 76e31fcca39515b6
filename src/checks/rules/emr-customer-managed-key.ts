import { CfnResource } from 'aws-cdk-lib';
import { EMR_SECURITY_CONFIGURATION, emrEncryptionConfiguration, flag, isAwsManagedKeyReference } from '../../analysis/emr';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== EMR_SECURITY_CONFIGURATION) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const enc = emrEncryptionConfiguration(node);
  if (!enc || flag(enc.EnableAtRestEncryption) !== true) {
    return { compliance: RuleCompliance.NOT_APPLICABLE }; // off at rest is DP29's
  }
  const atRest = enc.AtRestEncryptionConfiguration ?? {};
  const s3 = atRest.S3EncryptionConfiguration;
  const disk = atRest.LocalDiskEncryptionConfiguration;
  const found: string[] = [];
  if (s3 !== undefined) {
    if (s3.EncryptionMode === 'SSE-S3') {
      found.push('EMRFS writes S3 objects with SSE-S3 (S3EncryptionConfiguration EncryptionMode SSE-S3)');
    } else if (typeof s3.EncryptionMode === 'string' && s3.EncryptionMode.endsWith('-KMS') && (s3.AwsKmsKey === undefined || isAwsManagedKeyReference(s3.AwsKmsKey))) {
      found.push(`EMRFS ${s3.EncryptionMode} names ${s3.AwsKmsKey === undefined ? 'no key' : `the AWS-managed key ${s3.AwsKmsKey}`}`);
    }
  }
  if (disk !== undefined && disk.EncryptionKeyProviderType === 'AwsKms' && (disk.AwsKmsKey === undefined || isAwsManagedKeyReference(disk.AwsKmsKey))) {
    found.push(`local disk encryption names ${disk.AwsKmsKey === undefined ? 'no key' : `the AWS-managed key ${disk.AwsKmsKey}`}`);
  }
  return found.length === 0 ? { compliance: RuleCompliance.COMPLIANT } : { compliance: RuleCompliance.NON_COMPLIANT, text: `${found.join('; ')}.` };
}

/**
 * DP30: an EMR security configuration's at-rest encryption uses a
 * customer-managed key, not SSE-S3 or an AWS-managed key.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html
 */
export const EmrCustomerManagedKey: RuleDefinition = {
  id: 'DP30',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The EMR security configuration encrypts at rest with SSE-S3 or an AWS-managed key, not a customer-managed key.',
  explanation:
    'With SSE-S3 or an AWS-managed key no key policy of yours decides who can decrypt the cluster\'s data, and it can never be shared with another account. ' +
    'Fix: use SSE-KMS for S3 and AwsKms for local disks, naming a customer-managed key by ARN (EmrSecurityConfiguration with a CrossAccountSharedKey).',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
