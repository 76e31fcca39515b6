/**
 * Glue: the account's Data Catalog encrypted at rest and its connection
 * passwords under a customer-managed key (GlueDataCatalogEncryption), and a
 * security configuration for jobs under the same key (GlueSecurityConfiguration)
 * with a job role granted through grantJob.
 *
 * NOTE: the Data Catalog encryption settings are account-wide (one per
 * account and Region) and CloudFormation does not reset them when the stack
 * is deleted, nor decrypts what was written under them: the key is therefore
 * retained (the pack's DP14 refuses a catalog key that is not), so after
 * `integ-runner` destroys this stack the test account's catalog stays
 * readable under a key that outlives the test. Run it in a sandbox account
 * whose catalog has no other users; reset the settings afterwards
 * (`aws glue put-data-catalog-encryption-settings`) and schedule the key's
 * deletion once nothing in the catalog is encrypted under it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountSharedKey, GlueDataCatalogEncryption, GlueSecurityConfiguration } from '../src';

const app = new App();
const stack = new Stack(app, 'GlueInteg');
// retained (the default): the catalog's metadata stays encrypted under it after the stack is gone
const key = new CrossAccountSharedKey(stack, 'Key');
const catalog = new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key.key });
const jobs = new GlueSecurityConfiguration(stack, 'Jobs', { encryptionKey: key.key });
const jobRole = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
jobs.grantJob(jobRole);
const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
catalog.grantRead(analyst);

const integ = new IntegTest(app, 'GlueTest', { testCases: [stack] });
// Glue says the catalog is encrypted at rest, and its connection passwords, under the key.
integ.assertions
  .awsApiCall('Glue', 'getDataCatalogEncryptionSettings', { CatalogId: stack.account })
  .expect(
    ExpectedResult.objectLike({
      DataCatalogEncryptionSettings: {
        EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: key.keyArn },
        ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: true, AwsKmsKeyId: key.keyArn },
      },
    }),
  );
// Glue says the security configuration encrypts S3 data, CloudWatch Logs and job bookmarks under the key.
integ.assertions
  .awsApiCall('Glue', 'getSecurityConfiguration', { Name: jobs.securityConfigurationName })
  .expect(
    ExpectedResult.objectLike({
      SecurityConfiguration: {
        EncryptionConfiguration: {
          S3Encryption: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: key.keyArn }],
          CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: key.keyArn },
          JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: key.keyArn },
        },
      },
    }),
  );
