import { Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { AccessLevel, DataProtectionStatements, EncryptedBucket, Partner, PartnerKind } from '../src';
import { agnosticStack, PARTNER, producerStack, root, THIRD } from './support';

const ROLE = `arn:aws:iam::${PARTNER}:role/ingest`;
const VIA = ['s3.eu-west-1.amazonaws.com'];

function keyUse(stack: Stack, partners: Partner[], access: AccessLevel): any {
  return resolved(stack, DataProtectionStatements.allowPartnerKeyUse(partners, access, { viaServices: VIA }));
}

function resolved(stack: Stack, statement: { toStatementJson(): any }): any {
  return stack.resolve(statement.toStatementJson());
}

describe('Partner', () => {
  describe('factories', () => {
    test('account, principals, organization and organization paths carry what they name', () => {
      expect(Partner.account(PARTNER)).toMatchObject({ kind: PartnerKind.ACCOUNT, accountId: PARTNER });
      expect(Partner.principals([ROLE, ROLE])).toMatchObject({ kind: PartnerKind.PRINCIPALS, accountId: PARTNER, principalArns: [ROLE] });
      expect(Partner.organization('o-a1b2c3d4e5')).toMatchObject({ kind: PartnerKind.ORGANIZATION, organizationId: 'o-a1b2c3d4e5' });
      const path = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*';
      expect(Partner.organizationPaths([path])).toMatchObject({ kind: PartnerKind.ORGANIZATION_PATHS, principalOrgPaths: [path] });
    });

    test('fails if an account id is not 12 digits, and names the value', () => {
      expect(() => Partner.account('2222')).toThrow(/Partner.account\(accountId\) must be a 12-digit AWS account id, got "2222"/);
    });

    test('fails if a principal ARN is not an IAM role or user ARN, and names the value', () => {
      expect(() => Partner.principals(['arn:aws:s3:::bucket'])).toThrow(/"arn:aws:s3:::bucket", which is not an IAM role or user ARN/);
    });

    test('fails if a role or user name holds characters IAM does not allow (spaces, ?, *), and names the value', () => {
      for (const arn of [`arn:aws:iam::${PARTNER}:user/a b`, `arn:aws:iam::${PARTNER}:role/a?b`, `arn:aws:iam::${PARTNER}:role/*`, `arn:aws:iam::${PARTNER}:role/team*/ingest`]) {
        expect(() => Partner.principals([arn])).toThrow(
          new RegExp(`has "${arn.replace(/[?*]/g, '\\$&')}", whose name .* holds characters IAM does not allow in role or user names .*no spaces, and no \\* or \\?.*Copy the ARN`),
        );
      }
      expect(Partner.principals([`arn:aws:iam::${PARTNER}:role/service-role/ingest+etl=1,a.b@c_d-e`]).principalArns).toHaveLength(1);
    });

    test('fails if named principals span several partitions', () => {
      expect(() => Partner.principals([ROLE, `arn:aws-cn:iam::${PARTNER}:role/x`])).toThrow(/must name principals of one partition, got partitions aws, aws-cn/);
    });

    test('fails if an organization path is a token and no organization id is given, and says how to fix it', () => {
      const { stack } = producerStack();
      const path = new CfnParameter(stack, 'Path').valueAsString;
      expect(() => Partner.organizationPaths([path])).toThrow(
        /Partner.organizationPaths\(paths\) has a deploy-time value \(a token\) at paths\[0\]: .*S3 Block Public Access treats a bucket policy granting "\*" narrowed only by aws:PrincipalOrgPaths as public.*Partner.organizationPaths\(paths, 'o-a1b2c3d4e5'\)/,
      );
      expect(() => Partner.organizationPaths(['o-a1b2c3d4e5/r-ab12/*'], 'o-zzzzzzzzzz')).toThrow(/path "o-a1b2c3d4e5\/r-ab12\/\*" is not in organization o-zzzzzzzzzz/);
      expect(() => Partner.organizationPaths([path], 'org')).toThrow(/must be given an organization id such as o-a1b2c3d4e5 .* got "org"/);
    });

    test('organization paths given as tokens with their organization id: the policies name the organization (not public for Block Public Access)', () => {
      const { stack } = producerStack();
      const path = new CfnParameter(stack, 'Path').valueAsString;
      const json = keyUse(stack, [Partner.organizationPaths([path], 'o-a1b2c3d4e5')], AccessLevel.READ);
      expect(json.Condition['ForAnyValue:StringLike']).toEqual({ 'aws:PrincipalOrgPaths': { Ref: 'Path' } });
      expect(json.Condition.StringEquals['aws:PrincipalOrgID']).toEqual('o-a1b2c3d4e5');
      const bucket = resolved(stack, DataProtectionStatements.allowPartnerBucketAccess(new s3.Bucket(stack, 'B'), [Partner.organizationPaths([path], 'o-a1b2c3d4e5')], AccessLevel.READ));
      expect(bucket.Principal).toEqual({ AWS: '*' });
      expect(bucket.Condition.StringEquals).toEqual({ 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' });
    });

    test('fails if named principals span several accounts', () => {
      expect(() => Partner.principals([ROLE, `arn:aws:iam::${THIRD}:role/x`])).toThrow(/one account, got accounts 222222222222, 333333333333/);
    });

    test('fails if principals is empty', () => {
      expect(() => Partner.principals([])).toThrow(/needs a non-empty list of IAM role or user ARNs, got \[\]/);
    });

    test('fails if an organization id is malformed, and names the value', () => {
      expect(() => Partner.organization('org-1')).toThrow(/Partner.organization\(organizationId\) must be an organization id .* got "org-1"/);
    });

    test('fails if an organization path is malformed, and names the value', () => {
      expect(() => Partner.organizationPaths(['o-a1b2c3d4e5/ou-1'])).toThrow(/malformed path "o-a1b2c3d4e5\/ou-1"/);
    });

    test('random inputs either make a Partner or throw our Error, never a TypeError', () => {
      const anything = fc.oneof(
        fc.string(),
        fc.stringMatching(/^\d{12}$/),
        fc.constantFrom(ROLE, 'o-a1b2c3d4e5', 'o-a1b2c3d4e5/r-ab12/*', `arn:aws:iam::${PARTNER}:user/x`, ''),
        fc.integer(),
        fc.constant(undefined),
        fc.constant(null),
        fc.object(),
      );
      const factories: Array<(x: any) => Partner> = [
        (x) => Partner.account(x),
        (x) => Partner.principals(x),
        (x) => Partner.organization(x),
        (x) => Partner.organizationPaths(x),
      ];
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 3 }), fc.oneof(anything, fc.array(anything, { maxLength: 4 })), (i, input) => {
          let made: unknown;
          let thrown: { error: unknown } | undefined;
          try {
            made = factories[i](input);
          } catch (error) {
            thrown = { error };
          }
          if (thrown === undefined) {
            expect(made).toBeInstanceOf(Partner);
          } else {
            expect(thrown.error).toBeInstanceOf(Error);
            expect(thrown.error).not.toBeInstanceOf(TypeError);
            expect(String((thrown.error as Error).message)).toMatch(/^Partner\./);
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('key-policy statement shapes (DataProtectionStatements.allowPartnerKeyUse)', () => {
    test('accounts: any principal, narrowed to the accounts (named once) by kms:CallerAccount, kms:ViaService, READ actions only', () => {
      const { stack } = producerStack();
      const json = keyUse(stack, [Partner.account(PARTNER), Partner.account(THIRD)], AccessLevel.READ);
      expect(json).toEqual({
        Sid: 'PartnerReadAccounts',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': [PARTNER, THIRD] } },
      });
    });

    test('named principals: the ACCOUNT is the principal, the roles are matched by aws:PrincipalArn', () => {
      const { stack } = producerStack();
      const json = keyUse(stack, [Partner.principals([ROLE])], AccessLevel.WRITE);
      expect(json.Principal).toEqual({ AWS: root(PARTNER) });
      expect(json.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey']);
      expect(json.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': PARTNER },
        ArnEquals: { 'aws:PrincipalArn': ROLE },
      });
      expect(JSON.stringify(json.Principal)).not.toContain('role/');
    });

    test('organization: any principal narrowed by aws:PrincipalOrgID, READ_WRITE has both action sets', () => {
      const { stack } = producerStack();
      const json = keyUse(stack, [Partner.organization('o-a1b2c3d4e5')], AccessLevel.READ_WRITE);
      expect(json.Principal).toEqual({ AWS: '*' });
      expect(json.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey']);
      expect(json.Condition.StringEquals).toEqual({ 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' });
    });

    test('organization paths: aws:PrincipalOrgPaths, and the organization id too', () => {
      const { stack } = producerStack();
      const path = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*';
      const json = keyUse(stack, [Partner.organizationPaths([path])], AccessLevel.READ);
      expect(json.Condition['ForAnyValue:StringLike']).toEqual({ 'aws:PrincipalOrgPaths': path });
      expect(json.Condition.StringEquals['aws:PrincipalOrgID']).toEqual('o-a1b2c3d4e5');
    });

    test('bucket scope: kms:EncryptionContext:aws:s3:arn matches the bucket ARN and bucket/*', () => {
      const { stack } = producerStack();
      const json = resolved(
        stack,
        DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER)], AccessLevel.READ, { viaServices: VIA, bucketArn: 'arn:aws:s3:::exchange' }),
      );
      expect(json.Condition.StringLikeIfExists).toEqual({ 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::exchange', 'arn:aws:s3:::exchange/*'] });
    });

    test('fails if partners mix kinds', () => {
      expect(() => DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER), Partner.organization('o-a1b2c3d4e5')], AccessLevel.READ, { viaServices: VIA })).toThrow(
        /partners must all be of one kind .* got ACCOUNT, ORGANIZATION/,
      );
    });

    test('fails if partners is empty', () => {
      expect(() => DataProtectionStatements.allowPartnerKeyUse([], AccessLevel.READ, { viaServices: VIA })).toThrow(/partners needs at least one Partner/);
    });

    test('fails if viaServices is empty', () => {
      expect(() => DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER)], AccessLevel.READ, { viaServices: [] })).toThrow(/viaServices needs at least one/);
    });

    test('fails if access is not an AccessLevel, and names the value', () => {
      expect(() => DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER)], 'ADMIN' as AccessLevel, { viaServices: VIA })).toThrow(
        /access must be AccessLevel.READ, AccessLevel.WRITE or AccessLevel.READ_WRITE, got "ADMIN"/,
      );
    });
  });

  describe('bucket-policy statement shapes (DataProtectionStatements.allowPartnerBucketAccess)', () => {
    function bucket(stack: Stack) {
      return s3.Bucket.fromBucketName(stack, 'B', 'exchange');
    }

    test('READ: get objects and versions, list, location, on the bucket and bucket/*', () => {
      const { stack } = producerStack();
      const json = resolved(stack, DataProtectionStatements.allowPartnerBucketAccess(bucket(stack), [Partner.account(PARTNER)], AccessLevel.READ));
      expect(json).toMatchObject({
        Sid: 'PartnerReadAccounts',
        Principal: { AWS: root(PARTNER) },
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'],
      });
      expect(json.Resource).toHaveLength(2);
      expect(json.Condition).toBeUndefined();
    });

    test('WRITE: put and multipart actions only', () => {
      const { stack } = producerStack();
      const json = resolved(stack, DataProtectionStatements.allowPartnerBucketAccess(bucket(stack), [Partner.account(PARTNER)], AccessLevel.WRITE));
      expect(json.Action).toEqual(['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:GetBucketLocation']);
      expect(json.Action).not.toContain('s3:GetObject');
    });

    test('prefix: objects under the prefix only, no unconditioned listing; listing has its own s3:prefix statement', () => {
      const { stack } = producerStack();
      const b = bucket(stack);
      const json = resolved(stack, DataProtectionStatements.allowPartnerBucketAccess(b, [Partner.account(PARTNER)], AccessLevel.READ, { prefix: 'out/' }));
      expect(json.Sid).toMatch(/^PartnerReadAccountsPrefix[0-9A-F]{8}$/);
      expect(json.Action).not.toContain('s3:ListBucket');
      expect(JSON.stringify(json.Resource)).toContain(':s3:::exchange/out/*');
      const list = resolved(stack, DataProtectionStatements.allowPartnerPrefixListing(b, [Partner.account(PARTNER)], AccessLevel.READ, 'out/'));
      expect(list).toMatchObject({ Sid: `${json.Sid}List`, Action: ['s3:ListBucket', 's3:ListBucketVersions'], Condition: { StringLike: { 's3:prefix': 'out/*' } } });
    });

    test('named principals: account principal and aws:PrincipalArn', () => {
      const { stack } = producerStack();
      const json = resolved(stack, DataProtectionStatements.allowPartnerBucketAccess(bucket(stack), [Partner.principals([ROLE])], AccessLevel.READ));
      expect(json.Principal).toEqual({ AWS: root(PARTNER) });
      expect(json.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': ROLE } });
    });
  });
});

describe('Partner messages', () => {
  test('toString never shows raw token strings', () => {
    const { stack } = agnosticStack();
    expect(Partner.account(stack.account).toString()).toBe('account <deploy-time value>');
    expect(Partner.account('222222222222').toString()).toBe('account 222222222222');
    expect(Partner.organization('o-a1b2c3d4e5').toString()).toBe('organization o-a1b2c3d4e5');
    expect(Partner.principals([ROLE, `arn:aws:iam::${PARTNER}:role/${Aws.STACK_NAME}`]).toString()).toBe(`${ROLE}, <deploy-time value> (account ${PARTNER})`);
    expect(Partner.organizationPaths(['o-a1b2c3d4e5/r-ab12/*', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']).toString()).toBe(
      'organization paths o-a1b2c3d4e5/r-ab12/*, o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*',
    );
  });

  test('fails if a partner was not made by one of its factories, naming them', () => {
    const { stack } = producerStack();
    const forged = Object.create(Partner.prototype) as Partner;
    const bucket = new EncryptedBucket(stack, 'Data');
    expect(() => bucket.shareWith(forged, AccessLevel.READ)).toThrow(
      /^partner must be made with Partner\.account, Partner\.principals, Partner\.organization or Partner\.organizationPaths/,
    );
  });
});
