import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CrossAccountSharedKey, DataProtectionReport, DataProtectionStatements, EncryptedRedshiftCluster, EncryptedRedshiftServerless } from '../src';
import { KEY_ARN, kmsKeyArn, producerStack } from './support';

function setup() {
  const { app, stack } = producerStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const key = new CrossAccountSharedKey(stack, 'Key');
  return { app, stack, vpc, key };
}

function keyArnRef(stack: any, key: CrossAccountSharedKey) {
  return { 'Fn::GetAtt': [stack.getLogicalId(key.key.node.defaultChild as kms.CfnKey), 'Arn'] };
}

describe('EncryptedRedshiftCluster', () => {
  describe('the cluster', () => {
    test('is encrypted under the key, private, with enhanced VPC routing, a managed admin password under the key, and retained', () => {
      const { stack, vpc, key } = setup();
      const warehouse = new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
      const t = Template.fromStack(stack);
      t.hasResource('AWS::Redshift::Cluster', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          Encrypted: true,
          KmsKeyId: keyArnRef(stack, key),
          EnhancedVpcRouting: true,
          PubliclyAccessible: false,
          ManageMasterPassword: true,
          MasterPasswordSecretKmsKeyId: keyArnRef(stack, key),
          MasterUserPassword: Match.absent(),
          ClusterType: 'single-node',
          ClusterParameterGroupName: { Ref: stack.getLogicalId(warehouse.parameterGroup) },
        },
      });
    });

    test('its parameter group sets require_ssl to true', () => {
      const { stack, vpc, key } = setup();
      new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::Redshift::ClusterParameterGroup', {
        ParameterGroupFamily: 'redshift-1.0',
        Parameters: [{ ParameterName: 'require_ssl', ParameterValue: 'true' }],
      });
    });

    test('the key policy lets Redshift and Secrets Manager use the key, through those services and for this account only', () => {
      const { stack, vpc, key } = setup();
      new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: DataProtectionStatements.SID_ALLOW_REDSHIFT_KEY_USE,
              Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
              Condition: {
                StringEquals: {
                  'kms:ViaService': ['redshift.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com'],
                  'kms:CallerAccount': '111111111111',
                },
              },
            }),
          ]),
        },
      });
    });

    test('a multi-node cluster names its node count', () => {
      const { stack, vpc, key } = setup();
      new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc, numberOfNodes: 2 });
      Template.fromStack(stack).hasResourceProperties('AWS::Redshift::Cluster', { ClusterType: 'multi-node', NumberOfNodes: 2 });
    });

    test('an imported key gets a warning naming the statement to add', () => {
      const { app, stack, vpc } = setup();
      const w = new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN), vpc });
      app.synth();
      expect(Annotations.fromStack(stack).findWarning(`/${w.node.path}`, Match.stringLikeRegexp('AllowRedshiftKeyUse'))).toHaveLength(1);
    });

    test('the report lists the cluster among the resources encrypting with the key', () => {
      const { stack, vpc, key } = setup();
      new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
      const usedBy = DataProtectionReport.of(stack).toJson().keys[0].requestBudget.usedBy.map((u: any) => `${u.kind} ${u.path}`);
      expect(usedBy).toContain('AWS::Redshift::Cluster Producer/Warehouse');
    });
  });

  describe('bad input', () => {
    test('fails if the key is AWS-managed', () => {
      const { stack, vpc } = setup();
      expect(() => new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/redshift'), vpc })).toThrow(
        /^encryptionKey is the AWS-managed key alias\/aws\/redshift: .*Amazon Redshift/,
      );
    });

    test('fails if the key is of another Region', () => {
      const { stack, vpc } = setup();
      expect(() => new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-west-2')), vpc })).toThrow(
        /is in Region us-west-2, but Producer\/W is in eu-west-1: Amazon Redshift encrypts only under a key of its own Region/,
      );
    });

    test('fails if the key is a token that resolves to a key of another Region', () => {
      const { app, stack, vpc } = setup();
      new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-west-2') })), vpc });
      expect(() => app.synth()).toThrow(/refused once resolved at synthesis: encryptionKey arn:aws:kms:us-west-2:.* is in Region us-west-2/);
    });

    test('fails if removalPolicy is DESTROY', () => {
      const { stack, vpc, key } = setup();
      expect(() => new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: key.key, vpc, removalPolicy: RemovalPolicy.DESTROY })).toThrow(
        /^removalPolicy is RemovalPolicy.DESTROY: .*Use RemovalPolicy.RETAIN/,
      );
    });

    test('fails if numberOfNodes is out of range', () => {
      const { stack, vpc, key } = setup();
      expect(() => new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: key.key, vpc, numberOfNodes: 0 })).toThrow('numberOfNodes must be a whole number from 1 to 128, got 0');
    });
  });

  describe('promises', () => {
    test('fails synthesis if an escape hatch moves the cluster to the default parameter group (DP32)', () => {
      const { app, stack, vpc, key } = setup();
      const w = new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
      w.cluster.addPropertyOverride('ClusterParameterGroupName', 'default.redshift-1.0');
      expect(() => app.synth()).toThrow(/Producer\/Warehouse\/Resource fails DataProtection-DP32 on the final template/);
    });

    test('fails synthesis if an escape hatch drops the key (DP31)', () => {
      const { app, stack, vpc, key } = setup();
      const w = new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
      w.cluster.addPropertyDeletionOverride('KmsKeyId');
      expect(() => app.synth()).toThrow(/fails DataProtection-DP31 on the final template.*KmsKeyId is not set/);
    });
  });
});

