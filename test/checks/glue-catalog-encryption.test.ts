import { Fn } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey, GlueDataCatalogEncryption } from '../../src';
import { kmsKeyArn, PRODUCER, producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP27 the Glue Data Catalog and its connection passwords are encrypted under a customer-managed key', () => {
    test('Noncompliance 1: no settings at all (encryption at rest and password encryption off)', () => {
      const { app, stack } = producerStack();
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Plain', { catalogId: PRODUCER, dataCatalogEncryptionSettings: {} });
      expect(reported(app, 'DP27')).toEqual(['Producer/Plain']);
      expect(explanation(app, 'DP27', 'Producer/Plain')).toContain(
        "The Data Catalog's encryption at rest is off (EncryptionAtRest.CatalogEncryptionMode is DISABLED or unset); " +
          'connection password encryption is off (ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted is false or unset).',
      );
    });

    test('Noncompliance 2: DISABLED at rest, passwords returned in clear', () => {
      const { app, stack } = producerStack();
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Off', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'DISABLED' },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: false, kmsKeyId: kmsKeyArn() },
        },
      });
      expect(reported(app, 'DP27')).toEqual(['Producer/Off']);
      expect(explanation(app, 'DP27', 'Producer/Off')).toMatch(/encryption at rest is off.*connection password encryption is off/);
    });

    test('Noncompliance 3: SSE-KMS without a key id (the AWS-managed key), passwords under alias/aws/glue', () => {
      const { app, stack } = producerStack();
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Managed', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS' },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: 'alias/aws/glue' },
        },
      });
      expect(reported(app, 'DP27')).toEqual(['Producer/Managed']);
      expect(explanation(app, 'DP27', 'Producer/Managed')).toContain(
        "The Data Catalog's encryption at rest uses no key (SseAwsKmsKeyId unset), which is the AWS-managed key alias/aws/glue; connection password encryption uses an AWS-managed key.",
      );
    });

    test('Noncompliance 4: at rest under a customer-managed key, but passwords encrypted without a key id', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Half', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: key.keyArn },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true },
        },
      });
      expect(reported(app, 'DP27')).toEqual(['Producer/Half']);
      expect(explanation(app, 'DP27', 'Producer/Half')).toContain('connection password encryption uses no key (KmsKeyId unset)');
    });

    test('Compliance: GlueDataCatalogEncryption; an L1 under an imported key ARN', () => {
      const { app, stack } = producerStack();
      new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: new CrossAccountSharedKey(stack, 'Shared').key });
      const { app: other, stack: otherStack } = producerStack('Other');
      new glue.CfnDataCatalogEncryptionSettings(otherStack, 'Imported', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: kmsKeyArn() },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: kmsKeyArn() },
        },
      });
      expect(reported(app, 'DP27')).toEqual([]);
      expect(reported(other, 'DP27')).toEqual([]);
    });

    test('Compliance: a key known only at deployment is not reported', () => {
      const { app, stack } = producerStack();
      const arn = Fn.importValue('CatalogKeyArn');
      new glue.CfnDataCatalogEncryptionSettings(stack, 'Imported', {
        catalogId: PRODUCER,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: arn },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: arn },
        },
      });
      expect(reported(app, 'DP27')).toEqual([]);
    });
  });
});
