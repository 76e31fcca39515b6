import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnParameter, Duration, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossAccountSharedKey, EncryptedBucket, ServerAccessLogs, ServerSideEncryption, TlsVersion } from '../src';
import {
  acknowledgedRules,
  agnosticStack,
  bySid,
  KEY_ARN,
  KEY_ID,
  kmsKeyArn,
  nagFindings,
  policyStatements,
  PRODUCER,
  producerStack,
  resolver,
  stackIn,
  warningIds,
  warnings,
} from './support';

function synth(props: ConstructorParameters<typeof EncryptedBucket>[2] = {}) {
  const { app, stack } = producerStack();
  const bucket = new EncryptedBucket(stack, 'Data', props);
  return { app, stack, bucket, template: Template.fromStack(stack) };
}

function bucketStatements(template: Template): any[] {
  return policyStatements(template, 'AWS::S3::BucketPolicy', 'DataBucketPolicy');
}

/** The bucket policy with the key ({@link KEY_ARN}) and bucket (`data-bucket`) replaced by concrete values, for the IAM policy simulator. */
function concreteBucketPolicy(template: Template): any {
  const physicalId = (_id: string, resource: any) => (resource.Type === 'AWS::KMS::Key' ? KEY_ID : resource.Type === 'AWS::S3::Bucket' ? 'data-bucket' : undefined);
  return resolver({ template: template.toJSON(), physicalId }).resolve({ Version: '2012-10-17', Statement: bucketStatements(template) });
}

