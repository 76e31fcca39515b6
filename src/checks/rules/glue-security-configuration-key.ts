import { CfnResource } from 'aws-cdk-lib';
import { keyReference } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

const SECURITY_CONFIGURATION = 'AWS::Glue::SecurityConfiguration';

/** What a Glue security configuration leaves unprotected; `unknown` when a value is not known before deployment. */
function problems(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== SECURITY_CONFIGURATION) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const config = (render(node).props.EncryptionConfiguration ?? {}) as Record<string, any>;
  const found: string[] = [];
  let unknown = false;
  const part = (what: string, setting: Record<string, any> | undefined, modeProp: string, modes: string[]) => {
    const mode = setting?.[modeProp];
    if (mode === undefined || mode === 'DISABLED') {
      found.push(`${what} encryption is off`);
      return;
    }
    if (typeof mode !== 'string') {
      unknown = true;
      return;
    }
    if (!modes.includes(mode)) {
      found.push(`${what} encryption is ${mode}, not under a customer-managed KMS key`);
      return;
    }
    const key = keyReference(node, setting?.KmsKeyArn);
    if (key.kind === 'aws-managed') {
      found.push(`${what} encryption uses ${setting?.KmsKeyArn === undefined ? 'no key (KmsKeyArn unset)' : 'an AWS-managed key'}`);
    } else if (key.kind === 'unknown') {
      unknown = true;
    }
  };
  const s3 = config.S3Encryptions;
  const s3List: Array<Record<string, any>> | undefined = Array.isArray(s3) ? s3 : s3 === undefined ? undefined : [s3];
  if (s3List === undefined || s3List.length === 0) {
    found.push('S3 encryption is off');
  } else {
    s3List.forEach((entry) => part('S3', entry, 'S3EncryptionMode', ['SSE-KMS']));
  }
  part('CloudWatch Logs', config.CloudWatchEncryption, 'CloudWatchEncryptionMode', ['SSE-KMS']);
  part('Job bookmark', config.JobBookmarksEncryption, 'JobBookmarksEncryptionMode', ['CSE-KMS']);
  if (found.length > 0) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: `${found.join('; ')}.` };
  }
  return { compliance: unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT };
}

/**
 * DP26: a Glue security configuration encrypts S3 data (SSE-KMS), CloudWatch
 * Logs (SSE-KMS) and job bookmarks (CSE-KMS) under a customer-managed key.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-glue-securityconfiguration-encryptionconfiguration.html
 */
export const GlueSecurityConfigurationKey: RuleDefinition = {
  id: 'DP26',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Glue security configuration leaves S3 data, CloudWatch Logs or job bookmarks unencrypted, under SSE-S3, or under an AWS-managed key.',
  explanation:
    'Jobs, crawlers and development endpoints that use the configuration write what it leaves unencrypted in clear, and data under SSE-S3 or an AWS-managed key can never be shared with another account under a key you control. ' +
    'Fix: set S3Encryptions to SSE-KMS, CloudWatchEncryption to SSE-KMS and JobBookmarksEncryption to CSE-KMS, each with the KmsKeyArn of a customer-managed key (GlueSecurityConfiguration does this).',
  check(node: CfnResource): RuleCompliance {
    return problems(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problems(node).text;
  },
};
