import { CfnResource } from 'aws-cdk-lib';
import { keyReference } from '../../analysis/bucket';
import { isObject, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

const WORK_GROUP = 'AWS::Athena::WorkGroup';

/** What is wrong with the workgroup's results encryption: undefined when compliant or unknown (see `compliance`). */
function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== WORK_GROUP) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const config = render(node).props.WorkGroupConfiguration;
  if (config !== undefined && !isObject(config)) {
    return { compliance: RuleCompliance.NOT_APPLICABLE }; // an intrinsic: known only at deployment
  }
  const enforce = config?.EnforceWorkGroupConfiguration;
  if (enforce !== undefined && enforce !== true && enforce !== false && enforce !== 'true' && enforce !== 'false') {
    return { compliance: RuleCompliance.NOT_APPLICABLE }; // an intrinsic (Fn::If, a parameter): known only at deployment
  }
  if (enforce === false || enforce === 'false') {
    return {
      compliance: RuleCompliance.NON_COMPLIANT,
      text: 'EnforceWorkGroupConfiguration is false: each query may name its own results location and encryption (or none), whatever the workgroup says.',
    };
  }
  const managed = config?.ManagedQueryResultsConfiguration;
  if (isObject(managed) && managed.Enabled === true) {
    const encryption = managed.EncryptionConfiguration;
    if (!isObject(encryption) || encryption.KmsKey === undefined) {
      return { compliance: RuleCompliance.NON_COMPLIANT, text: 'Managed query results are encrypted under an AWS owned key (no EncryptionConfiguration.KmsKey): no key policy of yours controls who reads them.' };
    }
    return keyCompliance(node, encryption.KmsKey, 'managed query results');
  }
  const result = config?.ResultConfiguration;
  if (result !== undefined && !isObject(result)) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const encryption = result?.EncryptionConfiguration;
  if (encryption === undefined) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The workgroup has no ResultConfiguration.EncryptionConfiguration: query results are written as the client asks, possibly unencrypted.' };
  }
  if (!isObject(encryption) || typeof encryption.EncryptionOption !== 'string') {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  if (encryption.EncryptionOption === 'SSE_S3') {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'Query results are encrypted with SSE_S3: S3 manages the key, so no key policy controls who decrypts them and KMS logs no use.' };
  }
  if (encryption.EncryptionOption !== 'SSE_KMS' && encryption.EncryptionOption !== 'CSE_KMS') {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  if (encryption.KmsKey === undefined) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: `Query results use ${encryption.EncryptionOption} without a KmsKey: no customer-managed key is named.` };
  }
  return keyCompliance(node, encryption.KmsKey, `${encryption.EncryptionOption} query results`);
}

function keyCompliance(node: CfnResource, keyId: unknown, what: string): { compliance: RuleCompliance; text?: string } {
  switch (keyReference(node, keyId).kind) {
    case 'aws-managed':
      return { compliance: RuleCompliance.NON_COMPLIANT, text: `The ${what} are encrypted under an AWS-managed key (alias/aws/...): its key policy cannot be changed.` };
    case 'unknown':
      return { compliance: RuleCompliance.NOT_APPLICABLE };
    default:
      return { compliance: RuleCompliance.COMPLIANT };
  }
}

/**
 * DP28: an Athena workgroup encrypts its query results under a
 * customer-managed KMS key (SSE_KMS or CSE_KMS with a key of yours), and
 * enforces that setting on every query (`EnforceWorkGroupConfiguration` not
 * false; CloudFormation's default is true).
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/athena-rules.html
 */
export const AthenaWorkGroupEncryption: RuleDefinition = {
  id: 'DP28',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Athena workgroup does not enforce encryption of its query results under a customer-managed KMS key (none, SSE_S3, an AWS-managed key, or client-side settings allowed).',
  explanation:
    'Query results are copies of the data queried: stored unencrypted, under SSE_S3 or an AWS-managed key, no key policy of yours controls who reads them; with EnforceWorkGroupConfiguration false each client picks its own results location and encryption. ' +
    'Fix: EncryptedAthenaWorkGroup does it; with CfnWorkGroup set WorkGroupConfiguration.EnforceWorkGroupConfiguration true and ResultConfiguration.EncryptionConfiguration { EncryptionOption: SSE_KMS, KmsKey: <customer-managed key ARN> }.',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
