import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CrossAccountSharedKey, DataProtectionReport, DataProtectionStatements, EmrInTransitEncryption, EmrSecurityConfiguration } from '../src';
import { KEY_ARN, kmsKeyArn, PARTNER, producerStack } from './support';

const CERTS = 's3://my-config/emr/certs.zip';

function setup() {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const config = new EmrSecurityConfiguration(stack, 'Security', {
    encryptionKey: key.key,
    inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
  });
  return { app, stack, key, config };
}

function keyRef(stack: Stack, key: CrossAccountSharedKey) {
  return { 'Fn::GetAtt': [stack.getLogicalId(key.key.node.defaultChild as kms.CfnKey), 'Arn'] };
}

describe('EmrSecurityConfiguration', () => {
  describe('the security configuration', () => {
    test('encrypts at rest under the key (EMRFS SSE-KMS, local disks, EBS) and in transit with the PEM certificates', () => {
      const { stack, key } = setup();
      const arn = keyRef(stack, key);
      Template.fromStack(stack).hasResourceProperties('AWS::EMR::SecurityConfiguration', {
        SecurityConfiguration: {
          EncryptionConfiguration: {
            EnableAtRestEncryption: true,
            EnableInTransitEncryption: true,
            AtRestEncryptionConfiguration: {
              S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: arn },
              LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: arn, EnableEbsEncryption: true },
            },
            InTransitEncryptionConfiguration: { TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: CERTS } },
          },
        },
      });
    });

    test('a custom certificate provider names its JAR and class', () => {
      const { stack } = producerStack();
      new EmrSecurityConfiguration(stack, 'Security', {
        encryptionKey: new CrossAccountSharedKey(stack, 'Key').key,
        inTransitEncryption: EmrInTransitEncryption.customProvider('s3://my-config/emr/provider.jar', 'com.example.CertProvider'),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EMR::SecurityConfiguration', {
        SecurityConfiguration: {
          EncryptionConfiguration: {
            InTransitEncryptionConfiguration: {
              TLSCertificateConfiguration: { CertificateProviderType: 'Custom', S3Object: 's3://my-config/emr/provider.jar', CertificateProviderClass: 'com.example.CertProvider' },
            },
          },
        },
      });
    });

    test('in transit off only on purpose, with the warning emrInTransitEncryptionOff', () => {
      const { app, stack } = producerStack();
      const config = new EmrSecurityConfiguration(stack, 'Security', {
        encryptionKey: new CrossAccountSharedKey(stack, 'Key').key,
        inTransitEncryption: EmrInTransitEncryption.disabled(),
      });
      app.synth();
      Template.fromStack(stack).hasResourceProperties('AWS::EMR::SecurityConfiguration', {
        SecurityConfiguration: { EncryptionConfiguration: { EnableInTransitEncryption: false, InTransitEncryptionConfiguration: Match.absent() } },
      });
      const warnings = Annotations.fromStack(stack).findWarning(`/${config.node.path}`, Match.stringLikeRegexp('emrInTransitEncryptionOff'));
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(config.inTransitEncryptionEnabled).toBe(false);
    });
  });

  describe('the key policy', () => {
    test('lets EBS use the key through EC2 only, and create grants for AWS resources only, without touching DenyGrantsExceptForAwsResources', () => {
      const { stack } = setup();
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: DataProtectionStatements.SID_DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES,
              Effect: 'Deny',
              Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
            }),
            Match.objectLike({
              Sid: DataProtectionStatements.SID_ALLOW_EMR_EBS_ENCRYPTION,
              Effect: 'Allow',
              Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
              Condition: { StringEquals: { 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' } },
            }),
            Match.objectLike({
              Sid: DataProtectionStatements.SID_ALLOW_EMR_EBS_GRANTS,
              Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
              Condition: {
                StringEquals: { 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' },
                Bool: { 'kms:GrantIsForAWSResource': 'true' },
              },
            }),
          ]),
        },
      });
    });

    test('two security configurations on one key add each statement once', () => {
      const { stack, key } = setup();
      new EmrSecurityConfiguration(stack, 'Second', { encryptionKey: key.key, inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS) });
      const policy = Template.fromStack(stack).findResources('AWS::KMS::Key');
      const statements = Object.values(policy)[0].Properties.KeyPolicy.Statement as any[];
      expect(statements.filter((s) => s.Sid === 'AllowEmrEbsGrants')).toHaveLength(1);
    });

    test('without EBS encryption, no EBS statement is added', () => {
      const { stack } = producerStack();
      new EmrSecurityConfiguration(stack, 'Security', {
        encryptionKey: new CrossAccountSharedKey(stack, 'Key').key,
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
        ebsEncryption: false,
      });
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
      expect(statements.map((s) => s.Sid)).not.toContain('AllowEmrEbsEncryption');
    });

    test('an imported key gets a warning naming the statement to add', () => {
      const { app, stack } = producerStack();
      const config = new EmrSecurityConfiguration(stack, 'Security', {
        encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN),
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
      });
      app.synth();
      expect(Annotations.fromStack(stack).findWarning(`/${config.node.path}`, Match.stringLikeRegexp('AllowEmrEbsEncryption'))).toHaveLength(1);
    });
  });

  describe('grantCluster', () => {
    test('gives the service role the key through EC2 only and the instance role through S3, plus local-disk data keys', () => {
      const { stack, config } = setup();
      const serviceRole = new iam.Role(stack, 'ServiceRole', { assumedBy: new iam.ServicePrincipal('elasticmapreduce.amazonaws.com') });
      const instanceRole = new iam.Role(stack, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      config.grantCluster(serviceRole, instanceRole);
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(serviceRole.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Action: Match.arrayWith(['kms:GenerateDataKey*']), Condition: { StringEquals: { 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' } } }),
            Match.objectLike({ Action: Match.arrayWith(['kms:CreateGrant']), Condition: Match.objectLike({ Bool: { 'kms:GrantIsForAWSResource': 'true' } }) }),
          ],
        },
      });
      t.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(instanceRole.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'], Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' } } }),
            Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Condition: { StringEquals: { 'kms:CallerAccount': '111111111111' } } }),
          ],
        },
      });
    });

    test('fails if a role is of another account', () => {
      const { stack, config } = setup();
      const other = iam.Role.fromRoleArn(stack, 'Other', `arn:aws:iam::${PARTNER}:role/Emr`);
      const own = new iam.Role(stack, 'Own', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      expect(() => config.grantCluster(other, own)).toThrow(/grantCluster: serviceRole is of account 222222222222/);
    });
  });

  describe('bad input', () => {
    test('fails if the key is AWS-managed', () => {
      const { stack } = producerStack();
      expect(() => new EmrSecurityConfiguration(stack, 'S', {
        encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/s3'),
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
      })).toThrow(/^encryptionKey is the AWS-managed key alias\/aws\/s3: .*Pass a customer-managed key/);
    });

    test('fails if the key is of another Region', () => {
      const { stack } = producerStack();
      expect(() => new EmrSecurityConfiguration(stack, 'S', {
        encryptionKey: kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1')),
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
      })).toThrow(/encryptionKey arn:aws:kms:us-east-1:111111111111:key\/.* is in Region us-east-1, but Producer\/S is in eu-west-1: .*Use a key in eu-west-1/);
    });

    test('fails if the key is a token that resolves to an AWS-managed key alias ARN', () => {
      const { app, stack } = producerStack();
      new EmrSecurityConfiguration(stack, 'S', {
        encryptionKey: kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => 'arn:aws:kms:eu-west-1:111111111111:alias/aws/ebs' })),
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
      });
      expect(() => app.synth()).toThrow(/a value that was a token at construction is refused once resolved at synthesis: encryptionKey is the AWS-managed key alias\/aws\/ebs/);
    });

    test('fails if the key is a token that resolves to a key of another Region', () => {
      const { app, stack } = producerStack();
      new EmrSecurityConfiguration(stack, 'S', {
        encryptionKey: kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-east-1') })),
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(CERTS),
      });
      expect(() => app.synth()).toThrow(/is in Region us-east-1, but Producer\/S is in eu-west-1/);
    });

    test.each([
      ['https://my-config.s3.amazonaws.com/certs.zip'],
      ['s3://my-config/certs.pem'],
      ['arn:aws:s3:::my-config/certs.zip'],
      ['s3://My_Config/certs.zip'],
      ['s3://my-config/'],
    ])('fails if the PEM certificate location %s is not an s3://bucket/key.zip URI', (uri) => {
      expect(() => EmrInTransitEncryption.pemCertificates(uri)).toThrow(
        new RegExp(`^EmrInTransitEncryption\\.pemCertificates\\(s3Uri\\): s3Uri must be an S3 URI of a zip file of PEM certificates, s3://<bucket>/<key>\\.zip .*got "${uri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`),
      );
    });

    test('fails if the certificate location is a token that resolves to something other than an S3 URI', () => {
      const { app, stack } = producerStack();
      new EmrSecurityConfiguration(stack, 'S', {
        encryptionKey: new CrossAccountSharedKey(stack, 'Key').key,
        inTransitEncryption: EmrInTransitEncryption.pemCertificates(Lazy.string({ produce: () => 'https://example.com/certs.zip' })),
      });
      expect(() => app.synth()).toThrow(/refused once resolved at synthesis: inTransitEncryption s3Uri must be an S3 URI of a zip file of PEM certificates/);
    });

    test('fails if the custom provider class is not a Java class name, or its JAR not an S3 URI', () => {
      expect(() => EmrInTransitEncryption.customProvider('s3://cfg/p.jar', 'not a class')).toThrow(/providerClass must be a fully qualified Java class name/);
      expect(() => EmrInTransitEncryption.customProvider('s3://cfg/p.zip', 'com.example.P')).toThrow(/s3Uri must be an S3 URI of a JAR file of the provider, s3:\/\/<bucket>\/<key>\.jar/);
    });

    test('fails if inTransitEncryption is missing', () => {
      const { stack } = producerStack();
      expect(() => new EmrSecurityConfiguration(stack, 'S', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key } as any)).toThrow(
        /^inTransitEncryption must be an EmrInTransitEncryption/,
      );
    });
  });

  describe('promises', () => {
    test('fails synthesis if an escape hatch turns at-rest encryption off (DP29)', () => {
      const { app, config } = setup();
      config.securityConfiguration.addPropertyOverride('SecurityConfiguration.EncryptionConfiguration.EnableAtRestEncryption', false);
      expect(() => app.synth()).toThrow(/Producer\/Security\/Resource fails DataProtection-DP29 on the final template.*Encryption is off at rest \(EnableAtRestEncryption\)/);
    });

    test('fails synthesis if an escape hatch names SSE-S3 (DP30)', () => {
      const { app, config } = setup();
      config.securityConfiguration.addPropertyOverride('SecurityConfiguration.EncryptionConfiguration.AtRestEncryptionConfiguration.S3EncryptionConfiguration', { EncryptionMode: 'SSE-S3' });
      expect(() => app.synth()).toThrow(/fails DataProtection-DP30 on the final template, which EmrSecurityConfiguration Producer\/Security promises/);
    });

    test('the report lists the security configuration among the resources encrypting with the key', () => {
      const { stack } = setup();
      const json = DataProtectionReport.of(stack).toJson();
      const usedBy = json.keys[0].requestBudget.usedBy.map((u: any) => `${u.kind} ${u.path}`);
      expect(usedBy).toContain('AWS::EMR::SecurityConfiguration Producer/Security');
    });
  });
});

