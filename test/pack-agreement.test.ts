import { App, Aspects, CliCredentialsStackSynthesizer, IAspect, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import {
  AccessLevel,
  CrossAccountConsumerPolicy,
  CrossAccountSharedKey,
  DataProtectionRules,
  DataProtectionStatements,
  EncryptedBucket,
  Partner,
  RuleLevel,
  ServerSideEncryption,
  TlsOnlyBucketPolicy,
  TlsVersion,
  VpcEndpointAccess,
} from '../src';
import { compliantPlainBucket, explanation } from './checks/helpers';
import { accounts, KEY_ARN, KEY_ID, PARTNER, partnerStack, PRODUCER, producerStack, REGION, root, stackIn, warningIds } from './support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

/**
 * Issue 12: DataProtectionChecks and the constructs give the same verdict on
 * every case of ../shared/cases. For each case:
 * - good side: what the constructs write for the case's inputs passes the
 *   rules the case is about (and every error-level rule of the pack);
 * - bad side: the failure the case describes, written without the library
 *   (plain aws-cdk-lib) or with a construct broken afterwards (an escape
 *   hatch, addPropertyOverride, an Aspect), is flagged by the pack with the
 *   case's rule; where a construct is broken, it refuses the template too;
 * - refused input: the inputs a construct refuses at construction, whose
 *   template equivalent the bad side shows the pack flagging.
 */

const S3_VIA = `s3.${REGION}.amazonaws.com`;
const ADMIN_ARN = `arn:aws:iam::${PRODUCER}:role/Admin`;
const VPCE = 'vpce-0123456789abcdef0';
const ALIAS_ARN = `arn:aws:kms:${REGION}:${PRODUCER}:alias/data`;
const PARTNER_ROLE = `arn:aws:iam::${PARTNER}:role/reader`;

// ---------------------------------------------------------------- helpers

/** Every finding of the pack under `scope`, as `<rule id> <construct path>`, sorted. */
function packFindings(scope: IConstruct): string[] {
  const report = new DataProtectionChecks(scope).validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)).sort();
}

/** The findings of these rules (short ids) under `scope`. */
function findingsOf(scope: IConstruct, ids: string[]): string[] {
  const names = ids.map((id) => DataProtectionRules.find(id).ruleId);
  return packFindings(scope).filter((f) => names.includes(f.split(' ')[0]));
}

/** The findings of error-level rules under `scope`. */
function errorFindings(scope: IConstruct): string[] {
  const errors = DataProtectionRules.all().filter((r) => r.level === RuleLevel.ERROR).map((r) => r.id);
  return findingsOf(scope, errors);
}

/** What synthesis says: the error message, or undefined when it succeeds. */
function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** An isolated VPC, as VPC-endpoint workloads have. */
function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

/** A plain bucket policy statement letting `principal` read the bucket's objects. */
function grantRead(bucket: s3.Bucket, principal: iam.IPrincipal): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:ListBucket'], principals: [principal], resources: [bucket.bucketArn, bucket.arnForObjects('*')] }));
}

/** The statements of a key policy, as resolved now. */
function keyPolicyStatements(key: kms.IKey): any[] {
  const cfn = key.node.defaultChild as kms.CfnKey;
  return Stack.of(cfn).resolve(cfn.keyPolicy).Statement;
}

/** An escape hatch: the key policy's statements replaced, through addPropertyOverride, by `edit` of them. */
function overrideKeyStatements(key: kms.IKey, edit: (statements: any[]) => any[]): void {
  (key.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement', edit(keyPolicyStatements(key)));
}

/** An escape hatch: the bucket policy's statements replaced, through addPropertyOverride, by `edit` of them. */
function overrideBucketStatements(bucket: s3.IBucket, edit: (statements: any[]) => any[]): void {
  const cfn = bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
  const statements = Stack.of(cfn).resolve(cfn.policyDocument).Statement;
  cfn.addPropertyOverride('PolicyDocument.Statement', edit(statements));
}

/** `statements` with the one whose Sid starts with `sid` changed by `edit`; fails if there is none. */
function editSid(statements: any[], sid: string, edit: (s: any) => any): any[] {
  if (!statements.some((s) => String(s.Sid).startsWith(sid))) {
    throw new Error(`no statement ${sid}* in ${statements.map((s) => s.Sid).join(', ')}`);
  }
  return statements.map((s) => (String(s.Sid).startsWith(sid) ? edit(s) : s));
}

/** The path of the bucket's default encryption key id, for addPropertyOverride. */
const KMS_MASTER_KEY_ID = 'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID';

/** An EncryptedBucket `Data` in a producer stack, shared with the partner account at `access`. */
function sharedBucket(access = AccessLevel.READ, props: ConstructorParameters<typeof EncryptedBucket>[2] = {}) {
  const { app, stack } = producerStack();
  const data = new EncryptedBucket(stack, 'Data', props);
  data.shareWith(Partner.account(PARTNER), access);
  return { app, stack, data };
}

/** A compliant plain bucket `Data` under its key `DataKey`, named `data-bucket`. */
function plainBucket(props: s3.BucketProps = {}) {
  const { app, stack } = producerStack();
  const { bucket, key } = compliantPlainBucket(stack, 'Data', { bucketName: 'data-bucket', ...props });
  return { app, stack, bucket, key };
}

/** A raw AWS::KMS::Key `Key` with these key-policy statements. */
function rawKey(statements: unknown[], props: Partial<kms.CfnKeyProps> = {}) {
  const { app, stack } = producerStack();
  new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: statements }, ...props });
  return app;
}

