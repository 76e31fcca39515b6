import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { CrossAccountSharedKey, EncryptedStream } from '../src';
import { findings } from './checks/helpers';
import { kmsKeyArn, PARTNER, producerStack } from './support';

function streamStack() {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const stream = new EncryptedStream(stack, 'Orders', { encryptionKey: key.key });
  return { app, stack, key, stream };
}

describe('EncryptedStream', () => {
  describe('encryption', () => {
    test('the stream is encrypted under the given key (StreamEncryption KMS, the key ARN), on demand', () => {
      const { stack } = streamStack();
      Template.fromStack(stack).hasResourceProperties('AWS::Kinesis::Stream', {
        StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] } },
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      });
    });

    test('the stream is retained by default, destroyed when asked', () => {
      const { stack } = streamStack();
      Template.fromStack(stack).hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const other = producerStack('Other').stack;
      new EncryptedStream(other, 'S', { encryptionKey: new CrossAccountSharedKey(other, 'K').key, removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(other).hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete' });
    });

    test('a provisioned stream takes shardCount', () => {
      const { stack } = producerStack();
      new EncryptedStream(stack, 'S', { encryptionKey: new CrossAccountSharedKey(stack, 'K').key, shardCount: 2 });
      Template.fromStack(stack).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 2, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
    });

    test('passes the DataProtection pack', () => {
      const { app } = streamStack();
      expect(findings(app)).toEqual([]);
    });

    test('fails synthesis when an escape hatch sets the AWS-managed key (DP23 promised)', () => {
      const { app, stream } = streamStack();
      (stream.stream.node.defaultChild as kinesis.CfnStream).addPropertyOverride('StreamEncryption.KeyId', 'alias/aws/kinesis');
      expect(() => app.synth()).toThrow(/fails DataProtection-DP23 on the final template, which EncryptedStream Producer\/Orders promises/);
    });
  });

  describe('grants', () => {
    test('grantRead: the Kinesis read actions on the stream, kms:Decrypt through Kinesis with the stream ARN as encryption context', () => {
      const { stack, stream } = streamStack();
      const role = new iam.Role(stack, 'Consumer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      stream.grantRead(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['kinesis:GetRecords', 'kinesis:GetShardIterator']), Effect: 'Allow' }),
            {
              Sid: Match.stringLikeRegexp('^StreamReadKeyUseOn'),
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] },
              Condition: {
                StringEquals: {
                  'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com',
                  'kms:EncryptionContext:aws:kinesis:arn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersStream'), 'Arn'] },
                },
              },
            },
          ]),
        },
      });
    });

    test('grantWrite: kms:GenerateDataKey through Kinesis, never the key directly', () => {
      const { stack, stream } = streamStack();
      const role = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      stream.grantWrite(role);
      const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      const all = Object.values(statements).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      const kmsStatements = all.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith('kms:')));
      expect(kmsStatements).toHaveLength(1);
      expect(kmsStatements[0]).toMatchObject({ Action: 'kms:GenerateDataKey', Condition: { StringEquals: { 'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com' } } });
      expect(all.some((s: any) => ([] as string[]).concat(s.Action).includes('kinesis:PutRecords'))).toBe(true);
    });

    test('grantReadWrite: both KMS actions', () => {
      const { stack, stream } = streamStack();
      const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      stream.grantReadWrite(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: Match.stringLikeRegexp('^StreamReadWriteKeyUseOn'), Action: ['kms:GenerateDataKey', 'kms:Decrypt'] })]) },
      });
    });

    test('fails if the grantee is of another account', () => {
      const { stream } = streamStack();
      expect(() => stream.grantRead(new iam.AccountPrincipal(PARTNER))).toThrow(/grantRead\(grantee\) on Producer\/Orders: the grantee .* is of account 222222222222/);
    });
  });

  describe('bad input', () => {
    test('fails if the key is AWS-managed (kms.Alias.fromAliasName alias/aws/kinesis)', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedStream(stack, 'S', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/kinesis') })).toThrow(
        /^encryptionKey is the AWS-managed key alias\/aws\/kinesis: its key policy cannot be changed.*Pass a customer-managed key/,
      );
    });

    test('fails if the key is of another Region', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1'));
      expect(() => new EncryptedStream(stack, 'S', { encryptionKey: key })).toThrow(
        /^encryptionKey arn:aws:kms:us-east-1:111111111111:key\/\S+ is in Region us-east-1, but Producer\/S is in eu-west-1.*Use a key in eu-west-1/,
      );
    });

    test('fails if the key is of another account', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('eu-west-1', PARTNER));
      expect(() => new EncryptedStream(stack, 'S', { encryptionKey: key })).toThrow(/^encryptionKey arn:aws:kms:eu-west-1:222222222222:key\/\S+ is a key of account 222222222222, but Producer\/S is in 111111111111/);
    });

    test('fails at synthesis if a token resolves to an AWS-managed key', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => 'arn:aws:kms:eu-west-1:111111111111:alias/aws/kinesis' }));
      new EncryptedStream(stack, 'S', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/Producer\/S: a value that was a token at construction is refused once resolved at synthesis: encryptionKey is the AWS-managed key alias\/aws\/[a-z]+: its key policy cannot be changed/);
    });

    test('fails at synthesis if a token resolves to a key of another Region', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-east-1') }));
      new EncryptedStream(stack, 'S', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/encryptionKey arn:aws:kms:us-east-1:\d{12}:key\/\S+ is in Region us-east-1, but/);
    });

    test('fails if encryptionKey is missing or not a key', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedStream(stack, 'S', {} as any)).toThrow(/^encryptionKey must be a kms.IKey/);
      expect(() => new EncryptedStream(stack, 'T', { encryptionKey: 'alias/aws/kinesis' as any })).toThrow(/^encryptionKey must be a kms.IKey, got "alias\/aws\/kinesis"/);
    });

    test('random props either synthesize or throw an error naming the prop, never a TypeError', () => {
      fc.assert(
        fc.property(
          fc.option(fc.constantFrom(kinesis.StreamMode.ON_DEMAND, kinesis.StreamMode.PROVISIONED, 'FAST' as any), { nil: undefined }),
          fc.option(fc.integer({ min: -2, max: 5 }), { nil: undefined }),
          fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
          fc.option(fc.constantFrom<any>(null, 42, 'stream', undefined), { nil: undefined }),
          (streamMode, shardCount, hours, streamName) => {
            const { app, stack } = producerStack();
            try {
              new EncryptedStream(stack, 'S', {
                encryptionKey: new CrossAccountSharedKey(stack, 'K').key,
                streamMode,
                shardCount,
                retentionPeriod: hours === undefined ? undefined : Duration.hours(hours),
                streamName,
              });
              app.synth();
            } catch (e) {
              expect(e).not.toBeInstanceOf(TypeError);
              expect((e as Error).message).toMatch(/streamMode|shardCount|retentionPeriod|streamName|ShardCount/);
            }
          },
        ),
        { numRuns: 25 },
      );
    });

    test('fails if shardCount is given for an on-demand stream', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedStream(stack, 'S', { encryptionKey: new CrossAccountSharedKey(stack, 'K').key, streamMode: kinesis.StreamMode.ON_DEMAND, shardCount: 2 })).toThrow(
        /^shardCount \(2\) applies to provisioned streams only/,
      );
    });
  });
});

void Stack;
