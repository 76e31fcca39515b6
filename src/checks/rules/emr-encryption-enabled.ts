import { CfnResource } from 'aws-cdk-lib';
import { EMR_SECURITY_CONFIGURATION, emrEncryptionConfiguration, flag } from '../../analysis/emr';
import { isObject } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== EMR_SECURITY_CONFIGURATION) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const enc = emrEncryptionConfiguration(node);
  if (enc === undefined) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const atRest = flag(enc?.EnableAtRestEncryption);
  const inTransit = flag(enc?.EnableInTransitEncryption);
  if (atRest === undefined || inTransit === undefined) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const parts = enc?.AtRestEncryptionConfiguration;
  if (atRest && parts !== undefined && !isObject(parts)) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  // at rest on, but a part left out: that part is written unencrypted
  const missing = atRest
    ? [
      ...(parts?.S3EncryptionConfiguration === undefined ? ['at rest for EMRFS data in S3 (no S3EncryptionConfiguration)'] : []),
      ...(parts?.LocalDiskEncryptionConfiguration === undefined ? ['at rest on the instances\' local disks (no LocalDiskEncryptionConfiguration)'] : []),
    ]
    : [];
  const off = [...(atRest ? missing : ['at rest (EnableAtRestEncryption)']), ...(inTransit ? [] : ['in transit (EnableInTransitEncryption)'])];
  return off.length === 0
    ? { compliance: RuleCompliance.COMPLIANT }
    : { compliance: RuleCompliance.NON_COMPLIANT, text: `Encryption is off ${off.join(' and ')}.` };
}

/**
 * DP29: an EMR security configuration encrypts at rest (EMRFS data in S3
 * and the instances' local disks) and in transit.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html
 */
export const EmrEncryptionEnabled: RuleDefinition = {
  id: 'DP29',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The EMR security configuration does not encrypt data at rest (EMRFS data in S3 and local disks), or not in transit.',
  explanation:
    'Without at-rest encryption EMRFS data in S3, the instances\' local disks and their EBS volumes are written under no key of yours; without in-transit encryption Spark, Hadoop and Presto traffic between nodes is plain text. ' +
    'Fix: set EnableAtRestEncryption and EnableInTransitEncryption to true, with SSE-KMS, local disk and EBS encryption under a customer-managed key and a TLS certificate provider (EmrSecurityConfiguration writes all of it).',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