/** The partner's key statement as the pack reads it: S3 only, from the partner account. */
const partnerKeyUse = (actions: string[], extra: Record<string, unknown> = {}) =>
  new iam.PolicyStatement({ actions, principals: [new iam.AccountPrincipal(PARTNER)], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': S3_VIA, 'kms:CallerAccount': PARTNER }, ...extra } });

/** The account's administrator statement, as a user or the default key policy writes it. */
const ACCOUNT_ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PRODUCER}:root` }, Action: 'kms:*', Resource: '*' };
const DENY_ALL_KMS = { Sid: 'DenyAll', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' };

/**
 * Case D12: the ways a key policy loses its administrator, each as what it
 * makes of the account's administrator statement, and what DP12 says of it.
 */
const LOCKOUTS: { what: string; edit: (admin: any) => any[]; explains: RegExp; message: RegExp }[] = [
  {
    what: 'kept, but a Deny of kms:* to * takes kms:PutKeyPolicy from it',
    edit: (admin) => [admin, DENY_ALL_KMS],
    explains: /denies kms:PutKeyPolicy to every administrator \(Deny statement\(s\) DenyAll override/,
    message: /policy denies kms:PutKeyPolicy to every administrator \(Deny statement\(s\) DenyAll override the administrator statement\(s\) Admin\).*KMS lockout.*Narrow the Deny/,
  },
  {
    what: 'for another account instead',
    edit: (admin) => [{ ...admin, Principal: { AWS: `arn:aws:iam::${PARTNER}:root` } }],
    explains: /allows kms:PutKeyPolicy only to account 222222222222, not to this account/,
    message: /policy has no administrator statement .*KMS lockout\)\. Statement Admin allows kms:PutKeyPolicy only to account 222222222222/,
  },
  {
    what: 'for * instead',
    edit: (admin) => [{ ...admin, Principal: { AWS: '*' } }],
    explains: /allows kms:PutKeyPolicy only to \*, not to this account/,
    message: /policy has no administrator statement .*KMS lockout\)\. Statement Admin allows kms:PutKeyPolicy only to \*/,
  },
  {
    what: 'under an MFA condition (which the deployment role and a break-glass administrator may not meet)',
    edit: (admin) => [{ ...admin, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
    explains: /allows kms:PutKeyPolicy only under a condition on aws:MultiFactorAuthPresent/,
    message: /policy has no administrator statement .*KMS lockout\)\. Statement Admin allows kms:PutKeyPolicy only under a condition on aws:MultiFactorAuthPresent/,
  },
  {
    what: 'on another Resource than "*"',
    edit: (admin) => [{ ...admin, Resource: KEY_ARN }],
    explains: /allows kms:PutKeyPolicy on Resource ".*", not on the key itself/,
    message: /policy has no administrator statement .*KMS lockout\)\. Statement Admin allows kms:PutKeyPolicy on Resource ".*", not on the key itself/,
  },
];

/** CrossAccountSharedKey `Key` shared with the partner, its AllowAccountIamPolicies statement replaced, through addPropertyOverride, by `edit` of it. */
function lockedOutSharedKey(edit: (admin: any) => any[]): App {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
  overrideKeyStatements(key.key, (ss) => {
    if (!ss.some((s) => s.Sid === 'AllowAccountIamPolicies')) {
      throw new Error(`no statement AllowAccountIamPolicies in ${ss.map((s) => s.Sid).join(', ')}`);
    }
    return ss.flatMap((s) => (s.Sid === 'AllowAccountIamPolicies' ? edit(s) : [s]));
  });
  return app;
}

/** How the construct refuses a final key DP12 flags. */
const REFUSED_DP12 = /Producer\/Key\/Key\/Resource fails DataProtection-DP12 on the final template, which CrossAccountSharedKey Producer\/Key promises/;

// ---------------------------------------------------------------- the table

/** The template the constructs write for a case's inputs. */
interface GoodSide {
  readonly what: string;
  /** The rules the case is about, by short id: none of them reports anything. */
  readonly rules: string[];
  build(): App;
  /** What the rules read, asserted on the template of the stack `Producer` (or the one named). */
  shape(template: (stackName?: string) => Template): void;
}

/** The failure a case describes, as a template. */
interface BadSide {
  readonly what: string;
  /** The rule the case is about, by short id. */
  readonly rule: string;
  /** The construct paths the rule reports. */
  readonly paths: string[];
  /** Where a construct of the library is in the template: its refusal at synthesis. */
  readonly refusedAtSynth?: RegExp;
  /** More of what the finding says (its explanation on the first path). */
  readonly explains?: RegExp;
  build(): App;
}

/** A case's input that a construct refuses at construction, with no template to check. */
interface RefusedInput {
  readonly what: string;
  /** The error, naming the prop (or the rule). */
  readonly message: RegExp;
  attempt(): void;
}

interface Case {
  readonly id: string;
  readonly good: GoodSide[];
  readonly bad: BadSide[];
  readonly refused?: RefusedInput[];
}

const CASES: Case[] = [
  {
    id: 'D01',
    good: [
      {
        what: 'EncryptedBucket shared for READ with 222222222222',
        rules: ['DP5', 'DP6', 'DP9'],
        build: () => sharedBucket().app,
        shape: (t) =>
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Principal: { AWS: '*' },
                  Action: ['kms:Decrypt', 'kms:DescribeKey'],
                  Condition: Match.objectLike({ StringEquals: { 'kms:ViaService': S3_VIA, 'kms:CallerAccount': PARTNER } }),
                }),
              ]),
            },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain s3.Bucket shared through addToResourcePolicy, its key policy untouched',
        rule: 'DP5',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, bucket } = plainBucket();
          grantRead(bucket, new iam.AccountPrincipal(PARTNER));
          return app;
        },
        explains: /grants account 222222222222 s3:GetObject, s3:ListBucket on .*; the key policy of Producer\/DataKey\/Resource gives account 222222222222 no kms:Decrypt/,
      },
      {
        what: 'a plain key that lets the partner decrypt without kms:ViaService (key.grantDecrypt)',
        rule: 'DP9',
        paths: ['Producer/DataKey/Resource'],
        build: () => {
          const { app, bucket, key } = plainBucket();
          grantRead(bucket, new iam.AccountPrincipal(PARTNER));
          key.grantDecrypt(new iam.AccountPrincipal(PARTNER));
          return app;
        },
      },
      {
        what: 'EncryptedBucket shared for READ, the partner key statement cut to kms:DescribeKey by addPropertyOverride',
        rule: 'DP5',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, data } = sharedBucket();
          overrideKeyStatements(data.encryptionKey!, (ss) => editSid(ss, 'PartnerReadAccountsOn', (s) => ({ ...s, Action: 'kms:DescribeKey' })));
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP5 on the final template, which EncryptedBucket Producer\/Data promises/,
      },
      {
        what: 'EncryptedBucket shared for READ, then its key\'s grants.decrypt names the partner account (key.grantDecrypt refuses it at the call)',
        rule: 'DP9',
        paths: ['Producer/Data/Key/Key/Resource'],
        build: () => {
          const { app, data } = sharedBucket();
          expect(() => data.sharedKey!.key.grantDecrypt(new iam.AccountPrincipal(PARTNER))).toThrow(/is of account 222222222222, not the key's/);
          data.sharedKey!.key.grants.decrypt(new iam.AccountPrincipal(PARTNER));
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Key\/Key\/Resource fails DataProtection-DP9 .*account 222222222222/,
      },
    ],
  },
  {
    id: 'D02',
    good: [
      {
        what: 'EncryptedBucket under its customer-managed key, shared for READ',
        rules: ['DP1', 'DP6'],
        build: () => sharedBucket().app,
        shape: (t) =>
          t().hasResourceProperties('AWS::S3::Bucket', {
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } } }),
              ],
            },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain s3.Bucket under the AWS-managed key (BucketEncryption.KMS_MANAGED) shared with the partner',
        rule: 'DP6',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS_MANAGED, enforceSSL: true, minimumTLSVersion: 1.2 });
          grantRead(bucket, new iam.AccountPrincipal(PARTNER));
          return app;
        },
      },
      {
        what: 'a plain s3.Bucket under SSE-S3 shared with the partner (no key policy to grant it in)',
        rule: 'DP1',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, minimumTLSVersion: 1.2 });
          grantRead(bucket, new iam.AccountPrincipal(PARTNER));
          return app;
        },
      },
      {
        what: 'EncryptedBucket shared for READ, its key switched to alias/aws/s3 by addPropertyOverride',
        rule: 'DP6',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, data } = sharedBucket();
          (data.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(KMS_MASTER_KEY_ID, 'alias/aws/s3');
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP6 on the final template.*grants account 222222222222 s3:GetObject/,
      },
    ],
    refused: [
      {
        what: 'EncryptedBucket under alias/aws/s3 with a partner (encryptionKey)',
        attempt: () => {
          const { stack } = producerStack();
          new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Alias.fromAliasName(stack, 'AwsS3', 'alias/aws/s3'), partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
        },
        message: /encryptionKey is an AWS-managed key \(alias\/aws\/s3\): its key policy cannot be changed.*Use a customer-managed key/,
      },
      {
        what: 'EncryptedBucket under SSE-S3 shared with shareWith (encryption)',
        attempt: () => {
          const { stack } = producerStack();
          new EncryptedBucket(stack, 'Data', { encryption: ServerSideEncryption.SSE_S3 }).shareWith(Partner.account(PARTNER), AccessLevel.READ);
        },
        message: /uses encryption ServerSideEncryption.SSE_S3.*Use a customer-managed key/,
      },
    ],
  },
  {
    id: 'D03',
    good: [
      {
        what: 'EncryptedBucket under a key imported by its full ARN',
        rules: ['DP1'],
        build: () => {
          const { app, stack } = producerStack();
          new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN) });
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::S3::Bucket', {
            BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } })] },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain s3.Bucket under a key imported by alias ARN',
        rule: 'DP1',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          compliantPlainBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', ALIAS_ARN) });
          return app;
        },
      },
      {
        what: 'a plain s3.Bucket under an alias of the app (kms.Alias as encryptionKey)',
        rule: 'DP1',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
          compliantPlainBucket(stack, 'Data', { encryptionKey: new kms.Alias(stack, 'Alias', { aliasName: 'alias/data', targetKey: key }) });
          return app;
        },
      },
      {
        what: 'a CfnBucket whose KMSMasterKeyID is a bare key id',
        rule: 'DP1',
        paths: ['Producer/Data'],
        build: () => {
          const { app, stack } = producerStack();
          new s3.CfnBucket(stack, 'Data', {
            bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KEY_ID } }] },
          });
          return app;
        },
      },
      {
        what: 'a CfnBucket whose KMSMasterKeyID is the Ref of a key of the stack (its key id)',
        rule: 'DP1',
        paths: ['Producer/Data'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
          new s3.CfnBucket(stack, 'Data', {
            bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.keyId } }] },
          });
          return app;
        },
      },
      {
        what: 'EncryptedBucket whose KMSMasterKeyID is overridden with an alias ARN',
        rule: 'DP1',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          (data.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(KMS_MASTER_KEY_ID, ALIAS_ARN);
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP1 on the final template, which EncryptedBucket Producer\/Data promises/,
      },
    ],
    refused: [
      {
        what: 'EncryptedBucket under a key imported by alias ARN (encryptionKey)',
        attempt: () => {
          const { stack } = producerStack();
          new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', ALIAS_ARN) });
        },
        message: /encryptionKey must be a KMS key ARN, got the alias "arn:aws:kms:eu-west-1:111111111111:alias\/data": S3 resolves aliases in the account of the caller/,
      },
      {
        what: 'EncryptedBucket under an alias of the app (encryptionKey)',
        attempt: () => {
          const { stack } = producerStack();
          new EncryptedBucket(stack, 'Data', { encryptionKey: new kms.Alias(stack, 'Alias', { aliasName: 'alias/data', targetKey: new kms.Key(stack, 'Key') }) });
        },
        message: /encryptionKey .*alias.*Pass the key itself \(alias.aliasTargetKey\)/,
      },
      {
        what: 'EncryptedBucket under a key given by bare key id (encryptionKey)',
        attempt: () => {
          const { stack } = producerStack();
          const key = { keyArn: KEY_ID, keyId: KEY_ID, node: stack.node } as unknown as kms.IKey;
          new EncryptedBucket(stack, 'Data', { encryptionKey: key });
        },
        message: /encryptionKey must be a full KMS key ARN \(arn:aws:kms:<region>:<account>:key\/<key-id>\), got "1234abcd-12ab-34cd-56ef-1234567890ab"/,
      },
    ],
  },
  {
    id: 'D04',
    good: [
      {
        what: 'EncryptedBucket shared for WRITE',
        rules: ['DP5'],
        build: () => sharedBucket(AccessLevel.WRITE).app,
        shape: (t) =>
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: {
              Statement: Match.arrayWith([
                Match.objectLike({ Sid: Match.stringLikeRegexp('^PartnerWriteAccountsOn'), Principal: { AWS: '*' }, Action: Match.arrayWith(['kms:GenerateDataKey', 'kms:Decrypt']) }),
              ]),
            },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain bucket shared for s3:PutObject whose key lets the partner only kms:GenerateDataKey* (multipart uploads also need kms:Decrypt)',
        rule: 'DP5',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, bucket, key } = plainBucket();
          bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('incoming/*')] }));
          key.addToResourcePolicy(partnerKeyUse(['kms:GenerateDataKey*']));
          return app;
        },
        explains: /grants account 222222222222 s3:PutObject on .*; the key policy of Producer\/DataKey\/Resource gives account 222222222222 kms:GenerateDataKey\* but no kms:Decrypt/,
      },
      {
        what: 'a plain bucket shared for s3:PutObject whose key lets the partner only kms:Decrypt',
        rule: 'DP5',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, bucket, key } = plainBucket();
          bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], principals: [new iam.AccountPrincipal(PARTNER)], resources: [bucket.arnForObjects('incoming/*')] }));
          key.addToResourcePolicy(partnerKeyUse(['kms:Decrypt']));
          return app;
        },
        explains: /no kms:GenerateDataKey\*/,
      },
      {
        what: 'EncryptedBucket shared for WRITE, kms:Decrypt dropped from the partner key statement by addPropertyOverride',
        rule: 'DP5',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, data } = sharedBucket(AccessLevel.WRITE);
          overrideKeyStatements(data.encryptionKey!, (ss) => editSid(ss, 'PartnerWriteAccountsOn', (s) => ({ ...s, Action: ['kms:GenerateDataKey', 'kms:DescribeKey'] })));
          return app;
        },
        refusedAtSynth: /fails DataProtection-DP5 on the final template.*gives account 222222222222 kms:GenerateDataKey\* but no kms:Decrypt .*\(missing: kms:Decrypt\)/,
      },
    ],
  },
  {
    id: 'D05',
    good: [
      {
        what: 'EncryptedBucket with a Bucket Key shared for READ (the bucket ARN and object ARNs)',
        rules: ['DP5'],
        build: () => sharedBucket().app,
        shape: (t) =>
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Sid: Match.stringLikeRegexp('^PartnerReadAccountsOn'),
                  Condition: Match.objectLike({
                    StringLikeIfExists: {
                      'kms:EncryptionContext:aws:s3:arn': [
                        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp('^:s3:::.*[^*]$')]] },
                        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp('^:s3:::.*/\\*$')]] },
                      ],
                    },
                  }),
                }),
              ]),
            },
          }),
      },
      {
        what: 'EncryptedBucket without a Bucket Key shared for READ (S3 sends object ARNs)',
        rules: ['DP5'],
        build: () => sharedBucket(AccessLevel.READ, { bucketKeyEnabled: false }).app,
        shape: (t) => t().hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: false })] } }),
      },
    ],
    bad: [
      {
        what: 'a plain bucket with a Bucket Key whose key statement admits object ARNs only (S3 sends the bucket ARN)',
        rule: 'DP5',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, bucket, key } = plainBucket();
          grantRead(bucket, new iam.AccountPrincipal(PARTNER));
          key.addToResourcePolicy(partnerKeyUse(['kms:Decrypt'], { StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::data-bucket/*' } }));
          return app;
        },
      },
      {
        what: 'a plain bucket without a Bucket Key whose key statement admits the bucket ARN only (S3 sends object ARNs)',
        rule: 'DP5',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, bucket, key } = plainBucket({ bucketKeyEnabled: false });
          grantRead(bucket, new iam.AccountPrincipal(PARTNER));
          key.addToResourcePolicy(partnerKeyUse(['kms:Decrypt'], { StringEquals: { 'kms:ViaService': S3_VIA, 'kms:CallerAccount': PARTNER, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::data-bucket' } }));
          return app;
        },
      },
      {
        what: 'EncryptedBucket with a Bucket Key shared for READ, its key statement narrowed to object ARNs by addPropertyOverride',
        rule: 'DP5',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, data } = sharedBucket();
          overrideKeyStatements(data.encryptionKey!, (ss) =>
            editSid(ss, 'PartnerReadAccountsOn', (s) => ({
              ...s,
              Condition: { ...s.Condition, StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': s.Condition.StringLikeIfExists['kms:EncryptionContext:aws:s3:arn'].slice(1) } },
            })),
          );
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP5 on the final template/,
      },
    ],
  },
  {
    id: 'D06',
    good: [
      {
        what: 'producer EncryptedBucket in 111111111111 shared with 222222222222, consumer CrossAccountConsumerPolicy in 222222222222, one app',
        rules: ['DP5', 'DP9'],
        build: () => {
          const app = new App();
          const producer = stackIn(app, 'Producer');
          const data = new EncryptedBucket(producer, 'Data', { bucketName: 'producer-exchange' });
          data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
          const consumer = partnerStack(app);
          const role = new iam.Role(consumer, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
          new CrossAccountConsumerPolicy(consumer, 'Access', { bucketArn: data.bucket.bucketArn, keyArn: data.encryptionKey!.keyArn, access: AccessLevel.READ, roles: [role] });
          return app;
        },
        shape: (t) => {
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'PartnerReadAccounts', Principal: { AWS: root(PARTNER) } })]) },
          });
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'kms:CallerAccount': PARTNER }) }) })]) },
          });
          t('Consumer').hasResourceProperties('AWS::IAM::ManagedPolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Sid: 'SharedReadBucketAccessOnProducerexchange', Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::producer-exchange']] }]) }),
                Match.objectLike({ Sid: 'SharedReadKeyUseOnProducerexchange', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${REGION}:${PRODUCER}:key/*`]] } }),
              ]),
            },
          });
        },
      },
    ],
    bad: [
      {
        what: 'a plain producer bucket granting the consumer stack\'s role, the producer key policy naming no partner',
        rule: 'DP5',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const app = new App();
          const producer = stackIn(app, 'Producer');
          const { bucket } = compliantPlainBucket(producer, 'Data', { bucketName: 'producer-exchange' });
          grantRead(bucket, new iam.ArnPrincipal(PARTNER_ROLE));
          const consumer = partnerStack(app);
          new iam.ManagedPolicy(consumer, 'Access', {
            statements: [new iam.PolicyStatement({ actions: ['s3:GetObject', 'kms:Decrypt'], resources: ['arn:aws:s3:::producer-exchange/*', KEY_ARN] })],
          });
          return app;
        },
      },
      {
        what: 'producer EncryptedBucket shared with the consumer account, the partner key statement cut to kms:DescribeKey by addPropertyOverride, consumer stack in the app',
        rule: 'DP5',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const app = new App();
          const producer = stackIn(app, 'Producer');
          const data = new EncryptedBucket(producer, 'Data', { bucketName: 'producer-exchange' });
          data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
          new CrossAccountConsumerPolicy(partnerStack(app), 'Access', { bucketArn: data.bucket.bucketArn, keyArn: data.encryptionKey!.keyArn, access: AccessLevel.READ });
          overrideKeyStatements(data.encryptionKey!, (ss) => editSid(ss, 'PartnerReadAccountsOn', (s) => ({ ...s, Action: 'kms:DescribeKey' })));
          return app;
        },
        refusedAtSynth: /\[Producer\] Producer\/Data\/Bucket\/Resource fails DataProtection-DP5/,
      },
    ],
  },
  {
    id: 'D07',
    good: [
      {
        what: 'EncryptedBucket',
        rules: ['DP2'],
        build: () => {
          const { app, stack } = producerStack();
          new EncryptedBucket(stack, 'Data');
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Sid: 'DenyInsecureTransport',
                  Effect: 'Deny',
                  Principal: { AWS: '*' },
                  Action: 's3:*',
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                  Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DataBucket'), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DataBucket'), 'Arn'] }, '/*']] }],
                }),
              ]),
            },
          }),
      },
      {
        what: 'TlsOnlyBucketPolicy on a plain s3.Bucket',
        rules: ['DP2'],
        build: () => {
          const { app, stack } = producerStack();
          const { bucket } = compliantPlainBucket(stack, 'Plain', { enforceSSL: false, minimumTLSVersion: undefined });
          new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Sid: 'DenyInsecureTransport',
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                  Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Plain'), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Plain'), 'Arn'] }, '/*']] }],
                }),
              ]),
            },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain s3.Bucket without enforceSSL',
        rule: 'DP2',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const { bucket } = compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
          grantRead(bucket, new iam.AccountRootPrincipal()); // a bucket policy, without the deny
          return app;
        },
      },
      ...(['the bucket ARN', 'bucket/*'] as const).map((only) => ({
        what: `a plain s3.Bucket whose secure-transport deny covers ${only} only`,
        rule: 'DP2',
        paths: ['Producer/Data/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const { bucket } = compliantPlainBucket(stack, 'Data', { enforceSSL: false, minimumTLSVersion: undefined });
          bucket.addToResourcePolicy(
            new iam.PolicyStatement({
              effect: iam.Effect.DENY,
              principals: [new iam.AnyPrincipal()],
              actions: ['s3:*'],
              resources: [only === 'bucket/*' ? bucket.arnForObjects('*') : bucket.bucketArn],
              conditions: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          );
          return app;
        },
      })),
      {
        what: 'TlsOnlyBucketPolicy whose secure-transport deny is narrowed to the bucket ARN by addPropertyOverride',
        rule: 'DP2',
        paths: ['Producer/Plain/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const { bucket } = compliantPlainBucket(stack, 'Plain', { enforceSSL: false, minimumTLSVersion: undefined });
          new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
          overrideBucketStatements(bucket, (ss) => editSid(ss, 'DenyInsecureTransport', (s) => ({ ...s, Resource: s.Resource[0] })));
          return app;
        },
        refusedAtSynth: /Producer\/Plain\/Resource fails DataProtection-DP2 on the final template, which TlsOnlyBucketPolicy Producer\/TlsOnly promises/,
      },
    ],
  },
  {
    id: 'D08',
    good: [
      ...[undefined, TlsVersion.TLS_1_3].map((minimumTlsVersion) => ({
        what: `EncryptedBucket with minimumTlsVersion ${minimumTlsVersion ?? 'unset (1.2)'}`,
        rules: ['DP2', 'DP3'],
        build: () => {
          const { app, stack } = producerStack();
          new EncryptedBucket(stack, 'Data', { minimumTlsVersion });
          return app;
        },
        shape: (t: (stackName?: string) => Template) =>
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Sid: 'DenyInsecureTransport' }),
                Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': minimumTlsVersion === TlsVersion.TLS_1_3 ? '1.3' : '1.2' } } }),
              ]),
            },
          }),
      })),
    ],
    bad: [
      ...[1.0, 1.1].map((minimumTLSVersion) => ({
        what: `a plain s3.Bucket with enforceSSL and minimumTLSVersion ${minimumTLSVersion.toFixed(1)}`,
        rule: 'DP3',
        paths: ['Producer/Data/Resource'],
        build: () => plainBucket({ minimumTLSVersion }).app,
      })),
      {
        what: 'a plain s3.Bucket with enforceSSL and the TLS minimum left unset',
        rule: 'DP3',
        paths: ['Producer/Data/Resource'],
        build: () => plainBucket({ minimumTLSVersion: undefined }).app,
      },
      {
        what: 'EncryptedBucket whose TLS 1.2 deny is lowered to 1.0 by addPropertyOverride',
        rule: 'DP3',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          overrideBucketStatements(data.bucket, (ss) => editSid(ss, 'DenyTlsBelow12', (s) => ({ ...s, Condition: { NumericLessThan: { 's3:TlsVersion': '1.0' } } })));
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP3 on the final template, which EncryptedBucket Producer\/Data promises/,
      },
      {
        what: 'a plain s3.Bucket with enforceSSL and minimumTLSVersion 1.4 (above 1.3: every request denied)',
        rule: 'DP3',
        paths: ['Producer/Data/Resource'],
        explains: /no TLS version above 1\.3 exists: every request would be denied/,
        build: () => plainBucket({ minimumTLSVersion: 1.4 }).app,
      },
      {
        what: 'EncryptedBucket whose TLS 1.2 deny is raised to 1.4 by addPropertyOverride',
        rule: 'DP3',
        paths: ['Producer/Data/Bucket/Resource'],
        explains: /DenyTlsBelow12 \(below 1\.4\) of the bucket policy: no TLS version above 1\.3 exists: every request would be denied/,
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          overrideBucketStatements(data.bucket, (ss) => editSid(ss, 'DenyTlsBelow12', (s) => ({ ...s, Condition: { NumericLessThan: { 's3:TlsVersion': '1.4' } } })));
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP3 on the final template, which EncryptedBucket Producer\/Data promises: .*no TLS version above 1\.3 exists: every request would be denied/,
      },
    ],
    refused: [
      ...['1.0', '1.4'].flatMap((v) => [
        {
          what: `EncryptedBucket with minimumTlsVersion ${v}`,
          attempt: () => {
            new EncryptedBucket(producerStack().stack, 'Data', { minimumTlsVersion: v as TlsVersion });
          },
          message: new RegExp(`minimumTlsVersion must be TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3 .*got "${v.replace('.', '\\.')}"`),
        },
        {
          what: `TlsOnlyBucketPolicy with minimumTlsVersion ${v}`,
          attempt: () => {
            const { stack } = producerStack();
            new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket: new s3.Bucket(stack, 'Plain'), minimumTlsVersion: v as TlsVersion });
          },
          message: new RegExp(`minimumTlsVersion must be TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3 .*got "${v.replace('.', '\\.')}"`),
        },
      ]),
    ],
  },
  {
    id: 'D09',
    good: [
      {
        what: 'VpcEndpointAccess on an EncryptedBucket with a named administrator',
        rules: ['DP10'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [data.bucket], administratorArns: [ADMIN_ARN] });
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Sid: DataProtectionStatements.SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS,
                  Effect: 'Deny',
                  Condition: Match.objectLike({
                    ArnNotLike: { 'aws:PrincipalArn': Match.arrayWith([ADMIN_ARN]) },
                    BoolIfExists: Match.objectLike({ 'aws:ViaAWSService': 'false' }),
                  }),
                }),
              ]),
            },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain bucket policy denying s3:* outside a VPC endpoint, nobody exempt',
        rule: 'DP10',
        paths: ['Producer/Data/Policy/Resource'],
        build: () => {
          const { app, bucket } = plainBucket();
          bucket.addToResourcePolicy(
            new iam.PolicyStatement({
              effect: iam.Effect.DENY,
              principals: [new iam.AnyPrincipal()],
              actions: ['s3:*'],
              resources: [bucket.bucketArn, bucket.arnForObjects('*')],
              conditions: { StringNotEquals: { 'aws:SourceVpce': VPCE } },
            }),
          );
          return app;
        },
      },
    ],
    refused: [
      {
        what: 'VpcEndpointAccess with nobody exempt (administrators, administratorArns)',
        attempt: () => {
          const { stack } = producerStack('Lonely', { synthesizer: new CliCredentialsStackSynthesizer() });
          const data = new EncryptedBucket(stack, 'Data');
          new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [data.bucket] });
        },
        message: /would exempt no administrator: administrators and administratorArns are empty/,
      },
    ],
  },
  {
    id: 'D10',
    good: [
      {
        what: 'VpcEndpointAccess restricting direct use of an EncryptedBucket\'s key',
        rules: ['DP10', 'DP11'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [data.bucket], administratorArns: [ADMIN_ARN], restrictDirectKeyUse: true });
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Effect: 'Deny',
                  Condition: Match.objectLike({ StringNotEquals: { 'aws:SourceVpc': Match.anyValue() }, BoolIfExists: Match.objectLike({ 'aws:ViaAWSService': 'false' }), Null: { 'kms:ViaService': 'true' } }),
                }),
              ]),
            },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain key used by a bucket, denying kms:Decrypt outside a VPC endpoint with AWS services not exempt',
        rule: 'DP11',
        paths: ['Producer/DataKey/Resource'],
        build: () => {
          const { app, key } = plainBucket();
          key.addToResourcePolicy(
            new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringNotEquals: { 'aws:SourceVpce': VPCE } } }),
          );
          return app;
        },
      },
      {
        what: 'a plain key used by a bucket, allowing the partner only from a VPC',
        rule: 'DP11',
        paths: ['Producer/DataKey/Resource'],
        build: () => {
          const { app, key } = plainBucket();
          key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], principals: [new iam.AccountPrincipal(PARTNER)], resources: ['*'], conditions: { StringEquals: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } } }));
          return app;
        },
      },
      {
        what: 'EncryptedBucket whose key gets a VPC-endpoint Deny without the AWS-service exemption',
        rule: 'DP11',
        paths: ['Producer/Data/Key/Key/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          data.encryptionKey!.addToResourcePolicy(
            new iam.PolicyStatement({
              sid: 'DenyOutsideVpce',
              effect: iam.Effect.DENY,
              principals: [new iam.AnyPrincipal()],
              actions: ['kms:Decrypt'],
              resources: ['*'],
              conditions: { StringNotEquals: { 'aws:SourceVpce': VPCE } },
            }),
          );
          return app;
        },
        refusedAtSynth: /The key policy of Producer\/Data\/Key has statement DenyOutsideVpce that denies on aws:sourcevpce without exempting calls made through AWS services: every SSE-KMS read and write through S3 would be denied/,
      },
      {
        what: 'EncryptedBucket under a key of the app that denies outside a VPC endpoint (encryptionKey)',
        rule: 'DP11',
        paths: ['Producer/OwnKey/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
          key.addToResourcePolicy(
            new iam.PolicyStatement({ sid: 'DenyOutsideVpce', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['kms:*'], resources: ['*'], conditions: { StringNotEquals: { 'aws:SourceVpce': VPCE } } }),
          );
          new EncryptedBucket(stack, 'Data', { encryptionKey: key });
          return app;
        },
        refusedAtSynth: /The key policy of Producer\/OwnKey has statement DenyOutsideVpce that denies on aws:sourcevpce without exempting calls made through AWS services/,
      },
    ],
  },
  {
    id: 'D11',
    good: [
      {
        what: 'EncryptedBucket (Bucket Key on by default)',
        rules: ['DP7'],
        build: () => {
          const { app, stack } = producerStack();
          new EncryptedBucket(stack, 'Data');
          return app;
        },
        shape: (t) => t().hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] } }),
      },
    ],
    bad: [
      {
        what: 'a plain s3.Bucket under SSE-KMS with bucketKeyEnabled false',
        rule: 'DP7',
        paths: ['Producer/Data/Resource'],
        build: () => plainBucket({ bucketKeyEnabled: false }).app,
      },
      {
        what: 'EncryptedBucket whose Bucket Key an Aspect turns off (the props did not choose it)',
        rule: 'DP7',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          new EncryptedBucket(stack, 'Data');
          Aspects.of(stack).add({
            visit(node: IConstruct) {
              if (node instanceof s3.CfnBucket && node.node.path === 'Producer/Data/Bucket/Resource') {
                node.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BucketKeyEnabled', false);
              }
            },
          } as IAspect);
          // Aspects run at synthesis: synthesize once (the construct refuses, see below) so that the pack reads the tree after them.
          synthError(app);
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP7 on the final template/,
      },
    ],
  },
  {
    id: 'D12',
    good: [
      {
        what: 'CrossAccountSharedKey shared with a partner',
        rules: ['DP12'],
        build: () => {
          const { app, stack } = producerStack();
          new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowAccountIamPolicies', Effect: 'Allow', Principal: { AWS: root(PRODUCER) }, Action: 'kms:*', Condition: Match.absent() })]) },
            BypassPolicyLockoutSafetyCheck: Match.absent(),
          }),
      },
    ],
    bad: [
      {
        what: 'a raw key policy that keeps only a partner statement',
        rule: 'DP12',
        paths: ['Producer/Key'],
        build: () =>
          rawKey([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } }]),
      },
      {
        what: 'CrossAccountSharedKey shared with a partner, its key policy cut to the partner statement by addPropertyOverride',
        rule: 'DP12',
        paths: ['Producer/Key/Key/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
          overrideKeyStatements(key.key, (ss) => ss.filter((s) => String(s.Sid).startsWith('PartnerRead')));
          return app;
        },
        refusedAtSynth: /Producer\/Key\/Key\/Resource fails DataProtection-DP12 on the final template, which CrossAccountSharedKey Producer\/Key promises: .*has no administrator statement \(1 statement\(s\)/,
      },
      ...LOCKOUTS.flatMap((l) => [
        {
          what: `a raw key policy whose administrator statement is ${l.what}`,
          rule: 'DP12',
          paths: ['Producer/Key'],
          explains: l.explains,
          build: () => rawKey(l.edit(ACCOUNT_ADMIN)),
        },
        {
          what: `CrossAccountSharedKey whose AllowAccountIamPolicies statement is, by addPropertyOverride, ${l.what}`,
          rule: 'DP12',
          paths: ['Producer/Key/Key/Resource'],
          explains: l.explains,
          build: () => lockedOutSharedKey(l.edit),
          refusedAtSynth: REFUSED_DP12,
        },
      ]),
      {
        what: 'a raw key that keeps its administrator statement but sets BypassPolicyLockoutSafetyCheck',
        rule: 'DP12',
        paths: ['Producer/Key'],
        explains: /The key sets BypassPolicyLockoutSafetyCheck to true/,
        build: () => rawKey([ACCOUNT_ADMIN], { bypassPolicyLockoutSafetyCheck: true }),
      },
      {
        what: 'CrossAccountSharedKey given BypassPolicyLockoutSafetyCheck by addPropertyOverride',
        rule: 'DP12',
        paths: ['Producer/Key/Key/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
          (key.key.node.defaultChild as kms.CfnKey).addPropertyOverride('BypassPolicyLockoutSafetyCheck', true);
          return app;
        },
        refusedAtSynth: /Producer\/Key\/Key\/Resource fails DataProtection-DP12 on the final template, .*The key sets BypassPolicyLockoutSafetyCheck to true/,
      },
    ],
    refused: [
      {
        what: 'CrossAccountSharedKey with a user key policy that keeps only a partner statement (policy)',
        attempt: () => {
          const partnerOnly = DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER)], AccessLevel.READ, { viaServices: [S3_VIA] });
          const onlyPartner = new iam.PolicyDocument({ statements: [partnerOnly] });
          new CrossAccountSharedKey(producerStack().stack, 'Key', { policy: onlyPartner });
        },
        message: /policy has no administrator statement .*KMS lockout/,
      },
      ...LOCKOUTS.map((l) => ({
        what: `CrossAccountSharedKey with a user key policy whose administrator statement is ${l.what} (policy)`,
        attempt: () => {
          new CrossAccountSharedKey(producerStack().stack, 'Key', { policy: iam.PolicyDocument.fromJson({ Statement: l.edit(ACCOUNT_ADMIN) }) });
        },
        message: l.message,
      })),
    ],
  },
  {
    id: 'D13',
    good: [
      {
        what: 'CrossAccountSharedKey shared with 1,800 partner accounts (each named once, in kms:CallerAccount)',
        rules: ['DP13'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new CrossAccountSharedKey(stack, 'Key');
          for (const a of accounts(1800)) key.grantPartner(Partner.account(a), { access: AccessLevel.READ });
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::KMS::Key', {
            KeyPolicy: {
              Statement: Match.arrayWith([
                Match.objectLike({ Sid: 'PartnerReadAccounts', Principal: { AWS: '*' }, Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'kms:CallerAccount': accounts(1800) }) }) }),
              ]),
            },
          }),
      },
      {
        what: 'EncryptedBucket shared with 200 partner accounts',
        rules: ['DP13'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          for (const a of accounts(200)) data.shareWith(Partner.account(a), AccessLevel.READ);
          return app;
        },
        shape: (t) =>
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'PartnerReadAccounts', Principal: { AWS: accounts(200).map(root) } })]) },
          }),
      },
    ],
    bad: [
      {
        what: 'a plain bucket policy with one statement per partner for 200 partner accounts',
        rule: 'DP13',
        paths: ['Producer/Data/Policy/Resource'],
        build: () => {
          const { app, bucket } = plainBucket();
          for (const a of accounts(200)) {
            bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: `Read${a}`, actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], principals: [new iam.AccountPrincipal(a)], resources: [bucket.bucketArn, bucket.arnForObjects('*')] }));
          }
          return app;
        },
      },
      {
        what: 'a raw key policy with one statement per partner for 600 partner accounts',
        rule: 'DP13',
        paths: ['Producer/Key'],
        build: () =>
          rawKey([
            { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PRODUCER}:root` }, Action: 'kms:*', Resource: '*' },
            ...accounts(600).map((a) => ({
              Sid: `Read${a}`,
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${a}:root` },
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:ViaService': S3_VIA, 'kms:CallerAccount': a } },
            })),
          ]),
      },
      {
        what: 'EncryptedBucket shared with 650 partner accounts (the bucket policy over 20,480 bytes; the key policy, 15 bytes a partner, well under its limit)',
        rule: 'DP13',
        paths: ['Producer/Data/Bucket/Policy/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          for (const a of accounts(650)) data.shareWith(Partner.account(a), AccessLevel.READ);
          return app;
        },
        refusedAtSynth: /The bucket policy of Producer\/Data\/Bucket \(650 partner account\(s\) listed.*\) is \d{5} bytes, over the AWS limit of 20480 bytes\. Share with an organization/,
      },
      {
        what: 'CrossAccountSharedKey shared with 2,200 partner accounts (the key policy over 32,768 bytes)',
        rule: 'DP13',
        paths: ['Producer/Key/Key/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const key = new CrossAccountSharedKey(stack, 'Key');
          for (const a of accounts(2200)) key.grantPartner(Partner.account(a), { access: AccessLevel.READ });
          return app;
        },
        refusedAtSynth: /The key policy of Producer\/Key \(2200 partner account\(s\) listed.*\) is \d{5} bytes, over the AWS limit of 32768 bytes\. Share with an organization/,
      },
    ],
  },
  {
    id: 'D14',
    good: [
      {
        what: 'EncryptedBucket (SSE-C blocked and denied)',
        rules: ['DP8'],
        build: () => {
          const { app, stack } = producerStack();
          new EncryptedBucket(stack, 'Data');
          return app;
        },
        shape: (t) => {
          t().hasResourceProperties('AWS::S3::Bucket', {
            BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } })] },
          });
          t().hasResourceProperties('AWS::S3::BucketPolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Sid: 'DenySseCRequests', Effect: 'Deny', Action: 's3:PutObject', Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } } }),
              ]),
            },
          });
        },
      },
    ],
    bad: [
      {
        what: 'a plain s3.Bucket without blockedEncryptionTypes or an SSE-C deny',
        rule: 'DP8',
        paths: ['Producer/Data/Resource'],
        build: () => plainBucket({ blockedEncryptionTypes: undefined }).app,
      },
      {
        what: 'EncryptedBucket whose SSE-C block and SSE-C deny are both removed by overrides',
        rule: 'DP8',
        paths: ['Producer/Data/Bucket/Resource'],
        build: () => {
          const { app, stack } = producerStack();
          const data = new EncryptedBucket(stack, 'Data');
          (data.bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BlockedEncryptionTypes');
          overrideBucketStatements(data.bucket, (ss) => ss.filter((s) => s.Sid !== 'DenySseCRequests'));
          return app;
        },
        refusedAtSynth: /Producer\/Data\/Bucket\/Resource fails DataProtection-DP8 on the final template, which EncryptedBucket Producer\/Data promises/,
      },
    ],
  },
];

