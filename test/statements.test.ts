import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataProtectionStatements, ServerSideEncryption, TlsVersion } from '../src';
import { KEY_ARN, PRODUCER, producerStack, resolver } from './support';

/** The statement as JSON, with the partition folded in (`arn:aws:...`), as AWS sees it. */
function json(stack: Stack, statement: iam.PolicyStatement): any {
  return resolver({ partial: true }).resolve(stack.resolve(statement.toStatementJson()));
}


describe('DataProtectionStatements', () => {
  const { stack } = producerStack();
  const bucket = s3.Bucket.fromBucketName(stack, 'B', 'data-bucket');
  const key = kms.Key.fromKeyArn(stack, 'K', KEY_ARN);

  describe('usable in any policy', () => {
    test('denyInsecureTransport', () => {
      expect(json(stack, DataProtectionStatements.denyInsecureTransport(bucket))).toEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });

    test.each([
      [TlsVersion.TLS_1_2, 'DenyTlsBelow12', '1.2'],
      [TlsVersion.TLS_1_3, 'DenyTlsBelow13', '1.3'],
    ])('denyOutdatedTls %p', (version, sid, value) => {
      expect(json(stack, DataProtectionStatements.denyOutdatedTls(bucket, version))).toEqual({
        Sid: sid,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'],
        Condition: { NumericLessThan: { 's3:TlsVersion': value } },
      });
      expect(DataProtectionStatements.sidDenyOutdatedTls(version)).toBe(sid);
    });

    test('denySseC matches only requests carrying the SSE-C algorithm header', () => {
      expect(json(stack, DataProtectionStatements.denySseC(bucket))).toMatchObject({
        Sid: 'DenySseCRequests',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::data-bucket/*',
        Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      });
    });

    test.each(Object.values(ServerSideEncryption))('denyUnexpectedEncryption allows only %p when the header is present', (encryption) => {
      expect(json(stack, DataProtectionStatements.denyUnexpectedEncryption(bucket, encryption)).Condition).toEqual({
        Null: { 's3:x-amz-server-side-encryption': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption': encryption },
      });
    });

    test('denyOtherKmsKeys compares the key by full ARN, only when a key is named', () => {
      expect(json(stack, DataProtectionStatements.denyOtherKmsKeys(bucket, key)).Condition).toEqual({
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      });
    });

    test('allowServerAccessLogDelivery admits only S3 logging for one source bucket and account', () => {
      const source = s3.Bucket.fromBucketName(stack, 'Src', 'source-bucket');
      expect(json(stack, DataProtectionStatements.allowServerAccessLogDelivery(bucket, source, 'logs/', PRODUCER))).toEqual({
        Sid: 'AllowServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::data-bucket/logs/*',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
      });
    });

    test('allowKeyAdministration grants management without use', () => {
      const admin = new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/KeyAdmin`);
      const s = json(stack, DataProtectionStatements.allowKeyAdministration([admin]));
      expect(s.Sid).toBe('AllowKeyAdministration');
      expect(s.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Describe*']));
      expect(s.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
      expect(s.Action.some((a: string) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/.test(a))).toBe(false);
    });

    test('every statement has a unique, alphanumeric Sid', () => {
      const source = s3.Bucket.fromBucketName(stack, 'Src2', 'source-bucket');
      const sids = [
        DataProtectionStatements.denyInsecureTransport(bucket),
        DataProtectionStatements.denyOutdatedTls(bucket, TlsVersion.TLS_1_2),
        DataProtectionStatements.denyOutdatedTls(bucket, TlsVersion.TLS_1_3),
        DataProtectionStatements.denySseC(bucket),
        DataProtectionStatements.denyUnexpectedEncryption(bucket, ServerSideEncryption.SSE_KMS),
        DataProtectionStatements.denyOtherKmsKeys(bucket, key),
        DataProtectionStatements.allowServerAccessLogDelivery(bucket, source, '', PRODUCER),
        DataProtectionStatements.allowAccountIamPolicies(),
        DataProtectionStatements.allowKeyAdministration([new iam.AccountRootPrincipal()]),
      ].map((s) => s.sid);
      expect(new Set(sids).size).toBe(sids.length);
      for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
    });
  });
});
