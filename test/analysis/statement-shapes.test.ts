import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataProtectionStatements, ServerSideEncryption, TlsVersion } from '../../src';
import { deniesSseCUploads } from '../../src/analysis/encryption';
import { deniesEveryS3ActionToEveryone, deniesInsecureTransport, deniesTlsBelow, minimumTlsDenied } from '../../src/analysis/transport';
import { producerStack } from '../support';

/** The resolved JSON of a statement, as a template holds it. */
function resolved(stack: Stack, statement: iam.PolicyStatement): any {
  return stack.resolve(statement.toStatementJson());
}

describe('statement shapes (src/analysis)', () => {
  const { stack } = producerStack();
  const bucket = s3.Bucket.fromBucketName(stack, 'B', 'data-bucket');
  const transport = resolved(stack, DataProtectionStatements.denyInsecureTransport(bucket));
  const tls12 = resolved(stack, DataProtectionStatements.denyOutdatedTls(bucket, TlsVersion.TLS_1_2));
  const tls13 = resolved(stack, DataProtectionStatements.denyOutdatedTls(bucket, TlsVersion.TLS_1_3));
  const sseC = resolved(stack, DataProtectionStatements.denySseC(bucket));
  const otherTypes = resolved(stack, DataProtectionStatements.denyUnexpectedEncryption(bucket, ServerSideEncryption.SSE_KMS));

  describe('deniesEveryS3ActionToEveryone', () => {
    test('the TLS denies the library writes', () => {
      expect(deniesEveryS3ActionToEveryone(transport)).toBe(true);
      expect(deniesEveryS3ActionToEveryone(tls12)).toBe(true);
    });

    test('false for an Allow, a named principal, or some actions only', () => {
      expect(deniesEveryS3ActionToEveryone({ ...transport, Effect: 'Allow' })).toBe(false);
      expect(deniesEveryS3ActionToEveryone({ ...transport, Principal: { AWS: 'arn:aws:iam::111111111111:root' } })).toBe(false);
      expect(deniesEveryS3ActionToEveryone({ ...transport, Action: ['s3:GetObject', 's3:PutObject'] })).toBe(false);
      expect(deniesEveryS3ActionToEveryone(sseC)).toBe(false);
    });

    test('true for Action "*", undefined when an action cannot be read', () => {
      expect(deniesEveryS3ActionToEveryone({ ...transport, Action: '*' })).toBe(true);
      expect(deniesEveryS3ActionToEveryone({ ...transport, Action: [{ Ref: 'Actions' }] })).toBeUndefined();
    });
  });

  describe('deniesInsecureTransport', () => {
    test('the secure-transport deny, also as BoolIfExists and a boolean value', () => {
      expect(deniesInsecureTransport(transport)).toBe(true);
      expect(deniesInsecureTransport({ ...transport, Condition: { BoolIfExists: { 'aws:SecureTransport': false } } })).toBe(true);
    });

    test('false for another condition, an extra condition, or a deny of some actions only', () => {
      expect(deniesInsecureTransport(tls12)).toBe(false);
      expect(deniesInsecureTransport({ ...transport, Condition: { ...transport.Condition, StringEquals: { 'aws:PrincipalAccount': '222222222222' } } })).toBe(false);
      expect(deniesInsecureTransport({ ...transport, Action: 's3:GetObject' })).toBe(false);
    });

    test('undefined when the value cannot be read', () => {
      expect(deniesInsecureTransport({ ...transport, Condition: { Bool: { 'aws:SecureTransport': { Ref: 'P' } } } })).toBeUndefined();
    });
  });

  describe('deniesTlsBelow and minimumTlsDenied', () => {
    test('the minimum-TLS deny enforces its version and older minimums, not newer ones', () => {
      expect(deniesTlsBelow(tls12, 1.2)).toBe(true);
      expect(deniesTlsBelow(tls12, 1.3)).toBe(false);
      expect(deniesTlsBelow(tls13, 1.2)).toBe(true);
      expect(minimumTlsDenied(tls12)).toBe(1.2);
      expect(minimumTlsDenied(tls13)).toBe(1.3);
    });

    test('not a minimum-TLS deny: the secure-transport deny, an Allow, a deny of some actions only', () => {
      expect(deniesTlsBelow(transport, 1.2)).toBe(false);
      expect(minimumTlsDenied(transport)).toBeUndefined();
      expect(minimumTlsDenied({ ...tls12, Effect: 'Allow' })).toBeUndefined();
      expect(deniesTlsBelow({ ...tls12, Action: 's3:GetObject' }, 1.2)).toBe(false);
    });

    test('undefined when the version cannot be read', () => {
      const unreadable = { ...tls12, Condition: { NumericLessThan: { 's3:TlsVersion': { Ref: 'MinTls' } } } };
      expect(deniesTlsBelow(unreadable, 1.2)).toBeUndefined();
      expect(minimumTlsDenied(unreadable)).toBeUndefined();
    });
  });

  describe('deniesSseCUploads', () => {
    test('the SSE-C deny, and a required encryption type without a Null guard', () => {
      expect(deniesSseCUploads(sseC)).toBe(true);
      expect(deniesSseCUploads({ ...otherTypes, Condition: { StringNotEquals: otherTypes.Condition.StringNotEquals } })).toBe(true);
    });

    test('false for the guarded deny of other types (SSE-C requests send no type header), an Allow, or no PutObject', () => {
      expect(deniesSseCUploads(otherTypes)).toBe(false);
      expect(deniesSseCUploads({ ...sseC, Effect: 'Allow' })).toBe(false);
      expect(deniesSseCUploads({ ...sseC, Action: 's3:GetObject' })).toBe(false);
      expect(deniesSseCUploads({ ...sseC, Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'true' } } })).toBe(false);
    });

    test('undefined when an action cannot be read', () => {
      expect(deniesSseCUploads({ ...sseC, Action: [{ Ref: 'Actions' }] })).toBeUndefined();
    });
  });
});
