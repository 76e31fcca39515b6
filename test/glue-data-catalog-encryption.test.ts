import { App, Aspects, Annotations as CoreAnnotations, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { AccessLevel, CrossAccountSharedKey, DataProtectionReport, DataProtectionStatements, GlueDataCatalogEncryption, GlueSecurityConfiguration, Partner } from '../src';
import { findings } from './checks/helpers';
import { KEY_ARN, kmsKeyArn, PARTNER, PRODUCER, producerStack, REGION, stackIn, THIRD } from './support';

function catalogStack() {
  const { app, stack } = producerStack();
  const shared = new CrossAccountSharedKey(stack, 'Shared');
  const catalog = new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: shared.key });
  return { app, stack, shared, catalog };
}

const VIA_GLUE = `glue.${REGION}.amazonaws.com`;

describe('GlueDataCatalogEncryption', () => {
  describe('the encryption settings', () => {
    test('encrypt the catalog of the stack\'s account at rest (SSE-KMS) and the connection passwords under the key', () => {
      const { stack, shared } = catalogStack();
      const keyArn = stack.resolve(shared.key.keyArn);
      Template.fromStack(stack).hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', {
        CatalogId: PRODUCER,
        DataCatalogEncryptionSettings: {
          EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: keyArn },
          ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: true, KmsKeyId: keyArn },
        },
      });
    });

    test('the key policy lets principals of the account use the key through Glue of the Region only', () => {
      const { stack } = catalogStack();
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: DataProtectionStatements.SID_ALLOW_GLUE_CATALOG_KEY_USE,
              Effect: 'Allow',
              Principal: { AWS: stack.resolve(new iam.AccountPrincipal(PRODUCER).arn) },
              Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:ViaService': VIA_GLUE, 'kms:CallerAccount': PRODUCER } },
            },
          ]),
        },
      });
    });

    test('the key statement is added once when a GlueSecurityConfiguration shares the key', () => {
      const { stack, shared } = catalogStack();
      new GlueSecurityConfiguration(stack, 'Jobs', { encryptionKey: shared.key });
      const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
      expect(statements.filter((s: any) => s.Sid === 'AllowGlueDataCatalogKeyUse')).toHaveLength(1);
    });

    test('an imported key: its policy is not changed, a warning names the statement to add', () => {
      const { stack } = producerStack();
      new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN) });
      Annotations.fromStack(stack).hasWarning('/Producer/Catalog', Match.stringLikeRegexp('ask its administrators to add the statement AllowGlueDataCatalogKeyUse'));
    });

    test('an environment-agnostic stack names the account and the Region by tokens', () => {
      const app = new App();
      const stack = new Stack(app, 'Agnostic');
      new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: new CrossAccountSharedKey(stack, 'Shared').key });
      Template.fromStack(stack).hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', { CatalogId: { Ref: 'AWS::AccountId' } });
    });

    test('is a glue.CfnDataCatalogEncryptionSettings under the child id Resource', () => {
      const { catalog, stack } = catalogStack();
      expect(catalog.settings).toBeInstanceOf(glue.CfnDataCatalogEncryptionSettings);
      expect(catalog.settings.node.id).toBe('Resource');
      expect(stack.resolve(catalog.catalogId)).toBe(PRODUCER);
    });
  });

  describe('grantRead and grantReadWrite', () => {
    test('grantRead gives kms:Decrypt on the key through Glue of the Region, for the account only', () => {
      const { stack, shared, catalog } = catalogStack();
      const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
      catalog.grantRead(analyst);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Sid: 'GlueCatalogReadKeyUse',
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: stack.resolve(shared.key.keyArn),
              Condition: { StringEquals: { 'kms:ViaService': VIA_GLUE, 'kms:CallerAccount': PRODUCER } },
            },
          ],
        },
      });
    });

    test('grantReadWrite adds kms:Encrypt and kms:GenerateDataKey', () => {
      const { stack, catalog } = catalogStack();
      const etl = new iam.Role(stack, 'Etl', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      catalog.grantReadWrite(etl);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Sid: 'GlueCatalogReadWriteKeyUse', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] })] },
      });
    });

    test('fails if the grantee is of another account', () => {
      const { catalog } = catalogStack();
      expect(() => catalog.grantRead(new iam.AccountPrincipal(PARTNER))).toThrow(
        /^grantRead\(grantee\) on Producer\/Catalog: the grantee .* is of account 222222222222, outside the catalog's account and Region.*shareWith\(Partner.account/,
      );
    });

    test('fails if the grantee is a role of a stack in another Region', () => {
      const { app, catalog } = catalogStack();
      const other = stackIn(app, 'Virginia', { env: { account: PRODUCER, region: 'us-east-1' } });
      const role = new iam.Role(other, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => catalog.grantReadWrite(role)).toThrow(/^grantReadWrite\(grantee\) on Producer\/Catalog: the grantee .* is in a stack of Region us-east-1/);
    });

    test('fails if the grantee is not a grantable', () => {
      const { catalog } = catalogStack();
      expect(() => catalog.grantRead('arn:aws:iam::111111111111:role/x' as any)).toThrow(/^grantee must be/);
    });
  });

  describe('shareWith', () => {
    test('lets the partner account decrypt through Glue of the Region, under the partner Sid scheme', () => {
      const { stack, catalog } = catalogStack();
      catalog.shareWith(Partner.account(PARTNER));
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'PartnerReadAccountsOnGlueDataCatalog',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: { StringEquals: { 'kms:ViaService': VIA_GLUE, 'kms:CallerAccount': PARTNER } },
            },
          ]),
        },
      });
    });

    test('partners with the same access share one statement; WRITE adds kms:Encrypt and kms:GenerateDataKey', () => {
      const { stack, catalog } = catalogStack();
      catalog.shareWith(Partner.account(PARTNER));
      catalog.shareWith(Partner.account(THIRD));
      catalog.shareWith(Partner.account(THIRD), AccessLevel.WRITE);
      const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
      const read = statements.find((s: any) => s.Sid === 'PartnerReadAccountsOnGlueDataCatalog');
      expect(read.Condition.StringEquals['kms:CallerAccount']).toEqual([PARTNER, THIRD]);
      const write = statements.find((s: any) => s.Sid === 'PartnerWriteAccountsOnGlueDataCatalog');
      expect(write.Action).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
      expect(write.Condition.StringEquals['kms:CallerAccount']).toBe(THIRD);
    });

    test('named principals of a partner account: the account, narrowed to the principals by aws:PrincipalArn', () => {
      const { stack, catalog } = catalogStack();
      catalog.shareWith(Partner.principals([`arn:aws:iam::${PARTNER}:role/analyst`]));
      const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
      const statement = statements.find((s: any) => s.Sid === 'PartnerReadPrincipalsOnGlueDataCatalog');
      expect(statement.Condition).toEqual({
        StringEquals: { 'kms:ViaService': VIA_GLUE, 'kms:CallerAccount': PARTNER },
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${PARTNER}:role/analyst` },
      });
    });

    test('fails if the partner is the catalog\'s own account', () => {
      const { catalog } = catalogStack();
      expect(() => catalog.shareWith(Partner.account(PRODUCER))).toThrow(/^partner is .*111111111111.*the account that owns Producer\/Catalog.*grantRead \/ grantReadWrite instead/);
    });

    test('fails at synthesis if a partner account given as a token resolves to the own account', () => {
      const { app, catalog } = catalogStack();
      catalog.shareWith(Partner.account(Lazy.string({ produce: () => PRODUCER })));
      expect(() => app.synth()).toThrow(/Producer\/Catalog: a value that was a token at construction is refused once resolved at synthesis: partner is/);
    });

    test('fails if partner is not a Partner or access is not an AccessLevel', () => {
      const { catalog } = catalogStack();
      expect(() => catalog.shareWith(PARTNER as any)).toThrow(/^partner must be a Partner \(Partner.account/);
      expect(() => catalog.shareWith(Partner.account(PARTNER), 'admin' as any)).toThrow(/^access must be AccessLevel.READ, AccessLevel.WRITE or AccessLevel.READ_WRITE, got "admin"/);
    });
  });

  describe('one per account and Region', () => {
    test('fails if a second GlueDataCatalogEncryption is made in the same stack', () => {
      const { stack, shared } = catalogStack();
      expect(() => new GlueDataCatalogEncryption(stack, 'Again', { encryptionKey: shared.key })).toThrow(
        /^GlueDataCatalogEncryption Producer\/Again is a second Data Catalog encryption for account 111111111111, Region eu-west-1: Producer\/Catalog already encrypts that catalog\. .*one GlueDataCatalogEncryption per environment/,
      );
    });

    test('the error is DuplicateDataCatalogEncryption', () => {
      const { stack, shared } = catalogStack();
      let error: Error | undefined;
      try {
        new GlueDataCatalogEncryption(stack, 'Again', { encryptionKey: shared.key });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('DuplicateDataCatalogEncryption');
    });

    test('fails if another stack of the app in the same account and Region makes one', () => {
      const { app } = catalogStack();
      const other = stackIn(app, 'Other');
      expect(() => new GlueDataCatalogEncryption(other, 'Catalog', { encryptionKey: new CrossAccountSharedKey(other, 'Key').key })).toThrow(
        /^GlueDataCatalogEncryption Other\/Catalog is a second Data Catalog encryption for account 111111111111, Region eu-west-1: Producer\/Catalog already/,
      );
    });

    test('warns (catalogEncryptionPerEnvironment, acknowledgeable) if another stack whose environment is known only at deployment makes one', () => {
      const app = new App();
      const a = new Stack(app, 'A');
      const b = new Stack(app, 'B');
      new GlueDataCatalogEncryption(a, 'Catalog', { encryptionKey: new CrossAccountSharedKey(a, 'Key').key });
      new GlueDataCatalogEncryption(b, 'Catalog', { encryptionKey: new CrossAccountSharedKey(b, 'Key').key });
      Annotations.fromStack(b).hasWarning(
        '/B/Catalog',
        Match.stringLikeRegexp('^A/Catalog is a GlueDataCatalogEncryption too, in a stack whose account or Region is known only at deployment.*\\[ack: cdk-data-protection:catalogEncryptionPerEnvironment\\]'),
      );
      const c = new Stack(new App(), 'C');
      const d = new Stack(c.node.root as App, 'D');
      CoreAnnotations.of(d).acknowledgeWarning('cdk-data-protection:catalogEncryptionPerEnvironment', 'C and D deploy to different accounts');
      new GlueDataCatalogEncryption(c, 'Catalog', { encryptionKey: new CrossAccountSharedKey(c, 'Key').key });
      new GlueDataCatalogEncryption(d, 'Catalog', { encryptionKey: new CrossAccountSharedKey(d, 'Key').key });
      Annotations.fromStack(d).hasNoWarning('*', Match.stringLikeRegexp('catalogEncryptionPerEnvironment'));
    });

    test('one per Region and per account is fine', () => {
      const { app } = catalogStack();
      const virginia = stackIn(app, 'Virginia', { env: { account: PRODUCER, region: 'us-east-1' } });
      const partner = stackIn(app, 'PartnerSide', { env: { account: PARTNER, region: REGION } });
      new GlueDataCatalogEncryption(virginia, 'Catalog', { encryptionKey: new CrossAccountSharedKey(virginia, 'Key').key });
      new GlueDataCatalogEncryption(partner, 'Catalog', { encryptionKey: new CrossAccountSharedKey(partner, 'Key').key });
      expect(() => app.synth()).not.toThrow();
    });

    test('fails at synthesis if a raw AWS::Glue::DataCatalogEncryptionSettings is in the same stack', () => {
      const { app, stack } = catalogStack();
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Raw', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: kmsKeyArn() } },
      });
      expect(() => app.synth()).toThrow(/Producer\/Raw is a second AWS::Glue::DataCatalogEncryptionSettings for account 111111111111, Region eu-west-1, which GlueDataCatalogEncryption Producer\/Catalog already encrypts.*Remove Producer\/Raw/s);
    });

    test('fails at synthesis if a raw settings resource is in another stack of the same environment, or added by an Aspect', () => {
      const { app, stack } = catalogStack();
      const other = stackIn(app, 'Other');
      class AddSettings implements IAspect {
        private done = false;
        public visit(node: IConstruct): void {
          if (node === other && !this.done) {
            this.done = true;
            new glue.CfnDataCatalogEncryptionSettings(other, 'Late', { catalogId: PRODUCER, dataCatalogEncryptionSettings: {} });
          }
        }
      }
      Aspects.of(other).add(new AddSettings());
      expect(stack).toBeDefined();
      expect(() => app.synth()).toThrow(/Other\/Late is a second AWS::Glue::DataCatalogEncryptionSettings for account 111111111111, Region eu-west-1/);
    });
  });

  describe('the promises of DP27 and DP14', () => {
    test('fail synthesis if an escape hatch turns encryption at rest off', () => {
      const { app, catalog } = catalogStack();
      catalog.settings.addPropertyOverride('DataCatalogEncryptionSettings.EncryptionAtRest.CatalogEncryptionMode', 'DISABLED');
      expect(() => app.synth()).toThrow(/Producer\/Catalog\/Resource fails DataProtection-DP27 on the final template, which GlueDataCatalogEncryption Producer\/Catalog promises.*encryption at rest is off/s);
    });

    test('fail synthesis if an escape hatch drops the connection password key', () => {
      const { app, catalog } = catalogStack();
      catalog.settings.addPropertyDeletionOverride('DataCatalogEncryptionSettings.ConnectionPasswordEncryption.KmsKeyId');
      expect(() => app.synth()).toThrow(/fails DataProtection-DP27 .*connection password encryption uses no key \(KmsKeyId unset\)/s);
    });

    test('fail synthesis if an override gives the key of this app a lifecycle KMS refuses (DP14)', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key });
      (key.node.defaultChild as kms.CfnKey).addPropertyOverride('PendingWindowInDays', 3);
      expect(() => app.synth()).toThrow(/Producer\/Key\/Resource fails DataProtection-DP14 on the final template, which GlueDataCatalogEncryption Producer\/Catalog promises.*PendingWindowInDays is 3/s);
    });
  });

  describe('the pack', () => {
    test('reports nothing on a shared catalog with readers (the partner statements pass the key-policy rules)', () => {
      const { app, stack, catalog } = catalogStack();
      catalog.shareWith(Partner.account(PARTNER));
      catalog.shareWith(Partner.principals([`arn:aws:iam::${THIRD}:role/analyst`]), AccessLevel.READ_WRITE);
      catalog.grantRead(new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() }));
      expect(findings(app)).toEqual([]);
    });
  });

  describe('the report', () => {
    test('lists the catalog settings and a Glue security configuration among the resources using the key', () => {
      const { stack, shared } = catalogStack();
      new GlueSecurityConfiguration(stack, 'Jobs', { encryptionKey: shared.key, securityConfigurationName: 'jobs' });
      const usedBy = DataProtectionReport.of(stack).toJson().keys[0].requestBudget.usedBy.map((u: any) => `${u.kind} ${u.path}`);
      expect(usedBy).toEqual(expect.arrayContaining(['AWS::Glue::DataCatalogEncryptionSettings Producer/Catalog', 'AWS::Glue::SecurityConfiguration Producer/Jobs']));
    });

    test('a partner of the catalog is shown with a grant on the Glue Data Catalog and the IAM policy it needs (the key through Glue, not S3)', () => {
      const { stack, catalog } = catalogStack();
      catalog.shareWith(Partner.account(PARTNER));
      const report = DataProtectionReport.of(stack).toJson();
      const partner = report.partners.find((p: any) => p.accounts.includes(PARTNER));
      expect(partner.grants).toEqual([expect.objectContaining({ access: 'READ', service: 'Glue Data Catalog', bucketArn: null })]);
      expect(partner.iamPolicy.Statement).toEqual([
        expect.objectContaining({
          Sid: 'GlueCatalogReadKeyUse',
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': VIA_GLUE, 'kms:CallerAccount': PARTNER } },
        }),
      ]);
      expect(DataProtectionReport.of(stack).toMarkdown()).toMatch(/- READ on the Glue Data Catalog \(the key through that service only\), key /);
    });

    test('a key used only for connection passwords is listed too', () => {
      const { stack } = producerStack();
      const key = new kms.Key(stack, 'Passwords', { enableKeyRotation: true });
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Raw', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: { connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: key.keyArn } },
      });
      const usedBy = DataProtectionReport.of(stack).toJson().keys[0].requestBudget.usedBy.map((u: any) => `${u.kind} ${u.path}`);
      expect(usedBy).toContain('AWS::Glue::DataCatalogEncryptionSettings Producer/Raw');
    });
  });

  describe('bad input', () => {
    test('fails if encryptionKey is the AWS-managed key alias/aws/glue', () => {
      const { stack } = producerStack();
      expect(() => new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: kms.Alias.fromAliasName(stack, 'A', 'alias/aws/glue') })).toThrow(
        /^encryptionKey is the AWS-managed key alias\/aws\/glue: its key policy cannot be changed, so AWS Glue could not be allowed through its kms:ViaService only.*Pass a customer-managed key/,
      );
    });

    test('fails if encryptionKey is an imported AWS-managed key ARN', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', `arn:aws:kms:${REGION}:${PRODUCER}:alias/aws/glue`);
      expect(() => new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key })).toThrow(/^encryptionKey is the AWS-managed key alias\/aws\/glue/);
    });

    test('fails if encryptionKey is a key of another Region', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1'));
      expect(() => new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key })).toThrow(
        /^encryptionKey arn:aws:kms:us-east-1:111111111111:key\/\S+ is in Region us-east-1, but Producer\/Catalog is in eu-west-1: AWS Glue encrypts only under a key of its own Region. Use a key in eu-west-1/,
      );
    });

    test('fails if encryptionKey is a key of another account', () => {
      const { stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', kmsKeyArn(REGION, PARTNER));
      expect(() => new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key })).toThrow(/^encryptionKey arn:aws:kms:eu-west-1:222222222222:key\/\S+ is a key of account 222222222222/);
    });

    test('fails at synthesis if a token resolves to an AWS-managed key', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => `arn:aws:kms:${REGION}:${PRODUCER}:alias/aws/glue` }));
      new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/Producer\/Catalog: a value that was a token at construction is refused once resolved at synthesis: encryptionKey is the AWS-managed key alias\/aws\/glue/);
    });

    test('fails at synthesis if a token resolves to a key of another Region', () => {
      const { app, stack } = producerStack();
      const key = kms.Key.fromKeyArn(stack, 'K', Lazy.string({ produce: () => kmsKeyArn('us-east-1') }));
      new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key });
      expect(() => app.synth()).toThrow(/refused once resolved at synthesis: encryptionKey arn:aws:kms:us-east-1:\d{12}:key\/\S+ is in Region us-east-1, but Producer\/Catalog is in eu-west-1/);
    });

    test('fails if encryptionKey is missing or not a key, or props are missing', () => {
      const { stack } = producerStack();
      expect(() => new GlueDataCatalogEncryption(stack, 'A', {} as any)).toThrow(/^encryptionKey must be a kms.IKey/);
      expect(() => new GlueDataCatalogEncryption(stack, 'B', { encryptionKey: 'alias/aws/glue' as any })).toThrow(/^encryptionKey must be a kms.IKey, got "alias\/aws\/glue"/);
      expect(() => new GlueDataCatalogEncryption(stack, 'C', undefined as any)).toThrow(/^props must be an object of GlueDataCatalogEncryptionProps/);
    });
  });
});
