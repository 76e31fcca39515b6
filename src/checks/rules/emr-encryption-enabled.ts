import { CfnResource } from 'aws-cdk-lib';
import { EMR_SECURITY_CONFIGURATION, emrEncryptionConfiguration, flag } from '../../analysis/emr';
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
  const off = [...(atRest ? [] : ['at rest (EnableAtRestEncryption)']), ...(inTransit ? [] : ['in transit (EnableInTransitEncryption)'])];
  return off.length === 0
    ? { compliance: RuleCompliance.COMPLIANT }
    : { compliance: RuleCompliance.NON_COMPLIANT, text: `Encryption is off ${off.join(' and ')}.` };
}

/**
 * DP29: an EMR security configuration encrypts at rest and in transit.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html
 */
export const EmrEncryptionEnabled: RuleDefinition = {
  id: 'DP29',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The EMR security configuration does not encrypt data at rest, or not in transit.',
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
