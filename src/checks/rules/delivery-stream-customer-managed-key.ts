import { CfnResource } from 'aws-cdk-lib';
import { keyReference } from '../../analysis/bucket';
import { isObject, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

const DELIVERY_STREAM = 'AWS::KinesisFirehose::DeliveryStream';

function problem(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== DELIVERY_STREAM) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const props = render(node).props;
  if (props.DeliveryStreamType !== undefined && props.DeliveryStreamType !== 'DirectPut') {
    // a Kinesis stream (or MSK) source: Firehose keeps the records under the source's encryption, SSE does not apply
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const sse = props.DeliveryStreamEncryptionConfigurationInput;
  if (sse === undefined) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The delivery stream has no DeliveryStreamEncryptionConfigurationInput: server-side encryption is off.' };
  }
  if (!isObject(sse) || typeof sse.KeyType !== 'string') {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  if (sse.KeyType === 'AWS_OWNED_CMK') {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'The delivery stream is encrypted under an AWS-owned key (KeyType AWS_OWNED_CMK).' };
  }
  if (sse.KeyType !== 'CUSTOMER_MANAGED_CMK') {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  if (sse.KeyARN === undefined) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'KeyType is CUSTOMER_MANAGED_CMK but no KeyARN is given.' };
  }
  const key = keyReference(node, sse.KeyARN);
  if (key.kind === 'aws-managed') {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: 'KeyARN names an AWS-managed key.' };
  }
  return key.kind === 'unknown' ? { compliance: RuleCompliance.NOT_APPLICABLE } : { compliance: RuleCompliance.COMPLIANT };
}

/**
 * DP24: a Firehose delivery stream that receives records directly (DirectPut)
 * has server-side encryption on under a customer-managed key (`KeyType`
 * `CUSTOMER_MANAGED_CMK`). A delivery stream reading a Kinesis data stream is
 * not applicable: Firehose has no SSE of its own then, the source stream's
 * encryption applies (DP23).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/encryption.html
 */
export const DeliveryStreamCustomerManagedKey: RuleDefinition = {
  id: 'DP24',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Firehose delivery stream (DirectPut) has no server-side encryption under a customer-managed KMS key (none, or AWS_OWNED_CMK).',
  explanation:
    'Records wait in Firehose before delivery; without SSE under a customer-managed key, no key policy of yours controls them and CloudTrail records no use of your key. ' +
    'Fix: set DeliveryStreamEncryptionConfigurationInput KeyType CUSTOMER_MANAGED_CMK with the KeyARN of a customer-managed key (EncryptedDeliveryStream does; with firehose.DeliveryStream use encryption: StreamEncryption.customerManagedKey(key)).',
  check(node: CfnResource): RuleCompliance {
    return problem(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problem(node).text;
  },
};
