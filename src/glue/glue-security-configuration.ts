import { Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { optionalString, requireObject } from '../core/props';
import { validateServiceKey } from '../core/service-key';
import { checkOnceResolved } from '../core/validation';
import { allowGlueLogsKeyUse, glueJobBookmarksKeyUse, glueJobLogsAssociateKey, glueJobS3KeyUse } from '../statements/glue';

/**
 * Properties of a {@link GlueSecurityConfiguration}.
 */
export interface GlueSecurityConfigurationProps {
  /**
   * The customer-managed KMS key of this account and Region that encrypts
   * the job's S3 data (SSE-KMS), its CloudWatch Logs and its job bookmarks
   * (CSE-KMS), e.g. `sharedKey.key` of a `CrossAccountSharedKey`.
   *
   * When the key is defined in this app, its key policy gets the statement
   * `AllowGlueLogsKeyUse` (CloudWatch Logs may encrypt the Glue log groups).
   * An imported key's policy is not changed: add that statement to it with
   * `DataProtectionStatements.allowGlueLogsKeyUse`.
   *
   * @throws if the key is an AWS-managed key (`alias/aws/glue`), an alias, a bare key id, or a key of another account or Region (also when a token resolves to one at synthesis)
   * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The name of the security configuration, which jobs and crawlers name in
   * their `SecurityConfiguration` property. 1 to 255 characters, tabs and
   * printable characters only (no line breaks or other control characters).
   *
   * @default - a name from the stack's name and the construct's address
   * @throws if empty, over 255 characters or with a control character (also when a token resolves to one at synthesis)
   * @see https://docs.aws.amazon.com/glue/latest/webapi/API_CreateSecurityConfiguration.html
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-securityconfiguration.html
   */
  readonly securityConfigurationName?: string;
}

/**
 * A Glue security configuration that encrypts everything a job, crawler or
 * development endpoint writes under one customer-managed key: S3 data with
 * SSE-KMS, CloudWatch Logs with SSE-KMS and job bookmarks with CSE-KMS.
 * The pack's DP26 is promised on the final template.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 * @example
 * const sharedKey = new CrossAccountSharedKey(this, 'Key');
 * const config = new GlueSecurityConfiguration(this, 'GlueEncryption', { encryptionKey: sharedKey.key });
 * const role = new iam.Role(this, 'JobRole', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
 * config.grantJob(role);
 */
export class GlueSecurityConfiguration extends Construct {
  /** The security configuration (child id `Resource`). */
  public readonly securityConfiguration: glue.CfnSecurityConfiguration;
  /** The name that jobs and crawlers name in their `SecurityConfiguration` property. */
  public readonly securityConfigurationName: string;
  /** The key that encrypts S3 data, logs and bookmarks. */
  public readonly encryptionKey: kms.IKey;

  public constructor(scope: Construct, id: string, props: GlueSecurityConfigurationProps) {
    super(scope, id);
    requireObject('props', props, 'an object of GlueSecurityConfigurationProps with encryptionKey');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'AWS Glue');
    optionalString('securityConfigurationName', props.securityConfigurationName);
    validateName(this, props.securityConfigurationName);
    checkOnceResolved(this, [props.securityConfigurationName], ([name]) => validateName(this, name));
    const key = props.encryptionKey;
    this.encryptionKey = key;
    const stack = Stack.of(this);
    this.securityConfiguration = new glue.CfnSecurityConfiguration(this, 'Resource', {
      name: props.securityConfigurationName ?? `${stack.stackName}-${this.node.addr}`.slice(0, 255),
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
      },
    });
    this.securityConfigurationName = this.securityConfiguration.name;
    // a key of this app: its policy lets CloudWatch Logs encrypt the Glue log groups (imported keys: a no-op)
    key.addToResourcePolicy(allowGlueLogsKeyUse(stack.partition, stack.region, stack.account));
    promise(this, 'GlueSecurityConfiguration', this.securityConfiguration, ['DP26']);
  }

  /**
   * Grants a Glue job (or crawler) role what the security configuration
   * needs: the key through S3 of this Region (`kms:ViaService`), the key for
   * job bookmarks (CSE-KMS, called by the job itself, limited to this
   * account), and `logs:AssociateKmsKey` on the Glue log groups.
   *
   * @param grantee the role the job or crawler runs as
   * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
   */
  public grantJob(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(glueJobS3KeyUse(this.encryptionKey.keyArn, stack.region, stack.account));
    grantee.grantPrincipal.addToPrincipalPolicy(glueJobBookmarksKeyUse(this.encryptionKey.keyArn, stack.account));
    grantee.grantPrincipal.addToPrincipalPolicy(glueJobLogsAssociateKey(stack.partition, stack.region, stack.account));
  }
}

/** Glue's pattern and length for a security configuration name: 1 to 255 characters of `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]`. */
const SECURITY_CONFIGURATION_NAME = /^[\t\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]{1,255}$/u;

function validateName(scope: Construct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name) || SECURITY_CONFIGURATION_NAME.test(name)) return;
  throwValidationError(
    'InvalidGlueSecurityConfigurationProps',
    `securityConfigurationName must be 1 to 255 characters, tabs and printable characters only (Glue's name pattern), got ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} (${[...name].length} characters). ` +
      'Pick a name such as "etl-encryption", or omit securityConfigurationName for a generated one.',
    scope,
  );
}
