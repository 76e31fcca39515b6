import { App, Aws, CfnOutput, Annotations as CoreAnnotations, Errors, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, ServerSideEncryption } from '../src';
import { accounts, agnosticStack, KEY_ARN, KEY_ID, PARTNER, policyStatements, PRODUCER, producerStack, resolver, root, s3Arn, THIRD, warningIds, warnings } from './support';
import { sharesOf } from '../src/sharing/shares';

const ROLE = `arn:aws:iam::${PARTNER}:role/reader`;

function shared(configure: (b: EncryptedBucket) => void, props: ConstructorParameters<typeof EncryptedBucket>[2] = {}) {
  const { app, stack } = producerStack();
  const bucket = new EncryptedBucket(stack, 'Data', props);
  configure(bucket);
  const template = Template.fromStack(stack);
  return { app, stack, bucket, template };
}

function bucketStatements(template: Template): any[] {
  return policyStatements(template, 'AWS::S3::BucketPolicy', 'DataBucketPolicy');
}

function keyStatements(template: Template): any[] {
  return policyStatements(template, 'AWS::KMS::Key', 'DataKey', 'KeyPolicy');
}

/** The BucketName of the EncryptedBucket `Data`. */
function bucketName(template: Template): string {
  const [id, bucket] = Object.entries(template.findResources('AWS::S3::Bucket')).find(([k]) => k.startsWith('DataBucket')) as [string, any];
  if (typeof bucket.Properties.BucketName !== 'string') throw new Error(`${id} has no concrete BucketName`);
  return bucket.Properties.BucketName;
}

/**
 * A policy value of `template` with its intrinsics replaced by what they deploy as (partition aws), the key of `Data`
 * being {@link KEY_ARN} and its bucket named with 63 characters (the longest name); fails on an intrinsic it cannot resolve.
 */
function deployed(template: Template, value: any): any {
  const physicalId = (id: string) => (id.startsWith('DataKey') ? KEY_ID : id.startsWith('DataBucket') ? 'b'.repeat(63) : undefined);
  return resolver({ template: template.toJSON(), physicalId }).resolve(value);
}


