import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CrossAccountSharedKey, DataProtectionStatements, GlueSecurityConfiguration } from '../src';
import { kmsKeyArn, PRODUCER, producerStack, REGION } from './support';

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
        /^encryptionKey is the AWS-managed key "alias\/aws\/glue": its key policy cannot be changed.*Pass a customer-managed key by its ARN/,
      );
    });

    test('fails if encryptionKey is an imported AWS-managed key ARN', () => {
      const { stack } = producerStack();
      const managed = kms.Key.fromKeyArn(stack, 'Managed', `arn:aws:kms:${REGION}:${PRODUCER}:alias/aws/glue`);
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: managed })).toThrow(/encryptionKey is the AWS-managed key arn:aws:kms:eu-west-1:111111111111:alias\/aws\/glue/);
    });

    test('fails if encryptionKey is a key of another Region', () => {
      const { stack } = producerStack();
      const other = kms.Key.fromKeyArn(stack, 'Other', kmsKeyArn('us-east-1'));
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: other })).toThrow(
        `encryptionKey is a key of us-east-1 (${kmsKeyArn('us-east-1')}), but this stack is in eu-west-1: Glue and CloudWatch Logs use keys of their own Region only. Pass a key of eu-west-1 (or a multi-Region replica key in eu-west-1).`,
      );
    });

    test('fails if encryptionKey is a key of another Region given as a token that resolves at synthesis', () => {
      const { app, stack } = producerStack();
      const arn = Lazy.string({ produce: () => kmsKeyArn('us-east-1') });
      new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: kms.Key.fromKeyArn(stack, 'Other', arn) });
      expect(() => app.synth()).toThrow(/Producer\/Glue: a value that was a token at construction is refused once resolved at synthesis: encryptionKey is a key of us-east-1/);
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
      expect(() => new GlueSecurityConfiguration(glueStackInApp, 'Config', { encryptionKey: key })).toThrow(/encryptionKey is a key of us-east-1 \(Keys\/Key\), but this stack is in eu-west-1/);
    });

    test('fails if encryptionKey is missing', () => {
      const { stack } = producerStack();
      expect(() => new GlueSecurityConfiguration(stack, 'Glue', {} as any)).toThrow(
        'encryptionKey must be a kms.IKey, got undefined. Pass a customer-managed key, e.g. encryptionKey: sharedKey.key.',
      );
    });
  });

  test('is a glue.CfnSecurityConfiguration under the child id Resource', () => {
    const { config } = glueStack();
    expect(config.securityConfiguration).toBeInstanceOf(glue.CfnSecurityConfiguration);
    expect(config.securityConfiguration.node.id).toBe('Resource');
  });
});
