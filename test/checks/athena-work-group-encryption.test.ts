import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey, EncryptedAthenaWorkGroup } from '../../src';
import { KEY_ARN, producerStack } from '../support';

const OUTPUT = 's3://results-bucket/athena-results/';

describe('DataProtectionChecks', () => {
  describe('DP28 Athena workgroup results encryption', () => {
    test('Noncompliance 1: no EncryptionConfiguration (results as the client asks)', () => {
      const { app, stack } = producerStack();
      new athena.CfnWorkGroup(stack, 'W', { name: 'w', workGroupConfiguration: { resultConfiguration: { outputLocation: OUTPUT } } });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
      expect(explanation(app, 'DP28', 'Producer/W')).toMatch(/no ResultConfiguration.EncryptionConfiguration/);
    });

    test('Noncompliance 2: no WorkGroupConfiguration at all', () => {
      const { app, stack } = producerStack();
      new athena.CfnWorkGroup(stack, 'W', { name: 'w' });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
    });

    test('Noncompliance 3: SSE_S3', () => {
      const { app, stack } = producerStack();
      new athena.CfnWorkGroup(stack, 'W', { name: 'w', workGroupConfiguration: { resultConfiguration: { outputLocation: OUTPUT, encryptionConfiguration: { encryptionOption: 'SSE_S3' } } } });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
      expect(explanation(app, 'DP28', 'Producer/W')).toMatch(/SSE_S3: S3 manages the key/);
    });

    test('Noncompliance 4: SSE_KMS without a key (the AWS-managed aws/s3)', () => {
      const { app, stack } = producerStack();
      new athena.CfnWorkGroup(stack, 'W', { name: 'w', workGroupConfiguration: { resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS' } } } });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
      expect(explanation(app, 'DP28', 'Producer/W')).toMatch(/SSE_KMS without a KmsKey/);
    });

    test('Noncompliance 5: CSE_KMS under the AWS-managed key alias/aws/s3', () => {
      const { app, stack } = producerStack();
      new athena.CfnWorkGroup(stack, 'W', {
        name: 'w',
        workGroupConfiguration: { resultConfiguration: { encryptionConfiguration: { encryptionOption: 'CSE_KMS', kmsKey: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' } } },
      });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
      expect(explanation(app, 'DP28', 'Producer/W')).toMatch(/AWS-managed key/);
    });

    test('Noncompliance 6: SSE_KMS under a customer-managed key, but EnforceWorkGroupConfiguration false', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
      new athena.CfnWorkGroup(stack, 'W', {
        name: 'w',
        workGroupConfiguration: { enforceWorkGroupConfiguration: false, resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn } } },
      });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
      expect(explanation(app, 'DP28', 'Producer/W')).toMatch(/EnforceWorkGroupConfiguration is false/);
    });

    test('Noncompliance 7: managed query results under an AWS owned key', () => {
      const { app, stack } = producerStack();
      new athena.CfnWorkGroup(stack, 'W', { name: 'w', workGroupConfiguration: { managedQueryResultsConfiguration: { enabled: true } } });
      expect(reported(app, 'DP28')).toEqual(['Producer/W']);
      expect(explanation(app, 'DP28', 'Producer/W')).toMatch(/AWS owned key/);
    });

    test('Compliance: SSE_KMS or CSE_KMS under a customer-managed key, enforcement true or absent (CloudFormation\'s default is true); EncryptedAthenaWorkGroup', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
      new athena.CfnWorkGroup(stack, 'Enforced', {
        name: 'enforced',
        workGroupConfiguration: { enforceWorkGroupConfiguration: true, resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn } } },
      });
      new athena.CfnWorkGroup(stack, 'Implicit', {
        name: 'implicit',
        workGroupConfiguration: { resultConfiguration: { encryptionConfiguration: { encryptionOption: 'CSE_KMS', kmsKey: KEY_ARN } } },
      });
      new athena.CfnWorkGroup(stack, 'Managed', {
        name: 'managed',
        workGroupConfiguration: { managedQueryResultsConfiguration: { enabled: true, encryptionConfiguration: { kmsKey: key.keyArn } } },
      });
      new EncryptedAthenaWorkGroup(stack, 'Ours', { encryptionKey: new CrossAccountSharedKey(stack, 'Shared').key });
      expect(reported(app, 'DP28')).toEqual([]);
    });
  });
});
