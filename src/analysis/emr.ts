import { CfnResource } from 'aws-cdk-lib';
import { isObject, render } from './template';

/** The CloudFormation type of an EMR security configuration. */
export const EMR_SECURITY_CONFIGURATION = 'AWS::EMR::SecurityConfiguration';

/**
 * The `EncryptionConfiguration` of a rendered EMR security configuration
 * (the `SecurityConfiguration` property is a JSON object, or a JSON string):
 * `null` when there is none, undefined when it cannot be read at synth time.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
 */
export function emrEncryptionConfiguration(node: CfnResource): Record<string, any> | null | undefined {
  let doc = render(node).props.SecurityConfiguration;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!isObject(doc)) {
    return undefined;
  }
  const enc = doc.EncryptionConfiguration;
  if (enc === undefined) {
    return null;
  }
  return isObject(enc) ? enc : undefined;
}

/** `true`, `false`, or undefined when the value is an intrinsic. */
export function flag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false' || value === undefined) return false;
  return undefined;
}

/** Whether a key reference names an AWS-managed key (`alias/aws/...`, as a string or an alias ARN). */
export function isAwsManagedKeyReference(value: unknown): boolean {
  return typeof value === 'string' && /(^|:)alias\/aws\//.test(value);
}

/** The first `Ref`/`Fn::GetAtt` or literal key ARN of an EMR security configuration's at-rest encryption, for the report. */
export function emrKeyReference(props: Record<string, any>): unknown {
  let doc = props.SecurityConfiguration;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  const atRest = doc?.EncryptionConfiguration?.AtRestEncryptionConfiguration;
  return atRest?.S3EncryptionConfiguration?.AwsKmsKey ?? atRest?.LocalDiskEncryptionConfiguration?.AwsKmsKey;
}
