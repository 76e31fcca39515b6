import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import { Construct } from 'constructs';
import { REQUIRE_SSL, securityGroupsFor, validateRedshiftNetwork } from './redshift-common';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { optionalString, requireObject } from '../core/props';
import { addServiceKeyStatement, keyAccount, validateServiceKey, viaService } from '../core/service-key';
import { registerForReport } from '../report/report-registry';
import { allowRedshiftKeyUse } from '../statements/redshift';

/**
 * Properties of an {@link EncryptedRedshiftCluster}.
 */
export interface EncryptedRedshiftClusterProps {
  /**
   * The customer-managed key the cluster, its snapshots and its managed
   * admin password (a Secrets Manager secret) are encrypted under. A
   * `CrossAccountSharedKey`'s `key`, or a key of this account and Region.
   * Its key policy gets `AllowRedshiftKeyUse`.
   *
   * @throws if it is an alias, an AWS-managed key, a bare key id, or a key of another Region (also once a token resolves)
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html
   */
  readonly encryptionKey: kms.IKey;

  /** The VPC the cluster runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the cluster's subnet group.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the cluster.
   *
   * @default - a security group of its own that allows no inbound traffic (open it with `connections`)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The admin user's name. Its password is managed by Redshift in Secrets
   * Manager (`ManageMasterPassword`), under `encryptionKey`.
   *
   * @default 'awsuser'
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-secrets-manager-integration.html
   */
  readonly masterUsername?: string;

  /**
   * The database created with the cluster.
   *
   * @default 'dev'
   */
  readonly databaseName?: string;

  /**
   * The node type.
   *
   * @default 'ra3.xlplus'
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#working-with-clusters-overview
   */
  readonly nodeType?: string;

  /**
   * The number of nodes: 1 makes a single-node cluster.
   *
   * @default 1
   */
  readonly numberOfNodes?: number;

  /**
   * The cluster's identifier.
   *
   * @default - one CloudFormation generates
   */
  readonly clusterIdentifier?: string;

  /**
   * What happens to the cluster when it leaves the stack: never less
   * durable than the key.
   *
   * @default RemovalPolicy.RETAIN
   * @throws if `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A provisioned Amazon Redshift cluster encrypted under a customer-managed
 * key, refusing connections without TLS (a parameter group of its own with
 * `require_ssl` = true), with enhanced VPC routing (COPY and UNLOAD go
 * through the VPC, so to S3 through its endpoint), not publicly
 * accessible, and its admin password in Secrets Manager under the same key.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const key = new CrossAccountSharedKey(this, 'Key');
 * new EncryptedRedshiftCluster(this, 'Warehouse', { encryptionKey: key.key, vpc });
 */
export class EncryptedRedshiftCluster extends Construct {
  /** The cluster. */
  public readonly cluster: redshift.CfnCluster;
  /** Its parameter group, with `require_ssl` = true. */
  public readonly parameterGroup: redshift.CfnClusterParameterGroup;
  /** Its subnet group. */
  public readonly subnetGroup: redshift.CfnClusterSubnetGroup;
  /** The network connections of the cluster (its security groups). */
  public readonly connections: ec2.Connections;
  /** The key the cluster is encrypted under. */
  public readonly encryptionKey: kms.IKey;
  /** The ARN of the Secrets Manager secret holding the admin password. */
  public readonly masterPasswordSecretArn: string;

  constructor(scope: Construct, id: string, props: EncryptedRedshiftClusterProps) {
    super(scope, id);
    requireObject('props', props, 'an object of EncryptedRedshiftClusterProps { encryptionKey, vpc }');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'Amazon Redshift');
    validateRedshiftNetwork(this, props.vpc, props.removalPolicy);
    optionalString('masterUsername', props.masterUsername);
    optionalString('databaseName', props.databaseName);
    optionalString('nodeType', props.nodeType);
    optionalString('clusterIdentifier', props.clusterIdentifier);
    const nodes = props.numberOfNodes ?? 1;
    if (!Token.isUnresolved(nodes) && (!Number.isInteger(nodes) || nodes < 1 || nodes > 128)) {
      throwValidationError('InvalidRedshiftProps', `numberOfNodes must be a whole number from 1 to 128, got ${nodes}`, this);
    }
    this.encryptionKey = props.encryptionKey;

    const securityGroups = securityGroupsFor(this, props.vpc, props.securityGroups, 'Redshift cluster');
    this.connections = new ec2.Connections({ securityGroups });
    this.subnetGroup = new redshift.CfnClusterSubnetGroup(this, 'SubnetGroup', {
      description: `Subnets of ${this.node.path}`,
      subnetIds: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
    });
    this.parameterGroup = new redshift.CfnClusterParameterGroup(this, 'ParameterGroup', {
      description: `Parameters of ${this.node.path}: connections over TLS only`,
      parameterGroupFamily: 'redshift-1.0',
      parameters: [{ parameterName: REQUIRE_SSL, parameterValue: 'true' }],
    });
    const keyArn = this.encryptionKey.keyArn;
    this.cluster = new redshift.CfnCluster(this, 'Resource', {
      clusterIdentifier: props.clusterIdentifier,
      clusterType: nodes === 1 ? 'single-node' : 'multi-node',
      numberOfNodes: nodes === 1 ? undefined : nodes,
      nodeType: props.nodeType ?? 'ra3.xlplus',
      dbName: props.databaseName ?? 'dev',
      masterUsername: props.masterUsername ?? 'awsuser',
      manageMasterPassword: true,
      masterPasswordSecretKmsKeyId: keyArn,
      encrypted: true,
      kmsKeyId: keyArn,
      enhancedVpcRouting: true,
      publiclyAccessible: false,
      clusterParameterGroupName: this.parameterGroup.ref,
      clusterSubnetGroupName: this.subnetGroup.ref,
      vpcSecurityGroupIds: securityGroups.map((g) => g.securityGroupId),
    });
    this.cluster.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.masterPasswordSecretArn = this.cluster.attrMasterPasswordSecretArn;

    addServiceKeyStatement(
      this.encryptionKey,
      allowRedshiftKeyUse(keyAccount(this.encryptionKey), viaService('redshift', this), viaService('secretsmanager', this)),
      this,
      'cdk-data-protection:redshiftKeyPolicyNotManaged',
    );
    promise(this, 'EncryptedRedshiftCluster', this.cluster, ['DP31', 'DP32']);
    const key = this.encryptionKey.node.defaultChild;
    if (key instanceof kms.CfnKey) {
      // the key of the data: at least as durable as the cluster (and its final snapshot)
      promise(this, 'EncryptedRedshiftCluster', key, ['DP14']);
    }
    registerForReport(this);
  }
}
