import * as fs from 'fs';
import * as path from 'path';
import { Aspects, CfnCondition, Fn, IAspect, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, PrefixMatch, ServerSideEncryption } from '../src';
import { PARTNER, PRODUCER, producerStack, root, THIRD } from './support';

/** Issue 12: every promise holds on the resolved final template, whatever path wrote it. */
function bucketIn() {
  const { app, stack } = producerStack();
  const data = new EncryptedBucket(stack, 'Data');
  return { app, stack, data };
}
const cfnBucket = (d: EncryptedBucket) => d.bucket.node.defaultChild as s3.CfnBucket;
const cfnKey = (d: EncryptedBucket) => d.sharedKey!.key.node.defaultChild as kms.CfnKey;

describe('Every guarantee holds on the final template', () => {
  describe('escape hatches, overrides and Aspects are checked with the pack\'s own rules', () => {
    test('fails if an override switches the bucket to SSE-S3 (DP1)', () => {
      const { app, data } = bucketIn();
      cfnBucket(data).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm', 'AES256');
      expect(() => app.synth()).toThrow(/Producer\/Data\/Bucket\/Resource fails DataProtection-DP1 on the final template, which EncryptedBucket Producer\/Data promises/);
    });

    test('fails if the escape hatch turns key rotation off (DP4)', () => {
      const { app, data } = bucketIn();
      cfnKey(data).enableKeyRotation = false;
      expect(() => app.synth()).toThrow(/Producer\/Data\/Key\/Key\/Resource fails DataProtection-DP4 .*CrossAccountSharedKey Producer\/Data\/Key promises/);
    });

    test('fails if an override sets a rotation period KMS refuses (DP14)', () => {
      const { app, data } = bucketIn();
      cfnKey(data).addPropertyOverride('RotationPeriodInDays', 30);
      expect(() => app.synth()).toThrow(/fails DataProtection-DP14 .*RotationPeriodInDays is 30, outside the 90–2560 days KMS accepts/);
    });

    test('fails if an override empties the bucket policy: no TLS denies (DP2, DP3)', () => {
      const { app, data } = bucketIn();
      (data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement', []);
      expect(() => app.synth()).toThrow(/fails DataProtection-DP2 [\s\S]*fails DataProtection-DP3 /);
    });

    test('fails if an Aspect turns the Bucket Key off (DP7), which the props did not choose', () => {
      const { app, stack } = bucketIn();
      Aspects.of(stack).add({
        visit(n: IConstruct) {
          if (n instanceof s3.CfnBucket && n.node.path === 'Producer/Data/Bucket/Resource') {
            n.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BucketKeyEnabled', false);
          }
        },
      } as IAspect);
      expect(() => app.synth()).toThrow(/fails DataProtection-DP7 /);
    });

    test('fails if an Fn::If wraps a key statement letting another account use the key: both branches are read (DP9)', () => {
      const { app, stack, data } = bucketIn();
      new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('a', 'b') });
      cfnKey(data).addPropertyOverride('KeyPolicy.Statement.5', {
        'Fn::If': ['IsProd', { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${THIRD}:root` }, Action: 'kms:*', Resource: '*' }, { Ref: 'AWS::NoValue' }],
      });
      expect(() => app.synth()).toThrow(/fails DataProtection-DP9 .*account 333333333333/);
    });

    test('fails if the bucket policy is deployed only under a CloudFormation condition: its TLS and SSE-C denies cannot be counted on (DP2, DP3)', () => {
      const { app, stack, data } = bucketIn();
      new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('a', 'b') });
      (data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addOverride('Condition', 'IsProd');
      expect(() => app.synth()).toThrow(/fails DataProtection-DP2 [\s\S]*fails DataProtection-DP3 /);
    });

    test.each([
      ['kms:ViaService under StringNotEquals', { StringNotEquals: { 'kms:ViaService': 'lambda.eu-west-1.amazonaws.com' } }, { AWS: `arn:aws:iam::${THIRD}:root` }],
      ['kms:ViaService under StringEqualsIfExists', { StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, { AWS: `arn:aws:iam::${THIRD}:root` }],
      ['kms:ViaService "*"', { StringLike: { 'kms:ViaService': '*' } }, { AWS: `arn:aws:iam::${THIRD}:root` }],
      ['Principal "*" through S3, narrowed to no account', { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, { AWS: '*' }],
    ])('fails if a key statement is scoped by %s only (DP9)', (_how, condition, principal) => {
      const { app, data } = bucketIn();
      data.sharedKey!.key.addToResourcePolicy(iam.PolicyStatement.fromJson({ Sid: 'Loose', Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*', Condition: condition }));
      expect(() => app.synth()).toThrow(/fails DataProtection-DP9 .*statement Loose/);
    });

    test('a weakening chosen with the props is not a failure (bucketKeyEnabled: false warns instead)', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Data', { bucketKeyEnabled: false });
      expect(() => app.synth()).not.toThrow();
    });

    test('fails if a raw CfnBucketPolicy names the bucket by its literal name (DP16)', () => {
      const { app, stack, data } = bucketIn();
      new s3.CfnBucketPolicy(stack, 'Raw', { bucket: stack.resolve(cfnBucket(data).bucketName), policyDocument: { Statement: [] } });
      expect(() => app.synth()).toThrow(/bucket Producer\/Data\/Bucket has 2 AWS::S3::BucketPolicy resources \(Producer\/Data\/Bucket\/Policy\/Resource, Producer\/Raw\)/);
    });
  });

  describe('the CDK habit: aws-cdk-lib grant* with a principal of another account or Region', () => {
    const reader = 'arn:aws:iam::333333333333:role/reader';
    const bucketPolicy = (t: Template) => (Object.values(t.findResources('AWS::S3::BucketPolicy'))[0] as any).Properties.PolicyDocument.Statement as any[];
    const keyPolicy = (t: Template) => (Object.values(t.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement as any[];

    test('EncryptedBucket.grantRead to a role of another account is written as shareWith: account principal plus aws:PrincipalArn, kms:ViaService, consumer policy, report entry', () => {
      const { app, stack, data } = bucketIn();
      data.grantRead(iam.Role.fromRoleArn(stack, 'Reader', reader));
      const template = Template.fromStack(stack);
      const allow = bucketPolicy(template).find((st) => st.Sid === 'PartnerReadPrincipals');
      expect(allow).toMatchObject({ Principal: { AWS: root(THIRD) }, Condition: { ArnEquals: { 'aws:PrincipalArn': reader } } });
      const key = keyPolicy(template).find((st) => String(st.Sid).startsWith('PartnerReadPrincipalsOn'));
      expect(key.Condition.StringEquals).toMatchObject({ 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': THIRD });
      expect(key.Condition.ArnEquals).toEqual({ 'aws:PrincipalArn': reader });
      expect(keyPolicy(template).filter((st) => JSON.stringify(st.Principal).includes(reader))).toEqual([]);
      template.hasOutput('*', { Description: Match.stringLikeRegexp('IAM policy partners with READ access attach') });
      const report = fs.readFileSync(path.join(app.synth().directory, `${stack.artifactId}.data-protection.md`), 'utf8');
      expect(report).toContain(`${reader} (account ${THIRD})`);
    });

    test('an object key pattern becomes the share prefix; a pattern that is not a prefix followed by * is an error naming shareWith', () => {
      const { stack, data } = bucketIn();
      data.grantWrite(new iam.AccountPrincipal(THIRD), 'incoming/*');
      const writes = bucketPolicy(Template.fromStack(stack)).find((st) => String(st.Sid).startsWith('PartnerWriteAccountsPrefix'));
      expect(JSON.stringify(writes.Resource)).toContain('/incoming/*');
      expect(() => data.grantRead(new iam.AccountPrincipal(THIRD), '*.csv')).toThrow(/objectsKeyPattern "\*\.csv" is not a prefix followed by '\*'.*shareWith\(partner, access, \{ prefix \}\)/);
    });

    test('a role of a consumer stack in another account gets the consumer policy attached, naming the producer bucket and key concretely', () => {
      const { app, stack, data } = bucketIn();
      const consumer = new Stack(app, 'Consumer', { env: { account: THIRD, region: 'eu-west-1' } });
      const role = new iam.Role(consumer, 'Reader', { roleName: 'reader', assumedBy: new iam.AccountRootPrincipal() });
      data.grantRead(role);
      expect(bucketPolicy(Template.fromStack(stack)).find((st) => st.Sid === 'PartnerReadPrincipals').Condition.ArnEquals).toEqual({ 'aws:PrincipalArn': reader });
      const statements = Object.values(Template.fromStack(consumer).findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements.find((st: any) => String(st.Sid).includes('KeyUse')).Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:eu-west-1:${PRODUCER}:key/*`]] });
      const producerBucketName: string = Stack.of(data).resolve(cfnBucket(data).bucketName);
      expect(JSON.stringify(statements)).toContain(`:s3:::${producerBucketName}`);
      expect(() => app.synth()).not.toThrow();
    });

    test('fails if a role of another account has no name the policies could match, naming roleName and shareWith', () => {
      const { app, data } = bucketIn();
      const consumer = new Stack(app, 'Consumer', { env: { account: THIRD, region: 'eu-west-1' } });
      expect(() => data.grantRead(new iam.Role(consumer, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }))).toThrow(
        /grantRead\(grantee\): the grantee Consumer\/Reader is in account 333333333333.*Give the role or user a literal roleName\/userName .*or share with its whole account: shareWith\(Partner.account\('333333333333'\), access\)/,
      );
    });

    test('a role of the same account in another Region gets its own policy on the key\'s Region (never Resource "*"); the L2\'s grant is refused', () => {
      const { app, stack, data } = bucketIn();
      const east = new Stack(app, 'East', { env: { account: PRODUCER, region: 'us-east-1' } });
      const role = new iam.Role(east, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      data.grantRead(role);
      const east1 = JSON.stringify(Template.fromStack(east).toJSON());
      expect(east1).toContain(`:kms:eu-west-1:${PRODUCER}:key/*`);
      expect(east1).toContain('s3.eu-west-1.amazonaws.com');
      expect(east1).not.toMatch(/"Resource":"\*"/);
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('East');
      expect(() => app.synth()).not.toThrow();
      expect(() => data.bucket.grantRead(role)).toThrow(/is in a stack of Region us-east-1, the key in eu-west-1.*every KMS key of the account \(Resource "\*"\)/);
    });

    test('fails if the bucket L2\'s own grantRead reaches another account (the key refuses, naming shareWith)', () => {
      const { stack, data } = bucketIn();
      expect(() => data.bucket.grantRead(iam.Role.fromRoleArn(stack, 'Reader', reader))).toThrow(/is of account 333333333333, not the key's \(111111111111\).*EncryptedBucket.shareWith/);
    });

    test('fails if the key\'s grantDecrypt names another account (naming grantPartner)', () => {
      const { data } = bucketIn();
      expect(() => data.sharedKey!.key.grantDecrypt(new iam.AccountPrincipal(THIRD))).toThrow(/grantDecrypt\(grantee\).*CrossAccountSharedKey.grantPartner/);
    });

    test('fails at synthesis if key.grants writes a cross-account statement anyway (DP9 on the final template)', () => {
      const { app, data } = bucketIn();
      data.sharedKey!.key.grants.decrypt(new iam.AccountPrincipal(THIRD));
      expect(() => app.synth()).toThrow(/fails DataProtection-DP9 .*account 333333333333/);
    });

    test('a grant under an imported key of another account warns (importedKeyPolicy) with the statement its administrators must add', () => {
      const { stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:eu-west-1:${THIRD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`) });
      data.grantRead(new iam.Role(stack, 'Local', { roleName: 'local', assumedBy: new iam.AccountRootPrincipal() }));
      const warning = Annotations.fromStack(stack).findWarning('/Producer/Data', Match.stringLikeRegexp('importedKeyPolicy'));
      expect(warning).toHaveLength(1);
      expect(JSON.stringify(warning[0].entry.data)).toMatch(/belongs to account 333333333333.*allow account 111111111111 in the key policy.*kms:ViaService.*s3.eu-west-1.amazonaws.com.*kms:EncryptionContext:aws:s3:arn/);
    });

    test('an iam.ArnPrincipal of another account is routed too (its account read from the ARN); an STS session ARN is refused naming the role', () => {
      const { stack, data } = bucketIn();
      data.grantRead(new iam.ArnPrincipal(reader));
      expect(bucketPolicy(Template.fromStack(stack)).find((st) => st.Sid === 'PartnerReadPrincipals').Condition.ArnEquals).toEqual({ 'aws:PrincipalArn': reader });
      expect(() => data.grantRead(new iam.ArnPrincipal(`arn:aws:sts::${THIRD}:assumed-role/reader/session`))).toThrow(/is an STS session ARN.*Grant the role: arn:aws:iam::333333333333:role\/<name>/);
    });

    test('fails if the grantee is of another partition (an ARN, or a role of a stack in cn-north-1), as shareWith does', () => {
      const { app, stack, data } = bucketIn();
      expect(() => data.grantRead(iam.Role.fromRoleArn(stack, 'Cn', `arn:aws-cn:iam::${THIRD}:role/reader`))).toThrow(/is in partition aws-cn, Producer\/Data\/Bucket in aws: a policy of one partition never matches/);
      const china = new Stack(app, 'China', { env: { account: THIRD, region: 'cn-north-1' } });
      expect(() => data.grantRead(new iam.Role(china, 'R', { roleName: 'reader', assumedBy: new iam.AccountRootPrincipal() }))).toThrow(/is in partition aws-cn, Producer\/Data\/Bucket in aws/);
    });

    test('fails if an account principal of another account carries conditions, which a partner share cannot carry', () => {
      const { data } = bucketIn();
      expect(() => data.grantRead(new iam.AccountPrincipal(THIRD).withConditions({ StringEquals: { 'aws:PrincipalTag/team': 'x' } }))).toThrow(/carries conditions .*aws:PrincipalTag\/team/);
    });

    test('a role of an environment-agnostic stack gets its own policy naming the bucket by name (no cross-environment reference)', () => {
      const { app, data } = bucketIn();
      const agnostic = new Stack(app, 'Anywhere');
      data.grantRead(new iam.Role(agnostic, 'Reader', { roleName: 'x', assumedBy: new iam.AccountRootPrincipal() }));
      expect(() => app.synth()).not.toThrow();
      Template.fromStack(agnostic).resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    });

    test('under SSE-S3 a role of another Region gets its own statement on the bucket by name', () => {
      const { app, stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data', { encryption: ServerSideEncryption.SSE_S3 });
      const east = new Stack(app, 'East', { env: { account: PRODUCER, region: 'us-east-1' } });
      data.grantRead(new iam.Role(east, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(() => app.synth()).not.toThrow();
      expect(JSON.stringify(Template.fromStack(east).findResources('AWS::IAM::Policy'))).toContain(`:s3:::${Stack.of(data).resolve(cfnBucket(data).bucketName)}/*`);
    });

    test('grantPut to another account is a WRITE share; grantDelete to another account is refused (a share never deletes), same-account deletes as aws-cdk-lib', () => {
      const { stack, data } = bucketIn();
      data.grantPut(new iam.AccountPrincipal(THIRD), 'incoming/*');
      expect(() => data.grantDelete(new iam.AccountPrincipal(THIRD))).toThrow(/grantDelete\(grantee\): .*of account 333333333333.*never deletes/);
      data.grantDelete(new iam.Role(stack, 'Cleaner', { assumedBy: new iam.AccountRootPrincipal() }));
      const template = Template.fromStack(stack);
      expect(bucketPolicy(template).some((st) => String(st.Sid).startsWith('PartnerWriteAccountsPrefix'))).toBe(true);
      expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain('s3:DeleteObject*');
    });

    test('same-account grants keep working as in aws-cdk-lib', () => {
      const { app, stack, data } = bucketIn();
      data.grantReadWrite(new iam.Role(stack, 'Local', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(() => app.synth()).not.toThrow();
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('importedKeyPolicy'))).toEqual([]);
    });
  });

  describe('partner statements as the share wrote them', () => {
    const changed = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('partnerStatementChanged'));

    test('a share left alone gives no warning; the same share widened by overrides warns partnerStatementChanged, on the bucket and on the key', () => {
      const plain = bucketIn();
      plain.data.grantRead(iam.Role.fromRoleArn(plain.stack, 'Reader', `arn:aws:iam::${THIRD}:role/reader`), 'in/*');
      plain.data.shareWith(Partner.organization('o-a1b2c3d4e5'), AccessLevel.READ_WRITE);
      expect(changed(plain.stack)).toEqual([]);

      const { stack, data } = bucketIn();
      data.grantRead(iam.Role.fromRoleArn(stack, 'Reader', `arn:aws:iam::${THIRD}:role/reader`), 'in/*');
      const policy = data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
      const statements = Stack.of(data).resolve(data.bucket.policy!.document.toJSON()).Statement as any[];
      const i = statements.findIndex((st) => String(st.Sid).startsWith('PartnerReadPrincipalsPrefix') && !String(st.Sid).endsWith('List'));
      policy.addPropertyDeletionOverride(`PolicyDocument.Statement.${i}.Condition.ArnEquals`);
      const keyStatements = Stack.of(data).resolve(data.sharedKey!.policy.toJSON()).Statement as any[];
      const k = keyStatements.findIndex((st) => String(st.Sid).startsWith('PartnerReadPrincipalsOn'));
      cfnKey(data).addPropertyDeletionOverride(`KeyPolicy.Statement.${k}.Condition.StringLikeIfExists`);
      const warnings = changed(stack).map((w) => String(w.entry.data));
      expect(warnings).toEqual([
        expect.stringMatching(/The partner statement PartnerReadPrincipalsPrefix\w+ of Producer\/Data\/Bucket is changed in the final template/),
        expect.stringMatching(/The partner statement PartnerReadPrincipalsOn\w+ of Producer\/Data\/Key\/Key is changed in the final template/),
      ]);
    });
  });

  describe('a prefix is a folder', () => {
    test('fails if a share prefix does not end with "/" (prefix "a" would open admin/…)', () => {
      const { data } = bucketIn();
      expect(() => data.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'a' })).toThrow(
        /prefix "a" does not end with '\/': as a folder it would also match .*Use "a\/", or set prefixMatch: PrefixMatch.KEY_NAME/,
      );
      expect(() => data.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'incoming' })).toThrow(/"incoming-private\/…"/);
    });

    test('a raw key-name prefix is allowed when said, and the report says what it matches', () => {
      const { app, stack, data } = bucketIn();
      data.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'a', prefixMatch: PrefixMatch.KEY_NAME });
      data.shareWith(Partner.account(THIRD), AccessLevel.READ, { prefix: 'in/' });
      const dir = app.synth().directory;
      const report = fs.readFileSync(path.join(dir, `${stack.artifactId}.data-protection.md`), 'utf8');
      expect(report).toMatch(/every object whose key starts with a, whatever follows \(a raw key-name prefix, not a folder\)/);
      expect(report).toMatch(/the objects in the folder in\/ only/);
    });
  });

  describe('organization shares exclude the owner account', () => {
    test('the report says the owner account is left out of an organization share, and that it is in when includeOwnerAccount is true', () => {
      const { app, stack, data } = bucketIn();
      data.shareWith(Partner.organization('o-a1b2c3d4e5'), AccessLevel.READ);
      new EncryptedBucket(stack, 'Open').shareWith(Partner.organization('o-a1b2c3d4e5', { includeOwnerAccount: true }), AccessLevel.READ);
      const dir = app.synth().directory;
      const report = fs.readFileSync(path.join(dir, `${stack.artifactId}.data-protection.md`), 'utf8');
      expect(report).toMatch(/principals of the owner account 111111111111 excluded: they have only what their own IAM policies give them \(bucket policy PartnerReadOrganizations, aws:PrincipalAccount\)/);
      expect(report).toMatch(/includes the owner account 111111111111: every principal of it reaches the data through the resource policies alone/);
      expect(report).toMatch(/as their IAM policies say, and, with no IAM policy at all, what the share with organization o-a1b2c3d4e5 \(owner account included\) gives/);
    });

    test.each([
      ['addPropertyDeletionOverride on the bucket policy', (d: EncryptedBucket) => {
        const statements = Stack.of(d).resolve(d.bucket.policy!.document.toJSON()).Statement as any[];
        const i = statements.findIndex((st) => st.Sid === 'PartnerReadOrganizations');
        (d.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyDeletionOverride(`PolicyDocument.Statement.${i}.Condition.StringNotEquals`);
      }],
      ['a raw statement added to the bucket policy', (d: EncryptedBucket) => d.bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'RawOrgRead',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [d.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }))],
    ])('warns (organizationIncludesOwnerAccount, DP17) when %s lets the owner account in', (_how, weaken) => {
      const { stack, data } = bucketIn();
      data.shareWith(Partner.organization('o-a1b2c3d4e5'), AccessLevel.READ);
      weaken(data);
      Annotations.fromStack(stack).hasWarning('/Producer/Data', Match.stringLikeRegexp('DataProtection-DP17.*organizationIncludesOwnerAccount|organizationIncludesOwnerAccount.*DataProtection-DP17'));
    });
  });

  describe('Object Ownership after a WRITE share', () => {
    test.each([
      ['an escape hatch', (d: EncryptedBucket) => { cfnBucket(d).ownershipControls = { rules: [{ objectOwnership: 'ObjectWriter' }] }; }],
      ['addPropertyOverride', (d: EncryptedBucket) => cfnBucket(d).addPropertyOverride('OwnershipControls.Rules.0.ObjectOwnership', 'ObjectWriter')],
    ])('warns (partnerObjectOwnership, DP15) when %s sets ObjectWriter after the share', (_how, weaken) => {
      const { stack, data } = bucketIn();
      data.shareWith(Partner.account(PARTNER), AccessLevel.WRITE);
      weaken(data);
      Annotations.fromStack(stack).hasWarning('/Producer/Data', Match.stringLikeRegexp('DP15 .*Object Ownership is ObjectWriter.*cdk-data-protection:partnerObjectOwnership'));
    });

    test('an Aspect that sets ObjectWriter is warned about too', () => {
      const { stack, data } = bucketIn();
      data.shareWith(Partner.account(PARTNER), AccessLevel.READ_WRITE);
      Aspects.of(stack).add({ visit: (n: IConstruct) => { if (n instanceof s3.CfnBucket && n.node.path.startsWith('Producer/Data/Bucket')) n.ownershipControls = { rules: [{ objectOwnership: 'ObjectWriter' }] }; } });
      Annotations.fromStack(stack).hasWarning('/Producer/Data', Match.stringLikeRegexp('DP15 '));
    });
  });

  describe('tokens resolved at synthesis are checked again', () => {
    test.each([
      ['a partner account that resolves to "*"', () => Partner.account(Lazy.string({ produce: () => '*' })), undefined, /Partner.account\(accountId\) must be a 12-digit AWS account id/],
      ['a partner account that resolves to the owner account', () => Partner.account(Lazy.string({ produce: () => PRODUCER })), undefined, /partner is account 111111111111, the account that owns/],
      ['an organization that resolves to "*"', () => Partner.organization(Lazy.string({ produce: () => '*' })), undefined, /must be an organization id/],
      ['a prefix that resolves to "*"', () => Partner.account(PARTNER), '*', /prefix must be a non-empty object key prefix .* got "\*"/],
      ['a prefix that resolves without a trailing "/"', () => Partner.account(PARTNER), 'incoming', /prefix "incoming" does not end with '\/'/],
    ])('fails if %s', (_what, partner, prefix, expected) => {
      const { app, data } = bucketIn();
      data.shareWith(partner(), AccessLevel.READ, prefix === undefined ? {} : { prefix: Lazy.string({ produce: () => prefix }) });
      expect(() => app.synth()).toThrow(expected);
    });

    test('fails if a partner token given to CrossAccountSharedKey.grantPartner resolves to the key\'s own account', () => {
      const { app, stack } = producerStack();
      new CrossAccountSharedKey(stack, 'Shared').grantPartner(Partner.account(Lazy.string({ produce: () => PRODUCER })), { access: AccessLevel.READ });
      expect(() => app.synth()).toThrow(/Producer\/Shared: a value that was a token at construction is refused once resolved at synthesis: partner is account 111111111111, the account that owns/);
    });

    test('a partner token that resolves to a valid account synthesizes', () => {
      const { app, data } = bucketIn();
      data.shareWith(Partner.account(Lazy.string({ produce: () => PARTNER })), AccessLevel.READ);
      expect(() => app.synth()).not.toThrow();
    });

    test('fails if a key description is over the 8,192 characters KMS accepts, given or resolved from a token', () => {
      const { stack } = producerStack();
      expect(() => new CrossAccountSharedKey(stack, 'Key', { description: 'd'.repeat(8193) })).toThrow(/description is 8193 characters, over the 8192 KMS accepts/);
      const { app, stack: other } = producerStack();
      new CrossAccountSharedKey(other, 'Key', { description: Lazy.string({ produce: () => 'd'.repeat(9000) }) });
      expect(() => app.synth()).toThrow(/a value that was a token at construction is refused once resolved at synthesis: .*description is 9000 characters/);
      const ok = producerStack();
      new CrossAccountSharedKey(ok.stack, 'Key', { description: 'd'.repeat(8192) });
      expect(() => ok.app.synth()).not.toThrow();
    });

    test('fails if a bucket name token resolves to an invalid name', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Named', { bucketName: Lazy.string({ produce: () => 'Bad_Name' }), removalPolicy: RemovalPolicy.RETAIN });
      expect(() => app.synth()).toThrow(/Producer\/Named: a value that was a token at construction is refused once resolved at synthesis: bucketName "Bad_Name" is not a valid S3 bucket name/);
    });
  });
});
