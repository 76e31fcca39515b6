import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey, GlueSecurityConfiguration } from '../../src';
import { kmsKeyArn, producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP26 a Glue security configuration encrypts S3, CloudWatch Logs and job bookmarks under a customer-managed key', () => {
    test('Noncompliance 1: every encryption off', () => {
      const { app, stack } = producerStack();
      new glue.CfnSecurityConfiguration(stack, 'Plain', { name: 'plain', encryptionConfiguration: {} });
      expect(reported(app, 'DP26')).toEqual(['Producer/Plain']);
      expect(explanation(app, 'DP26', 'Producer/Plain')).toContain(
        'S3 encryption is off; CloudWatch Logs encryption is off; Job bookmark encryption is off.',
      );
    });

    test('Noncompliance 2: S3 under SSE-S3, logs DISABLED, bookmarks under the AWS-managed key', () => {
      const { app, stack } = producerStack();
      new glue.CfnSecurityConfiguration(stack, 'Weak', {
        name: 'weak',
        encryptionConfiguration: {
          s3Encryptions: [{ s3EncryptionMode: 'SSE-S3' }],
          cloudWatchEncryption: { cloudWatchEncryptionMode: 'DISABLED' },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/glue' },
        },
      });
      expect(explanation(app, 'DP26', 'Producer/Weak')).toContain(
        'S3 encryption is SSE-S3, not under a customer-managed KMS key; CloudWatch Logs encryption is off; Job bookmark encryption uses an AWS-managed key.',
      );
    });

    test('Noncompliance 3: SSE-KMS without a key ARN (Glue uses the AWS-managed key)', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new glue.CfnSecurityConfiguration(stack, 'NoKey', {
        name: 'nokey',
        encryptionConfiguration: {
          s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS' }],
          cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
        },
      });
      expect(reported(app, 'DP26')).toEqual(['Producer/NoKey']);
      expect(explanation(app, 'DP26', 'Producer/NoKey')).toContain('S3 encryption uses no key (KmsKeyArn unset).');
    });

    test('Compliance: GlueSecurityConfiguration; an L1 with every part under a key of the stack or an imported key ARN', () => {
      const { app, stack } = producerStack();
      new GlueSecurityConfiguration(stack, 'Glue', { encryptionKey: new CrossAccountSharedKey(stack, 'Shared').key });
      const arn = kmsKeyArn();
      new glue.CfnSecurityConfiguration(stack, 'Imported', {
        name: 'imported',
        encryptionConfiguration: {
          s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: arn }],
          cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: arn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: arn },
        },
      });
      expect(reported(app, 'DP26')).toEqual([]);
    });
  });
});
