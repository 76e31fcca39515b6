import * as iam from 'aws-cdk-lib/aws-iam';
import { compliantPlainBucket, explanation, reported } from './helpers';
import { EncryptedBucket, TlsVersion } from '../../src';
import { producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP3 minimum TLS 1.2 on the bucket and its objects', () => {
    test('Noncompliance 1: TLS enforced but no minimum version', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data', { minimumTLSVersion: undefined });
      expect(reported(app, 'DP3')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 2: a minimum below 1.2', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data', { minimumTLSVersion: 1.1 });
      expect(reported(app, 'DP3')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 3: the minimum applies to the objects only', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data', { minimumTLSVersion: undefined });
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:*'],
          resources: [bucket.arnForObjects('*')],
          conditions: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        }),
      );
      expect(reported(app, 'DP3')).toEqual(['Producer/Data/Resource']);
    });

    test('Noncompliance 4: a minimum above 1.3 (minimumTLSVersion 1.4), which no TLS client can meet', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data', { minimumTLSVersion: 1.4 });
      expect(reported(app, 'DP3')).toEqual(['Producer/Data/Resource']);
      expect(explanation(app, 'DP3', 'Producer/Data/Resource')).toMatch(/\(below 1\.4\) of the bucket policy: no TLS version above 1\.3 exists: every request would be denied\./);
    });

    test('Noncompliance 5: a TLS 1.2 minimum, and another Deny on the objects with a minimum of 2.0', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyTlsBelow20',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects('*')],
          conditions: { NumericLessThan: { 's3:TlsVersion': '2.0' } },
        }),
      );
      expect(reported(app, 'DP3')).toEqual(['Producer/Data/Resource']);
      expect(explanation(app, 'DP3', 'Producer/Data/Resource')).toContain('Deny statement(s) DenyTlsBelow20 (below 2.0) of the bucket policy: no TLS version above 1.3 exists');
    });

    test('Compliance: minimumTLSVersion 1.2 and 1.3, EncryptedBucket with TLS 1.2 and 1.3', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Tls12');
      compliantPlainBucket(stack, 'Tls13', { minimumTLSVersion: 1.3 });
      new EncryptedBucket(stack, 'Ours');
      new EncryptedBucket(stack, 'Ours13', { minimumTlsVersion: TlsVersion.TLS_1_3 });
      expect(reported(app, 'DP3')).toEqual([]);
    });
  });
});
