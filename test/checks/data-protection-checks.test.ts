import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel } from 'cdk-nag';
import { compliantPlainBucket, explanation, findings } from './helpers';
import { AccessLevel, CrossAccountSharedKey, DataProtectionRules, EncryptedBucket, Partner, RuleCompliance, RuleLevel, ServerSideEncryption, TlsOnlyBucketPolicy, TlsVersion } from '../../src';
import { CrossAccountKeyAccess } from '../../src/checks/rules/cross-account-key-access';
import { agnosticStack, PARTNER, producerStack, synthesizeWithValidation } from '../support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('aws-cdk-lib/package.json').version;

describe('DataProtectionChecks', () => {
  describe('the pack', () => {
    test('is named DataProtection and lists its rules DP1 to DP24', () => {
      const pack = new DataProtectionChecks();
      expect(pack.name).toBe('DataProtection');
      expect(pack.readPackName).toBe('DataProtection');
      expect(pack.ruleIds).toEqual(Array.from({ length: 24 }, (_, i) => `DataProtection-DP${i + 1}`));
    });

    test('every rule has a one-line info, an explanation that says the fix, and a level', () => {
      for (const rule of DataProtectionRules.all()) {
        expect(rule.info).not.toMatch(/\n/);
        expect(rule.info.length).toBeLessThan(220);
        expect(rule.explanation).toMatch(/Fix: /);
        // cdk-nag receives the level unchanged: our values are its NagMessageLevel values
        expect(Object.values(NagMessageLevel)).toContain(rule.level);
      }
    });

    test('through Validations.addPlugins, fails synthesis: with its findings where aws-cdk-lib gives plugins the construct tree, else saying it cannot check and to call validateScope', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED });
      Validations.of(app).addPlugins(new DataProtectionChecks(app));
      const { failed, thrown, printed } = synthesizeWithValidation(app);
      if (version === '2.257.0') {
        // aws-cdk-lib 2.257 fails the app's process (exit code 1) rather than throwing
        expect(thrown).toBeUndefined();
        expect(failed).toBe(true);
        expect(printed).toMatch(/DataProtection-NoConstructTree[\s\S]*validateScope\(app\)/);
      } else {
        expect(thrown?.message).toMatch(/DataProtection-DP1/);
      }
    });

    test('runs as a validation plugin when the context carries the construct tree', () => {
      const { app, stack } = producerStack();
      new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED });
      const report = new DataProtectionChecks(app).validate({ templatePaths: [], appConstruct: app } as any);
      expect(report.success).toBe(false);
      expect(report.violations.map((v) => v.ruleName)).toContain('DataProtection-DP1');
    });

    test('an acknowledged finding is not reported', () => {
      const { app, stack } = producerStack();
      const ours = new EncryptedBucket(stack, 'Ours', { encryption: ServerSideEncryption.SSE_S3 });
      expect(findings(app)).toEqual(['DataProtection-DP1 Producer/Ours/Bucket/Resource']);
      Validations.of(ours).acknowledge({ id: 'DataProtection-DP1', reason: 'public data set, SSE-S3 on purpose' });
      expect(findings(app)).toEqual([]);
    });
  });

  describe('the classic failure, written with plain aws-cdk-lib', () => {
    test('a bucket shared through addToResourcePolicy with its key policy untouched gets exactly the cross-account finding', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const bucket = new s3.Bucket(stack, 'Exchange', {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: key,
        bucketKeyEnabled: true,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
      });
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:ListBucket'],
          principals: [new iam.AccountPrincipal(PARTNER)],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        }),
      );

      expect(findings(app)).toEqual(['DataProtection-DP5 Producer/Exchange/Resource']);
      const text = explanation(app, 'DP5', 'Producer/Exchange/Resource');
      expect(text).toContain('account 222222222222');
      expect(text).toContain('gives account 222222222222 no kms:Decrypt');
    });

    test('the same app with aws-cdk-lib defaults has these findings', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Exchange', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
      bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }));
      expect(findings(app)).toEqual([
        'DataProtection-DP2 Producer/Exchange/Resource',
        'DataProtection-DP3 Producer/Exchange/Resource',
        'DataProtection-DP4 Producer/Key/Resource',
        'DataProtection-DP5 Producer/Exchange/Resource',
        'DataProtection-DP7 Producer/Exchange/Resource',
        'DataProtection-DP8 Producer/Exchange/Resource',
      ]);
    });

    test('bucket.grantRead to another account writes the key side too, but unscoped (DP9, not DP5)', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Exchange');
      bucket.grantRead(new iam.AccountPrincipal(PARTNER));
      expect(findings(app)).toEqual(['DataProtection-DP9 Producer/ExchangeKey/Resource']);
    });

    test('granting the partner on the key as well clears the finding', () => {
      const { app, stack } = producerStack();
      const { bucket, key } = compliantPlainBucket(stack, 'Exchange');
      bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }));
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:DescribeKey'],
          principals: [new iam.AccountPrincipal(PARTNER)],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': PARTNER } },
        }),
      );
      expect(findings(app)).toEqual([]);
    });
  });

  describe('this library passes its own pack', () => {
    test.each([
      ['in an account and Region', false],
      ['environment-agnostic', true],
    ])('default EncryptedBucket and CrossAccountSharedKey, %s: zero findings', (_name, agnostic) => {
      const { app, stack } = agnostic ? agnosticStack('Producer') : producerStack();
      new EncryptedBucket(stack, 'B');
      new CrossAccountSharedKey(stack, 'K');
      expect(findings(app)).toEqual([]);
    });

    test('other secure configurations: TLS 1.3, DSSE-KMS, a plain bucket made TLS-only: zero findings', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Tls13', { minimumTlsVersion: TlsVersion.TLS_1_3 });
      new EncryptedBucket(stack, 'Dsse', { encryption: ServerSideEncryption.DSSE_KMS });
      const { bucket } = compliantPlainBucket(stack, 'Plain', { enforceSSL: false, minimumTLSVersion: undefined });
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      expect(findings(app)).toEqual([]);
    });

    test('a CrossAccountSharedKey granted to partners: zero findings', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'K');
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ });
      key.grantPartner(Partner.organization('o-a1b2c3d4e5'), { access: AccessLevel.WRITE });
      expect(findings(app)).toEqual([]);
    });

    test('an EncryptedBucket shared READ with an account (shareWith): zero findings', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'B');
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      expect(findings(app)).toEqual([]);
      // Compliant because the key policy lets the partner decrypt, not because the rule could not tell.
      expect(CrossAccountKeyAccess.check(bucket.bucket.node.defaultChild as s3.CfnBucket)).toBe(RuleCompliance.COMPLIANT);
    });

    test('EncryptedBucket shared with several partners, any access: zero findings', () => {
      const { app, stack } = agnosticStack('Producer');
      const bucket = new EncryptedBucket(stack, 'B');
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ_WRITE);
      bucket.shareWith(Partner.principals(['arn:aws:iam::333333333333:role/ingest']), AccessLevel.WRITE, { prefix: 'incoming/' });
      bucket.shareWith(Partner.organization('o-a1b2c3d4e5'), AccessLevel.READ);
      expect(findings(app)).toEqual([]);
      expect(CrossAccountKeyAccess.check(bucket.bucket.node.defaultChild as s3.CfnBucket)).toBe(RuleCompliance.COMPLIANT);
    });
  });

  describe('README', () => {
    test('"Checking any app" lists every rule with its level', () => {
      const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
      const section = readme.split('## Checking any app')[1]?.split(/\n## /)[0] ?? '';
      for (const rule of DataProtectionRules.all()) {
        const level = rule.level === RuleLevel.ERROR ? 'Error' : 'Warning';
        expect(section).toMatch(new RegExp(`\\| ${rule.id} \\| ${level} \\|`));
      }
    });

    test('the README of cdk-data-protection-nag lists every rule, in id order', () => {
      const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'packages', 'cdk-data-protection-nag', 'README.md'), 'utf8');
      const listed = [...readme.matchAll(/^\| (DP\d+) \|/gm)].map((m) => m[1]);
      expect(listed).toEqual(DataProtectionRules.all().map((r) => r.id));
    });
  });
});

describe('DataProtectionChecks', () => {
  describe('scale', () => {
    test('a stack of 100 shared buckets with their keys is checked in seconds (each resource rendered once per run)', () => {
      const { app, stack } = producerStack();
      for (let i = 0; i < 100; i++) {
        const { bucket } = compliantPlainBucket(stack, `B${i}`);
        bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }));
      }
      const started = Date.now();
      const report = new DataProtectionChecks(app).validateScope(app);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(report.violations.map((v) => [v.ruleName, v.violatingResources.length])).toEqual([['DataProtection-DP5', 100]]);
    });
  });
});