describe('EncryptedBucket sharing', () => {
  describe('shareWith', () => {
    test('case D01: READ writes the bucket side, the key side (ViaService, CallerAccount) and the partner-side IAM policy', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ));
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'PartnerReadAccounts',
              Effect: 'Allow',
              Principal: { AWS: root(PARTNER) },
              Action: Match.arrayWith(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation']),
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: Match.stringLikeRegexp('^PartnerReadAccountsOn'),
              Principal: { AWS: '*' },
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Condition: Match.objectLike({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': PARTNER } }),
            }),
          ]),
        },
      });
      const outputs = template.findOutputs('*');
      const consumer = Object.entries(outputs).find(([id]) => id.startsWith('DataConsumerPolicyRead'));
      expect(consumer).toBeDefined();
      const json = JSON.stringify(consumer![1].Value);
      expect(json).toContain('SharedReadBucketAccess');
      expect(json).toContain('SharedReadKeyUse');
      expect(json).toContain('kms:Decrypt');
      expect(json).toContain('s3.eu-west-1.amazonaws.com');
    });

    test('case D02: a bucket under the AWS-managed key aws/s3 cannot be shared (error names the fix: a customer-managed key)', () => {
      const { stack } = producerStack();
      const awsManaged = kms.Alias.fromAliasName(stack, 'AwsS3', 'alias/aws/s3');
      expect(() => new EncryptedBucket(stack, 'Data', { encryptionKey: awsManaged, partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] })).toThrow(
        /AWS-managed key.*its key policy cannot be changed, so no partner could ever be allowed to decrypt.*Use a customer-managed key/,
      );
    });

    test('case D02: a bucket under SSE-S3 cannot be shared (error names encryption and the fix: a customer-managed key)', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data', { encryption: ServerSideEncryption.SSE_S3 });
      expect(() => bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ)).toThrow(
        /uses encryption ServerSideEncryption.SSE_S3.*no key policy in which a partner's decryption could be granted.*Use a customer-managed key/,
      );
    });

    test('case D04: WRITE grants GenerateDataKey and Decrypt (multipart uploads) on the key, put and multipart on the bucket, and in the partner-side policy', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.WRITE));
      const key = keyStatements(template).find((s) => String(s.Sid).startsWith('PartnerWriteAccountsOn'));
      expect(key.Action).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']));
      const [bucket] = bucketStatements(template).filter((s) => s.Sid === 'PartnerWriteAccounts');
      expect(bucket.Action).toEqual(expect.arrayContaining(['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']));
      const consumer = Object.entries(template.findOutputs('*')).find(([id]) => id.startsWith('DataConsumerPolicyWrite'))!;
      const json = JSON.stringify(consumer[1].Value);
      expect(json).toContain('\\"kms:GenerateDataKey\\",\\"kms:Decrypt\\"');
      expect(json).toContain('s3:AbortMultipartUpload');
    });

    test('a WRITE partner with a prefix gets no s3:ListBucketMultipartUploads (it would list the uploads of the whole bucket), on either side', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.WRITE, { prefix: 'incoming/' }));
      const statements = bucketStatements(template).filter((s) => String(s.Sid).startsWith('PartnerWriteAccounts'));
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Action).not.toContain('s3:ListBucketMultipartUploads');
        expect(s.Action).toEqual(expect.arrayContaining(['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']));
      }
      const consumer = Object.entries(template.findOutputs('*')).find(([id]) => id.startsWith('DataConsumerPolicyWrite'))!;
      expect(JSON.stringify(consumer[1].Value)).not.toContain('ListBucketMultipartUploads');
    });

    test('case D05: with a Bucket Key the key condition accepts the bucket ARN and object ARNs', () => {
      const { template, stack, bucket } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ));
      expect(bucket.bucketKeyEnabled).toBe(true);
      const key = keyStatements(template).find((s) => String(s.Sid).startsWith('PartnerReadAccountsOn'));
      const values = key.Condition.StringLikeIfExists['kms:EncryptionContext:aws:s3:arn'];
      const name = stack.resolve((bucket.bucket.node.defaultChild as s3.CfnBucket).bucketName);
      const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${name}${suffix}`]] });
      expect(values).toEqual([arn(''), arn('/*')]);
      template.hasResourceProperties('AWS::S3::Bucket', { BucketName: name });
    });

    test('the key policy names the bucket by physical name, so the stack has no reference cycle', () => {
      const { template, stack } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ));
      const key = JSON.stringify(keyStatements(template));
      expect(key).not.toContain('Fn::GetAtt');
      expect(key).not.toContain('"Ref":"DataBucket');
      expect(warningIds(stack)).toEqual([]);
    });

    test('a bucket with a bucketName keeps it', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ), { bucketName: 'producer-exchange' });
      template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'producer-exchange' });
    });

    test('named principals: the account is the principal in both policies; the role is an aws:PrincipalArn condition', () => {
      const { template } = shared((b) => b.shareWith(Partner.principals([ROLE]), AccessLevel.READ));
      const [bucket] = bucketStatements(template).filter((s) => s.Sid === 'PartnerReadPrincipals');
      expect(bucket.Principal).toEqual({ AWS: root(PARTNER) });
      expect(bucket.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': ROLE } });
      const key = keyStatements(template).find((s) => String(s.Sid).startsWith('PartnerReadPrincipalsOn'));
      expect(key.Principal).toEqual({ AWS: root(PARTNER) });
      expect(key.Condition.ArnEquals).toEqual({ 'aws:PrincipalArn': ROLE });
    });

    test('an organization: Principal * narrowed by aws:PrincipalOrgID in both policies', () => {
      const { template } = shared((b) => b.shareWith(Partner.organization('o-a1b2c3d4e5'), AccessLevel.READ));
      const [bucket] = bucketStatements(template).filter((s) => s.Sid === 'PartnerReadOrganizations');
      expect(bucket).toMatchObject({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
      const key = keyStatements(template).filter((s) => String(s.Sid).startsWith('PartnerReadOrganizationsOn'));
      expect(key).toHaveLength(1);
      expect(key[0]).toMatchObject({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
    });

    test('an organization share leaves the owner account out of both policies (StringNotEquals aws:PrincipalAccount), with no warning', () => {
      const { stack, template } = shared((b) => b.shareWith(Partner.organization('o-a1b2c3d4e5'), AccessLevel.READ));
      const exclusion = { StringNotEquals: { 'aws:PrincipalAccount': PRODUCER } };
      expect(bucketStatements(template).find((s) => s.Sid === 'PartnerReadOrganizations').Condition).toMatchObject(exclusion);
      expect(keyStatements(template).find((s) => String(s.Sid).startsWith('PartnerReadOrganizationsOn')).Condition).toMatchObject(exclusion);
      expect(warningIds(stack)).not.toContain('cdk-data-protection:organizationIncludesOwnerAccount');
    });

    test('organization paths leave the owner account out too; in an environment-agnostic stack the exclusion is AWS::AccountId', () => {
      const { stack } = agnosticStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      bucket.shareWith(Partner.organizationPaths(['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']), AccessLevel.READ);
      const statements = policyStatements(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'DataBucketPolicy');
      expect(statements.find((s) => s.Sid === 'PartnerReadOrganizationPaths').Condition.StringNotEquals).toEqual({ 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } });
    });

    test('includeOwnerAccount: true drops the exclusion, gets its own Sid (never merged with an excluding share) and the acknowledgeable warning', () => {
      const { stack, template } = shared((b) => {
        b.shareWith(Partner.organization('o-a1b2c3d4e5', { includeOwnerAccount: true }), AccessLevel.READ);
        b.shareWith(Partner.organization('o-ffffffffff'), AccessLevel.READ);
      });
      const including = bucketStatements(template).find((s) => s.Sid === 'PartnerReadOrganizationsWithOwnerAccount');
      expect(including.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
      expect(bucketStatements(template).find((s) => s.Sid === 'PartnerReadOrganizations').Condition.StringEquals).toEqual({ 'aws:PrincipalOrgID': 'o-ffffffffff' });
      expect(keyStatements(template).filter((s) => String(s.Sid).startsWith('PartnerReadOrganizationsWithOwnerAccountOn'))).toHaveLength(1);
      expect(warnings(stack).filter((w) => w.includes('organizationIncludesOwnerAccount'))).toEqual([
        expect.stringContaining('DataProtection-DP17'),
        expect.stringContaining('DataProtection-DP17'),
      ]);
    });

    test('includeOwnerAccount must be a boolean and options an object (error names the option and the value)', () => {
      expect(() => Partner.organization('o-a1b2c3d4e5', { includeOwnerAccount: 'yes' as any })).toThrow(
        /Partner.organization\(organizationId, options\): options.includeOwnerAccount must be true or false, got "yes"/,
      );
      expect(() => Partner.organizationPaths(['o-a1b2c3d4e5/r-ab12/*'], undefined, null as any)).toThrow(/options must be \{ includeOwnerAccount\? \}, got null/);
    });

    test('a prefix limits objects and listing (s3:prefix); the key keeps the bucket scope', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'outgoing/' }));
      const statements = bucketStatements(template).filter((s) => String(s.Sid).startsWith('PartnerReadAccountsPrefix'));
      expect(statements).toHaveLength(2);
      expect(JSON.stringify(statements[0].Resource)).toContain('/outgoing/*');
      expect(statements[0].Action).not.toContain('s3:ListBucket');
      expect(statements[1].Condition.StringLike).toEqual({ 's3:prefix': 'outgoing/*' });
      // The key statement is scoped to the whole bucket (its objects' encryption context), not narrowed to the prefix.
      const key = keyStatements(template).filter((s) => String(s.Sid).startsWith('PartnerReadAccounts'));
      expect(key).toHaveLength(1);
      const name = bucketName(template);
      expect(key[0].Condition.StringLikeIfExists['kms:EncryptionContext:aws:s3:arn']).toEqual([s3Arn(name), s3Arn(`${name}/*`)]);
    });

    test('partners with the same access and prefix are merged into one statement per policy; Sids are unique', () => {
      const { template } = shared((b) => {
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ);
        b.shareWith(Partner.account(THIRD), AccessLevel.READ);
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ);
        b.shareWith(Partner.account(PARTNER), AccessLevel.WRITE, { prefix: 'in/' });
      });
      const bucket = bucketStatements(template);
      const sids = bucket.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      expect(bucket.find((s) => s.Sid === 'PartnerReadAccounts').Principal.AWS).toEqual([root(PARTNER), root(THIRD)]);
      const key = keyStatements(template);
      expect(new Set(key.map((s) => s.Sid)).size).toBe(key.length);
      expect(key.filter((s) => String(s.Sid).startsWith('PartnerReadAccountsOn'))).toHaveLength(1);
    });

    test('the partners prop shares like shareWith, and every share is registered for other constructs', () => {
      const { bucket, template } = shared(() => undefined, {
        partners: [
          { partner: Partner.account(PARTNER), access: AccessLevel.READ },
          { partner: Partner.account(THIRD), access: AccessLevel.WRITE, prefix: 'in/' },
        ],
      });
      expect(bucketStatements(template).map((s) => s.Sid)).toEqual(expect.arrayContaining(['PartnerReadAccounts', expect.stringMatching(/^PartnerWriteAccountsPrefix/)]));
      expect(sharesOf(bucket.bucket).map((s) => [s.partner.accountId, s.access, s.prefix])).toEqual([
        [PARTNER, AccessLevel.READ, undefined],
        [THIRD, AccessLevel.WRITE, 'in/'],
      ]);
    });

    test('the same share made twice (shareWith, or a routed grantRead) is recorded once: one report row', () => {
      const { bucket } = shared((b) => {
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ);
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ);
        b.grantRead(new iam.AccountPrincipal(PARTNER));
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'in/' });
      });
      expect(sharesOf(bucket.bucket).map((s) => [s.partner.accountId, s.access, s.prefix])).toEqual([
        [PARTNER, AccessLevel.READ, undefined],
        [PARTNER, AccessLevel.READ, 'in/'],
      ]);
    });

    test('a CrossAccountSharedKey given as encryptionKey receives the bucket-scoped statement', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Shared');
      const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: key.key, bucketName: 'producer-exchange' });
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      const statements = policyStatements(Template.fromStack(stack), 'AWS::KMS::Key', 'SharedKey', 'KeyPolicy');
      expect(statements.map((s) => s.Sid)).toEqual(['AllowAccountIamPolicies', 'DenyGrantsExceptForAwsResources', expect.stringMatching(/^PartnerReadAccountsOn/)]);
    });

    test('an imported key: the bucket side is applied, the exact key statement is a warning and a stack output', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
      const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: key, bucketName: 'producer-exchange' });
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      const template = Template.fromStack(stack);
      expect(bucketStatements(template).map((s) => s.Sid)).toContain('PartnerReadAccounts');
      const [warning] = warnings(stack).filter((w) => w.includes('cdk-data-protection:importedKeyPolicy'));
      expect(warning).toContain(`encryptionKey is imported (${KEY_ARN})`);
      const json = JSON.parse(/: (\{.*\}) \[ack:/.exec(warning)![1]);
      expect(json).toEqual({
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': PARTNER },
          StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::producer-exchange', 'arn:aws:s3:::producer-exchange/*'] },
        },
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Resource: '*',
        Sid: expect.stringMatching(/^PartnerReadAccountsOn/),
      });
      const outputs = Object.keys(template.findOutputs('*'));
      expect(outputs.some((id) => id.startsWith('DataKeyPolicyStatementPartnerReadAccountsOn'))).toBe(true);
    });

    test('WRITE with Object Ownership other than BucketOwnerEnforced: warning', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      (bucket.bucket.node.defaultChild as s3.CfnBucket).ownershipControls = { rules: [{ objectOwnership: 'ObjectWriter' }] };
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.WRITE);
      Annotations.fromStack(stack).hasWarning('/Producer/Data', Match.stringLikeRegexp('fails DataProtection-DP15 .*grants account 222222222222 s3:PutObject.*; Object Ownership is ObjectWriter.*cdk-data-protection:partnerObjectOwnership'));
    });

    test('READ_WRITE with BucketOwnerEnforced (the default): no warning', () => {
      const { stack } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ_WRITE));
      expect(warningIds(stack)).toEqual([]);
    });

    test('fails if the prefix has a wildcard or a leading slash, and names the value', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      expect(() => bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'in/*' })).toThrow(/prefix must be a non-empty object key prefix .* got "in\/\*"/);
      expect(() => bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: '/in' })).toThrow(/prefix .* got "\/in"/);
    });

    test('fails if the prefix holds a policy variable, quotes, a newline or a question mark, and shows the value', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      for (const [prefix, shown] of [['${aws:username}/', '"\\$\\{aws:username\\}/"'], ['a"b/', '"a\\\\"b/"'], ['a\'b/', '"a\'b/"'], ['a\nb/', '"a\\\\nb/"'], ['a?/', '"a\\?/"']]) {
        expect(() => bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix })).toThrow(
          new RegExp(`prefix must be a non-empty object key prefix without a leading '/', without the wildcards '\\*' and '\\?', policy variables .*quotes or control characters such as newlines .*got ${shown}\\. Example: 'incoming/'`),
        );
      }
    });

    test('fails if the partner is the bucket\'s own account, or named principals of it, and says to use grantRead/grantWrite', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      expect(() => bucket.shareWith(Partner.account(PRODUCER), AccessLevel.READ)).toThrow(
        /partner is account 111111111111, the account that owns Producer\/Data\/Bucket \(111111111111\): a partner share is for other accounts.*Grant principals of the same account with grantRead, grantWrite or grantReadWrite instead/,
      );
      expect(() => bucket.shareWith(Partner.principals([`arn:aws:iam::${PRODUCER}:role/app`]), AccessLevel.WRITE)).toThrow(/partner is arn:aws:iam::111111111111:role\/app \(account 111111111111\), the account that owns/);
      const key = new CrossAccountSharedKey(stack, 'Key');
      expect(() => key.grantPartner(Partner.account(PRODUCER), { access: AccessLevel.READ })).toThrow(/partner is account 111111111111, the account that owns Producer\/Key\/Key .*key.grantDecrypt/);
      // a token account on either side is not checked
      const { stack: agnostic } = agnosticStack();
      expect(() => new EncryptedBucket(agnostic, 'Data').shareWith(Partner.account(PRODUCER), AccessLevel.READ)).not.toThrow();
    });

    test('warns (partnerIsDeployingAccount, acknowledgeable) if the partner is Aws.ACCOUNT_ID or an environment-agnostic stack\'s account: in the owner\'s template that is the owner\'s own account', () => {
      const { stack } = producerStack();
      new EncryptedBucket(stack, 'Data').shareWith(Partner.account(Aws.ACCOUNT_ID), AccessLevel.READ);
      Annotations.fromStack(stack).hasWarning(
        '/Producer/Data',
        Match.stringLikeRegexp('^partner is account .*, the account Producer/Data/Bucket deploys to \\(AWS::AccountId\\): .*Grant principals of the same account with grantRead.*\\[ack: cdk-data-protection:partnerIsDeployingAccount\\]'),
      );
      const { stack: agnostic } = agnosticStack();
      CoreAnnotations.of(agnostic).acknowledgeWarning('cdk-data-protection:partnerIsDeployingAccount', 'a single-account test');
      new CrossAccountSharedKey(agnostic, 'Key').grantPartner(Partner.account(agnostic.account), { access: AccessLevel.READ });
      Annotations.fromStack(agnostic).hasNoWarning('*', Match.stringLikeRegexp('partnerIsDeployingAccount'));
    });

    test('fails if named principals are of another partition than the bucket\'s stack, and names the ARN and the fix', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      expect(() => bucket.shareWith(Partner.principals([`arn:aws-cn:iam::${PARTNER}:role/reader`]), AccessLevel.READ)).toThrow(
        /partner names "arn:aws-cn:iam::222222222222:role\/reader", of partition aws-cn, but Producer\/Data\/Bucket is in partition aws.*Use the principal's ARN in aws/,
      );
    });

    test('fails if partner is not a Partner, or access is not an AccessLevel', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      expect(() => bucket.shareWith({} as Partner, AccessLevel.READ)).toThrow(/partner must be a Partner/);
      expect(() => bucket.shareWith(Partner.account(PARTNER), 'read' as AccessLevel)).toThrow(/access must be AccessLevel.READ.* got "read"/);
    });

    test('fails if a partners entry is not an object', () => {
      const { stack } = producerStack();
      expect(() => new EncryptedBucket(stack, 'Data', { partners: [undefined as any] })).toThrow(/partners\[0\] must be \{ partner, access, prefix\? \}/);
    });
  });

  describe('errors', () => {
    function thrown(f: () => void): Error {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    }

    test('a bad argument is an aws-cdk-lib ValidationError with a stable name, attached to the EncryptedBucket, its message unchanged', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      const e = thrown(() => bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'a*' }));
      expect(Errors.isValidationError(e)).toBe(true);
      expect(e.name).toBe('InvalidSharePrefix');
      expect((e as any).constructPath).toBe('Producer/Data');
      expect(e.message).toMatch(/^prefix must be a non-empty object key prefix .*got "a\*"\. Example: 'incoming\/'/);
      expect(thrown(() => bucket.shareWith(Partner.account(PRODUCER), AccessLevel.READ)).name).toBe('PartnerIsOwnAccount');
    });

    test('an error of one of the partners prop keeps its name, its message prefixed with the share', () => {
      const { stack } = producerStack();
      const e = thrown(() => new EncryptedBucket(stack, 'Data', { partners: [{ partner: Partner.account(PRODUCER), access: AccessLevel.READ }] }));
      expect(e.name).toBe('PartnerIsOwnAccount');
      expect(e.message).toMatch(/^partners\[0\]: partner is account 111111111111, the account that owns Producer\/Data\/Bucket/);
    });

    test('a key in another account than the bucket still refuses a partner of its own account', () => {
      const app = new App();
      const keyStack = new Stack(app, 'Keys', { env: { account: THIRD, region: 'eu-west-1' } });
      const key = new CrossAccountSharedKey(keyStack, 'Key');
      const { stack } = { stack: new Stack(app, 'Producer', { env: { account: PRODUCER, region: 'eu-west-1' } }) };
      const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: key.key });
      expect(() => bucket.shareWith(Partner.account(THIRD), AccessLevel.READ)).toThrow(/^partner is account 333333333333, the account that owns Keys\/Key\/Key \(333333333333\)/);
    });
  });

  describe('stack outputs', () => {
    test('consumerPolicyOutputs: false emits no ConsumerPolicy output', () => {
      const { template } = shared((b) => b.shareWith(Partner.account(PARTNER), AccessLevel.READ), { consumerPolicyOutputs: false });
      expect(Object.keys(template.findOutputs('*')).filter((id) => id.includes('ConsumerPolicy'))).toEqual([]);
    });

    test('fails at synth if the stack has more than 200 outputs, with the count, the limit and the fix', () => {
      const { app, stack } = producerStack();
      for (let j = 0; j < 7; j++) {
        const bucket = new EncryptedBucket(stack, `Data${j}`);
        for (let i = 0; i < 30; i++) {
          bucket.shareWith(Partner.account(PARTNER), AccessLevel.WRITE, { prefix: `p${i}/` });
        }
      }
      expect(() => app.synth()).toThrow(/Stack Producer has 210 outputs, over the CloudFormation limit of 200 per template .*Set consumerPolicyOutputs: false on EncryptedBucket/);
    });

    test('with consumerPolicyOutputs: false, 7 buckets shared under 30 prefixes each synthesize', () => {
      const { app, stack } = producerStack();
      for (let j = 0; j < 7; j++) {
        const bucket = new EncryptedBucket(stack, `Data${j}`, { consumerPolicyOutputs: false });
        for (let i = 0; i < 30; i++) {
          bucket.shareWith(Partner.account(PARTNER), AccessLevel.WRITE, { prefix: `p${i}/` });
        }
      }
      expect(() => app.synth()).not.toThrow();
    });

    test('warns at synth if an output value is over 4,096 bytes (not a documented quota), with the size and the fix', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Data');
      new CfnOutput(stack, 'Big', { value: 'x'.repeat(5000) });
      expect(() => app.synth()).not.toThrow();
      const [warning] = warnings(stack).filter((w) => w.includes('cdk-data-protection:outputValueSize'));
      expect(warning).toMatch(/Output Producer\/Big of stack Producer has a value of about 5000 bytes .*over the 4096 bytes an output value is known to hold safely.*Shorten the value/);
    });
  });

  describe('policy size', () => {
    test('case D13: 300 partner accounts share one bucket; the bucket policy stays under 20,480 bytes', () => {
      const { app, template } = shared((b) => {
        for (const a of accounts(300)) b.shareWith(Partner.account(a), AccessLevel.READ);
      });
      expect(() => app.synth()).not.toThrow();
      const statements = bucketStatements(template);
      const read = statements.filter((s) => s.Sid === 'PartnerReadAccounts');
      expect(read).toHaveLength(1);
      expect(read[0].Principal.AWS).toHaveLength(300);
      // Measured here, independently of the construct: intrinsics resolved to their deployed values.
      const bytes = JSON.stringify({ Version: '2012-10-17', Statement: deployed(template, statements) }).length;
      expect(bytes).toBeGreaterThan(10_000);
      expect(bytes).toBeLessThan(20_480);
    });

    test('case D13: the most READ partner accounts 20,480 bytes hold (33 bytes each, as S3 stores them) synthesize; one more fails with the size, the limit and the ways out', () => {
      const build = (n: number) => {
        const { app, stack } = producerStack();
        const bucket = new EncryptedBucket(stack, 'Data');
        for (const a of accounts(n)) bucket.shareWith(Partner.account(a), AccessLevel.READ);
        return { app, stack };
      };
      // measured here, independently of the construct: the bucket policy with intrinsics resolved to their deployed values
      const bytes = (n: number) => {
        const template = Template.fromStack(build(n).stack);
        const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
        // the bucket's ARN is that of its BucketName, which the template gives
        const name = bucketName(template);
        const physicalId = (id: string) => (id.startsWith('DataKey') ? KEY_ID : id.startsWith('DataBucket') ? name : undefined);
        return JSON.stringify(resolver({ template: template.toJSON(), physicalId }).resolve(policy.Properties.PolicyDocument)).length;
      };
      const perPartner = bytes(3) - bytes(2);
      expect(perPartner).toBe(33); // "arn:aws:iam::222222222222:root"
      const max = 2 + Math.floor((20_480 - bytes(2)) / perPartner);
      expect(max).toBeGreaterThanOrEqual(550);
      expect(() => build(max).app.synth()).not.toThrow();
      let message = '';
      try {
        build(max + 1).app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(
        new RegExp(
          `The bucket policy of Producer/Data/Bucket \\(${max + 1} partner account\\(s\\) listed; unresolved ARNs counted at realistic length\\) is \\d+ bytes, over the AWS limit of 20480 bytes\\. ` +
            'Share with an organization \\(Partner.organization or Partner.organizationPaths\\) instead of listing many accounts, or set sharingMode: SharingMode.ACCESS_POINTS',
        ),
      );
      const size = Number(/ is (\d+) bytes, over/.exec(message)![1]);
      expect(size).toBeGreaterThan(20_480);
      expect(size).toBeLessThanOrEqual(20_480 + perPartner);
    });
  });
});
