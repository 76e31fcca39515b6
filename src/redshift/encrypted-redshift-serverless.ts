import { Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import { REQUIRE_SSL, securityGroupsFor, validateRedshiftNetwork } from './redshift-common';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { optionalString, requireObject } from '../core/props';
import { addServiceKeyStatement, keyAccount, validateServiceKey, viaService } from '../core/service-key';
import { registerForReport } from '../report/report-registry';
import { allowRedshiftServerlessKeyUse } from '../statements/redshift';

/**
 * Properties of an {@link EncryptedRedshiftServerless}.
 */
export interface EncryptedRedshiftServerlessProps {
  /**
   * The customer-managed key the namespace and its managed admin password
   * are encrypted under. Its key policy gets `AllowRedshiftServerlessKeyUse`.
   *
   * @throws if it is an alias, an AWS-managed key, a bare key id, or a key of another Region (also once a token resolves)
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-workgroup-namespace.html
   */
  readonly encryptionKey: kms.IKey;

  /** The VPC the workgroup runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * The workgroup's subnets (Redshift Serverless needs subnets in at least three Availability Zones).
   *
   * @default - the VPC's private subnets
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The workgroup's security groups.
   *
   * @default - a security group of its own that allows no inbound traffic (open it with `connections`)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The admin user's name; Redshift manages its password in Secrets Manager under `encryptionKey`.
   *
   * @default 'admin'
   */
  readonly adminUsername?: string;

  /**
   * The database created with the namespace.
   *
   * @default 'dev'
   */
  readonly databaseName?: string;

  /**
   * The namespace's name: 3 to 64 lowercase letters, digits and hyphens.
   *
   * @default - a name derived from the construct's path
   */
  readonly namespaceName?: string;

  /**
   * The workgroup's name: 3 to 64 lowercase letters, digits and hyphens.
   *
   * @default - a name derived from the construct's path
   */
  readonly workgroupName?: string;

  /**
   * What happens to the namespace (the data) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   * @throws if `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

const NAME = /^[a-z0-9-]{3,64}$/;

/**
 * An Amazon Redshift Serverless namespace encrypted under a
 * customer-managed key, with its admin password in Secrets Manager under
 * the same key, and a workgroup that refuses connections without TLS
 * (`require_ssl` = true), routes COPY and UNLOAD through the VPC and is not
 * publicly accessible.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const key = new CrossAccountSharedKey(this, 'Key');
 * new EncryptedRedshiftServerless(this, 'Warehouse', { encryptionKey: key.key, vpc });
 */
export class EncryptedRedshiftServerless extends Construct {
  /** The namespace (the data). */
  public readonly namespace: redshiftserverless.CfnNamespace;
  /** The workgroup (the compute). */
  public readonly workgroup: redshiftserverless.CfnWorkgroup;
  /** The network connections of the workgroup. */
  public readonly connections: ec2.Connections;
  /** The key the namespace is encrypted under. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: EncryptedRedshiftServerlessProps) {
    super(scope, id);
    requireObject('props', props, 'an object of EncryptedRedshiftServerlessProps { encryptionKey, vpc }');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'Amazon Redshift Serverless');
    validateRedshiftNetwork(this, props.vpc, props.removalPolicy);
    for (const prop of ['adminUsername', 'databaseName', 'namespaceName', 'workgroupName'] as const) {
      optionalString(prop, props[prop]);
    }
    const namespaceName = this.checkName('namespaceName', props.namespaceName, 'namespace');
    const workgroupName = this.checkName('workgroupName', props.workgroupName, 'workgroup');
    this.encryptionKey = props.encryptionKey;
    const keyArn = this.encryptionKey.keyArn;

    this.namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
      namespaceName,
      dbName: props.databaseName ?? 'dev',
      adminUsername: props.adminUsername ?? 'admin',
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: keyArn,
      kmsKeyId: keyArn,
    });
    this.namespace.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);

    const securityGroups = securityGroupsFor(this, props.vpc, props.securityGroups, 'Redshift Serverless workgroup');
    this.connections = new ec2.Connections({ securityGroups });
    this.workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
      workgroupName,
      namespaceName,
      enhancedVpcRouting: true,
      publiclyAccessible: false,
      subnetIds: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
      securityGroupIds: securityGroups.map((g) => g.securityGroupId),
      configParameters: [{ parameterKey: REQUIRE_SSL, parameterValue: 'true' }],
    });
    this.workgroup.addDependency(this.namespace);

    addServiceKeyStatement(
      this.encryptionKey,
      allowRedshiftServerlessKeyUse(keyAccount(this.encryptionKey), viaService('redshift-serverless', this), viaService('secretsmanager', this)),
      this,
      'cdk-data-protection:redshiftKeyPolicyNotManaged',
    );
    promise(this, 'EncryptedRedshiftServerless', this.namespace, ['DP31']);
    promise(this, 'EncryptedRedshiftServerless', this.workgroup, ['DP32']);
    const key = this.encryptionKey.node.defaultChild;
    if (key instanceof kms.CfnKey) {
      // the key of the data: at least as durable as the namespace (and its final snapshot)
      promise(this, 'EncryptedRedshiftServerless', key, ['DP14']);
    }
    registerForReport(this);
  }

  private checkName(prop: string, given: string | undefined, kind: string): string {
    if (given !== undefined) {
      if (!Token.isUnresolved(given) && !NAME.test(given)) {
        throwValidationError('InvalidRedshiftProps', `${prop} must be 3 to 64 lowercase letters, digits and hyphens, got ${JSON.stringify(given)}`, this);
      }
      return given;
    }
    const base = Names.uniqueResourceName(this, { maxLength: 64 - kind.length - 1, separator: '-' }).toLowerCase().replace(/[^a-z0-9-]/g, '');
    return `${base}-${kind}`.slice(0, 64);
  }
}
