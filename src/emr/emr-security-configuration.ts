import { Annotations, Stack } from 'aws-cdk-lib';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EmrInTransitEncryption, validateS3Uri } from './emr-in-transit-encryption';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { GRANTABLE, optionalBoolean, optionalString, requireConstruct, requireObject } from '../core/props';
import { addServiceKeyStatement, keyAccount, validateServiceKey, viaService } from '../core/service-key';
import { checkOnceResolved } from '../core/validation';
import { registerForReport } from '../report/report-registry';
import { grantEnvironment } from '../sharing/grant-routing';
import { allowEmrEbsEncryption, allowEmrEbsGrants, emrInstanceRoleKeyUse, emrServiceRoleKeyUse } from '../statements/emr';

/**
 * Properties of an {@link EmrSecurityConfiguration}.
 */
export interface EmrSecurityConfigurationProps {
  /**
   * The customer-managed key EMR encrypts with at rest: EMRFS objects in S3
   * (SSE-KMS), the instances' local disks and, with `ebsEncryption`, their
   * EBS volumes. A `CrossAccountSharedKey`'s `key`, or a key of this
   * account and Region. Its key policy gets the statements EBS needs
   * (`AllowEmrEbsEncryption`, `AllowEmrEbsGrants`).
   *
   * @throws if it is an alias, an AWS-managed key, a bare key id, or a key of another account or Region (also once a token resolves)
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-awskms-keys
   */
  readonly encryptionKey: kms.IKey;

  /**
   * How data in transit is encrypted: `EmrInTransitEncryption.pemCertificates(s3Uri)`,
   * `EmrInTransitEncryption.customProvider(s3Uri, providerClass)`, or,
   * on purpose only, `EmrInTransitEncryption.disabled()` (a warning
   * `cdk-data-protection:emrInTransitEncryptionOff`).
   *
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html#emr-encryption-intransit
   */
  readonly inTransitEncryption: EmrInTransitEncryption;

  /**
   * Whether the instances' EBS volumes (root and storage) are encrypted
   * under the key too, besides their local disks.
   *
   * @default true
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html#emr-encryption-localdisk
   */
  readonly ebsEncryption?: boolean;

  /**
   * The name of the security configuration, which clusters name.
   *
   * @default - a name CloudFormation generates
   */
  readonly securityConfigurationName?: string;
}

/**
 * An Amazon EMR security configuration that encrypts at rest under a
 * customer-managed key (EMRFS SSE-KMS, local disks, EBS volumes) and in
 * transit with TLS, and the key-policy statements EBS encryption needs.
 * aws-cdk-lib has no L2 for it.
 *
 * Grant the cluster's roles with `grantCluster(serviceRole, instanceRole)`.
 *
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key');
 * const config = new EmrSecurityConfiguration(this, 'Security', {
 *   encryptionKey: key.key,
 *   inTransitEncryption: EmrInTransitEncryption.pemCertificates('s3://my-config/emr/certs.zip'),
 * });
 * declare const serviceRole: iam.Role;
 * declare const instanceRole: iam.Role;
 * config.grantCluster(serviceRole, instanceRole);
 */
export class EmrSecurityConfiguration extends Construct {
  /** The security configuration. */
  public readonly securityConfiguration: emr.CfnSecurityConfiguration;
  /** Its name, which a cluster's `SecurityConfiguration` names. */
  public readonly securityConfigurationName: string;
  /** The key EMR encrypts with at rest. */
  public readonly encryptionKey: kms.IKey;
  /** Whether data in transit is encrypted. */
  public readonly inTransitEncryptionEnabled: boolean;
  /** Whether the instances' EBS volumes are encrypted. */
  public readonly ebsEncryption: boolean;

  constructor(scope: Construct, id: string, props: EmrSecurityConfigurationProps) {
    super(scope, id);
    requireObject('props', props, 'an object of EmrSecurityConfigurationProps { encryptionKey, inTransitEncryption }');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'Amazon EMR');
    if (!(props.inTransitEncryption instanceof EmrInTransitEncryption)) {
      throwValidationError(
        'InvalidEmrCertificates',
        `inTransitEncryption must be an EmrInTransitEncryption (EmrInTransitEncryption.pemCertificates('s3://<bucket>/<key>.zip'), .customProvider(...) or, on purpose only, .disabled()), got ${JSON.stringify(props.inTransitEncryption)}`,
        this,
      );
    }
    optionalBoolean('ebsEncryption', props.ebsEncryption);
    optionalString('securityConfigurationName', props.securityConfigurationName);

