import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLevel, DataProtectionReport, EncryptedBucket, Partner, TlsOnlyBucketPolicy } from '../src';
import { PARTNER, producerStack } from './support';
import { buildEndpoints, buildExchange, synthesize } from './support/access/fixtures';

function files(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

describe('DataProtectionReport', () => {
  describe('files', () => {
    test('every stack using the library writes <stack>.data-protection.json and .md next to its template', () => {
      const dir = synthesize('report-files', (app) => buildExchange(app));
      expect(files(dir)).toEqual(expect.arrayContaining([
        'Producer.template.json', 'Producer.data-protection.json', 'Producer.data-protection.md',
        'Consumer.template.json', 'Consumer.data-protection.json', 'Consumer.data-protection.md',
      ]));
    });

    test('the report is read from the template as written, for stacks created after the first, under constructs and in nested stages', () => {
      let stageDir = '';
      const dir = synthesize('report-written-template', (app) => {
        new EncryptedBucket(new Stack(app, 'First'), 'Data');
        const group = new Construct(app, 'Group');
        const later = new EncryptedBucket(new Stack(group, 'Later'), 'Data');
        // an escape hatch applied to the final template shows in the report
        (later.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('VersioningConfiguration.Status', 'Suspended');
        const stage = new Stage(app, 'Staged');
        new EncryptedBucket(new Stack(stage, 'Inner'), 'Data');
        stageDir = stage.outdir;
      });
      expect(files(dir)).toEqual(expect.arrayContaining(['First.data-protection.json', 'GroupLater4D872098.data-protection.json']));
      expect(files(stageDir).filter((f) => f.endsWith('.data-protection.json'))).toEqual([expect.stringMatching(/Inner.*\.data-protection\.json$/)]);
      const later = JSON.parse(fs.readFileSync(path.join(dir, 'GroupLater4D872098.data-protection.json'), 'utf8'));
      const template = JSON.parse(fs.readFileSync(path.join(dir, 'GroupLater4D872098.template.json'), 'utf8'));
      const bucket = later.buckets.find((b: any) => b.managedBy === 'EncryptedBucket Group/Later/Data');
      expect(template.Resources[bucket.logicalId].Properties.VersioningConfiguration.Status).toBe('Suspended');
      expect(bucket.versioning).toBe(false);
    });

    test('a stack added after an earlier synthesis is reported from its own template, not the previous one', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-resynth-'));
      const app = new App({ outdir });
      new EncryptedBucket(new Stack(app, 'First'), 'Data');
      app.synth();
      const later = new EncryptedBucket(new Stack(app, 'Later', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Data');
      app.synth({ force: true, errorOnDuplicateSynth: false });
      later.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      app.synth({ force: true, errorOnDuplicateSynth: false });
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'Later.data-protection.json'), 'utf8'));
      const [share] = report.buckets.find((b: any) => b.managedBy === 'EncryptedBucket Later/Data').partners;
      expect(share.bucketPolicySids.length).toBeGreaterThan(0);
      expect(share.s3Actions).toEqual(expect.arrayContaining(['s3:GetObject']));
      expect(share.keyPolicySid).not.toBeNull();
    });

    test('a stack without any construct of the library writes no report', () => {
      const dir = synthesize('report-none', (app) => {
        new s3.Bucket(new Stack(app, 'Unrelated'), 'Plain');
      });
      expect(files(dir).filter((f) => f.includes('data-protection'))).toEqual([]);
    });

    test('the context value cdk-data-protection:report = false turns the files off', () => {
      const dir = synthesize('report-off', (app) => {
        app.node.setContext('cdk-data-protection:report', false);
        new EncryptedBucket(new Stack(app, 'Quiet'), 'Data');
      });
      expect(files(dir).filter((f) => f.includes('data-protection'))).toEqual([]);
    });

    test('no raw token string ever appears; deploy-time values are shown as ${LogicalId.Attribute}', () => {
      const dir = synthesize('report-tokens', (app) => {
        const stack = new Stack(app, 'Agnostic');
        const b = new EncryptedBucket(stack, 'Data');
        // a partner account known at deployment only
        b.shareWith(Partner.account(new CfnParameter(stack, 'PartnerAccount').valueAsString), AccessLevel.READ);
      });
      const json = fs.readFileSync(path.join(dir, 'Agnostic.data-protection.json'), 'utf8');
      const md = fs.readFileSync(path.join(dir, 'Agnostic.data-protection.md'), 'utf8');
      expect(json).not.toMatch(/\$\{Token\[/);
      expect(md).not.toMatch(/\$\{Token\[/);
      const report = JSON.parse(json);
      expect(report.buckets[0].keyArn).toMatch(/^\$\{DataKey[0-9A-F]+\.Arn\}$/);
      expect(report.partners[0].partner).toBe('account ${PartnerAccount}');
    });

    test('DataProtectionReport.markdownIn concatenates the Markdown reports of an assembly', () => {
      const dir = synthesize('report-markdown', (app) => buildExchange(app));
      const md = DataProtectionReport.markdownIn(dir);
      expect(md).toContain('# Data protection report: Consumer');
      expect(md).toContain('# Data protection report: Producer');
      expect(DataProtectionReport.markdownIn(path.join(dir, 'missing'))).toBe('');
    });
  });

  describe('partners granted outside the library', () => {
    let report: any;
    let markdown: string;
    beforeAll(() => {
      const dir = synthesize('report-outside-partners', (app) => {
        const stack = new Stack(app, 'Mixed', { env: { account: '111111111111', region: 'eu-west-1' } });
        new s3.Bucket(stack, 'Legacy').grantRead(new iam.AccountPrincipal('555555555555'));
        const scoped = new s3.Bucket(stack, 'Scoped', { enforceSSL: true });
        scoped.addToResourcePolicy(new iam.PolicyStatement({
          sid: 'EtlRead', actions: ['s3:GetObject'], resources: [scoped.arnForObjects('in/*')], principals: [new iam.ArnPrincipal('arn:aws:iam::333333333333:role/etl')],
        }));
        new EncryptedBucket(stack, 'Exchange').shareWith(Partner.account(PARTNER), AccessLevel.READ);
        new kms.Key(stack, 'Unrotated', { enableKeyRotation: false, removalPolicy: RemovalPolicy.RETAIN });
      });
      report = JSON.parse(fs.readFileSync(path.join(dir, 'Mixed.data-protection.json'), 'utf8'));
      markdown = fs.readFileSync(path.join(dir, 'Mixed.data-protection.md'), 'utf8');
    });

    test("aws-cdk-lib's grantRead and addToResourcePolicy to another account are partners of the stack, beside the library's shares", () => {
      expect(report.partners.map((p: any) => p.partner)).toEqual([
        `account ${PARTNER}`, 'account 555555555555', 'arn:aws:iam::333333333333:role/etl (account 333333333333)',
      ]);
      expect(report.partners[1]).toMatchObject({
        kind: 'ACCOUNT',
        accounts: ['555555555555'],
        principalArns: [],
        iamPolicy: null,
        grants: [{ bucket: 'Mixed/Legacy', access: 'READ', prefix: null, keyArn: null }],
        grantedBy: ['bucket policy of Mixed/Legacy, statement 1'],
      });
      expect(report.partners[2]).toMatchObject({
        kind: 'PRINCIPALS',
        principalArns: ['arn:aws:iam::333333333333:role/etl'],
        grants: [{ bucket: 'Mixed/Scoped', access: 'READ', prefix: 'in/' }],
        grantedBy: ['bucket policy of Mixed/Scoped, Sid EtlRead'],
      });
      // the library's own share keeps its consumer IAM policy, and is not listed twice
      expect(report.partners[0].iamPolicy.Statement.length).toBeGreaterThan(0);
      expect(report.buckets.find((b: any) => b.path === 'Mixed/Exchange/Bucket').partners.map((p: any) => p.partner)).toEqual([`account ${PARTNER}`]);
    });

    test('the Markdown says the partner writes its own IAM policy, and the diagram draws the access with the TLS it really needs', () => {
      expect(markdown).toContain('Granted outside cdk-data-protection (bucket policy of Mixed/Legacy, statement 1): the partner writes its own IAM policy.');
      expect(report.mermaid).toMatch(/partner_2 -- "READ, TLS NOT required" --> bucket_Legacy[0-9A-F]{8}/);
      expect(report.mermaid).toMatch(/partner_3 -- "READ in\/\*, TLS" --> bucket_Scoped[0-9A-F]{8}/);
      expect(report.mermaid).toMatch(/key_Unrotated[0-9A-F]{8}\{\{"Mixed\/Unrotated<br\/>rotation OFF"\}\}/);
    });
  });

  describe('model', () => {
    let report: any;
    beforeAll(() => {
      const dir = synthesize('report-model', (app) => buildExchange(app));
      report = JSON.parse(fs.readFileSync(path.join(dir, 'Producer.data-protection.json'), 'utf8'));
    });

    test('schema and stack', () => {
      expect(report.schema).toBe(DataProtectionReport.SCHEMA);
      expect(report.stack).toEqual({ name: 'Producer', path: 'Producer', account: '111111111111', region: 'eu-west-1' });
    });

    test('per bucket: encryption, key, rotation, Bucket Key, TLS, SSE-C, public access, versioning, logging, network, partners', () => {
      const b = report.buckets.find((x: any) => x.path === 'Producer/Exchange/Bucket');
      expect(b).toMatchObject({
        managedBy: 'EncryptedBucket Producer/Exchange',
        encryption: 'SSE-KMS',
        keyRotationDays: 365,
        bucketKey: true,
        tlsRequired: true,
        minimumTlsVersion: '1.2',
        sseCBlocked: true,
        publicAccessBlocked: true,
        objectOwnership: 'BucketOwnerEnforced',
        versioning: true,
        accessLogging: { prefix: 'access-logs/' },
        retained: true,
        network: null,
      });
      expect(b.keyArn).toMatch(/^\$\{ExchangeKey[0-9A-F]+\.Arn\}$/);
      expect(b.partners.map((p: any) => `${p.partner} ${p.access} ${p.prefix}`)).toEqual([
        `account ${PARTNER} READ null`,
        'arn:aws:iam::444444444444:role/ingest (account 444444444444) WRITE incoming/',
        'organization o-a1b2c3d4e5 READ public-to-org/',
      ]);
      const read = b.partners[0];
      expect(read.kmsActions).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
      expect(read.bucketPolicySids).toEqual(['PartnerReadAccounts']);
      expect(read.conditions).toEqual(expect.arrayContaining([
        'aws:SecureTransport = true (bucket policy DenyInsecureTransport)',
        's3:TlsVersion >= 1.2 (bucket policy DenyTlsBelow12)',
        expect.stringMatching(/^StringEquals kms:ViaService = s3\.eu-west-1\.amazonaws\.com \(key policy PartnerReadAccountsOn/),
      ]));
      expect(b.ownerAccess.grants.map((g: any) => g.principal)).toEqual([expect.stringMatching(/^\$\{Reader[0-9A-F]+\.Arn\}$/)]);
    });

    test('per key: administrators, users, partners, rotation, deletion window', () => {
      const k = report.keys[0];
      expect(k).toMatchObject({ rotationDays: 365, pendingWindowDays: 30, retained: true, multiRegion: false, directUseOnlyThrough: null });
      expect(k.administrators).toEqual([{ principals: ['arn:aws:iam::111111111111:root'], actions: ['kms:*'], sid: 'AllowAccountIamPolicies' }]);
      expect(k.partners.map((p: any) => p.partners.join(', '))).toEqual([
        'account 222222222222',
        'arn:aws:iam::444444444444:role/ingest (account 444444444444)',
        'organization o-a1b2c3d4e5',
      ]);
      expect(k.users.map((u: any) => u.principal)).toEqual([expect.stringMatching(/^\$\{Reader/)]);
    });

    test('per partner: the accounts and organizations each kind names', () => {
      const byKind = (kind: string) => report.partners.find((x: any) => x.kind === kind);
      expect(byKind('PRINCIPALS')).toMatchObject({ accounts: ['444444444444'], principalArns: ['arn:aws:iam::444444444444:role/ingest'], organizationIds: [] });
      expect(byKind('ORGANIZATION')).toMatchObject({ accounts: [], principalArns: [], organizationIds: ['o-a1b2c3d4e5'], organizationPaths: [] });
    });

    test('per partner: the IAM policy it attaches names the bucket and the key, and only through S3', () => {
      const p = report.partners.find((x: any) => x.kind === 'ACCOUNT');
      expect(p.accounts).toEqual([PARTNER]);
      expect(p.iamPolicy.Statement.map((s: any) => s.Sid)).toEqual([expect.stringMatching(/^SharedReadBucketAccess/), expect.stringMatching(/^SharedReadKeyUse/)]);
      const bucket = report.buckets.find((x: any) => x.path === 'Producer/Exchange/Bucket');
      expect(bucket.arn).toMatch(/^arn:aws:s3:::producer-/);
      const bucketStatement = p.iamPolicy.Statement.find((s: any) => String(s.Sid).startsWith('SharedReadBucketAccess'));
      expect(bucketStatement).toMatchObject({ Effect: 'Allow', Resource: [bucket.arn, `${bucket.arn}/*`] });
      expect(bucketStatement.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket']));
      expect(bucketStatement.Action.filter((a: string) => /^s3:(Put|Delete)/.test(a))).toEqual([]);
      const kmsStatement = p.iamPolicy.Statement.find((s: any) => String(s.Sid).startsWith('SharedReadKeyUse'));
      expect(kmsStatement.Resource).toMatch(/^\$\{ExchangeKey[0-9A-F]+\.Arn\}$/);
      expect(kmsStatement.Condition.StringEquals['kms:ViaService']).toBe('s3.eu-west-1.amazonaws.com');
    });

    test('a Mermaid diagram of accounts, buckets, keys and partners, in the Markdown too', () => {
      expect(report.mermaid.split('\n')[0]).toBe('flowchart LR');
      expect(report.mermaid).toMatch(/partner_1 -- "READ, TLS ≥ 1.2" --> bucket_ExchangeBucket/);
      expect(report.mermaid).toMatch(/-\. "kms:GenerateDataKey, kms:Decrypt via S3 only" \.->/);
    });

    test('the endpoint restriction: endpoints and who is exempt', () => {
      const dir = synthesize('report-network', (app) => buildEndpoints(app));
      const net = JSON.parse(fs.readFileSync(path.join(dir, 'Network.data-protection.json'), 'utf8')).buckets[0].network;
      expect(net.s3EndpointIds).toEqual([expect.stringMatching(/^\$\{EndpointsS3Endpoint[0-9A-F]+\}$/)]);
      expect(net.exempt).toEqual(expect.arrayContaining([
        'principal arn:aws:iam::111111111111:role/Administrator',
        `account ${PARTNER}`,
        'calls AWS services make on a principal\'s behalf (aws:ViaAWSService)',
      ]));
      expect(net.bucketPolicyManagementDenied).toBe(false);
    });

    test('DataProtectionReport.of(stack).toJson() gives the same model without synthesizing, and toMarkdown renders tables', () => {
      const { stack } = producerStack('InMemory');
      const plain = new s3.Bucket(stack, 'Plain');
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket: plain });
      const r = DataProtectionReport.of(stack);
      expect(r.jsonFileName).toBe('InMemory.data-protection.json');
      expect(r.toJson().buckets[0]).toMatchObject({ managedBy: 'TlsOnlyBucketPolicy InMemory/TlsOnly', minimumTlsVersion: '1.2', encryption: 'SSE-S3 (S3 default)' });
      const md = r.toMarkdown();
      expect(md).toContain('| minimum TLS | TLS 1.2 |');
      expect(md).toContain('```mermaid');
    });
  });
});
