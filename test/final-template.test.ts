import * as fs from 'fs';
import * as path from 'path';
import { Aspects, IAspect, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, PrefixMatch } from '../src';
import { PARTNER, PRODUCER, producerStack, THIRD } from './support';

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

  describe('the CDK habit: aws-cdk-lib grant* with a principal of another account', () => {
    const reader = 'arn:aws:iam::333333333333:role/reader';

    test('fails if EncryptedBucket.grantRead reaches another account: the key statement has no kms:ViaService (DP9)', () => {
      const { app, stack, data } = bucketIn();
      data.grantRead(iam.Role.fromRoleArn(stack, 'Reader', reader));
      expect(() => app.synth()).toThrow(/Producer\/Data\/Key\/Key\/Resource fails DataProtection-DP9 .*account 333333333333.*shareWith/);
    });

    test('fails if the bucket L2\'s own grantRead reaches another account', () => {
      const { app, stack, data } = bucketIn();
      data.bucket.grantRead(iam.Role.fromRoleArn(stack, 'Reader', reader));
      expect(() => app.synth()).toThrow(/fails DataProtection-DP9 .*account 333333333333/);
    });

    test('fails if the key\'s grantDecrypt names another account', () => {
      const { app, data } = bucketIn();
      data.sharedKey!.key.grantDecrypt(new iam.AccountPrincipal(THIRD));
      expect(() => app.synth()).toThrow(/fails DataProtection-DP9 .*account 333333333333/);
    });

    test('same-account grants keep working as in aws-cdk-lib', () => {
      const { app, stack, data } = bucketIn();
      data.grantReadWrite(new iam.Role(stack, 'Local', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(() => app.synth()).not.toThrow();
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

    test('fails if a bucket name token resolves to an invalid name', () => {
      const { app, stack } = producerStack();
      new EncryptedBucket(stack, 'Named', { bucketName: Lazy.string({ produce: () => 'Bad_Name' }), removalPolicy: RemovalPolicy.RETAIN });
      expect(() => app.synth()).toThrow(/Producer\/Named: a value that was a token at construction is refused once resolved at synthesis: bucketName "Bad_Name" is not a valid S3 bucket name/);
    });
  });
});
