import { CfnResource } from 'aws-cdk-lib';
import { isAwsManagedKeyReference } from '../../analysis/emr';
import { REDSHIFT_CLUSTER, REDSHIFT_SERVERLESS_NAMESPACE } from '../../analysis/redshift';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== REDSHIFT_CLUSTER && node.cfnResourceType !== REDSHIFT_SERVERLESS_NAMESPACE) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const p = render(node).props;
  if (node.cfnResourceType === REDSHIFT_CLUSTER) {
    // A snapshot restore inherits the snapshot's encryption: the template cannot tell.
    if (p.SnapshotIdentifier !== undefined) return { compliance: RuleCompliance.NOT_APPLICABLE };
    if (p.Encrypted !== true && p.Encrypted !== 'true') {
      if (typeof p.Encrypted === 'object') return { compliance: RuleCompliance.NOT_APPLICABLE };
      return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The cluster is not encrypted (Encrypted is not true).' };
    }
  }
  const keyId = p.KmsKeyId;
  if (keyId === undefined || keyId === 'AWS_OWNED_KMS_KEY') {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'KmsKeyId is not set: Redshift encrypts under a key AWS manages.' };
  }
  if (isAwsManagedKeyReference(keyId)) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: `KmsKeyId is the AWS-managed key ${keyId}.` };
  }
  return { compliance: RuleCompliance.COMPLIANT };
}

/**
 * DP31: a Redshift cluster or Serverless namespace is encrypted under a
 * customer-managed key.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html
 */
export const RedshiftCustomerManagedKey: RuleDefinition = {
  id: 'DP31',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Redshift cluster or Serverless namespace is not encrypted under a customer-managed KMS key.',
  explanation:
    'Unencrypted, or under a key AWS manages, the warehouse\'s data and snapshots are under no key policy of yours: you cannot audit or revoke use of the key, nor share a snapshot with another account. ' +
    'Fix: set Encrypted true and KmsKeyId to a customer-managed key (EncryptedRedshiftCluster, EncryptedRedshiftServerless).',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
