import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Matcher, MatchResult, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { buildDemoApp } from '../demo/app';
import { principalLabel, summarizeBuckets } from '../demo/summary';
import { AccessLevel, CrossAccountConsumerPolicy, DataProtectionReport, EncryptedBucket, Partner } from '../src';

const PRODUCER_ENV = { account: '111111111111', region: 'eu-west-1' };
const CONSUMER_ENV = { account: '222222222222', region: 'eu-west-1' };
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** `null` in a Match pattern (Match takes no literal null). */
class IsNull extends Matcher {
  public readonly name = 'isNull';
  public test(actual: any): MatchResult {
    const result = new MatchResult(actual);
    if (actual !== null) result.recordFailure({ matcher: this, path: [], message: `Expected null, got ${JSON.stringify(actual)}` });
    return result;
  }
}
const NULL = new IsNull();

/** The Sids of the managed policy a CrossAccountConsumerPolicy synthesized. */
function synthesizedSids(policy: CrossAccountConsumerPolicy): string[] {
  const stack = Stack.of(policy);
  const id = stack.resolve((policy.policy.node.defaultChild as iam.CfnManagedPolicy).logicalId);
  return Template.fromStack(stack).toJSON().Resources[id].Properties.PolicyDocument.Statement.map((s: any) => s.Sid);
}