/** What S3 decides for a PutObject by a principal of the account (allowed by its IAM policy) with these request headers. */
async function decidePut(policy: any, context: Record<string, string>): Promise<string> {
  const result: any = await runSimulation(
    {
      identityPolicies: [{ name: 'writer', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
      request: {
        principal: `arn:aws:iam::${PRODUCER}:role/writer`,
        action: 's3:PutObject',
        resource: { resource: 'arn:aws:s3:::data-bucket/report.csv', accountId: PRODUCER },
        contextVariables: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...context },
      },
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(JSON.stringify(result.errors));
  }
  return result.overallResult;
}

describe('EncryptedBucket', () => {
  describe('defaults', () => {
    test('SSE-KMS under the new key, by full key ARN, with an S3 Bucket Key and SSE-C blocked', () => {
      const { template } = synth();
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
              },
            },
          ],
        },
      });
    });

    test('the key rotates every 365 days, waits 30 days before deletion and is retained', () => {
      const { template } = synth();
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('the key policy keeps one named administrator statement for the account, and limits grants to AWS resources', () => {
      const { template } = synth();
      const statements = policyStatements(template, 'AWS::KMS::Key', 'DataKey', 'KeyPolicy');
      expect(statements.map((s) => s.Sid)).toEqual(['AllowAccountIamPolicies', 'DenyGrantsExceptForAwsResources']);
      expect(statements[0]).toMatchObject({ Sid: 'AllowAccountIamPolicies', Effect: 'Allow', Action: 'kms:*', Resource: '*' });
      expect(JSON.stringify(statements[0].Principal)).toContain(`:iam::${PRODUCER}:root`);
      expect(statements[1]).toEqual({
        Sid: 'DenyGrantsExceptForAwsResources',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      });
    });

    test('private, versioned, bucket-owner-enforced and retained', () => {
      const { template } = synth();
      template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }),
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('exposes what it configured', () => {
      const { bucket } = synth();
      expect(bucket.encryption).toBe(ServerSideEncryption.SSE_KMS);
      expect(bucket.bucketKeyEnabled).toBe(true);
      expect(bucket.minimumTlsVersion).toBe(TlsVersion.TLS_1_2);
      expect(bucket.sseCBlocked).toBe(true);
      expect(bucket.encryptionKey).toBe(bucket.sharedKey!.key);
      expect(bucket.accessLogsPrefix).toBe('access-logs/');
    });

    test('emits no warning', () => {
      const { stack } = synth();
      expect(warningIds(stack)).toEqual([]);
    });

    test('the bucket has exactly one bucket policy', () => {
      const { template } = synth();
      const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
      const onData = policies.filter((p: any) => JSON.stringify(p.Properties.Bucket).includes('DataBucket'));
      expect(onData).toHaveLength(1);
    });

    test('case D07: one deny of s3:* for every principal without TLS, on the bucket and its objects', () => {
      const { template } = synth();
      const statements = bucketStatements(template).filter((s) => s.Condition?.Bool?.['aws:SecureTransport'] !== undefined);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      const resources = JSON.stringify(statements[0].Resource);
      expect(statements[0].Resource).toHaveLength(2);
      expect(resources).toContain('"/*"');
      expect(statements[0].Resource[0]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataBucket/), 'Arn'] });
      expect(statements[0].Resource[1]).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^DataBucket/), 'Arn'] }, '/*']] });
    });

    test('case D08: TLS 1.2 is the default minimum: a NumericLessThan s3:TlsVersion 1.2 deny beside the secure-transport deny', () => {
      const { template } = synth();
      const statements = bucketStatements(template);
      expect(bySid(statements, 'DenyInsecureTransport')).toHaveLength(1);
      const tls = bySid(statements, 'DenyTlsBelow12');
      expect(tls).toHaveLength(1);
      expect(tls[0]).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
      });
      expect(tls[0].Resource).toHaveLength(2);
    });

    test('case D14: SSE-C is blocked by the encryption rule and denied by the bucket policy', () => {
      const { template } = synth();
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } })] },
      });
      const deny = bySid(bucketStatements(template), 'DenySseCRequests');
      expect(deny).toHaveLength(1);
      expect(deny[0]).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      });
    });

    test('uploads naming another algorithm are denied, uploads without the header are not (Null guard)', () => {
      const { template } = synth();
      const deny = bySid(bucketStatements(template), 'DenyOtherEncryptionTypes');
      expect(deny).toHaveLength(1);
      expect(deny[0].Condition).toEqual({
        Null: { 's3:x-amz-server-side-encryption': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      });
    });

    test('uploads naming another key are denied, uploads naming none are not (Null guard)', () => {
      const { template } = synth();
      const deny = bySid(bucketStatements(template), 'DenyOtherKmsKeys');
      expect(deny).toHaveLength(1);
      expect(deny[0].Condition.Null).toEqual({ 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' });
      expect(deny[0].Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id']).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'],
      });
    });

    test('uploads asking for aws:kms without a key id are denied (S3 would use the AWS-managed aws/s3 key); no encryption headers, or the bucket key by ARN, pass', async () => {
      const { template } = synth();
      const deny = bySid(bucketStatements(template), 'DenyKmsWithoutBucketKeyId');
      expect(deny).toHaveLength(1);
      expect(deny[0]).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:x-amz-server-side-encryption': 'false', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
      });
      const policy = concreteBucketPolicy(template);
      const sse = 's3:x-amz-server-side-encryption';
      const keyId = 's3:x-amz-server-side-encryption-aws-kms-key-id';
      expect(await decidePut(policy, { [sse]: 'aws:kms' })).toBe('ExplicitlyDenied');
      expect(await decidePut(policy, {})).toBe('Allowed');
      expect(await decidePut(policy, { [sse]: 'aws:kms', [keyId]: KEY_ARN })).toBe('Allowed');
      expect(await decidePut(policy, { [sse]: 'aws:kms', [keyId]: `arn:aws:kms:eu-west-1:${PRODUCER}:key/ffffffff-12ab-34cd-56ef-1234567890ab` })).toBe('ExplicitlyDenied');
    });

    test('DSSE-KMS buckets deny aws:kms:dsse without a key id too; SSE-S3 buckets do not carry the statement', () => {
      const dsse = synth({ encryption: ServerSideEncryption.DSSE_KMS, bucketKeyEnabled: false });
      expect(bySid(bucketStatements(dsse.template), 'DenyKmsWithoutBucketKeyId')).toHaveLength(1);
      const sseS3 = synth({ encryption: ServerSideEncryption.SSE_S3 });
      expect(bySid(bucketStatements(sseS3.template), 'DenyKmsWithoutBucketKeyId')).toHaveLength(0);
    });

    test('server access logs go to a dedicated SSE-S3 log bucket that admits only S3 logging from this bucket', () => {
      const { template } = synth();
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^DataAccessLogs') }, LogFilePrefix: 'access-logs/' },
      });
      template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] },
          PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: true }),
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        }),
        DeletionPolicy: 'Retain',
      });
      const logStatements = policyStatements(template, 'AWS::S3::BucketPolicy', 'DataAccessLogsPolicy');
      expect(logStatements.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'DenyTlsBelow12', 'AllowServerAccessLogDelivery']);
      const allow = bySid(logStatements, 'AllowServerAccessLogDelivery');
      expect(allow).toHaveLength(1);
      expect(allow[0]).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^DataBucket/), 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': PRODUCER },
        },
      });
      expect(bySid(logStatements, 'DenyInsecureTransport')).toHaveLength(1);
      expect(bySid(logStatements, 'DenyTlsBelow12')).toHaveLength(1);
    });

    test('zero unacknowledged findings from cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1', () => {
      const { app } = synth();
      expect(nagFindings(app)).toEqual([]);
    });

    test('acknowledges exactly these findings, each with a reason', () => {
      const { app } = synth();
      const acknowledged = acknowledgedRules(app);
      // Control Tower's controls through cdk-validator-cfnguard, where aws-cdk-lib scopes those acknowledgements (2.271 and later)
      const guard = acknowledged.filter((a) => a.startsWith('cdk-validator-cfnguard::'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const minor = Number((require('aws-cdk-lib/package.json').version as string).split('.')[1]);
      expect(guard).toEqual(minor >= 271 ? [
        'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check Producer/Data/AccessLogs',
        'cdk-validator-cfnguard::s3_bucket_logging_enabled_check Producer/Data/AccessLogs',
        'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check Producer/Data/AccessLogs',
        'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check Producer/Data/Bucket',
        'cdk-validator-cfnguard::s3_event_notifications_enabled_check Producer/Data/AccessLogs',
        'cdk-validator-cfnguard::s3_event_notifications_enabled_check Producer/Data/Bucket',
        'cdk-validator-cfnguard::s3_lifecycle_policy_check Producer/Data/AccessLogs',
        'cdk-validator-cfnguard::s3_lifecycle_policy_check Producer/Data/Bucket',
        'cdk-validator-cfnguard::s3_version_lifecycle_policy_check Producer/Data/AccessLogs',
        'cdk-validator-cfnguard::s3_version_lifecycle_policy_check Producer/Data/Bucket',
      ] : []);
      expect(acknowledged.filter((a) => !guard.includes(a))).toEqual([
        'HIPAA.Security-S3BucketReplicationEnabled Producer/Data/AccessLogs',
        'HIPAA.Security-S3BucketReplicationEnabled Producer/Data/Bucket',
        'HIPAA.Security-S3DefaultEncryptionKMS Producer/Data/AccessLogs',
        'NIST.800.53.R5-S3BucketReplicationEnabled Producer/Data/AccessLogs',
        'NIST.800.53.R5-S3BucketReplicationEnabled Producer/Data/Bucket',
        'NIST.800.53.R5-S3DefaultEncryptionKMS Producer/Data/AccessLogs',
        'PCI.DSS.321-S3BucketReplicationEnabled Producer/Data/AccessLogs',
        'PCI.DSS.321-S3BucketReplicationEnabled Producer/Data/Bucket',
        'PCI.DSS.321-S3DefaultEncryptionKMS Producer/Data/AccessLogs',
      ]);
    });

    test('works in an environment-agnostic stack', () => {
      const { stack } = agnosticStack();
      new EncryptedBucket(stack, 'Data');
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.resourceCountIs('AWS::S3::Bucket', 2);
    });
  });

  describe('TLS', () => {
    test('TLS 1.3 minimum denies s3:TlsVersion below 1.3', () => {
      const { template } = synth({ minimumTlsVersion: TlsVersion.TLS_1_3 });
      const statements = bucketStatements(template);
      expect(bySid(statements, 'DenyTlsBelow12')).toHaveLength(0);
      expect(bySid(statements, 'DenyTlsBelow13')[0].Condition).toEqual({ NumericLessThan: { 's3:TlsVersion': '1.3' } });
    });

    test.each(['1.0', '1.1', '1.4', 1.2, 'TLS_1_2'])('case D08: fails if minimumTlsVersion is %p', (v) => {
      expect(() => synth({ minimumTlsVersion: v as unknown as TlsVersion })).toThrow(
        /minimumTlsVersion must be TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3 .*got/,
      );
    });
  });

  describe('S3 Bucket Key', () => {
    test('case D11: turning the Bucket Key off is allowed, with a warning about KMS request cost and throttling', () => {
      const { template, stack, bucket } = synth({ bucketKeyEnabled: false });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: false })] },
      });
      expect(bucket.bucketKeyEnabled).toBe(false);
      expect(warningIds(stack)).toEqual(['cdk-data-protection:bucketKeyDisabled']);
      const [warning] = warnings(stack);
      expect(warning).toMatch(/request quota/);
      expect(warning).toMatch(/throttl/);
      expect(warning).toMatch(/billed/);
    });
  });

  describe('DSSE-KMS', () => {
    test('uses aws:kms:dsse under a rotating key, without a Bucket Key', () => {
      const { template, bucket } = synth({ encryption: ServerSideEncryption.DSSE_KMS });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              BucketKeyEnabled: Match.absent(),
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
            }),
          ],
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 365 });
      expect(bucket.bucketKeyEnabled).toBe(false);
      expect(bySid(bucketStatements(template), 'DenyOtherEncryptionTypes')[0].Condition.StringNotEquals).toEqual({
        's3:x-amz-server-side-encryption': 'aws:kms:dsse',
      });
    });

    test('fails if bucketKeyEnabled is true with DSSE-KMS', () => {
      expect(() => synth({ encryption: ServerSideEncryption.DSSE_KMS, bucketKeyEnabled: true })).toThrow(
        /bucketKeyEnabled: true with encryption DSSE_KMS: S3 Bucket Keys apply only to SSE-KMS/,
      );
    });
  });

  describe('SSE-S3', () => {
    test('on explicit choice only, with a warning, no key and no key statement', () => {
      const { template, stack, bucket } = synth({ encryption: ServerSideEncryption.SSE_S3 });
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })],
        },
        LoggingConfiguration: Match.anyValue(),
      });
      expect(bucket.encryptionKey).toBeUndefined();
      expect(warningIds(stack)).toEqual(['cdk-data-protection:sseS3']);
      expect(bySid(bucketStatements(template), 'DenyOtherKmsKeys')).toHaveLength(0);
    });

    test('fails if an encryption key is given with SSE-S3', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', KEY_ARN);
      expect(() => new EncryptedBucket(stack, 'Data', { encryption: ServerSideEncryption.SSE_S3, encryptionKey: key })).toThrow(
        /encryptionKey\/encryptionKeyProps were given with encryption SSE_S3/,
      );
    });

    test('fails if bucketKeyEnabled is true with SSE-S3', () => {
      expect(() => synth({ encryption: ServerSideEncryption.SSE_S3, bucketKeyEnabled: true })).toThrow(/bucketKeyEnabled: true with encryption SSE_S3/);
    });
  });

  describe('SSE-C', () => {
    test('case D14: allowSseC opts in, with a warning, and removes both the block and the deny', () => {
      const { template, stack } = synth({ allowSseC: true });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ BlockedEncryptionTypes: Match.absent(), BucketKeyEnabled: true })],
        },
      });
      expect(bySid(bucketStatements(template), 'DenySseCRequests')).toHaveLength(0);
      expect(warningIds(stack)).toEqual(['cdk-data-protection:sseCAllowed']);
    });
  });

  describe('encryption key', () => {
    test('an existing key imported by full ARN is used by that ARN', () => {
      const { stack } = producerStack();
      new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'K', KEY_ARN) });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } })] },
      });
    });

    test('a key of the same app is referenced by its ARN attribute', () => {
      const { stack } = producerStack();
      const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OwnKey'), 'Arn'] } }) })],
        },
      });
    });

    test('encryptionKeyProps configure the created key', () => {
      const { template } = synth({ encryptionKeyProps: { rotationPeriod: Duration.days(90), pendingWindow: Duration.days(7), alias: 'alias/data' } });
      template.hasResourceProperties('AWS::KMS::Key', { RotationPeriodInDays: 90, PendingWindowInDays: 7 });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/data' });
    });

    test('case D03: fails if the key is imported by alias ARN', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:111111111111:alias/data');
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: key })).toThrow(
        /encryptionKey must be a KMS key ARN, got the alias "arn:aws:kms:eu-west-1:111111111111:alias\/data": S3 resolves aliases in the account of the caller/,
      );
    });

    test('case D03: fails if the key is imported by alias name', () => {
      const { stack } = producerStack();
      const alias = kms.Alias.fromAliasName(stack, 'A', 'alias/data');
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: alias })).toThrow(/encryptionKey must be a KMS key, got the alias "alias\/data"/);
    });

    test('case D03: fails if the key is an alias of this app', () => {
      const { stack } = producerStack();
      const alias = new kms.Alias(stack, 'A', { aliasName: 'alias/data', targetKey: new kms.Key(stack, 'K') });
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: alias })).toThrow(/Pass the key itself \(alias.aliasTargetKey\)/);
    });

    test('case D03: fails if the key is imported by bare key id', () => {
      const { stack } = producerStack();
      const key = { keyArn: '1234abcd-12ab-34cd-56ef-1234567890ab', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', node: stack.node } as unknown as kms.IKey;
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: key })).toThrow(
        /encryptionKey must be a full KMS key ARN \(arn:aws:kms:<region>:<account>:key\/<key-id>\), got "1234abcd-12ab-34cd-56ef-1234567890ab": S3 resolves a bare key id in the account of the caller/,
      );
    });

    test('case D02: fails if the key is the AWS-managed aws/s3 key', () => {
      const { stack } = producerStack();
      const alias = kms.Alias.fromAliasName(stack, 'A', 'alias/aws/s3');
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: alias })).toThrow(
        /encryptionKey is an AWS-managed key \(alias\/aws\/s3\): its key policy cannot be changed.*Use a customer-managed key/,
      );
    });

    test('fails if encryptionKey and encryptionKeyProps are both given', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', KEY_ARN);
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: key, encryptionKeyProps: {} })).toThrow(/encryptionKey and encryptionKeyProps were both given/);
    });

    test.each([
      [30, /rotationPeriod must be a whole number of days between 90 and 2560 \(AWS KMS limit\), got 30 days/],
      [2561, /rotationPeriod must be a whole number of days between 90 and 2560 \(AWS KMS limit\), got 2561 days/],
    ])('fails if the key rotation period is %p days', (days, message) => {
      expect(() => synth({ encryptionKeyProps: { rotationPeriod: Duration.days(days) } })).toThrow(message);
    });

    test('fails if the key rotation period is not a whole number of days', () => {
      expect(() => synth({ encryptionKeyProps: { rotationPeriod: Duration.hours(24 * 100 + 1) } })).toThrow(/rotationPeriod must be a whole number of days/);
    });

    test.each([6, 31])('fails if the key deletion window is %p days', (days) => {
      expect(() => synth({ encryptionKeyProps: { pendingWindow: Duration.days(days) } })).toThrow(
        new RegExp(`pendingWindow must be a whole number of days between 7 and 30 \\(AWS KMS limit\\), got ${days} days`),
      );
    });

    test('fails if the key imported by ARN is in another Region than the bucket', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1'));
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: key })).toThrow(
        /encryptionKey arn:aws:kms:us-east-1:111111111111:key\/1234abcd-12ab-34cd-56ef-1234567890ab is in Region us-east-1, but the bucket Producer\/Data is in eu-west-1: S3 requires the SSE-KMS key to be in the bucket's Region.*Use a key in eu-west-1/,
      );
    });

    test('fails if the key of another stack of the app is in another Region than the bucket', () => {
      const app = new App();
      const keyStack = stackIn(app, 'Keys', { crossRegionReferences: true });
      const bucketStack = stackIn(app, 'Data', { env: { account: PRODUCER, region: 'us-east-1' }, crossRegionReferences: true });
      const key = new CrossAccountSharedKey(keyStack, 'Key');
      expect(() => new EncryptedBucket(bucketStack, 'Data', { encryptionKey: key.key })).toThrow(
        /encryptionKey Keys\/Key\/Key is in Region eu-west-1, but the bucket Data\/Data is in us-east-1: S3 requires the SSE-KMS key to be in the bucket's Region/,
      );
    });

    test.each([
      ['asymmetric', kms.KeySpec.RSA_2048, kms.KeyUsage.SIGN_VERIFY, /keySpec RSA_2048 and keyUsage SIGN_VERIFY/],
      ['asymmetric for encryption', kms.KeySpec.RSA_2048, kms.KeyUsage.ENCRYPT_DECRYPT, /keySpec RSA_2048 and keyUsage ENCRYPT_DECRYPT/],
      ['HMAC', kms.KeySpec.HMAC_256, kms.KeyUsage.GENERATE_VERIFY_MAC, /keySpec HMAC_256 and keyUsage GENERATE_VERIFY_MAC/],
    ])('fails if the key is %s', (_, keySpec, keyUsage, values) => {
      const attempt = () => {
        const { stack } = producerStack();
        const key = new kms.Key(stack, 'OwnKey', { keySpec, keyUsage, removalPolicy: RemovalPolicy.RETAIN });
        return new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      };
      expect(attempt).toThrow(/^encryptionKey Producer\/OwnKey has keySpec /);
      expect(attempt).toThrow(values);
      expect(attempt).toThrow(/S3 encrypts only under symmetric encryption keys \(SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT\).*Leave encryptionKey unset to create one/);
    });

    test('a key of the app with keySpec SYMMETRIC_DEFAULT and keyUsage ENCRYPT_DECRYPT is accepted', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'OwnKey', { keySpec: kms.KeySpec.SYMMETRIC_DEFAULT, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT, removalPolicy: RemovalPolicy.RETAIN });
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).not.toThrow();
    });

    test('case D03: fails if the key ARN resolves to an alias only at synthesis (a token)', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => 'alias/data' }));
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).toThrow(
        /The bucket Producer\/Data\/Bucket encrypts under KMSMasterKeyID "alias\/data" once resolved: encryptionKey must be a KMS key ARN, got the alias "alias\/data".*Import the key with kms.Key.fromKeyArn/,
      );
    });

    test('case D03: fails if the key ARN resolves to an AWS-managed key only at synthesis', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' }));
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/KMSMasterKeyID "arn:aws:kms:eu-west-1:111111111111:alias\/aws\/s3" once resolved: encryptionKey is an AWS-managed key/);
    });

    test('case D03: fails if a key ARN resolved at synthesis is in another Region', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-east-1') }));
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/is in Region us-east-1, but the bucket Producer\/Data\/Bucket is in eu-west-1/);
    });

    test.each([
      ['a parameter', (stack: Stack) => new CfnParameter(stack, 'KeyArn').valueAsString, { Ref: 'KeyArn' }],
      ['an import', () => Fn.importValue('KeyArnExport'), { 'Fn::ImportValue': 'KeyArnExport' }],
    ])('case D03: a key ARN that is still %s at synthesis (its Region a token) is left to deployment: not compared, the bucket encrypts under it', (_, arn, intrinsic) => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'K', arn(stack)) });
      expect(() => app.synth()).not.toThrow();
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        BucketName: Match.stringLikeRegexp('-data-bucket-'),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: intrinsic } })],
        },
      });
    });

    test('case D10: fails if a key of the app used by the bucket denies on a VPC endpoint without exempting AWS services', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyOutsideVpce',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:*'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
        }),
      );
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/The key policy of Producer\/OwnKey has statement DenyOutsideVpce that denies on aws:sourcevpce without exempting calls made through AWS services/);
    });
  });

  describe('nothing is lost', () => {
    test('a key of this app that is deleted with its stack cannot protect a retained bucket', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'OwnKey', { removalPolicy: RemovalPolicy.DESTROY });
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).toThrow(
        /Producer\/OwnKey\/Resource fails DataProtection-DP14 .*The bucket Producer\/Data\/Bucket\/Resource encrypted under this key is kept \(DeletionPolicy Retain, UpdateReplacePolicy Retain\) but the key is not \(DeletionPolicy Delete, UpdateReplacePolicy Delete\)/,
      );
    });

    test('with RemovalPolicy.DESTROY the bucket, its key and its log bucket are all destroyed', () => {
      const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
      expect(Object.values(template.findResources('AWS::S3::Bucket')).map((b: any) => b.DeletionPolicy)).toEqual(['Delete', 'Delete']);
    });

    test('DESTROY on the created key warns', () => {
      const { stack } = synth({ removalPolicy: RemovalPolicy.DESTROY });
      expect(warningIds(stack)).toContain('cdk-data-protection:keyRemovalDestroy');
    });

    test('fails if autoDeleteObjects is set on a retained bucket', () => {
      expect(() => synth({ autoDeleteObjects: true })).toThrow(/autoDeleteObjects: true requires removalPolicy: RemovalPolicy.DESTROY, got removalPolicy retain/);
    });

    test('fails if removalPolicy is SNAPSHOT', () => {
      expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy RemovalPolicy.SNAPSHOT does not apply to S3 buckets/);
    });

    test('fails if encryptionKeyProps.removalPolicy is SNAPSHOT (KMS keys have no snapshots)', () => {
      expect(() => synth({ encryptionKeyProps: { removalPolicy: RemovalPolicy.SNAPSHOT } })).toThrow(
        /encryptionKeyProps.removalPolicy RemovalPolicy.SNAPSHOT does not apply to KMS keys .*cfn-lint E3035.*use RemovalPolicy.RETAIN/,
      );
    });

    test('fails if the bucket is retained later while its key is still destroyed', () => {
      const { app, stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
      data.bucket.applyRemovalPolicy(RemovalPolicy.RETAIN);
      expect(() => app.synth()).toThrow(
        /Producer\/Data\/Key\/Key\/Resource fails DataProtection-DP14 .*kept \(DeletionPolicy Retain, UpdateReplacePolicy Retain\) but the key is not \(DeletionPolicy Delete, UpdateReplacePolicy Delete\).*Fix: give the key the data's removal policy or a stronger one/,
      );
    });

    test('fails if the created key is destroyed later while the bucket is retained', () => {
      const { app, stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      data.sharedKey!.key.applyRemovalPolicy(RemovalPolicy.DESTROY);
      expect(() => app.synth()).toThrow(/Producer\/Data\/Key\/Key\/Resource fails DataProtection-DP14 on the final template, which CrossAccountSharedKey Producer\/Data\/Key promises/);
    });

    test('fails if only the key\'s UpdateReplacePolicy is weaker than the bucket\'s (an override)', () => {
      const { app, stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      (data.sharedKey!.key.node.defaultChild as kms.CfnKey).addOverride('UpdateReplacePolicy', 'Delete');
      expect(() => app.synth()).toThrow(/fails DataProtection-DP14 .*kept \(UpdateReplacePolicy Retain\) but the key is not \(UpdateReplacePolicy Delete\)/);
    });

    test('fails if a key of the app gets removal policy SNAPSHOT', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.SNAPSHOT });
      new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/encryptionKey Producer\/OwnKey has removal policy SNAPSHOT: KMS keys have no snapshots \(cfn-lint E3035\)\. Give the key RemovalPolicy.RETAIN/);
    });
  });

  describe('bucket name', () => {
    test('a valid name is used', () => {
      synth({ bucketName: 'my-data-bucket' }).template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'my-data-bucket' });
    });

    test.each([
      ['My_Bucket', /may contain only lowercase letters/],
      ['ab', /must be 3 to 63 characters long \(got 2\)/],
      ['a'.repeat(64), /must be 3 to 63 characters long \(got 64\)/],
      ['my..bucket', /must not contain two adjacent dots/],
      ['192.168.5.4', /must not be formatted as an IP address/],
      ['xn--bucket', /must not start with xn--/],
      ['bucket-s3alias', /must not end with -s3alias/],
      ['-bucket', /must begin and end with a letter or digit/],
    ])('fails if bucketName is %p', (name, message) => {
      expect(() => synth({ bucketName: name })).toThrow(new RegExp(`bucketName "${name.replace(/\./g, '\\.')}" is not a valid S3 bucket name: .*${message.source}`));
    });
  });

  describe('server access logs', () => {
    test('disabled on purpose: no logging configuration, a warning, and the logging rules acknowledged with the reason', () => {
      const { template, stack, app } = synth({ serverAccessLogs: ServerAccessLogs.disabled('logged by CloudTrail data events') });
      template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: Match.absent(), VersioningConfiguration: { Status: 'Enabled' } });
      template.resourceCountIs('AWS::S3::Bucket', 1);
      expect(warningIds(stack)).toEqual(['cdk-data-protection:accessLogsDisabled']);
      expect(nagFindings(app)).toEqual([]);
      expect(acknowledgedRules(app)).toContain('AwsSolutions-S1 Producer/Data/Bucket');
    });

    test('fails if disabled without a reason', () => {
      expect(() => synth({ serverAccessLogs: ServerAccessLogs.disabled('  ') })).toThrow(/ServerAccessLogs.disabled\(reason\) needs a non-empty reason/);
    });

    test('to an existing SSE-S3 bucket of this app, under a prefix: the log delivery statement joins its policy', () => {
      const { stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
      new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.toBucket(logs, 'data/') });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'data/' } });
      const allow = bySid(policyStatements(template, 'AWS::S3::BucketPolicy', 'LogsPolicy'), 'AllowServerAccessLogDelivery');
      expect(allow).toHaveLength(1);
      expect(JSON.stringify(allow[0].Resource)).toContain('/data/*');
    });

    test('to an imported bucket: a warning that its owner must allow delivery', () => {
      const { stack } = producerStack();
      const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'central-logs');
      new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.toBucket(logs) });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: 'central-logs', LogFilePrefix: 'access-logs/' } });
      expect(warningIds(stack)).toEqual(['cdk-data-protection:accessLogsTargetPolicy']);
    });

    test('fails if the log bucket uses SSE-KMS (AWS does not support it as a log target)', () => {
      const { stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.KMS });
      expect(() => new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.toBucket(logs) })).toThrow(
        /serverAccessLogs: the log bucket Producer\/Logs uses SSE-KMS, which S3 server access logging does not support/,
      );
    });

    test('fails if the log bucket uses SSE-KMS under the AWS-managed key (KMS_MANAGED), read from its SSEAlgorithm', () => {
      const { stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.KMS_MANAGED });
      expect(() => new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.toBucket(logs) })).toThrow(
        /serverAccessLogs: the log bucket Producer\/Logs uses SSE-KMS, which S3 server access logging does not support as a destination \(SSEAlgorithm aws:kms, under the AWS-managed key\)\. Use a log bucket with SSE-S3/,
      );
    });

    test('fails if the log bucket uses DSSE-KMS', () => {
      const { stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.DSSE_MANAGED });
      expect(() => new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.toBucket(logs) })).toThrow(
        /the log bucket Producer\/Logs uses DSSE-KMS, .*\(SSEAlgorithm aws:kms:dsse.*Use a log bucket with SSE-S3/,
      );
    });

    test('each choice reports where the logs go: the new log bucket, the given bucket and prefix, or nothing when off', () => {
      const { stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs');
      const created = new EncryptedBucket(stack, 'Created', { serverAccessLogs: ServerAccessLogs.toNewBucket({ prefix: 'created/' }) });
      const given = new EncryptedBucket(stack, 'Given', { serverAccessLogs: ServerAccessLogs.toBucket(logs, 'given/') });
      const off = new EncryptedBucket(stack, 'Off', { serverAccessLogs: ServerAccessLogs.disabled('test data') });
      expect(created.accessLogsBucket?.node.path).toBe('Producer/Created/AccessLogs');
      expect(created.accessLogsPrefix).toBe('created/');
      expect(given.accessLogsBucket).toBe(logs);
      expect(given.accessLogsPrefix).toBe('given/');
      expect(off.accessLogsBucket).toBeUndefined();
      expect(off.accessLogsPrefix).toBeUndefined();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^CreatedAccessLogs') }, LogFilePrefix: 'created/' } });
    });

    test('fails if serverAccessLogs was not made by one of its factories', () => {
      const { stack } = producerStack();
      const forged = Object.create(ServerAccessLogs.prototype) as ServerAccessLogs;
      expect(() => new EncryptedBucket(stack, 'Data', { serverAccessLogs: forged })).toThrow(
        /^serverAccessLogs must be made with ServerAccessLogs\.toNewBucket\(\), ServerAccessLogs\.toBucket\(bucket\) or ServerAccessLogs\.disabled\(reason\)/,
      );
    });

    test('fails if the log bucket is missing, and names the fix', () => {
      expect(() => ServerAccessLogs.toBucket(undefined as any)).toThrow(/ServerAccessLogs.toBucket\(bucket\) needs the s3.IBucket the logs go to, got undefined.*toNewBucket/);
    });

    test('fails if the log prefix has a wildcard, a leading slash, non-printable characters or more than 900 characters, and shows the value', () => {
      const { stack } = producerStack();
      const logs = new s3.Bucket(stack, 'Logs');
      for (const [prefix, shown] of [['logs/*', '"logs/\\*"'], ['/logs/', '"/logs/"'], ['lo\ngs/', '"lo\\\\ngs/"'], ['a'.repeat(901), `"${'a'.repeat(901)}"`]]) {
        expect(() => ServerAccessLogs.toBucket(logs, prefix)).toThrow(
          new RegExp(`ServerAccessLogs.toBucket\\(bucket, prefix\\): the log object key prefix must be printable characters without '\\*' or a leading '/', at most 900 characters .*got ${shown}\\. Example: 'access-logs/'`),
        );
      }
      expect(() => ServerAccessLogs.toNewBucket({ prefix: '*' })).toThrow(/ServerAccessLogs.toNewBucket\(\{ prefix \}\): the log object key prefix must be .* got "\*"/);
      expect(() => ServerAccessLogs.toBucket(logs, 'a'.repeat(900))).not.toThrow();
    });
  });

  describe('grants', () => {
    test('grantRead grants object reads and kms:Decrypt on exactly this key', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      bucket.grantRead(role);
      const statements = policyStatements(Template.fromStack(stack), 'AWS::IAM::Policy', 'ReaderDefaultPolicy');
      const kmsStatement = statements.find((s) => JSON.stringify(s.Action).includes('kms:'));
      expect(kmsStatement.Action).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
      expect(kmsStatement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] });
      const s3Statement = statements.find((s) => JSON.stringify(s.Action).includes('s3:GetObject'));
      expect(s3Statement).toBeDefined();
    });

    test('grantWrite grants uploads and the key actions they need', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
      bucket.grantWrite(role, 'incoming/*');
      const statements = policyStatements(Template.fromStack(stack), 'AWS::IAM::Policy', 'WriterDefaultPolicy');
      const actions = statements.flatMap((s) => [].concat(s.Action));
      expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 'kms:GenerateDataKey*', 'kms:Decrypt']));
      expect(JSON.stringify(statements)).toContain('/incoming/*');
    });

    test('grantReadWrite grants both', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      const role = new iam.Role(stack, 'Both', { assumedBy: new iam.AccountRootPrincipal() });
      bucket.grantReadWrite(role);
      const actions = policyStatements(Template.fromStack(stack), 'AWS::IAM::Policy', 'BothDefaultPolicy').flatMap((s) => [].concat(s.Action));
      expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:PutObject', 'kms:Decrypt', 'kms:GenerateDataKey*']));
    });
  });

  describe('bad input', () => {
    test('fails if encryption is not a ServerSideEncryption', () => {
      expect(() => synth({ encryption: 'aws:kms:other' as ServerSideEncryption })).toThrow(
        /encryption must be one of ServerSideEncryption.SSE_KMS, ServerSideEncryption.DSSE_KMS, ServerSideEncryption.SSE_S3, got "aws:kms:other"/,
      );
    });
  });
});