// ---------------------------------------------------------------- the tests

const goodRows = CASES.flatMap((c) => c.good.map((g) => [`case ${c.id} agreement: good side: ${g.what} passes ${g.rules.join(', ')}`, g] as const));
const badRows = CASES.flatMap((c) =>
  c.bad.map((b) => [`case ${c.id} agreement: bad side: ${b.what} is flagged DataProtection-${b.rule}${b.refusedAtSynth ? ', and the construct refuses it at synth' : ''}`, b] as const),
);
const refusedRows = CASES.flatMap((c) => (c.refused ?? []).map((r) => [`case ${c.id} agreement: refused input: ${r.what}`, r] as const));

describe('DataProtectionChecks and the constructs', () => {
  describe('agree on every case of ../shared/cases', () => {
    test('every case D01 to D14 has a good side and a bad side', () => {
      expect(CASES.map((c) => c.id)).toEqual(Array.from({ length: 14 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`));
      for (const c of CASES) {
        expect(c.good.length).toBeGreaterThan(0);
        expect(c.bad.length).toBeGreaterThan(0);
      }
    });

    test.each(goodRows)('%s', (_title, good) => {
      const app = good.build();
      expect(findingsOf(app, good.rules)).toEqual([]);
      expect(errorFindings(app)).toEqual([]);
      expect(synthError(app)).toBeUndefined();
      good.shape((stackName = 'Producer') => Template.fromStack(app.node.findChild(stackName) as Stack));
    });

    test.each(badRows)('%s', (_title, bad) => {
      const app = bad.build();
      expect(findingsOf(app, [bad.rule])).toEqual(bad.paths.map((p) => `DataProtection-${bad.rule} ${p}`));
      if (bad.explains) {
        expect(explanation(app, bad.rule, bad.paths[0])).toMatch(bad.explains);
      }
      if (bad.refusedAtSynth) {
        expect(synthError(app)).toMatch(bad.refusedAtSynth);
      }
    });

    test.each(refusedRows)('%s', (_title, refused) => {
      expect(() => refused.attempt()).toThrow(refused.message);
    });
  });

  describe('where a case is allowed on purpose, both warn and neither fails', () => {
    test('case D11 agreement: bucketKeyEnabled: false synthesizes with the construct\'s warning, and the pack reports DP7 at warning level only', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Data', { bucketKeyEnabled: false });
      expect(synthError(app)).toBeUndefined();
      expect(warningIds(stack)).toEqual(['cdk-data-protection:bucketKeyDisabled']);
      expect(packFindings(app)).toEqual(['DataProtection-DP7 Producer/Data/Bucket/Resource']);
      expect(DataProtectionRules.find('DP7').level).toBe(RuleLevel.WARNING);
    });

    test('case D14 agreement: allowSseC: true synthesizes with the construct\'s warning; the pack reports DP8, which the user acknowledges by its id', () => {
      const { app, stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data', { allowSseC: true });
      expect(synthError(app)).toBeUndefined();
      expect(warningIds(stack)).toEqual(['cdk-data-protection:sseCAllowed']);
      expect(packFindings(app)).toEqual(['DataProtection-DP8 Producer/Data/Bucket/Resource']);
      Validations.of(data).acknowledge({ id: 'DataProtection-DP8', reason: 'a legacy uploader sends SSE-C headers' });
      expect(packFindings(app)).toEqual([]);
    });
  });
});
