import * as emr from 'aws-cdk-lib/aws-emr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey, EmrInTransitEncryption, EmrSecurityConfiguration } from '../../src';
import { KEY_ARN, producerStack } from '../support';

const TLS = { TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: 's3://cfg/certs.zip' } };

function config(atRest: Record<string, unknown> | undefined, flags: { atRest?: unknown; inTransit?: unknown } = {}) {
  return {
    EncryptionConfiguration: {
      EnableAtRestEncryption: flags.atRest ?? true,
      EnableInTransitEncryption: flags.inTransit ?? true,
      ...(atRest ? { AtRestEncryptionConfiguration: atRest } : {}),
      InTransitEncryptionConfiguration: TLS,
    },
  };
}

const KMS_AT_REST = {
  S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: KEY_ARN },
  LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: KEY_ARN, EnableEbsEncryption: true },
};

describe('DataProtectionChecks', () => {
  describe('DP29 an EMR security configuration encrypts at rest and in transit', () => {
    test.each([
      ['S3EncryptionConfiguration', 'at rest for EMRFS data in S3 \\(no S3EncryptionConfiguration\\)'],
      ['LocalDiskEncryptionConfiguration', 'at rest on the instances\' local disks \\(no LocalDiskEncryptionConfiguration\\)'],
    ])('Noncompliance: at rest on without %s (that part unencrypted)', (part, text) => {
      const { app, stack } = producerStack();
      const { [part as keyof typeof KMS_AT_REST]: _dropped, ...rest } = KMS_AT_REST;
      new emr.CfnSecurityConfiguration(stack, 'Sc', { securityConfiguration: config(rest) });
      expect(reported(app, 'DP29')).toEqual(['Producer/Sc']);
      expect(explanation(app, 'DP29', 'Producer/Sc')).toMatch(new RegExp(`Encryption is off ${text}\\.`));
    });

    test('Noncompliance 1: in-transit encryption off', () => {
      const { app, stack } = producerStack();
      new emr.CfnSecurityConfiguration(stack, 'Sc', { securityConfiguration: config(KMS_AT_REST, { inTransit: false }) });
      expect(reported(app, 'DP29')).toEqual(['Producer/Sc']);
      expect(explanation(app, 'DP29', 'Producer/Sc')).toContain('Encryption is off in transit (EnableInTransitEncryption).');
    });

    test('Noncompliance 2: at-rest encryption off, as a JSON string', () => {
      const { app, stack } = producerStack();
      new emr.CfnSecurityConfiguration(stack, 'Sc', { securityConfiguration: JSON.stringify(config(undefined, { atRest: false })) });
      expect(reported(app, 'DP29')).toEqual(['Producer/Sc']);
    });

    test('Noncompliance 3: no encryption configuration at all', () => {
      const { app, stack } = producerStack();
      new emr.CfnSecurityConfiguration(stack, 'Sc', { securityConfiguration: { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2 } } });
      expect(reported(app, 'DP29')).toEqual(['Producer/Sc']);
    });

    test('Compliance: both on; EmrSecurityConfiguration', () => {
      const { app, stack } = producerStack();
      new emr.CfnSecurityConfiguration(stack, 'Sc', { securityConfiguration: config(KMS_AT_REST) });
      new EmrSecurityConfiguration(stack, 'Ours', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, inTransitEncryption: EmrInTransitEncryption.pemCertificates('s3://cfg/certs.zip') });
      expect(reported(app, 'DP29')).toEqual([]);
    });
  });

  describe('DP30 EMR at-rest encryption under a customer-managed key', () => {
    test('Noncompliance 1: EMRFS with SSE-S3', () => {
      const { app, stack } = producerStack();
      new emr.CfnSecurityConfiguration(stack, 'Sc', { securityConfiguration: config({ ...KMS_AT_REST, S3EncryptionConfiguration: { EncryptionMode: 'SSE-S3' } }) });
      expect(reported(app, 'DP30')).toEqual(['Producer/Sc']);
      expect(explanation(app, 'DP30', 'Producer/Sc')).toContain('EMRFS writes S3 objects with SSE-S3');
    });

    test('Noncompliance 2: local disks under the AWS-managed key', () => {
      const { app, stack } = producerStack();
      new emr.CfnSecurityConfiguration(stack, 'Sc', {
        securityConfiguration: config({ ...KMS_AT_REST, LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/ebs' } }),
      });
      expect(reported(app, 'DP30')).toEqual(['Producer/Sc']);
    });

    test('Compliance: SSE-KMS and AwsKms under a key of the stack; not applicable when at rest is off (DP29)', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
      new emr.CfnSecurityConfiguration(stack, 'Sc', {
        securityConfiguration: config({
          S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: key.keyArn },
          LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: key.keyArn },
        }),
      });
      new emr.CfnSecurityConfiguration(stack, 'Off', { securityConfiguration: config({ S3EncryptionConfiguration: { EncryptionMode: 'SSE-S3' } }, { atRest: false }) });
      expect(reported(app, 'DP30')).toEqual([]);
    });
  });
});
