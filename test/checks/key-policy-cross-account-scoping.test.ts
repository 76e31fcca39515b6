import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey } from '../../src';
import { PARTNER, producerStack } from '../support';

function key(stack: any, statements: unknown[]): kms.CfnKey {
  return new kms.CfnKey(stack, 'Key', {
    enableKeyRotation: true,
    keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }, ...statements] },
  });
}

describe('DataProtectionChecks', () => {
  describe('DP9 cross-account key-policy statements scoped by kms:ViaService', () => {
    test('Noncompliance 1: grantDecrypt to another account', () => {
      const { app, stack } = producerStack();
      new kms.Key(stack, 'Key', { enableKeyRotation: true }).grantDecrypt(new iam.AccountPrincipal(PARTNER));
      expect(reported(app, 'DP9')).toEqual(['Producer/Key/Resource']);
      expect(explanation(app, 'DP9', 'Producer/Key/Resource')).toContain('account 222222222222');
    });

    test('Noncompliance 2: a wildcard narrowed only by aws:PrincipalOrgID', () => {
      const { app, stack } = producerStack();
      key(stack, [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }]);
      expect(reported(app, 'DP9')).toEqual(['Producer/Key']);
    });

    test('Noncompliance 3: a bare account id allowed kms:*', () => {
      const { app, stack } = producerStack();
      key(stack, [{ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 'kms:*', Resource: '*' }]);
      expect(reported(app, 'DP9')).toEqual(['Producer/Key']);
    });

    test('Noncompliance 4: scoped by kms:CallerAccount alone (the partner may still call KMS directly)', () => {
      const { app, stack } = producerStack();
      const caller = new kms.Key(stack, 'Caller', { enableKeyRotation: true });
      caller.addToResourcePolicy(
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], principals: [new iam.AnyPrincipal()], resources: ['*'], conditions: { StringEquals: { 'kms:CallerAccount': PARTNER } } }),
      );
      expect(reported(app, 'DP9')).toEqual(['Producer/Caller/Resource']);
    });

    describe('any principal bound to one bucket through S3 (SharingMode.ACCESS_POINTS)', () => {
      const bound = (condition: Record<string, unknown>) => ({ Sid: 'S3AuthorizedRead', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: condition });
      const via = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };
      const context = ['arn:aws:s3:::exchange', 'arn:aws:s3:::exchange/*'];

      test('Compliance: kms:ViaService of S3 and the encryption context of one bucket required (StringLike, no IfExists)', () => {
        const { app, stack } = producerStack();
        key(stack, [bound({ StringEquals: via, StringLike: { 'kms:EncryptionContext:aws:s3:arn': context } })]);
        expect(reported(app, 'DP9')).toEqual([]);
      });

      test('Noncompliance 5: the encryption context only IfExists (a request without it matches)', () => {
        const { app, stack } = producerStack();
        key(stack, [bound({ StringEquals: via, StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': context } })]);
        expect(reported(app, 'DP9')).toEqual(['Producer/Key']);
      });

      test('Noncompliance 6: any bucket (a wildcard in the bucket name), or two buckets', () => {
        for (const values of [['arn:aws:s3:::*'], ['arn:aws:s3:::exch*'], ['arn:aws:s3:::exchange', 'arn:aws:s3:::other/*']]) {
          const { app, stack } = producerStack();
          key(stack, [bound({ StringEquals: via, StringLike: { 'kms:EncryptionContext:aws:s3:arn': values } })]);
          expect(reported(app, 'DP9')).toEqual(['Producer/Key']);
        }
      });

      test('Noncompliance 7: a service other than S3 (whose callers may choose the encryption context)', () => {
        const { app, stack } = producerStack();
        key(stack, [bound({ StringEquals: { 'kms:ViaService': 'lambda.eu-west-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': context } })]);
        expect(reported(app, 'DP9')).toEqual(['Producer/Key']);
      });
    });

    test('Compliance: scoped by kms:ViaService; same-account grants; cross-account administration only', () => {
      const { app, stack } = producerStack();
      const viaS3 = new kms.Key(stack, 'ViaS3', { enableKeyRotation: true });
      viaS3.addToResourcePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          principals: [new iam.AccountPrincipal(PARTNER)],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        }),
      );
      const same = new kms.Key(stack, 'Same', { enableKeyRotation: true });
      same.grantDecrypt(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
      const admin = new kms.Key(stack, 'Admin', { enableKeyRotation: true });
      admin.addToResourcePolicy(
        new iam.PolicyStatement({ actions: ['kms:Describe*', 'kms:Put*', 'kms:ScheduleKeyDeletion'], principals: [new iam.AccountPrincipal('333333333333')], resources: ['*'] }),
      );
      new CrossAccountSharedKey(stack, 'Ours');
      expect(reported(app, 'DP9')).toEqual([]);
    });
    const cse = (extra: Record<string, unknown> = {}, action: unknown = 'kms:Decrypt') => ({
      Sid: 'ClientSide',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: action,
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:x-amz-cek-alg': 'AES/GCM/NoPadding', 'kms:CallerAccount': PARTNER, ...extra } },
    });

    test('Compliance: client-side encryption scoped to the S3 Encryption Client\'s context and the caller account (grantPartnerClientSideEncryption)', () => {
      const { app, stack } = producerStack();
      key(stack, [cse({}, ['kms:GenerateDataKey', 'kms:Decrypt'])]);
      expect(reported(app, 'DP9')).toEqual([]);
    });

    test('Noncompliance 5: the client-side context with other uses of the key (kms:Encrypt, kms:ReEncrypt*)', () => {
      const { app, stack } = producerStack();
      key(stack, [cse({}, ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*'])]);
      expect(reported(app, 'DP9')).toEqual(['Producer/Key']);
    });

    test('Noncompliance 6: a client-side context value the client never sends (a wildcard), or no caller account', () => {
      const { app, stack } = producerStack();
      const wildcard = cse({ 'kms:EncryptionContext:aws:x-amz-cek-alg': '*' });
      const noCaller = { ...cse(), Condition: { StringEquals: { 'kms:EncryptionContext:aws:x-amz-cek-alg': 'AES/GCM/NoPadding' } } };
      key(stack, [wildcard]);
      new kms.CfnKey(stack, 'Other', { enableKeyRotation: true, keyPolicy: { Statement: [noCaller] } });
      expect(reported(app, 'DP9')).toEqual(['Producer/Key', 'Producer/Other']);
    });
  });
});
