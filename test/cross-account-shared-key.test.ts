import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, CrossAccountSharedKey, DataProtectionStatements, Partner } from '../src';
import { agnosticStack, PARTNER, producerStack, THIRD } from './support/stack';
import { policyStatements } from './support/template';
import { realistic } from '../src/private/policy-size';

function keyStatements(template: Template): any[] {
  return policyStatements(template, 'AWS::KMS::Key', 'Key', 'KeyPolicy');
}

function accounts(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, i) => String(200000000000 + offset + i));
}

describe('CrossAccountSharedKey', () => {
  describe('grantPartner', () => {
    test('READ for an account: Decrypt and DescribeKey through S3 of the key\'s Region, by the partner account only', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ });
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectEquals({
              Sid: 'PartnerReadAccounts',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${PARTNER}:root`]] } },
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': PARTNER } },
            }),
          ]),
        },
      });
    });

    test('WRITE: GenerateDataKey and Decrypt (multipart uploads need both), nothing S3 never calls', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.WRITE });
      const [s] = keyStatements(Template.fromStack(stack)).filter((x) => x.Sid === 'PartnerWriteAccounts');
      expect(s.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey']);
      expect(s.Action).not.toEqual(expect.arrayContaining(['kms:Encrypt']));
      expect(s.Action).not.toEqual(expect.arrayContaining(['kms:ReEncrypt*']));
    });

    test('an environment-agnostic stack names S3 of its Region as a token', () => {
      const { stack } = agnosticStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ });
      const [s] = keyStatements(Template.fromStack(stack)).filter((x) => x.Sid === 'PartnerReadAccounts');
      expect(s.Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] });
    });

    test('named services replace S3, with a distinct Sid', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ, viaServices: ['sqs.eu-west-1.amazonaws.com'] });
      const s = keyStatements(Template.fromStack(stack)).find((x) => String(x.Sid).startsWith('PartnerReadAccountsVia'));
      expect(s.Condition.StringEquals['kms:ViaService']).toBe('sqs.eu-west-1.amazonaws.com');
    });

    test('scoped to a named bucket: encryption context of the bucket ARN and bucket/*', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Exchange', { bucketName: 'producer-exchange', encryptionKey: key.key });
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ, bucket });
      const s = keyStatements(Template.fromStack(stack)).find((x) => String(x.Sid).startsWith('PartnerReadAccountsOn'));
      const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::producer-exchange${suffix}`]] });
      expect(s.Condition.StringLikeIfExists).toEqual({ 'kms:EncryptionContext:aws:s3:arn': [arn(''), arn('/*')] });
    });

    test('partners with the same access and scope share one statement; others get their own', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key', {
        partners: [
          { partner: Partner.account(PARTNER), access: AccessLevel.READ },
          { partner: Partner.account(THIRD), access: AccessLevel.READ },
          { partner: Partner.account(PARTNER), access: AccessLevel.READ },
          { partner: Partner.account(PARTNER), access: AccessLevel.WRITE },
          { partner: Partner.principals([`arn:aws:iam::${THIRD}:role/reader`]), access: AccessLevel.READ },
          { partner: Partner.organization('o-a1b2c3d4e5'), access: AccessLevel.READ },
        ],
      });
      expect(key).toBeDefined();
      const statements = keyStatements(Template.fromStack(stack));
      const sids = statements.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      expect(sids).toEqual(['AllowAccountIamPolicies', 'PartnerReadAccounts', 'PartnerWriteAccounts', 'PartnerReadPrincipals', 'PartnerReadOrganizations']);
      const read = statements.find((s) => s.Sid === 'PartnerReadAccounts');
      expect(read.Condition.StringEquals['kms:CallerAccount']).toEqual([PARTNER, THIRD]);
      expect(read.Principal.AWS).toHaveLength(2);
    });

    test('fails if partner is not a Partner', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      expect(() => key.grantPartner('222222222222' as unknown as Partner, { access: AccessLevel.READ })).toThrow(/partner must be a Partner .* got "222222222222"/);
    });

    test('fails if access is not an AccessLevel, and names the value', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      expect(() => key.grantPartner(Partner.account(PARTNER), { access: 'FULL' as AccessLevel })).toThrow(/access must be AccessLevel.READ.* got "FULL"/);
    });

    test('fails if viaServices is empty or not a service endpoint, and names the value', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      expect(() => key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ, viaServices: [] })).toThrow(/viaServices must list at least one/);
      expect(() => key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ, viaServices: ['s3'] })).toThrow(/viaServices has "s3", which is not a service endpoint/);
    });

    test('fails if a bucket scope is given without an S3 endpoint', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = s3.Bucket.fromBucketName(stack, 'B', 'producer-exchange');
      expect(() => key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ, bucket, viaServices: ['sqs.eu-west-1.amazonaws.com'] })).toThrow(
        /bucket was given but viaServices \(sqs.eu-west-1.amazonaws.com\) has no S3 endpoint/,
      );
    });

    test('fails if the bucket has no physical name (the key policy would reference it: a cycle)', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Exchange', { encryptionKey: key.key });
      expect(() => key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ, bucket })).toThrow(/bucket Producer\/Exchange has no physical name.*Give the bucket a bucketName/);
    });

    test('fails if a partners entry is not an object', () => {
      const { stack } = producerStack();
      expect(() => new CrossAccountSharedKey(stack, 'Key', { partners: [null as any] })).toThrow(/partners\[0\] must be \{ partner, access \}, got null/);
    });
  });

  describe('administrators', () => {
    test('case D12: a user key policy that keeps only a partner statement is refused (no lockout)', () => {
      const { stack } = producerStack();
      const onlyPartner = new iam.PolicyDocument({
        statements: [DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER)], AccessLevel.READ, { viaServices: ['s3.eu-west-1.amazonaws.com'] })],
      });
      expect(() => new CrossAccountSharedKey(stack, 'Key', { policy: onlyPartner })).toThrow(/policy has no administrator statement .*KMS lockout/);
    });

    test('case D12: partners granted later never replace the administrator statement, and the lockout check is not bypassed', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
      key.grantPartner(Partner.account(THIRD), { access: AccessLevel.WRITE });
      const template = Template.fromStack(stack);
      const statements = keyStatements(template);
      expect(statements[0]).toMatchObject({ Sid: 'AllowAccountIamPolicies', Action: 'kms:*', Effect: 'Allow' });
      expect(statements[0].Condition).toBeUndefined();
      const [props] = Object.values(template.findResources('AWS::KMS::Key')).map((r: any) => r.Properties);
      expect(props.BypassPolicyLockoutSafetyCheck).toBeUndefined();
    });
  });

  describe('policy size', () => {
    test('case D13: 600 partner accounts share one key and the key policy stays under 32,768 bytes', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      for (const a of accounts(600)) {
        key.grantPartner(Partner.account(a), { access: AccessLevel.READ });
      }
      expect(() => app.synth()).not.toThrow();
      const statements = keyStatements(Template.fromStack(stack));
      expect(statements.map((s) => s.Sid)).toEqual(['AllowAccountIamPolicies', 'PartnerReadAccounts']);
      expect(statements[1].Condition.StringEquals['kms:CallerAccount']).toHaveLength(600);
      const bytes = JSON.stringify(statements).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":iam::(\d{12}):root"\]\]\}/g, '"arn:aws:iam::$1:root"').length;
      expect(bytes).toBeLessThan(32_768);
    });

    test('case D13: fails at synth over 32,768 bytes with the measured size, the limit and the fix', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      for (const a of accounts(700)) {
        key.grantPartner(Partner.account(a), { access: AccessLevel.READ });
      }
      expect(() => app.synth()).toThrow(
        /The key policy of Producer\/Key \(700 partner account\(s\) listed; unresolved ARNs counted at realistic length\) is \d{5} bytes, over the AWS limit of 32768 bytes\. Share with an organization \(Partner.organization/,
      );
    });

    test('unresolved ARNs are measured at realistic length, not as their template form', () => {
      const { stack } = producerStack();
      const json = realistic(
        {
          a: { 'Fn::GetAtt': ['KeyABC', 'Arn'] },
          b: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'BucketABC' }, '/*']] },
          c: { Ref: 'AWS::Region' },
        },
        stack,
      ) as any;
      expect(json.a).toHaveLength(80);
      expect(json.b).toBe(`arn:aws:s3:::${'n'.repeat(63)}/*`);
      expect(json.c).toBe('eu-west-1');
    });
  });
});