describe('EncryptedRedshiftServerless', () => {
  test('the namespace is under the key with a managed admin password under the key; the workgroup requires TLS and is private', () => {
    const { stack, vpc, key } = setup();
    new EncryptedRedshiftServerless(stack, 'Serverless', { encryptionKey: key.key, vpc });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::RedshiftServerless::Namespace', {
      DeletionPolicy: 'Retain',
      Properties: {
        KmsKeyId: keyArnRef(stack, key),
        ManageAdminPassword: true,
        AdminPasswordSecretKmsKeyId: keyArnRef(stack, key),
        AdminUserPassword: Match.absent(),
      },
    });
    t.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      EnhancedVpcRouting: true,
      PubliclyAccessible: false,
      ConfigParameters: [{ ParameterKey: 'require_ssl', ParameterValue: 'true' }],
    });
  });

  test('the key policy lets Redshift Serverless and Secrets Manager use the key through those services only', () => {
    const { stack, vpc, key } = setup();
    new EncryptedRedshiftServerless(stack, 'Serverless', { encryptionKey: key.key, vpc });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: DataProtectionStatements.SID_ALLOW_REDSHIFT_SERVERLESS_KEY_USE,
            Condition: { StringEquals: { 'kms:ViaService': ['redshift-serverless.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com'], 'kms:CallerAccount': '111111111111' } },
          }),
        ]),
      },
    });
  });

  test('fails if a name is not 3 to 64 lowercase letters, digits and hyphens', () => {
    const { stack, vpc, key } = setup();
    expect(() => new EncryptedRedshiftServerless(stack, 'S', { encryptionKey: key.key, vpc, namespaceName: 'My_Namespace' })).toThrow(
      'namespaceName must be 3 to 64 lowercase letters, digits and hyphens, got "My_Namespace"',
    );
  });

  test('fails if the key is AWS-managed', () => {
    const { stack, vpc } = setup();
    expect(() => new EncryptedRedshiftServerless(stack, 'S', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/redshift'), vpc })).toThrow(
      /^encryptionKey is the AWS-managed key alias\/aws\/redshift/,
    );
  });

  test('fails synthesis if an escape hatch turns require_ssl off on the workgroup (DP32)', () => {
    const { app, stack, vpc, key } = setup();
    const s = new EncryptedRedshiftServerless(stack, 'Serverless', { encryptionKey: key.key, vpc });
    s.workgroup.addPropertyOverride('ConfigParameters', [{ ParameterKey: 'require_ssl', ParameterValue: 'false' }]);
    expect(() => app.synth()).toThrow(/Producer\/Serverless\/Workgroup fails DataProtection-DP32 on the final template.*set require_ssl to false/);
  });

  test('the report lists the namespace among the resources encrypting with the key', () => {
    const { stack, vpc, key } = setup();
    new EncryptedRedshiftServerless(stack, 'Serverless', { encryptionKey: key.key, vpc });
    const usedBy = DataProtectionReport.of(stack).toJson().keys[0].requestBudget.usedBy.map((u: any) => `${u.kind} ${u.path}`);
    expect(usedBy).toContain('AWS::RedshiftServerless::Namespace Producer/Serverless/Namespace');
  });
});
