import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLevel, CrossAccountConsumerPolicy, CrossAccountSharedKey, DataProtectionReport, DataProtectionStatements, Partner } from '../src';
import { findings } from './checks/helpers';
import { KEY_ARN, PARTNER, PRODUCER, producerStack, THIRD } from './support';

const CSE_ALGORITHMS = ['AES/GCM/NoPadding', '115'];

function keyStatements(stack: any): any[] {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return Object.values(keys).flatMap((k: any) => k.Properties.KeyPolicy.Statement);
}

describe('CrossAccountSharedKey', () => {
  describe('client-side encryption', () => {
    test('grantPartnerClientSideEncryption: kms:GenerateDataKey directly (no kms:ViaService), the caller account and the S3 Encryption Client\'s context', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartnerClientSideEncryption(Partner.account(PARTNER), { access: AccessLevel.WRITE });
      const statement = keyStatements(stack).find((s) => s.Sid === 'ClientSideWriteAccounts');
      expect(statement).toEqual({
        Sid: 'ClientSideWriteAccounts',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${PARTNER}:root`]] } },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:x-amz-cek-alg': CSE_ALGORITHMS, 'kms:CallerAccount': PARTNER } },
      });
      expect(JSON.stringify(statement)).not.toContain('kms:ViaService');
    });

    test('partners of one kind and access share one statement', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartnerClientSideEncryption(Partner.account(PARTNER), { access: AccessLevel.READ });
      key.grantPartnerClientSideEncryption(Partner.account(THIRD), { access: AccessLevel.READ });
      const statements = keyStatements(stack).filter((s) => s.Sid === 'ClientSideReadAccounts');
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:CallerAccount': [PARTNER, THIRD] } } });
    });

    test('grantClientSideEncryption: a role of the key\'s account gets an IAM statement on the key with the client\'s context', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const role = new iam.Role(stack, 'Uploader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      key.grantClientSideEncryption(role, { access: AccessLevel.READ_WRITE });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Sid: Match.stringLikeRegexp('^ClientSideReadWriteKeyUseOn'),
              Effect: 'Allow',
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key[0-9A-F]{8}$'), 'Arn'] },
              Condition: { StringEquals: { 'kms:EncryptionContext:aws:x-amz-cek-alg': CSE_ALGORITHMS } },
            },
          ],
        },
      });
    });

    test('grantClientSideEncryption: a named role of another account becomes a partner of the key policy (aws:PrincipalArn)', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const role = iam.Role.fromRoleArn(stack, 'Partner', `arn:aws:iam::${PARTNER}:role/analytics`);
      key.grantClientSideEncryption(role, { access: AccessLevel.READ });
      const statement = keyStatements(stack).find((s) => /^ClientSideRead/.test(s.Sid));
      expect(statement).toMatchObject({
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:CallerAccount': PARTNER, 'kms:EncryptionContext:aws:x-amz-cek-alg': CSE_ALGORITHMS } },
      });
      expect(JSON.stringify(statement.Condition)).toContain(`arn:aws:iam::${PARTNER}:role/analytics`);
    });

    test('the DataProtection pack accepts the key policy', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartnerClientSideEncryption(Partner.account(PARTNER), { access: AccessLevel.READ_WRITE });
      expect(findings(app)).toEqual([]);
    });

    test('the report lists the grant as client-side encryption, with the partner\'s IAM statement', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.grantPartnerClientSideEncryption(Partner.account(PARTNER), { access: AccessLevel.WRITE });
      const report = DataProtectionReport.of(stack);
      const partner = (report.toJson() as any).partners.find((p: any) => p.accounts.includes(PARTNER));
      expect(partner.grants).toEqual([expect.objectContaining({ access: 'WRITE', encryption: 'CSE', bucket: null })]);
      expect(partner.iamPolicy.Statement).toEqual([expect.objectContaining({ Sid: 'ClientSideWriteKeyUse', Action: 'kms:GenerateDataKey' })]);
      expect(report.toMarkdown()).toMatch(/- WRITE with client-side encryption \(CSE, the S3 Encryption Client calls KMS directly/);
    });

    describe('bad input', () => {
      test('fails if the partner is the key\'s own account', () => {
        const { stack } = producerStack();
        const key = new CrossAccountSharedKey(stack, 'Key');
        expect(() => key.grantPartnerClientSideEncryption(Partner.account(PRODUCER), { access: AccessLevel.READ })).toThrow(/111111111111/);
      });

      test('fails if access is not an AccessLevel', () => {
        const { stack } = producerStack();
        const key = new CrossAccountSharedKey(stack, 'Key');
        expect(() => key.grantPartnerClientSideEncryption(Partner.account(PARTNER), { access: 'DELETE' as any })).toThrow(
          /^access must be AccessLevel.READ, AccessLevel.WRITE or AccessLevel.READ_WRITE, got "DELETE"/,
        );
        expect(() => key.grantClientSideEncryption(new iam.AccountRootPrincipal(), undefined as any)).toThrow(/options must be \{ access \}, got undefined/);
      });
    });
  });
});

describe('CrossAccountConsumerPolicy', () => {
  test('clientSideEncryption: a second key statement calls KMS directly with the client\'s context, no kms:ViaService; the one through S3 stays', () => {
    const json = JSON.parse(CrossAccountConsumerPolicy.policyJson({ bucketArn: 'arn:aws:s3:::producer-exchange', keyArn: KEY_ARN, access: AccessLevel.READ, clientSideEncryption: true }));
    const consumerKeyStatements = json.Statement.filter((s: any) => ([] as string[]).concat(s.Action).some((a: string) => a.startsWith('kms:')));
    expect(consumerKeyStatements.map((s: any) => s.Sid)).toEqual(['SharedReadKeyUseOnProducerexchange', 'ClientSideReadKeyUseOnProducerexchange']);
    expect(consumerKeyStatements[0].Condition.StringEquals['kms:ViaService']).toBe('s3.eu-west-1.amazonaws.com');
    const keyStatement = consumerKeyStatements[1];
    expect(keyStatement).toEqual({
      Sid: 'ClientSideReadKeyUseOnProducerexchange',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:x-amz-cek-alg': CSE_ALGORITHMS } },
    });
  });
});

describe('DataProtectionStatements', () => {
  test('allowClientSideKeyUse writes the partner statement; sidClientSideKeyUse names it', () => {
    const s = DataProtectionStatements.allowClientSideKeyUse([Partner.account(PARTNER)], AccessLevel.READ).toStatementJson();
    expect(s.Sid).toBe(DataProtectionStatements.sidClientSideKeyUse(AccessLevel.READ, Partner.account(PARTNER).kind));
    expect(s.Condition.StringEquals['kms:EncryptionContext:aws:x-amz-cek-alg']).toEqual(CSE_ALGORITHMS);
  });
});
