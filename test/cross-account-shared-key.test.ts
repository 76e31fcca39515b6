import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, CrossAccountSharedKey, DataProtectionStatements, Partner } from '../src';
import { accounts, agnosticStack, PARTNER, policyStatements, PRODUCER, producerStack, resolver, THIRD } from './support';
import { substituteIntrinsics } from '../src/analysis/size';

function keyStatements(template: Template): any[] {
  return policyStatements(template, 'AWS::KMS::Key', 'Key', 'KeyPolicy');
}

function allow(principal: iam.IPrincipal, actions: string[], extra: Partial<iam.PolicyStatementProps> = {}): iam.PolicyStatement {
  return new iam.PolicyStatement({ principals: [principal], actions, resources: ['*'], ...extra });
}

describe('CrossAccountSharedKey', () => {
  describe('grantPartner', () => {
    test('READ for an account: Decrypt and DescribeKey through S3 of the key\'s Region, by the partner account only (named once, in kms:CallerAccount)', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ });
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectEquals({
              Sid: 'PartnerReadAccounts',
              Effect: 'Allow',
              Principal: { AWS: '*' },
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
      new CrossAccountSharedKey(stack, 'Key', {
        partners: [
          { partner: Partner.account(PARTNER), access: AccessLevel.READ },
          { partner: Partner.account(THIRD), access: AccessLevel.READ },
          { partner: Partner.account(PARTNER), access: AccessLevel.READ },
          { partner: Partner.account(PARTNER), access: AccessLevel.WRITE },
          { partner: Partner.principals([`arn:aws:iam::${THIRD}:role/reader`]), access: AccessLevel.READ },
          { partner: Partner.organization('o-a1b2c3d4e5'), access: AccessLevel.READ },
        ],
      });
      const statements = keyStatements(Template.fromStack(stack));
      const sids = statements.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      expect(sids).toEqual(['AllowAccountIamPolicies', 'DenyGrantsExceptForAwsResources', 'PartnerReadAccounts', 'PartnerWriteAccounts', 'PartnerReadPrincipals', 'PartnerReadOrganizations']);
      const read = statements.find((s) => s.Sid === 'PartnerReadAccounts');
      expect(read.Condition.StringEquals['kms:CallerAccount']).toEqual([PARTNER, THIRD]);
      expect(read.Principal).toEqual({ AWS: '*' });
      // named principals keep their account as the principal, besides aws:PrincipalArn
      const principals = statements.find((s) => s.Sid === 'PartnerReadPrincipals');
      expect(principals.Principal.AWS).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${THIRD}:root`]] });
      expect(principals.Condition.ArnEquals['aws:PrincipalArn']).toBe(`arn:aws:iam::${THIRD}:role/reader`);
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

    test.each([
      ['kms:*', ['kms:*']],
      ['kms:Put*', ['kms:Put*']],
      ['kms:P*', ['kms:P*']],
      ['KMS:PutKeyPolicy (case-insensitive)', ['KMS:PutKeyPolicy']],
      ['*', ['*']],
    ])('case D12: a user key policy whose administrator statement allows %s to the account is accepted', (_, actions) => {
      const { app, stack } = producerStack();
      new CrossAccountSharedKey(stack, 'Key', { policy: new iam.PolicyDocument({ statements: [allow(new iam.AccountPrincipal(PRODUCER), actions)] }) });
      expect(() => app.synth()).not.toThrow();
    });

    test('case D12: a NotAction that leaves kms:PutKeyPolicy in is an administrator statement', () => {
      const { app, stack } = producerStack();
      const statement = new iam.PolicyStatement({ principals: [new iam.AccountPrincipal(PRODUCER)], notActions: ['kms:Decrypt'], resources: ['*'] });
      new CrossAccountSharedKey(stack, 'Key', { policy: new iam.PolicyDocument({ statements: [statement] }) });
      expect(() => app.synth()).not.toThrow();
    });

    test.each([
      ['another account', () => allow(new iam.AccountPrincipal(PARTNER), ['kms:PutKeyPolicy'])],
      ['another account with KMS:PutKeyPolicy', () => allow(new iam.AccountPrincipal(PARTNER), ['KMS:PutKeyPolicy'])],
      ['another account with kms:P*', () => allow(new iam.AccountPrincipal(PARTNER), ['kms:P*'])],
      ['anyone', () => allow(new iam.AnyPrincipal(), ['kms:*'])],
      ['a service', () => allow(new iam.ServicePrincipal('lambda.amazonaws.com'), ['kms:*'])],
      ['the account, but only kms:Decrypt', () => allow(new iam.AccountPrincipal(PRODUCER), ['kms:Decrypt'])],
      ['the account, on another resource', () => allow(new iam.AccountPrincipal(PRODUCER), ['kms:*'], { resources: ['arn:aws:kms:eu-west-1:111111111111:key/other'] })],
      ['the account, under a condition', () => allow(new iam.AccountPrincipal(PRODUCER), ['kms:*'], { conditions: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })],
    ])('case D12: fails if the user key policy\'s only kms:PutKeyPolicy statement is for %s', (_, statement) => {
      const { stack } = producerStack();
      expect(() => new CrossAccountSharedKey(stack, 'Key', { policy: new iam.PolicyDocument({ statements: [statement()] }) })).toThrow(
        /policy has no administrator statement \(1 statement\(s\), none an unconditioned Allow of kms:PutKeyPolicy, kms:\* or kms:Put\* to this account or its named principals\).*KMS lockout.*Keep a statement that lets your account or named administrators manage the key/,
      );
    });

    test.each([
      ['another account', new iam.AccountPrincipal(PARTNER), /account 222222222222/],
      ['anyone', new iam.AnyPrincipal(), /to \*:/],
    ])('case D12: fails if the user key policy allows kms:PutKeyPolicy to %s (a partner could take the key over)', (_, principal, who) => {
      const policy = new iam.PolicyDocument({ statements: [allow(new iam.AccountPrincipal(PRODUCER), ['kms:*']), allow(principal, ['kms:*'], { sid: 'Outsider' })] });
      const attempt = () => new CrossAccountSharedKey(producerStack().stack, 'Key', { policy });
      expect(attempt).toThrow(/policy has statement Outsider that allows "kms:\*" \(which includes kms:PutKeyPolicy\) to /);
      expect(attempt).toThrow(who);
      expect(attempt).toThrow(/could rewrite the key policy and take the key over\. Grant partners only the actions they use/);
    });

    test('case D12: fails if a Deny added later takes kms:PutKeyPolicy from every administrator', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'DenyAll', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['kms:*'], resources: ['*'] }));
      expect(() => app.synth()).toThrow(
        /Producer\/Key\/Key\/Resource fails DataProtection-DP12 on the final template, which CrossAccountSharedKey Producer\/Key promises: .*The key policy denies kms:PutKeyPolicy to every administrator \(Deny statement\(s\) DenyAll override the administrator statement\(s\) AllowAccountIamPolicies\)/,
      );
    });

    test('case D12: fails if a user key policy keeps its administrator but denies it kms:PutKeyPolicy', () => {
      const { stack } = producerStack();
      const deny = new iam.PolicyStatement({ sid: 'NoPolicyChanges', effect: iam.Effect.DENY, principals: [new iam.AccountPrincipal(PRODUCER)], actions: ['kms:PutKeyPolicy'], resources: ['*'] });
      const policy = new iam.PolicyDocument({ statements: [allow(new iam.AccountPrincipal(PRODUCER), ['kms:*'], { sid: 'Admin' }), deny] });
      expect(() => new CrossAccountSharedKey(stack, 'Key', { policy })).toThrow(
        /policy denies kms:PutKeyPolicy to every administrator \(Deny statement\(s\) NoPolicyChanges override the administrator statement\(s\) Admin\).*KMS lockout.*Narrow the Deny/,
      );
    });

    test('case D12: a Deny that exempts the administrators, or covers another action, keeps them', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key', { administrators: [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/KeyAdmin`)] });
      key.key.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['kms:ScheduleKeyDeletion'], resources: ['*'] }));
      key.key.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:*'],
          resources: ['*'],
          conditions: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${PRODUCER}:role/KeyAdmin` } },
        }),
      );
      expect(() => app.synth()).not.toThrow();
    });

    test('case D12: fails if an escape hatch empties the key policy', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      (key.key.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement', []);
      expect(() => app.synth()).toThrow(/Producer\/Key\/Key\/Resource fails DataProtection-DP12 on the final template, .*The key policy has no administrator statement \(0 statement\(s\)/);
    });

    test.each([
      ['the L1 property', (cfn: kms.CfnKey) => (cfn.bypassPolicyLockoutSafetyCheck = true)],
      ['a property override', (cfn: kms.CfnKey) => cfn.addPropertyOverride('BypassPolicyLockoutSafetyCheck', true)],
    ])('case D12: fails if bypassPolicyLockoutSafetyCheck is set through %s', (_, set) => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      set(key.key.node.defaultChild as kms.CfnKey);
      expect(() => app.synth()).toThrow(
        /Producer\/Key\/Key\/Resource fails DataProtection-DP12 on the final template, .*The key sets BypassPolicyLockoutSafetyCheck to true: KMS would accept a key policy that locks every administrator out\. Remove it/,
      );
    });
  });

  describe('grants', () => {
    test('CT.KMS.PR.3: every key policy denies kms:CreateGrant unless it is for an AWS resource or made by an AWS service', () => {
      const { stack } = producerStack();
      new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
      const statement = keyStatements(Template.fromStack(stack)).find((s) => s.Sid === 'DenyGrantsExceptForAwsResources');
      // The exact shape the Control Tower guard rule ct-kms-pr-3 accepts.
      expect(statement).toEqual({
        Sid: 'DenyGrantsExceptForAwsResources',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      });
      expect(DataProtectionStatements.denyGrantsExceptForAwsResources().toStatementJson()).toEqual(statement);
    });
  });

  describe('removal policy', () => {
    test('fails if removalPolicy is SNAPSHOT (KMS keys have no snapshots)', () => {
      const { stack } = producerStack();
      expect(() => new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
        /removalPolicy RemovalPolicy.SNAPSHOT does not apply to KMS keys .*cfn-lint E3035.*use RemovalPolicy.RETAIN \(default\), RETAIN_ON_UPDATE_OR_DELETE or DESTROY/,
      );
    });

    test('fails if the key is given removal policy SNAPSHOT later', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.key.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      expect(() => app.synth()).toThrow(/The key Producer\/Key has removal policy SNAPSHOT \(DeletionPolicy Snapshot, UpdateReplacePolicy Snapshot\): KMS keys have no snapshots .*Use RemovalPolicy.RETAIN/);
    });
  });

  describe('network conditions', () => {
    test('case D10: fails if a Deny added later conditions the key on a VPC endpoint without exempting AWS services', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyOutsideVpce',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
        }),
      );
      expect(() => app.synth()).toThrow(
        /The key policy of Producer\/Key has statement DenyOutsideVpce that denies on aws:sourcevpce without exempting calls made through AWS services: every SSE-KMS read and write through S3 would be denied.*Add BoolIfExists \{ "aws:ViaAWSService": "false" \}/,
      );
    });

    test('case D10: fails if the user key policy allows only from a VPC', () => {
      const { app, stack } = producerStack();
      const onlyFromVpc = allow(new iam.AccountPrincipal(PARTNER), ['kms:Decrypt'], { sid: 'PartnerFromVpc', conditions: { StringEquals: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } } });
      new CrossAccountSharedKey(stack, 'Key', { policy: new iam.PolicyDocument({ statements: [allow(new iam.AccountPrincipal(PRODUCER), ['kms:*']), onlyFromVpc] }) });
      expect(() => app.synth()).toThrow(/statement PartnerFromVpc that allows only on aws:sourcevpc: S3 calls KMS from AWS's own network.*scope the key policy with kms:ViaService instead/);
    });

    test('case D10: a network Deny that exempts calls through AWS services is accepted', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.key.addToResourcePolicy(DataProtectionStatements.denyDirectKeyUseOutsideVpcs(['vpc-0123456789abcdef0'], [`arn:aws:iam::${PRODUCER}:role/Admin`]));
      expect(() => app.synth()).not.toThrow();
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
      expect(statements.map((s) => s.Sid)).toEqual(['AllowAccountIamPolicies', 'DenyGrantsExceptForAwsResources', 'PartnerReadAccounts']);
      expect(statements[2].Condition.StringEquals['kms:CallerAccount']).toHaveLength(600);
      // measured here, independently of the construct: intrinsics resolved to their deployed values
      const bytes = JSON.stringify(resolver().resolve(statements)).length;
      expect(bytes).toBeLessThan(32_768);
    });

    test('case D13: the most READ partner accounts 32,768 bytes hold (15 bytes each, at least 1,800) synthesize; one more fails with the size, the limit and the ways out', () => {
      const build = (n: number) => {
        const { app, stack } = producerStack();
        const key = new CrossAccountSharedKey(stack, 'Key');
        for (const a of accounts(n)) key.grantPartner(Partner.account(a), { access: AccessLevel.READ });
        return { app, stack };
      };
      // measured here, independently of the construct: the key policy with intrinsics resolved to their deployed values
      const bytes = (n: number) => {
        const [key] = Object.values(Template.fromStack(build(n).stack).findResources('AWS::KMS::Key')) as any[];
        return JSON.stringify(resolver().resolve(key.Properties.KeyPolicy)).length;
      };
      const perPartner = bytes(3) - bytes(2);
      expect(perPartner).toBe(15); // "222222222222", written once
      const max = 2 + Math.floor((32_768 - bytes(2)) / perPartner);
      expect(max).toBeGreaterThanOrEqual(1_800);
      expect(() => build(max).app.synth()).not.toThrow();
      let message = '';
      try {
        build(max + 1).app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(
        new RegExp(
          `The key policy of Producer/Key \\(${max + 1} partner account\\(s\\) listed; unresolved ARNs counted at realistic length\\) is \\d+ bytes, over the AWS limit of 32768 bytes\\. ` +
            'Share with an organization \\(Partner.organization or Partner.organizationPaths\\) instead of listing many accounts, or spread the partners over several keys',
        ),
      );
      const size = Number(/ is (\d+) bytes, over/.exec(message)![1]);
      expect(size).toBeGreaterThan(32_768);
      expect(size).toBeLessThanOrEqual(32_768 + perPartner);
    });

    test('unresolved ARNs are measured at their deployed length, not as their template form', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Plain');
      const value = substituteIntrinsics(stack, {
        a: stack.resolve(key.keyArn),
        b: stack.resolve(bucket.arnForObjects('*')),
        c: { Ref: 'AWS::Region' },
      }) as any;
      expect(value.a).toMatch(/^arn:aws:kms:eu-west-1:111111111111:key\/[0-9a-f-]{36}$/);
      // a generated name: <stack>-<logical id>-<unique suffix>, lowercase
      expect(value.b).toMatch(/^arn:aws:s3:::producer-plain[0-9a-f]{8}-[a-z0-9]{12}\/\*$/);
      expect(value.c).toBe('eu-west-1');
    });
  });
});
