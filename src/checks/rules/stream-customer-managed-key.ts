import { CfnResource } from 'aws-cdk-lib';
import { keyReference } from '../../analysis/bucket';
import { isObject, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

const STREAM = 'AWS::Kinesis::Stream';

/** What is wrong with the stream's encryption: undefined when compliant or unknown (see `compliance`). */
function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== STREAM) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const encryption = render(node).props.StreamEncryption;
  if (encryption === undefined) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The stream has no StreamEncryption: its records are stored unencrypted.' };
  }
  if (!isObject(encryption) || encryption.EncryptionType !== 'KMS') {
    // an Fn::If (aws-cdk-lib's default: alias/aws/kinesis outside China) or a value known only at deployment
    const text = JSON.stringify(encryption);
    if (/alias\/aws\/kinesis/.test(text)) {
      return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The stream is encrypted under the AWS-managed key alias/aws/kinesis (aws-cdk-lib\'s default).' };
    }
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const key = keyReference(node, encryption.KeyId);
  switch (key.kind) {
    case 'aws-managed':
      return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The stream is encrypted under the AWS-managed key alias/aws/kinesis.' };
    case 'unknown':
      return { compliance: RuleCompliance.NOT_APPLICABLE };
    default:
      return { compliance: RuleCompliance.COMPLIANT };
  }
}

/**
 * DP23: a Kinesis data stream is encrypted at rest under a customer-managed
 * KMS key, not left unencrypted or under the AWS-managed `alias/aws/kinesis`
 * (aws-cdk-lib's default for a `kinesis.Stream` without `encryption`).
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html
 * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
 */
export const StreamCustomerManagedKey: RuleDefinition = {
  id: 'DP23',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Kinesis data stream is not encrypted under a customer-managed KMS key (unencrypted, or the AWS-managed alias/aws/kinesis).',
  explanation:
    'Records of an unencrypted stream are stored in the clear; under the AWS-managed key alias/aws/kinesis no key policy of yours controls who decrypts, and the stream can never be read under a key you share. ' +
    'Fix: encrypt with a customer-managed key (EncryptedStream does; with kinesis.Stream use encryption: StreamEncryption.KMS and encryptionKey), and grant producers kms:GenerateDataKey and consumers kms:Decrypt through kinesis.<region>.amazonaws.com.',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
