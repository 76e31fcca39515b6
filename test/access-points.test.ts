import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessLevel, CrossAccountConsumerPolicy, CrossAccountSharedKey, DataProtectionReport, EncryptedBucket, Partner, ServerSideEncryption, SharingMode } from '../src';
import { accounts, ENV, KEY_ARN, PARTNER, PRODUCER, producerStack, REGION, THIRD } from './support';
import { PARTNERS_PER_ACCESS_POINT } from '../src/s3/access-point-shares';

function shared(configure: (bucket: EncryptedBucket) => void = () => undefined, props = {}) {
  const { app, stack } = producerStack();
  const bucket = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS, ...props });
  configure(bucket);
  return { app, stack, bucket, template: Template.fromStack(stack) };
}

/** The `arn:${AWS::Partition}:s3:eu-west-1:111111111111:accesspoint/<name>` join, as the template writes it. */
function accessPointArn(name: string, suffix = '') {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:${REGION}:${PRODUCER}:accesspoint/${name}${suffix}`]] };
}

function accessPoints(template: Template): Array<{ id: string; props: any }> {
  return Object.entries(template.findResources('AWS::S3::AccessPoint')).map(([id, r]) => ({ id, props: (r as any).Properties }));
}

describe('EncryptedBucket', () => {
  describe('sharingMode ACCESS_POINTS', () => {
    test('the bucket policy delegates to access points of its own account with one statement, limited to the actions shares grant; no partner statement', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ));
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'DelegateToOwnAccountAccessPoints',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: Match.arrayWith(['s3:GetObject', 's3:ListBucket', 's3:PutObject']),
              Condition: { StringEquals: { 's3:DataAccessPointAccount': PRODUCER } },
            }),
          ]),
        },
      });
      const statements = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((r: any) => r.Properties.PolicyDocument.Statement);
      const delegation = statements.find((s: any) => s.Sid === 'DelegateToOwnAccountAccessPoints');
      expect(delegation.Action).not.toEqual(expect.arrayContaining(['s3:DeleteObject']));
      expect(delegation.Action).not.toContain('*');
      expect(statements.map((s: any) => s.Sid)).not.toContain('PartnerReadAccounts');
    });

    test('the partner is named in the policy of an access point of the bucket, with a valid deterministic name, Block Public Access on', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ));
      const [ap] = accessPoints(template);
      expect(ap.props.Name).toMatch(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/);
      expect(ap.props.Name.length).toBeLessThanOrEqual(50);
      template.hasResourceProperties('AWS::S3::AccessPoint', {
        Bucket: { Ref: Match.stringLikeRegexp('^ExchangeBucket') },
        Name: ap.props.Name,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        Policy: {
          Statement: [
            Match.objectLike({
              Sid: 'PartnerReadAccounts',
              Principal: { AWS: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`:iam::${PARTNER}:root`])] }) },
              Action: Match.arrayWith(['s3:GetObject', 's3:ListBucket']),
              Resource: [accessPointArn(ap.props.Name), accessPointArn(ap.props.Name, '/object/*')],
            }),
          ],
        },
        VpcConfiguration: Match.absent(),
      });
    });

    test('the key statement names no partner: any principal, only through S3, only with this bucket\'s encryption context (StringLike, not IfExists)', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ));
      const keys = Object.values(template.findResources('AWS::KMS::Key'));
      const statements = keys.flatMap((k: any) => k.Properties.KeyPolicy.Statement);
      const s = statements.find((x: any) => /^S3AuthorizedReadOn/.test(x.Sid));
      expect(s).toMatchObject({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' });
      expect(s.Condition.StringEquals).toEqual({ 'kms:ViaService': `s3.${REGION}.amazonaws.com` });
      expect(Object.keys(s.Condition).sort()).toEqual(['StringEquals', 'StringLike']);
      expect(JSON.stringify(s.Condition.StringLike['kms:EncryptionContext:aws:s3:arn'])).toMatch(/:s3:::producer-[a-z0-9-]*-bucket-[0-9a-f]{8}-111111111111-eu-west-1"/);
      expect(statements.map((x: any) => x.Sid)).not.toEqual(expect.arrayContaining([expect.stringMatching(/^PartnerRead/)]));
    });

    test('partners with the same access and prefix share an access point; other accesses and prefixes get their own; a group beyond its capacity spills into the next', () => {
      const n = PARTNERS_PER_ACCESS_POINT + 1;
      const { template, bucket } = shared((b) => {
        for (const a of accounts(n)) b.shareWith(Partner.account(a), AccessLevel.READ);
        b.shareWith(Partner.account(accounts(1)[0]), AccessLevel.READ); // again: no new access point
        b.shareWith(Partner.account(THIRD), AccessLevel.READ, { prefix: 'reports/' });
        b.shareWith(Partner.principals([`arn:aws:iam::${THIRD}:role/ingest`]), AccessLevel.WRITE, { prefix: 'incoming/' });
      });
      const ids = accessPoints(template).map((a) => a.id.replace(/[0-9A-F]{8}$/, ''));
      expect(ids.sort()).toEqual(['ExchangeAccessPointRead1', 'ExchangeAccessPointRead2', expect.stringMatching(/^ExchangeAccessPointRead[0-9A-F]{8}1$/), expect.stringMatching(/^ExchangeAccessPointWrite[0-9A-F]{8}1$/)].sort());
      const first = bucket.accessPointFor(Partner.account(accounts(1)[0]), AccessLevel.READ)!;
      const last = bucket.accessPointFor(Partner.account(accounts(n)[n - 1]), AccessLevel.READ)!;
      expect(first.node.id).toBe('AccessPointRead1');
      expect(last.node.id).toBe('AccessPointRead2');
      expect(bucket.accessPointFor(Partner.account(THIRD), AccessLevel.READ)).toBeUndefined();
      expect(bucket.accessPointFor(Partner.account(THIRD), AccessLevel.READ, { prefix: 'reports/' })).toBeDefined();
      // the prefixed READ access point lists only under the prefix
      template.hasResourceProperties('AWS::S3::AccessPoint', {
        Policy: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:ListBucket', 's3:ListBucketVersions'], Condition: { StringLike: { 's3:prefix': 'reports/*' } } })]) },
      });
    });

    test('names and child ids do not change when partners are added', () => {
      const names = (count: number) => accessPoints(shared((b) => accounts(count).forEach((a) => b.shareWith(Partner.account(a), AccessLevel.READ))).template).map((a) => `${a.id} ${a.props.Name}`);
      expect(names(3 * PARTNERS_PER_ACCESS_POINT).slice(0, 1)).toEqual(names(1));
    });

    test('accessPointVpc gives every access point the VPC network origin', () => {
      const { app, stack } = producerStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] });
      const bucket = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS, accessPointVpc: vpc });
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      void app;
      Template.fromStack(stack).hasResourceProperties('AWS::S3::AccessPoint', { VpcConfiguration: { VpcId: 'vpc-0123456789abcdef0' } });
    });

    test('the stack outputs give each access point\'s consumer policy, naming the access point, and its alias', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'reports/' }));
      const [ap] = accessPoints(template);
      const outputs = template.toJSON().Outputs;
      const policy = Object.entries<any>(outputs).find(([id]) => id.startsWith('ExchangeConsumerPolicyAccessPointRead'))![1];
      const json = JSON.stringify(policy.Value);
      expect(json).toContain(`accesspoint/${ap.props.Name}`);
      expect(json).toContain(`accesspoint/${ap.props.Name}/object/reports/*`);
      const alias = Object.entries<any>(outputs).find(([id]) => /^ExchangeAccessPointRead.*Alias/.test(id))![1];
      expect(alias.Value).toEqual({ 'Fn::GetAtt': [ap.id, 'Alias'] });
    });

    test('a key defined in the app (a CrossAccountSharedKey) gets the bound statement; the pack finds nothing', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Shared');
      const bucket = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS, encryptionKey: key.key });
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ_WRITE);
      expect(() => app.synth()).not.toThrow();
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: Match.stringLikeRegexp('^S3AuthorizedReadWriteOnProducerExchangeBucket'), Principal: { AWS: '*' } })]) },
      });
    });

    test('5,000 partner accounts synthesize, in 20 access points each under 20 KB', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS });
      for (const a of accounts(5000)) bucket.shareWith(Partner.account(a), AccessLevel.READ, { prefix: 'published/' });
      const assembly = app.synth();
      const template = assembly.getStackByName(stack.stackName).template;
      const aps = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::S3::AccessPoint');
      expect(aps).toHaveLength(20);
      // as S3 counts it: the partition resolved
      const deployed = (policy: unknown) => JSON.stringify(policy).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws$1"');
      for (const ap of aps) expect(Buffer.byteLength(deployed(ap.Properties.Policy))).toBeLessThan(20_480);
      expect(deployed(aps[0].Properties.Policy)).not.toContain('Fn::');
    });

    test('fails at synth when an access point policy outgrows 20 KB (long principal ARNs), naming the size, the limit and the way out', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS });
      const path200 = 'p'.repeat(120);
      const roles = Array.from({ length: PARTNERS_PER_ACCESS_POINT }, (_, i) => `arn:aws:iam::${PARTNER}:role/${path200}/reader${i}`);
      bucket.shareWith(Partner.principals(roles), AccessLevel.READ);
      expect(() => app.synth()).toThrow(
        /The policy of access point Producer\/Exchange\/AccessPointRead1 \(1 partner\(s\), 1 account\(s\)\) is \d{5} bytes, over the AWS limit of 20480 bytes\. .*Partner.account/,
      );
    });

    describe('the access report', () => {
      test('names the access point ARN and alias of each share, in JSON, Markdown and HTML', () => {
        const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-report-'));
        const app = new App({ outdir });
        const stack = new Stack(app, 'Producer', { env: ENV });
        const bucket = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS });
        bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
        DataProtectionReport.writeHtml(app.synth().directory);
        const report = JSON.parse(fs.readFileSync(path.join(outdir, 'Producer.data-protection.json'), 'utf8'));
        const entry = report.buckets.find((b: any) => b.managedBy === 'EncryptedBucket Producer/Exchange');
        const [share] = entry.partners;
        expect(share.accessPoint).toEqual({
          name: expect.stringMatching(/-r-/),
          arn: expect.stringMatching(new RegExp(`^arn:aws:s3:${REGION}:${PRODUCER}:accesspoint/`)),
          alias: expect.stringMatching(/^\$\{ExchangeAccessPointRead1.*\.Alias\}$/),
          logicalId: expect.stringMatching(/^ExchangeAccessPointRead1/),
        });
        expect(share.bucketPolicySids).toEqual(['PartnerReadAccounts']);
        expect(share.keyPolicySid).toMatch(/^S3AuthorizedReadOn/);
        expect(share.s3Actions).toContain('s3:GetObject');
        const partner = report.partners.find((p: any) => p.grants.some((g: any) => g.accessPointArn === share.accessPoint.arn));
        expect(JSON.stringify(partner.iamPolicy)).toContain(`${share.accessPoint.arn}/object/*`);
        expect(fs.readFileSync(path.join(outdir, 'Producer.data-protection.md'), 'utf8')).toContain(`through access point \`${share.accessPoint.arn}\``);
        expect(fs.readFileSync(path.join(outdir, 'data-protection.html'), 'utf8')).toContain(share.accessPoint.arn);
      });
    });

    describe('bad input', () => {
      test('fails if sharingMode is not a SharingMode', () => {
        const { stack } = producerStack();
        expect(() => new EncryptedBucket(stack, 'B', { sharingMode: 'ACCESS_POINT' as SharingMode })).toThrow(/sharingMode must be .*SharingMode.*got "ACCESS_POINT"/);
      });

      test('fails if ACCESS_POINTS is given with SSE-S3', () => {
        const { stack } = producerStack();
        expect(() => new EncryptedBucket(stack, 'B', { sharingMode: SharingMode.ACCESS_POINTS, encryption: ServerSideEncryption.SSE_S3 })).toThrow(
          /sharingMode SharingMode.ACCESS_POINTS with encryption ServerSideEncryption.SSE_S3.*Use ServerSideEncryption.SSE_KMS/,
        );
      });

      test('fails if ACCESS_POINTS is given with an imported key, naming it and the ways out', () => {
        const { stack } = producerStack();
        const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
        expect(() => new EncryptedBucket(stack, 'B', { sharingMode: SharingMode.ACCESS_POINTS, encryptionKey: key })).toThrow(
          new RegExp(`sharingMode SharingMode.ACCESS_POINTS with encryptionKey ${KEY_ARN}.*drop encryptionKey.*SharingMode.BUCKET_POLICY`),
        );
      });

      test('fails if accessPointVpc is given without ACCESS_POINTS', () => {
        const { stack } = producerStack();
        const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] });
        expect(() => new EncryptedBucket(stack, 'B', { accessPointVpc: vpc })).toThrow(/accessPointVpc \(Producer\/Vpc\) was given with sharingMode BUCKET_POLICY.*Set sharingMode: SharingMode.ACCESS_POINTS/);
      });

      test('fails if accessPointVpc is not a VPC', () => {
        const { stack } = producerStack();
        expect(() => new EncryptedBucket(stack, 'B', { sharingMode: SharingMode.ACCESS_POINTS, accessPointVpc: 'vpc-1' as unknown as ec2.IVpc })).toThrow(/accessPointVpc must be an ec2.IVpc/);
      });
    });
  });
});

describe('CrossAccountConsumerPolicy', () => {
  describe('accessPointArn', () => {
    const base = { bucketArn: 'arn:aws:s3:::producer-exchange', keyArn: KEY_ARN, access: AccessLevel.READ };
    const ap = `arn:aws:s3:${REGION}:${PRODUCER}:accesspoint/exchange-r-1a2b3c4d-1`;

    test('names the access point and its objects instead of the bucket; the key statement keeps the bucket\'s encryption context', () => {
      const doc = JSON.parse(CrossAccountConsumerPolicy.policyJson({ ...base, accessPointArn: ap, prefix: 'reports/' }));
      const bucketAccess = doc.Statement.find((s: any) => /^SharedReadBucketAccess/.test(s.Sid));
      expect(bucketAccess.Resource).toEqual([ap, `${ap}/object/reports/*`]);
      expect(doc.Statement.find((s: any) => /^SharedPrefixListing/.test(s.Sid)).Resource).toBe(ap);
      const key = doc.Statement.find((s: any) => /^SharedReadKeyUse/.test(s.Sid));
      expect(key.Condition.StringLikeIfExists['kms:EncryptionContext:aws:s3:arn']).toEqual(['arn:aws:s3:::producer-exchange', 'arn:aws:s3:::producer-exchange/*']);
    });

    test('fails if accessPointArn is not an access point ARN', () => {
      expect(() => CrossAccountConsumerPolicy.policyJson({ ...base, accessPointArn: 'arn:aws:s3:::producer-exchange' })).toThrow(/accessPointArn must be an S3 access point ARN.*got "arn:aws:s3:::producer-exchange"/);
    });
  });
});
