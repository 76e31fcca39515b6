import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CrossAccountSharedKey, DataProtectionStatements, GlueSecurityConfiguration } from '../src';
import { kmsKeyArn, PARTNER, PRODUCER, producerStack, REGION } from './support';

function glueStack() {
  const { app, stack } = producerStack();
  const shared = new CrossAccountSharedKey(stack, 'Shared');
  const config = new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: shared.key, securityConfigurationName: 'etl' });
  return { app, stack, shared, config };
}

describe('GlueSecurityConfiguration', () => {
  describe('the security configuration', () => {
    test('encrypts S3 with SSE-KMS, CloudWatch Logs with SSE-KMS and bookmarks with CSE-KMS under the key', () => {
      const { stack, shared } = glueStack();
      const keyArn = stack.resolve(shared.key.keyArn);
      Template.fromStack(stack).hasResourceProperties('AWS::Glue::SecurityConfiguration', {
        Name: 'etl',
        EncryptionConfiguration: {
          S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn }],
          CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn },
          JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: keyArn },
        },
      });
    });

    test('the key policy lets CloudWatch Logs of the Region use the key for the Glue log groups of the account only', () => {
      const { stack } = glueStack();
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: DataProtectionStatements.SID_ALLOW_GLUE_LOGS_KEY_USE,
              Principal: { Service: `logs.${REGION}.amazonaws.com` },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.resolve(`arn:${stack.partition}:logs:${REGION}:${PRODUCER}:log-group:/aws-glue/*`) } },
            }),
          ]),
        },
      });
    });

    test('a generated name when none is given', () => {
      const { stack } = producerStack();
      new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: new kms.Key(stack, 'K', { enableKeyRotation: true }) });
      Template.fromStack(stack).hasResourceProperties('AWS::Glue::SecurityConfiguration', { Name: Match.stringLikeRegexp('^Producer-c8') });
    });
  });

  describe('grantJob', () => {
    test('grants the key through S3 of the Region, the key for bookmarks in the account, and logs:AssociateKmsKey on the Glue log groups', () => {
      const { stack, config, shared } = glueStack();
      const role = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      config.grantJob(role);
      const keyArn = stack.resolve(shared.key.keyArn);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Sid: 'GlueJobS3KeyUse',
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
              Resource: keyArn,
              Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': PRODUCER } },
            },
            {
              Sid: 'GlueJobBookmarksKeyUse',
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
              Resource: keyArn,
              Condition: { StringEquals: { 'kms:CallerAccount': PRODUCER } },
            },
            {
              Sid: 'GlueJobLogsAssociateKey',
              Effect: 'Allow',
              Action: 'logs:AssociateKmsKey',
              Resource: stack.resolve(`arn:${stack.partition}:logs:${REGION}:${PRODUCER}:log-group:/aws-glue/*`),
            },
          ],
        },
      });
    });
  });

  describe('the promise of DP26', () => {
    test('fails synthesis if an escape hatch turns CloudWatch Logs encryption off', () => {
      const { app, config } = glueStack();
      config.securityConfiguration.addPropertyOverride('EncryptionConfiguration.CloudWatchEncryption.CloudWatchEncryptionMode', 'DISABLED');
      expect(() => app.synth()).toThrow(/Producer\/Glue\/Resource fails DataProtection-DP26 on the final template.*CloudWatch Logs encryption is off/s);
    });
  });

  describe('bad input', () => {
    test('fails if encryptionKey is an AWS-managed key', () => {
      const { stack } = producerStack();
      const managed = kms.Alias.fromAliasName(stack, 'Managed', 'alias/aws/glue');
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: managed })).toThrow(
        /^encryptionKey is the AWS-managed key alias\/aws\/glue: its key policy cannot be changed, so AWS Glue could not be allowed through its kms:ViaService only.*Pass a customer-managed key/,
      );
    });

    test('fails if encryptionKey is an imported AWS-managed key ARN', () => {
      const { stack } = producerStack();
      const managed = kms.Key.fromKeyArn(stack, 'Managed', `arn:aws:kms:${REGION}:${PRODUCER}:alias/aws/glue`);
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: managed })).toThrow(/encryptionKey is the AWS-managed key alias\/aws\/glue: .*Pass a customer-managed key/);
    });

    test('fails if encryptionKey is a key of another Region', () => {
      const { stack } = producerStack();
      const other = kms.Key.fromKeyArn(stack, 'Other', kmsKeyArn('us-east-1'));
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: other })).toThrow(
        `encryptionKey ${kmsKeyArn('us-east-1')} is in Region us-east-1, but Producer/Glue is in eu-west-1: AWS Glue encrypts only under a key of its own Region. ` +
          'Use a key in eu-west-1 (a CrossAccountSharedKey of this stack, or a multi-Region replica key in eu-west-1).',
      );
    });

    test('fails if encryptionKey is a key of another account (its key policy is not this app\'s to write)', () => {
      const { stack } = producerStack();
      const other = kms.Key.fromKeyArn(stack, 'Other', kmsKeyArn(REGION, PARTNER));
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: other })).toThrow(
        /^encryptionKey arn:aws:kms:eu-west-1:222222222222:key\/\S+ is a key of account 222222222222, but Producer\/Glue is in 111111111111: .*Use a CrossAccountSharedKey of this account/,
      );
    });

    test('fails if encryptionKey is an alias of a customer-managed key', () => {
      const { stack } = producerStack();
      const alias = new kms.Key(stack, 'K', { enableKeyRotation: true }).addAlias('alias/glue-data');
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: alias })).toThrow(
        /^encryptionKey must be a KMS key, got the alias "alias\/glue-data": .*Pass the key itself \(alias.aliasTargetKey\)/,
      );
    });

    test('fails if encryptionKey is a key of another Region given as a token that resolves at synthesis', () => {
      const { app, stack } = producerStack();
      const arn = Lazy.string({ produce: () => kmsKeyArn('us-east-1') });
      new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: kms.Key.fromKeyArn(stack, 'Other', arn) });
      expect(() => app.synth()).toThrow(/Producer\/Glue: a value that was a token at construction is refused once resolved at synthesis: encryptionKey arn:aws:kms:us-east-1:\d+:key\/\S+ is in Region us-east-1/);
    });

    test('fails if encryptionKey is an AWS-managed key given as a token that resolves at synthesis', () => {
      const { app, stack } = producerStack();
      const arn = Lazy.string({ produce: () => `arn:aws:kms:${REGION}:${PRODUCER}:alias/aws/glue` });
      new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: kms.Key.fromKeyArn(stack, 'Managed', arn) });
      expect(() => app.synth()).toThrow(/refused once resolved at synthesis: encryptionKey is the AWS-managed key/);
    });

    test('fails if encryptionKey is a key of a stack in another Region', () => {
      const app = new App();
      const keyStack = new Stack(app, 'Keys', { env: { account: PRODUCER, region: 'us-east-1' }, crossRegionReferences: true });
      const key = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
      const glueStackInApp = new Stack(app, 'Glue', { env: { account: PRODUCER, region: REGION } });
      expect(() => new GlueSecurityConfiguration(glueStackInApp, 'Config', { encryptionKey: key })).toThrow(/encryptionKey is in Region us-east-1, but Glue\/Config is in eu-west-1: AWS Glue encrypts only under a key of its own Region/);
    });

    test('fails if encryptionKey is missing', () => {
      const { stack } = producerStack();
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', {} as any)).toThrow(
        'encryptionKey must be a kms.IKey, got undefined. Pass a key construct, or import one with kms.Key.fromKeyArn.',
      );
    });
  });

  test('is a glue.CfnSecurityConfiguration under the child id Resource', () => {
    const { config } = glueStack();
    expect(config.securityConfiguration).toBeInstanceOf(glue.CfnSecurityConfiguration);
    expect(config.securityConfiguration.node.id).toBe('Resource');
  });
});
