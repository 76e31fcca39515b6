import { IPolicyValidationContext, PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { compliantPlainBucket, explanation, findings } from './helpers';
import { DataProtectionRules } from '../../src';
import { ORG, PARTNER, producerStack, synthesizeWithValidation } from '../support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

const THIRD = '333333333333';

/** How every message of the pack tells the user to acknowledge a finding of `ruleId`. */
const acknowledgement = (ruleId: string) => `Validations.of(construct).acknowledge({ id: '${ruleId}', reason: '...' })`;

/** A key policy whose first statement keeps the account's administrators, then `statements`. */
function cfnKey(scope: any, id: string, statements: unknown[]): kms.CfnKey {
  return new kms.CfnKey(scope, id, {
    enableKeyRotation: true,
    keyPolicy: { Statement: [{ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }, ...statements] },
  });
}

/** An app with findings of several rules: DP1, DP2, DP3, DP4, DP5 (a bucket shared by Sid SharedReadPartner222), DP7, DP8. */
function appWithFindings() {
  const { app, stack } = producerStack();
  new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.S3_MANAGED });
  new kms.Key(stack, 'Unrotated');
  const { bucket } = compliantPlainBucket(stack, 'Exchange');
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({ sid: 'SharedReadPartner222', actions: ['s3:GetObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }),
  );
  return { app, stack, bucket };
}

describe('DataProtectionChecks', () => {
  describe('every finding message names its rule id and how to acknowledge it', () => {
    test.each([
      ['terse', false],
      ['verbose', true],
    ])('in cdk-nag\'s report (%s), each description starts with the rule id and ends with the acknowledgement of that id', (_name, verbose) => {
      const { app } = appWithFindings();
      const report = new DataProtectionChecks(app, { verbose }).validateScope(app);
      const ids = report.violations.map((v) => v.ruleName);
      expect(ids).toEqual(expect.arrayContaining(['DataProtection-DP1', 'DataProtection-DP2', 'DataProtection-DP4', 'DataProtection-DP5', 'DataProtection-DP8']));
      for (const v of report.violations) {
        expect(v.description.startsWith(`${v.ruleName}: `)).toBe(true);
        expect(v.description.endsWith(`${acknowledgement(v.ruleName)}.`)).toBe(true);
      }
    });

    test('as aws-cdk-lib\'s validation report prints it (the pack run as a validation plugin), each message line starts with the rule id', () => {
      const { app } = appWithFindings();
      const pack = new DataProtectionChecks(app, { verbose: true });
      // aws-cdk-lib 2.257 gives plugins no construct tree: hand the pack the app it checks, as later versions do.
      const validate = (_context: IPolicyValidationContext): PolicyValidationPluginReport => pack.validateScope(app);
      Validations.of(app).addPlugins({ name: pack.name, validate });
      const { failed, printed: logged, thrown } = synthesizeWithValidation(app);
      expect(failed).toBe(true);
      // aws-cdk-lib 2.257 prints the report to standard error; later versions throw it as the error's message.
      const printed = [logged, thrown?.message ?? ''].join('\n');
      // 2.257 writes "Description: <message>"; later versions "ERROR <message> (DataProtection)".
      const descriptions = printed
        .split('\n')
        .map((line) => /^\s*(?:Description: |ERROR |WARN(?:ING)? )(DataProtection-DP\d+: .*)$/.exec(line)?.[1])
        .filter((d): d is string => d !== undefined);
      expect(descriptions.length).toBeGreaterThanOrEqual(5);
      for (const id of ['DP1', 'DP4', 'DP5']) {
        const line = descriptions.find((d) => d.startsWith(`DataProtection-${id}: `));
        expect(line).toBeDefined();
        expect(line).toContain(acknowledgement(`DataProtection-${id}`));
      }
      expect(descriptions.find((d) => d.startsWith('DataProtection-DP5: '))).toMatch(/statement SharedReadPartner222 grants account 222222222222 s3:GetObject/);
    });

    test('DataProtectionRule.explain starts with the rule id and names its acknowledgement, for every rule', () => {
      const { bucket } = appWithFindings();
      const cfn = bucket.node.defaultChild as s3.CfnBucket;
      for (const rule of DataProtectionRules.all()) {
        const text = rule.explain(cfn);
        expect(text.startsWith(`${rule.ruleId}: `)).toBe(true);
        expect(text).toContain(acknowledgement(rule.ruleId));
      }
    });

    test('the acknowledgement a message names removes that finding', () => {
      const { app, bucket } = appWithFindings();
      expect(findings(app)).toContain('DataProtection-DP5 Producer/Exchange/Resource');
      const dp5 = new DataProtectionChecks(app).validateScope(app).violations.find((v) => v.ruleName === 'DataProtection-DP5');
      const id = /acknowledge\(\{ id: '([^']+)'/.exec(dp5?.description ?? '')?.[1];
      expect(id).toBeDefined();
      Validations.of(bucket).acknowledge({ id: id!, reason: 'the partner reads through a replica' });
      expect(findings(app)).not.toContain('DataProtection-DP5 Producer/Exchange/Resource');
    });
  });

  describe('DP5 says what the bucket policy grants and what the key policy lacks', () => {
    function share(actions: string[], sid: string, resources: (b: s3.Bucket) => string[]) {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Exchange');
      const principals = [new iam.AccountPrincipal(PARTNER)];
      bucket.addToResourcePolicy(new iam.PolicyStatement({ sid, actions, principals, resources: resources(bucket) }));
      return explanation(app, 'DP5', 'Producer/Exchange/Resource') ?? '';
    }

    test('only s3:GetObject granted: names the statement, the grant and kms:Decrypt missing, and never claims the partner can list', () => {
      const text = share(['s3:GetObject'], 'SharedReadPartner222', (b) => [b.arnForObjects('*')]);
      expect(text).toMatch(
        /Bucket policy statement SharedReadPartner222 grants account 222222222222 s3:GetObject on <Exchange\w+\.Arn>\/\*; the key policy of Producer\/ExchangeKey\/Resource gives account 222222222222 no kms:Decrypt usable through S3 for this bucket \(missing: kms:Decrypt\): every s3:GetObject of account 222222222222 fails with AccessDenied\./,
      );
      expect(text).not.toMatch(/list/i);
    });

    test('s3:ListBucket and s3:GetObject granted: says the partner can list but every read fails', () => {
      const text = share(['s3:ListBucket', 's3:GetObject'], 'ListAndRead', (b) => [b.bucketArn, b.arnForObjects('*')]);
      expect(text).toMatch(/statement ListAndRead grants account 222222222222 s3:ListBucket, s3:GetObject on <Exchange\w+\.Arn>, <Exchange\w+\.Arn>\/\*/);
      expect(text).toContain('(missing: kms:Decrypt): account 222222222222 can list the bucket (s3:ListBucket), but every s3:GetObject of account 222222222222 fails with AccessDenied.');
    });

    test('s3:PutObject granted: names kms:GenerateDataKey* (and kms:Decrypt) missing and the failing uploads, not listing', () => {
      const text = share(['s3:PutObject'], 'PartnerUploads', (b) => [b.arnForObjects('incoming/*')]);
      expect(text).toMatch(/statement PartnerUploads grants account 222222222222 s3:PutObject on <Exchange\w+\.Arn>\/incoming\/\*/);
      expect(text).toContain('gives account 222222222222 no kms:Decrypt or kms:GenerateDataKey* usable through S3 for this bucket (missing: kms:Decrypt, kms:GenerateDataKey*)');
      expect(text).toContain('every s3:PutObject of account 222222222222 fails with AccessDenied');
      expect(text).not.toMatch(/list/i);
    });
  });

  describe('the details of every rule that reads policy statements name the statement Sid and its principal', () => {
    test('DP6 (bucket policy and the aws/s3 key)', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS_MANAGED });
      bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PartnerRead', actions: ['s3:GetObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }));
      expect(explanation(app, 'DP6', 'Producer/Data/Resource')).toMatch(/statement PartnerRead grants account 222222222222 s3:GetObject on .*\(missing: kms:Decrypt\)/);
    });

    test('DP9 (key policy, unscoped partner)', () => {
      const { app, stack } = producerStack();
      cfnKey(stack, 'Key', [{ Sid: 'PartnerUse', Effect: 'Allow', Principal: { AWS: PARTNER }, Action: 'kms:Decrypt', Resource: '*' }]);
      expect(explanation(app, 'DP9', 'Producer/Key')).toContain('Key policy statement PartnerUse grants account 222222222222 kms:Decrypt on * with no kms:ViaService condition (missing: kms:ViaService)');
    });

    test('DP10 (network deny that locks the policy)', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyOutsideVpce',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:*'],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
          conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
        }),
      );
      expect(explanation(app, 'DP10', 'Producer/Data/Policy/Resource')).toMatch(
        /Bucket policy statement DenyOutsideVpce denies any principal s3:\* on .* under StringNotEquals aws:SourceVpce vpce-0123456789abcdef0, which includes s3:PutBucketPolicy \(missing: /,
      );
    });

    test('DP11 (key policy and the buckets using the key)', () => {
      const { app, stack } = producerStack();
      const { key } = compliantPlainBucket(stack, 'Data');
      key.addToResourcePolicy(
        new iam.PolicyStatement({ sid: 'PartnerFromVpce', actions: ['kms:Decrypt'], principals: [new iam.AccountPrincipal(PARTNER)], resources: ['*'], conditions: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
      );
      expect(explanation(app, 'DP11', 'Producer/DataKey/Resource')).toContain(
        'Key policy statement PartnerFromVpce allows account 222222222222 kms:Decrypt only under StringEquals aws:SourceVpce vpce-1, which S3\'s calls to KMS never meet; this is the key of Producer/Data/Resource.',
      );
    });

    test('DP15 (bucket policy and Object Ownership)', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
      bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PartnerWrites', actions: ['s3:PutObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('*')] }));
      expect(explanation(app, 'DP15', 'Producer/Data/Resource')).toMatch(/Bucket policy statement PartnerWrites grants account 222222222222 s3:PutObject on .*; Object Ownership is ObjectWriter/);
    });

    test('DP17 (organization share, owner account included)', () => {
      const { app, stack } = producerStack();
      cfnKey(stack, 'Key', [{ Sid: 'OrgUse', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }]);
      expect(explanation(app, 'DP17', 'Producer/Key')).toContain(`Key policy statement OrgUse grants organization ${ORG} kms:Decrypt on *, the owner account included (missing: Condition StringNotEquals aws:PrincipalAccount`);
    });

    test('DP18 (identity policy on every key)', () => {
      const { app, stack } = producerStack();
      const role = new iam.Role(stack, 'Reader', { roleName: 'reader', assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ sid: 'AnyKeyDecrypt', actions: ['kms:Decrypt'], resources: ['*'] }));
      expect(explanation(app, 'DP18', 'Producer/Reader/DefaultPolicy/Resource')).toMatch(/IAM policy statement AnyKeyDecrypt grants role <Reader\w+> kms:Decrypt on \* \(missing: /);
    });

    test('DP19 (bucket policy, destructive access)', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PartnerCleanup', actions: ['s3:DeleteObject'], principals: [new iam.AccountPrincipal(THIRD)], resources: [bucket.arnForObjects('*')] }));
      expect(explanation(app, 'DP19', 'Producer/Data/Resource')).toMatch(/Bucket policy statement PartnerCleanup grants account 333333333333 s3:DeleteObject on <Data\w+\.Arn>\/\*/);
    });

    test('DP20 (key policy takeover)', () => {
      const { app, stack } = producerStack();
      cfnKey(stack, 'Key', [{ Sid: 'PartnerAll', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${THIRD}:root` }, Action: 'kms:*', Resource: '*' }]);
      expect(explanation(app, 'DP20', 'Producer/Key')).toContain('Key policy statement PartnerAll grants account 333333333333 kms:* on *, which includes kms:PutKeyPolicy.');
    });
  });
});