    this.encryptionKey = props.encryptionKey;
    this.ebsEncryption = props.ebsEncryption ?? true;
    this.inTransitEncryptionEnabled = props.inTransitEncryption.enabled;
    const transit = props.inTransitEncryption._render();
    if (transit.s3Uri !== undefined) {
      const { suffix, what } = transit;
      checkOnceResolved(this, [transit.s3Uri], ([uri]) => validateS3Uri('inTransitEncryption s3Uri', uri!, suffix!, what!));
    }

    const keyArn = this.encryptionKey.keyArn;
    this.securityConfiguration = new emr.CfnSecurityConfiguration(this, 'Resource', {
      name: props.securityConfigurationName,
      securityConfiguration: {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          EnableInTransitEncryption: this.inTransitEncryptionEnabled,
          AtRestEncryptionConfiguration: {
            S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: keyArn },
            LocalDiskEncryptionConfiguration: {
              EncryptionKeyProviderType: 'AwsKms',
              AwsKmsKey: keyArn,
              EnableEbsEncryption: this.ebsEncryption,
            },
          },
          ...(transit.configuration ? { InTransitEncryptionConfiguration: transit.configuration } : {}),
        },
      },
    });
    this.securityConfigurationName = this.securityConfiguration.ref;

    if (this.ebsEncryption) {
      const account = keyAccount(this.encryptionKey);
      const ec2 = viaService('ec2', this);
      addServiceKeyStatement(this.encryptionKey, allowEmrEbsEncryption(account, ec2), this, 'cdk-data-protection:emrKeyPolicyNotManaged');
      addServiceKeyStatement(this.encryptionKey, allowEmrEbsGrants(account, ec2), this, 'cdk-data-protection:emrKeyPolicyNotManaged');
    }

    if (!this.inTransitEncryptionEnabled) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:emrInTransitEncryptionOff',
        'inTransitEncryption is EmrInTransitEncryption.disabled(): traffic between the cluster\'s nodes (shuffle, HDFS block transfer, Spark and Presto RPC) is plain text. ' +
          'Give a PEM certificate zip in S3 with EmrInTransitEncryption.pemCertificates(\'s3://<bucket>/<key>.zip\') unless the cluster is on purpose without TLS.',
      );
    }
    promise(this, 'EmrSecurityConfiguration', this.securityConfiguration, [
      this.inTransitEncryptionEnabled ? 'DP29' : { rule: 'DP29', warning: 'cdk-data-protection:emrInTransitEncryptionOff' },
      'DP30',
    ]);
    registerForReport(this);
  }

  /**
   * Grants the roles of a cluster that uses this security configuration
   * what they need of the key, each through its service only:
   * - the EMR service role: EBS volumes through EC2 (`kms:ViaService`
   *   `ec2.<region>.amazonaws.com`), grants for AWS resources only
   *   (`kms:GrantIsForAWSResource`);
   * - the EC2 instance role: EMRFS objects through S3 (`kms:ViaService`
   *   `s3.<region>.amazonaws.com`), and the data keys of local disk
   *   encryption, which the instances ask KMS for directly
   *   (`kms:GenerateDataKey`, `kms:Decrypt`, `kms:CallerAccount`).
   *
   * @param serviceRole the cluster's service role (`ServiceRole`)
   * @param instanceRole the role of the cluster's EC2 instance profile (`JobFlowRole`)
   * @throws if a role is of another account or Region than the security configuration
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-awskms-keys
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html
   */
  public grantCluster(serviceRole: iam.IGrantable, instanceRole: iam.IGrantable): void {
    requireConstruct('serviceRole', serviceRole, GRANTABLE);
    requireConstruct('instanceRole', instanceRole, GRANTABLE);
    this.refuseOutside('serviceRole', serviceRole);
    this.refuseOutside('instanceRole', instanceRole);
    const keyArn = this.encryptionKey.keyArn;
    const account = keyAccount(this.encryptionKey);
    if (this.ebsEncryption) {
      for (const s of emrServiceRoleKeyUse(keyArn, account, viaService('ec2', this))) {
        serviceRole.grantPrincipal.addToPrincipalPolicy(s);
      }
    }
    for (const s of emrInstanceRoleKeyUse(keyArn, account, viaService('s3', this), true)) {
      instanceRole.grantPrincipal.addToPrincipalPolicy(s);
    }
  }

  private refuseOutside(prop: string, grantee: iam.IGrantable): void {
    const where = grantEnvironment(this, grantee);
    if (where.kind === 'same') {
      return;
    }
    throwValidationError(
      'GrantOutsideEnvironment',
      `grantCluster: ${prop} is ${where.kind === 'otherAccount' ? `of account ${where.account}` : `in Region ${where.region}`}, but the security configuration ${this.node.path} is in ` +
        `${Stack.of(this).account} / ${Stack.of(this).region}: an EMR cluster runs in the account and Region of its security configuration. Create the roles in this stack's environment.`,
      this,
    );
  }
}
