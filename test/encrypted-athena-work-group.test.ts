import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { AthenaEngineVersion, CrossAccountSharedKey, DataProtectionReport, DataProtectionStatements, EncryptedAthenaWorkGroup, EncryptedBucket, ServerSideEncryption } from '../src';
import { findings } from './checks/helpers';
import { kmsKeyArn, PARTNER, PRODUCER, producerStack, REGION, stackIn } from './support';

function workGroupStack(props: Partial<ConstructorParameters<typeof EncryptedAthenaWorkGroup>[2]> = {}) {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const workGroup = new EncryptedAthenaWorkGroup(stack, 'Analytics', { encryptionKey: key.key, ...props });
  return { app, stack, key, workGroup };
}

const KEY_ARN_REF = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] };

describe('EncryptedAthenaWorkGroup', () => {
  describe('workgroup configuration', () => {
    test('results in the new results bucket under SSE_KMS with the key, settings enforced, metrics on, the bucket owner expected', () => {
      const { stack, workGroup } = workGroupStack();
      Template.fromStack(stack).hasResourceProperties('AWS::Athena::WorkGroup', {
        RecursiveDeleteOption: false,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^AnalyticsResultsBucket') }, '/athena-results/']] },
            ExpectedBucketOwner: PRODUCER,
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: KEY_ARN_REF },
          },
        },
      });
      expect(workGroup.resultsBucket.encryptionKey).toBe(workGroup.encryptionKey);
      expect(workGroup.resultsPrefix).toBe('athena-results/');
    });

    test('the new results bucket is an EncryptedBucket under the same key, retained', () => {
      const { stack } = workGroupStack();
      Template.fromStack(stack).hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN_REF } }),
            ],
          },
        },
      });
    });

    test('the workgroup is retained by default, deleted when asked', () => {
      const { stack } = workGroupStack();
      Template.fromStack(stack).hasResource('AWS::Athena::WorkGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const other = workGroupStack({ removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(other.stack).hasResource('AWS::Athena::WorkGroup', { DeletionPolicy: 'Delete' });
    });

    test('takes a name, a description, an engine version, a bytes-scanned cutoff, a bucket of the same key and a prefix', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const results = new EncryptedBucket(stack, 'Results', { encryptionKey: key.key });
      new EncryptedAthenaWorkGroup(stack, 'Analytics', {
        encryptionKey: key.key,
        resultsBucket: results,
        resultsPrefix: 'team-a/results/',
        workGroupName: 'analytics-prod',
        description: 'Team A',
        engineVersion: AthenaEngineVersion.V3,
        bytesScannedCutoffPerQuery: 1_000_000_000,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: 'analytics-prod',
        Description: 'Team A',
        WorkGroupConfiguration: Match.objectLike({
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          BytesScannedCutoffPerQuery: 1_000_000_000,
          ResultConfiguration: Match.objectLike({ OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ResultsBucket') }, '/team-a/results/']] } }),
        }),
      });
      expect(Object.keys(Template.fromStack(stack).findResources('AWS::S3::Bucket')).filter((id) => id.startsWith('Analytics'))).toEqual([]);
      expect(findings(app)).toEqual([]);
    });

    test('AthenaEngineVersion.AUTO and of(name)', () => {
      expect(AthenaEngineVersion.AUTO.name).toBe('AUTO');
      expect(AthenaEngineVersion.of('Athena engine version 2').name).toBe('Athena engine version 2');
      expect(() => AthenaEngineVersion.of('')).toThrow(/^AthenaEngineVersion.of\(name\): name must be an engine version name of 1 to 128 characters.*got ""/);
    });

    test('passes the DataProtection pack', () => {
      const { app } = workGroupStack();
      expect(findings(app)).toEqual([]);
    });

    test('fails synthesis when an escape hatch turns off the enforcement (DP28 promised)', () => {
      const { app, workGroup } = workGroupStack();
      workGroup.workGroup.addPropertyOverride('WorkGroupConfiguration.EnforceWorkGroupConfiguration', false);
      expect(() => app.synth()).toThrow(/fails DataProtection-DP28 on the final template, which EncryptedAthenaWorkGroup Producer\/Analytics promises/);
    });

    test('fails synthesis when an escape hatch sets SSE_S3 (DP28 promised)', () => {
      const { app, workGroup } = workGroupStack();
      (workGroup.workGroup as athena.CfnWorkGroup).addPropertyOverride('WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration', { EncryptionOption: 'SSE_S3' });
      expect(() => app.synth()).toThrow(/fails DataProtection-DP28/);
    });
  });

  describe('grantQuery', () => {
    function grantedPolicy() {
      const { stack, workGroup } = workGroupStack({ workGroupName: 'analytics' });
      const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
      workGroup.grantQuery(role);
      const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      const statements: any[] = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      return { stack, statements };
    }

    test('the Athena query actions on this workgroup only', () => {
      const { statements } = grantedPolicy();
      const athenaStatements = statements.filter((s) => [].concat(s.Action).some((a: string) => a.startsWith('athena:')));
      expect(athenaStatements).toHaveLength(1);
      expect(athenaStatements[0].Action).toEqual(expect.arrayContaining(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup']));
      expect(JSON.stringify(athenaStatements[0].Resource)).toMatch(/:athena:eu-west-1:111111111111:workgroup\//);
      expect(JSON.stringify(athenaStatements[0].Resource)).not.toContain('*');
    });

    test('read and write under the results prefix of the results bucket', () => {
      const { statements } = grantedPolicy();
      const objects = statements.find((s) => /^AthenaResultsOn/.test(s.Sid));
      expect(objects).toMatchObject({
        Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      });
      expect(JSON.stringify(objects.Resource)).toMatch(/^\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["AnalyticsResultsBucket[0-9A-F]{8}","Arn"\]\},"\/athena-results\/\*"\]\]\}$/);
    });

    test('the key only through S3 of the Region, for the results bucket only, never directly', () => {
      const { statements } = grantedPolicy();
      const kmsStatements = statements.filter((s) => [].concat(s.Action).some((a: string) => a.startsWith('kms:')));
      expect(kmsStatements).toHaveLength(1);
      expect(kmsStatements[0]).toMatchObject({
        Sid: expect.stringMatching(/^AthenaResultsKeyUseOn/),
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [expect.anything(), expect.anything()] },
        },
      });
    });

    test('the key lists the workgroup in the access report', () => {
      const { stack } = workGroupStack();
      const report = DataProtectionReport.of(stack).toJson() as any;
      const budget = report.keys.find((k: any) => k.path === 'Producer/Key').requestBudget;
      expect(budget.usedBy.map((u: any) => `${u.kind} ${u.path}`)).toEqual(expect.arrayContaining(['AWS::Athena::WorkGroup Producer/Analytics/WorkGroup']));
    });

    test('fails if the grantee is of another account', () => {
      const { workGroup } = workGroupStack();
      expect(() => workGroup.grantQuery(new iam.AccountPrincipal(PARTNER))).toThrow(
        /^grantQuery\(grantee\) on Producer\/Analytics: the grantee .* is of account 222222222222, outside the workgroup's account and Region.*EncryptedBucket.shareWith/,
      );
    });

    test('fails if the grantee is not a grantable', () => {
      const { workGroup } = workGroupStack();
      expect(() => workGroup.grantQuery('arn:aws:iam::111111111111:role/x' as any)).toThrow(/^grantee must be an iam.IGrantable/);
    });
  });

  describe('DataProtectionStatements', () => {
    test('allowAthenaResultsKeyUse: the key through S3 of the Region, for the bucket and the objects under the prefix', () => {
      const statement = DataProtectionStatements.allowAthenaResultsKeyUse(kmsKeyArn(), 'arn:aws:s3:::results', 'athena-results/', REGION, 'Analytics').toStatementJson();
      expect(statement).toEqual({
        Sid: 'AthenaResultsKeyUseOnAnalytics',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: kmsKeyArn(),
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::results', 'arn:aws:s3:::results/athena-results/*'] },
        },
      });
    });

    test('allowAthenaQuery and allowAthenaResults name the workgroup and the prefix', () => {
      const arn = `arn:aws:athena:${REGION}:${PRODUCER}:workgroup/analytics`;
      expect(DataProtectionStatements.allowAthenaQuery(arn, 'Analytics').toStatementJson()).toMatchObject({ Sid: 'AthenaQueryOnAnalytics', Resource: arn });
      expect(DataProtectionStatements.allowAthenaResults('arn:aws:s3:::results', 'team-a/', 'Analytics').map((st) => st.toStatementJson())).toEqual([
        expect.objectContaining({ Sid: 'AthenaResultsBucketOnAnalytics', Resource: 'arn:aws:s3:::results' }),
        expect.objectContaining({ Sid: 'AthenaResultsOnAnalytics', Resource: 'arn:aws:s3:::results/team-a/*' }),
      ]);
    });

    test('fails if the prefix is not a key prefix', () => {
      expect(() => DataProtectionStatements.allowAthenaResults('arn:aws:s3:::results', '/results', 'A')).toThrow(/^prefix must be an object key prefix .*got "\/results": drop the leading "\/"/);
      expect(() => DataProtectionStatements.allowAthenaResultsKeyUse(kmsKeyArn(), 'arn:aws:s3:::results', 42 as any, REGION, 'A')).toThrow(/^prefix must be a string/);
    });
  });

  describe('bad input', () => {
    test('fails if encryptionKey is AWS-managed (alias/aws/s3)', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/s3') })).toThrow(
        /^encryptionKey is the AWS-managed key alias\/aws\/s3: its key policy cannot be changed.*Pass a customer-managed key/,
      );
    });

    test('fails if encryptionKey is an alias of the account', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/analytics') })).toThrow(
        /^encryptionKey must be a KMS key, got the alias "alias\/analytics".*Pass the key itself/,
      );
    });

    test('fails if encryptionKey is of another Region', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1')) })).toThrow(
        /^encryptionKey arn:aws:kms:us-east-1:111111111111:key\/\S+ is in Region us-east-1, but Producer\/W is in eu-west-1.*Use a key in eu-west-1/,
      );
    });

    test('fails at synthesis if a token resolves to an AWS-managed key', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' }));
      new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: key, resultsBucket: new EncryptedBucket(stack, 'B', { encryptionKey: key }) });
      expect(() => app.synth()).toThrow(/Producer\/W: a value that was a token at construction is refused once resolved at synthesis: encryptionKey is the AWS-managed key alias\/aws\/s3/);
    });

    test('fails at synthesis if a token resolves to a key of another Region', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-east-1') }));
      new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: key, resultsBucket: new EncryptedBucket(stack, 'B', { encryptionKey: key }) });
      expect(() => app.synth()).toThrow(/encryptionKey arn:aws:kms:us-east-1:\d{12}:key\/\S+ is in Region us-east-1, but Producer\/W/);
    });

    test('fails if resultsBucket is under another key, naming both keys and the fix', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const other = new CrossAccountSharedKey(stack, 'Other');
      const bucket = new EncryptedBucket(stack, 'Results', { encryptionKey: other.key });
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: key.key, resultsBucket: bucket })).toThrow(
        /^resultsBucket Producer\/Results is encrypted under Producer\/Other\/Key .*but encryptionKey is Producer\/Key\/Key .*Pass the bucket's key as encryptionKey \(resultsBucket.encryptionKey\)/,
      );
    });

    test('fails if resultsBucket is SSE-S3', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Results', { encryption: ServerSideEncryption.SSE_S3 });
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, resultsBucket: bucket })).toThrow(
        /^resultsBucket Producer\/Results is encrypted with ServerSideEncryption.SSE_S3 \(AES256\), not SSE-KMS.*encryption: ServerSideEncryption.SSE_KMS/,
      );
    });

    test('fails if resultsBucket is a plain s3.Bucket', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, resultsBucket: bucket as any })).toThrow(
        /^resultsBucket must be an EncryptedBucket, got Producer\/Plain.*new EncryptedBucket\(this, id, \{ encryptionKey \}\)/,
      );
    });

    test('fails if resultsBucket is of another Region', () => {
      const { app, stack } = producerStack();
      const elsewhere = stackIn(app, 'Elsewhere', { env: { account: PRODUCER, region: 'us-east-1' } });
      const bucket = new EncryptedBucket(elsewhere, 'Results');
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, resultsBucket: bucket })).toThrow(
        /^resultsBucket Elsewhere\/Results is in account 111111111111, Region us-east-1, but Producer\/W is in account 111111111111, Region eu-west-1/,
      );
    });

    test('fails if resultsBucket is of another account', () => {
      const { app, stack } = producerStack();
      const elsewhere = stackIn(app, 'Partner', { env: { account: PARTNER, region: REGION } });
      const bucket = new EncryptedBucket(elsewhere, 'Results');
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, resultsBucket: bucket })).toThrow(
        /^resultsBucket Partner\/Results is in account 222222222222.*ExpectedBucketOwner/,
      );
    });

    test.each([
      ['/athena-results/', /drop the leading "\/"/],
      ['s3://bucket/results/', /give only the key prefix: the bucket is resultsBucket/],
      ['athena-results', /end it with "\/"/],
      ['a b/', /use letters, digits/],
      ['', /end it with "\/"/],
    ])('fails if resultsPrefix is %j', (prefix, fix) => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, resultsPrefix: prefix })).toThrow(
        new RegExp(`^resultsPrefix must be an object key prefix of path segments each ending in "/" \\(e.g. "athena-results/"\\), got ${JSON.stringify(prefix).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${fix.source}`),
      );
    });

    test('fails at synthesis if a token resolves to a bad resultsPrefix', () => {
      const { app, stack } = producerStack();
      new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, resultsPrefix: Lazy.string({ produce: () => 's3://b/r/' }) });
      expect(() => app.synth()).toThrow(/resultsPrefix must be an object key prefix .*got "s3:\/\/b\/r\/"/);
    });

    test('fails if workGroupName has characters Athena refuses', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, workGroupName: 'team a' })).toThrow(
        /^workGroupName must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-' .*got "team a"/,
      );
    });

    test('fails if bytesScannedCutoffPerQuery is below 10 MB', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, bytesScannedCutoffPerQuery: 1024 })).toThrow(
        /^bytesScannedCutoffPerQuery must be a whole number of bytes of at least 10,000,000 \(10 MB, Athena's minimum\), got 1024/,
      );
    });

    test('fails if engineVersion is a string', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, engineVersion: 'AUTO' as any })).toThrow(
        /^engineVersion must be an AthenaEngineVersion/,
      );
    });

    test('random props either synthesize or throw an error naming the prop, never a TypeError', () => {
      fc.assert(
        fc.property(
          fc.option(fc.constantFrom<any>('athena-results/', '/x/', 's3://b/', 'x', '', 42, null), { nil: undefined }),
          fc.option(fc.constantFrom<any>('analytics', 'a b', '', 'x'.repeat(129), 7, null), { nil: undefined }),
          fc.option(fc.constantFrom<any>(10_000_000, 1, -5, 1.5, '10', null), { nil: undefined }),
          fc.option(fc.constantFrom<any>(AthenaEngineVersion.AUTO, 'AUTO', {}, null), { nil: undefined }),
          (resultsPrefix, workGroupName, bytesScannedCutoffPerQuery, engineVersion) => {
            const { app, stack } = producerStack();
            try {
              new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'K').key, resultsPrefix, workGroupName, bytesScannedCutoffPerQuery, engineVersion });
              app.synth();
            } catch (e) {
              expect(e).not.toBeInstanceOf(TypeError);
              expect((e as Error).message).toMatch(/^(resultsPrefix|workGroupName|bytesScannedCutoffPerQuery|engineVersion) must be/);
            }
          },
        ),
        { numRuns: 30 },
      );
    });

    test('fails if encryptionKey is missing', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedAthenaWorkGroup(stack, 'W', {} as any)).toThrow(/^encryptionKey must be a kms.IKey/);
    });
  });
});