describe('DataProtectionReport', () => {
  describe('consumers', () => {
    let dir: string;
    let consumer: any;
    let producer: any;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-consumers-'));
      buildDemoApp(dir).synth();
      consumer = JSON.parse(fs.readFileSync(path.join(dir, 'DataConsumer.data-protection.json'), 'utf8'));
      producer = JSON.parse(fs.readFileSync(path.join(dir, 'DataProducer.data-protection.json'), 'utf8'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('the demo consumer stack lists its CrossAccountConsumerPolicy, its three allows proven in the producer stack of the same app', () => {
      const bucket = producer.buckets.find((b: any) => b.path === 'DataProducer/Exchange/Bucket');
      const share = bucket.partners.find((p: any) => p.partner === 'account 222222222222');
      const sids = ['SharedReadBucketAccessOnDataproducengebucket6f5c0536111111111111euwest1', 'SharedReadKeyUseOnDataproducengebucket6f5c0536111111111111euwest1'];
      expect(consumer.consumers).toEqual([
        {
          policy: expect.stringMatching(/^ExchangeAccessPolicy[0-9A-F]{8}$/),
          sids,
          attachedTo: [expect.stringMatching(/^\$\{Reader[0-9A-F]{8}\.Arn\}$/)],
          grants: [
            {
              bucketArn: bucket.arn,
              keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/*',
              access: 'READ',
              prefix: null,
              allows: {
                identityPolicy: `proven here (${sids.join(', ')})`,
                bucketPolicy: `proven in stack DataProducer (Sid ${share.bucketPolicySids.join(', ')})`,
                keyPolicy: `proven in stack DataProducer (Sid ${share.keyPolicySid})`,
              },
            },
          ],
        },
      ]);
      expect(producer.consumers).toEqual([]);
    });

    test('the consumer Markdown lists the incoming access instead of saying only that there is nothing', () => {
      const md = fs.readFileSync(path.join(dir, 'DataConsumer.data-protection.md'), 'utf8');
      expect(md).toContain('## Access to other accounts\' data');
      expect(md).toContain('No buckets of its own. Its principals use data of other accounts');
      expect(md).not.toContain('Nothing is shared with another account or organization.');
      expect(md).toMatch(/\| `arn:aws:s3:::dataproducenge-bucket-6f5c0536-111111111111-eu-west-1` \| `arn:aws:kms:eu-west-1:111111111111:key\/\*` \| READ \| proven here/);
      expect(md).toContain('proven in stack DataProducer (Sid PartnerReadAccounts)');
    });

    test('without the owner in the app, the report says which account must hold the bucket and key policies', () => {
      const stack = new Stack(new App(), 'Alone', { env: CONSUMER_ENV });
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: 'arn:aws:s3:::producer-exchange', keyArn: KEY_ARN, access: AccessLevel.WRITE, prefix: 'in/', roles: [role] });
      const [c] = DataProtectionReport.of(stack).toJson().consumers;
      expect(c.grants).toEqual([
        {
          bucketArn: 'arn:aws:s3:::producer-exchange',
          keyArn: KEY_ARN,
          access: 'WRITE',
          prefix: 'in/',
          allows: {
            identityPolicy: expect.stringMatching(/^proven here \(SharedWriteBucketAccessOnProducerexchangePrefix[0-9A-F]{8}, SharedWriteKeyUseOnProducerexchangePrefix[0-9A-F]{8}\)$/),
            bucketPolicy: 'must be held by account 111111111111 (its bucket policy)',
            keyPolicy: 'must be held by account 111111111111 (its key policy)',
          },
        },
      ]);
    });

    test('the owner account is taken from the stack of the key the policy refers to, when the bucket is not in the app', () => {
      const app = new App();
      const key = new kms.Key(new Stack(app, 'Keys', { env: PRODUCER_ENV }), 'Key');
      const stack = new Stack(app, 'Reader', { env: CONSUMER_ENV });
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: 'arn:aws:s3:::elsewhere', keyArn: key.keyArn, access: AccessLevel.READ });
      const [c] = DataProtectionReport.of(stack).toJson().consumers;
      expect(c.grants[0]).toMatchObject({ keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/*', allows: { bucketPolicy: 'must be held by account 111111111111 (its bucket policy)' } });
    });

    test('the owner stack in the app that shares nothing with the account: the report says it is not granted there', () => {
      const app = new App();
      const owner = new EncryptedBucket(new Stack(app, 'Owner', { env: PRODUCER_ENV }), 'Data', { bucketName: 'owner-data' });
      owner.shareWith(Partner.account('333333333333'), AccessLevel.READ);
      const stack = new Stack(app, 'Reader', { env: CONSUMER_ENV });
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: 'arn:aws:s3:::owner-data', keyArn: KEY_ARN, access: AccessLevel.READ });
      const [c] = DataProtectionReport.of(stack).toJson().consumers;
      expect(c.attachedTo).toEqual([]);
      expect(c.grants[0].allows.bucketPolicy).toBe('not granted in stack Owner: its report shows no share of Owner/Data/Bucket with account 222222222222 for READ (its bucket policy must allow it)');
    });

    test('a plain IAM policy of the template naming a bucket and key of another account is a consumer too (no construct of the library)', () => {
      const stack = new Stack(new App(), 'Plain', { env: CONSUMER_ENV });
      new s3.Bucket(stack, 'Own', { bucketName: 'own-bucket' });
      const role = new iam.Role(stack, 'Worker', { roleName: 'worker', assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTheirs', actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::theirs', 'arn:aws:s3:::theirs/*'] }));
      role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadOwn', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::own-bucket/*'] }));
      role.addToPolicy(new iam.PolicyStatement({
        sid: 'TheirKey',
        actions: ['kms:Decrypt'],
        resources: [KEY_ARN],
        conditions: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::theirs/*' } },
      }));
      const [c] = DataProtectionReport.of(stack).toJson().consumers;
      expect(c).toEqual({
        policy: expect.stringMatching(/^WorkerDefaultPolicy/),
        sids: ['ReadTheirs', 'TheirKey'],
        attachedTo: [expect.stringMatching(/^\$\{Worker[0-9A-F]{8}\.Arn\}$/)],
        grants: [
          {
            bucketArn: 'arn:aws:s3:::theirs',
            keyArn: KEY_ARN,
            access: 'READ',
            prefix: null,
            allows: {
              identityPolicy: 'proven here (ReadTheirs, TheirKey)',
              bucketPolicy: expect.stringMatching(/^owner unknown: must be held by the account that owns it \(its bucket policy/),
              keyPolicy: 'must be held by account 111111111111 (its key policy)',
            },
          },
        ],
      });
    });

    test('a stack whose IAM policies name only its own buckets has no consumers', () => {
      const stack = new Stack(new App(), 'Own', { env: CONSUMER_ENV });
      const bucket = new s3.Bucket(stack, 'Data');
      bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(DataProtectionReport.of(stack).toJson().consumers).toEqual([]);
    });
  });

  describe('one name per thing', () => {
    test('the report\'s partners[].iamPolicy Sids are those CrossAccountConsumerPolicy synthesizes, one grant or several', () => {
      const app = new App();
      const producerStack = new Stack(app, 'Producer', { env: PRODUCER_ENV });
      const data = new EncryptedBucket(producerStack, 'Data', { bucketName: 'producer-data' });
      const other = new EncryptedBucket(producerStack, 'Other', { bucketName: 'producer-other' });
      data.shareWith(Partner.account(CONSUMER_ENV.account), AccessLevel.READ);
      data.shareWith(Partner.account(CONSUMER_ENV.account), AccessLevel.WRITE, { prefix: 'in/' });
      other.shareWith(Partner.account(CONSUMER_ENV.account), AccessLevel.READ);
      const consumerStack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
      const policies = [
        new CrossAccountConsumerPolicy(consumerStack, 'Read', { bucketArn: data.bucket.bucketArn, keyArn: data.encryptionKey!.keyArn, access: AccessLevel.READ }),
        new CrossAccountConsumerPolicy(consumerStack, 'Write', { bucketArn: data.bucket.bucketArn, keyArn: data.encryptionKey!.keyArn, access: AccessLevel.WRITE, prefix: 'in/' }),
        new CrossAccountConsumerPolicy(consumerStack, 'ReadOther', { bucketArn: other.bucket.bucketArn, keyArn: other.encryptionKey!.keyArn, access: AccessLevel.READ }),
      ];
      const [partner] = DataProtectionReport.of(producerStack).toJson().partners;
      const reported = partner.iamPolicy.Statement.map((s: any) => s.Sid);
      expect(reported).toEqual(policies.flatMap(synthesizedSids));
      expect(new Set(reported).size).toBe(reported.length);
    });

    test('the producer\'s stack output and the report write the same Sids, also in an environment-agnostic stack (the bucket named by its construct)', () => {
      const stack = new Stack(new App(), 'Agnostic');
      const data = new EncryptedBucket(stack, 'Data', { consumerPolicyOutputs: true });
      data.shareWith(Partner.account(CONSUMER_ENV.account), AccessLevel.WRITE, { prefix: 'in/' });
      const outputs = JSON.stringify(Template.fromStack(stack).toJSON().Outputs);
      const [partner] = DataProtectionReport.of(stack).toJson().partners;
      const reported = partner.iamPolicy.Statement.map((s: any) => s.Sid);
      expect(reported).toEqual([expect.stringMatching(/^SharedWriteBucketAccessOnAgnosticDataBucket[0-9A-F]{8}Prefix[0-9A-F]{8}$/), expect.stringMatching(/^SharedWriteKeyUseOn/)]);
      expect([...outputs.matchAll(/\\"Sid\\":\\"(\w+)\\"/g)].map((m) => m[1])).toEqual(reported);
    });

    test('the demo: the report\'s iamPolicy Sids for 222222222222 are the consumer stack\'s', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-sids-'));
      try {
        buildDemoApp(dir).synth();
        const report = JSON.parse(fs.readFileSync(path.join(dir, 'DataProducer.data-protection.json'), 'utf8'));
        const template = JSON.parse(fs.readFileSync(path.join(dir, 'DataConsumer.template.json'), 'utf8'));
        const [policy] = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy') as any[];
        const partner = report.partners.find((p: any) => p.partner === 'account 222222222222');
        expect(partner.iamPolicy.Statement.map((s: any) => s.Sid)).toEqual(policy.Properties.PolicyDocument.Statement.map((s: any) => s.Sid));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the console summary names partners as the report does', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-labels-'));
      try {
        buildDemoApp(dir).synth();
        const report = JSON.parse(fs.readFileSync(path.join(dir, 'DataProducer.data-protection.json'), 'utf8'));
        const template = JSON.parse(fs.readFileSync(path.join(dir, 'DataProducer.template.json'), 'utf8'));
        const bucket = report.buckets.find((b: any) => b.path === 'DataProducer/Exchange/Bucket');
        const [summary] = summarizeBuckets('DataProducer', template, 'account 111111111111', report).filter((s) => s.logicalId === bucket.logicalId);
        for (const share of bucket.partners) {
          expect(summary.access).toContainEqual(expect.stringContaining(`${share.bucketPolicySids[0]}: ${share.partner} may `));
        }
        expect(summary.access.join('\n')).not.toContain(':root');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('without a report, the console labels an account principal as the report would', () => {
      expect(principalLabel({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] })).toBe('account 222222222222');
      expect(principalLabel('arn:aws:iam::333333333333:role/ingest')).toBe('arn:aws:iam::333333333333:role/ingest (account 333333333333)');
    });
  });

  describe('template mode', () => {
    let report: any;
    beforeAll(() => {
      // A plain aws-cdk-lib app, none of this library's constructs, written to a template file.
      const plain = new Stack(new App(), 'Plain', { env: PRODUCER_ENV });
      const key = new kms.Key(plain, 'Key', { enableKeyRotation: true });
      const bucket = new s3.Bucket(plain, 'Data', {
        bucketName: 'plain-data',
        encryptionKey: key,
        bucketKeyEnabled: true,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        removalPolicy: RemovalPolicy.RETAIN,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        serverAccessLogsPrefix: 'logs/',
      });
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'PartnerRead',
        principals: [new iam.AccountPrincipal('222222222222')],
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: [bucket.bucketArn, bucket.arnForObjects('out/*')],
      }));
      key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PartnerKey', principals: [new iam.AccountPrincipal('222222222222')], actions: ['kms:Decrypt'], resources: ['*'] }));
      bucket.grantRead(new iam.Role(plain, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-template-mode-'));
      const templateFile = path.join(dir, 'plain.template.json');
      fs.writeFileSync(templateFile, JSON.stringify(Template.fromStack(plain).toJSON()));

      const stack = new Stack(new App(), 'Loaded', { env: PRODUCER_ENV });
      new CfnInclude(stack, 'T', { templateFile });
      report = DataProtectionReport.of(stack).toJson();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Asserts, with the Match matchers of aws-cdk-lib/assertions, that one entry of `buckets` or `keys` matches (objectLike). */
    function hasEntry(field: 'buckets' | 'keys', pattern: any): void {
      const results = report[field].map((e: any) => Match.objectLike(pattern).test(e));
      if (results.every((r: any) => r.hasFailed())) {
        throw new Error(`no entry of ${field} matches:\n${results.map((r: any) => r.renderMismatch()).join('\n')}`);
      }
    }

    test('a bucket loaded with CfnInclude is reported from the template: encryption, key, TLS, versioning, logging, retention, owner access', () => {
      expect(report.buckets.filter((b: any) => b.name === 'plain-data')).toHaveLength(1);
      hasEntry('buckets', {
        path: 'Loaded/T/' + report.buckets.find((b: any) => b.name === 'plain-data').logicalId,
        managedBy: 'template (CfnInclude Loaded/T)',
        name: 'plain-data',
        arn: 'arn:aws:s3:::plain-data',
        encryption: 'SSE-KMS',
        keyArn: Match.stringLikeRegexp('^\\$\\{Key[0-9A-F]{8}\\.Arn\\}$'),
        keyManagedInStack: true,
        keyRotationDays: 365,
        bucketKey: true,
        tlsRequired: true,
        minimumTlsVersion: '1.2',
        sseCBlocked: false,
        publicAccessBlocked: true,
        versioning: true,
        accessLogging: { destination: Match.anyValue(), prefix: 'logs/' },
        retained: true,
        network: NULL,
        ownerAccess: Match.objectLike({ account: '111111111111', grants: [Match.objectLike({ principal: Match.stringLikeRegexp('^\\$\\{Reader'), actions: Match.arrayWith(['s3:GetObject*']) })] }),
      });
    });

    test('its bucket policy\'s allow of another account is a partner, with the key policy statement allowing it', () => {
      hasEntry('buckets', {
        name: 'plain-data',
        partners: [
          Match.objectLike({
            partner: 'account 222222222222',
            kind: 'ACCOUNT',
            access: 'READ',
            prefix: 'out/',
            s3Actions: ['s3:GetObject', 's3:ListBucket'],
            kmsActions: ['kms:Decrypt'],
            bucketPolicySids: ['PartnerRead'],
            keyPolicySid: 'PartnerKey',
            keyPolicyManagedHere: true,
          }),
        ],
      });
    });

    test('the key: rotation, administrators and users from its key policy and the IAM policies', () => {
      hasEntry('keys', {
        managedBy: 'template (CfnInclude Loaded/T)',
        rotationDays: 365,
        retained: true,
        administrators: [{ principals: ['arn:aws:iam::111111111111:root'], actions: ['kms:*'], sid: NULL }],
        users: Match.arrayWith([
          Match.objectLike({ principal: Match.stringLikeRegexp('^\\$\\{Reader'), actions: Match.arrayWith(['kms:Decrypt']) }),
          Match.objectLike({ principal: 'arn:aws:iam::222222222222:root', policy: 'key policy PartnerKey' }),
        ]),
      });
    });

    test('an L1 owned by an L2 is reported once, as the L2', () => {
      const stack = new Stack(new App(), 'Both', { env: PRODUCER_ENV });
      new s3.Bucket(stack, 'L2');
      new s3.CfnBucket(stack, 'L1', { versioningConfiguration: { status: 'Enabled' } });
      expect(DataProtectionReport.of(stack).toJson().buckets.map((b: any) => [b.path, b.managedBy])).toEqual([
        ['Both/L2', 'aws-cdk-lib s3.Bucket'],
        ['Both/L1', 'aws-cdk-lib s3.CfnBucket'],
      ]);
    });
  });
});
