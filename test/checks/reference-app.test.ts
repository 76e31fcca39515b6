import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { findings } from './helpers';
import { buildDemoApp } from '../../demo/app';
import {
  CrossAccountConsumerPolicy,
  CrossAccountSharedKey,
  EncryptedAthenaWorkGroup,
  EncryptedBucket,
  EncryptedDeliveryStream,
  GlueDataCatalogEncryption,
  GlueSecurityConfiguration,
  TlsOnlyBucketPolicy,
  VpcEndpointAccess,
} from '../../src';
import { producerStack } from '../support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

const LIBRARY_CONSTRUCTS = [
  EncryptedBucket,
  CrossAccountSharedKey,
  TlsOnlyBucketPolicy,
  VpcEndpointAccess,
  CrossAccountConsumerPolicy,
  EncryptedDeliveryStream,
  GlueSecurityConfiguration,
  GlueDataCatalogEncryption,
  EncryptedAthenaWorkGroup,
];

/** The construct of this library a resource belongs to, if any. */
function libraryConstructOf(c: IConstruct | undefined): IConstruct | undefined {
  for (let node = c; node; node = node.node.scope) {
    if (LIBRARY_CONSTRUCTS.some((type) => node instanceof type)) {
      return node;
    }
  }
  return undefined;
}

describe('DataProtectionChecks', () => {
  describe('the reference app (demo/)', () => {
    test('resources made by this library have zero findings; no bucket lacks the TLS statements', () => {
      const app = buildDemoApp(path.join(os.tmpdir(), 'dp-checks-demo'));
      const report = new DataProtectionChecks(app).validateScope(app);
      const all = app.node.findAll();
      const ours: string[] = [];
      const transport: string[] = [];
      for (const v of report.violations) {
        for (const r of v.violatingResources) {
          const resource = all.find((c) => c.node.path === r.constructPath);
          if (libraryConstructOf(resource)) {
            ours.push(`${v.ruleName} ${r.constructPath}`);
          }
          if (['DataProtection-DP2', 'DataProtection-DP3'].includes(v.ruleName)) {
            transport.push(`${v.ruleName} ${r.constructPath}`);
          }
        }
      }
      expect(ours).toEqual([]);
      expect(transport).toEqual([]);
      expect(all.some((c) => libraryConstructOf(c))).toBe(true);
    });
  });

  describe('the reference app\'s pipeline', () => {
    test('Firehose delivers into the exchange bucket and the Glue job runs with the security configuration, all under the shared key', () => {
      const app = buildDemoApp(path.join(os.tmpdir(), 'dp-checks-demo-pipeline'));
      const template = Template.fromStack(app.node.findChild('DataProducer') as Stack);
      const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExchangeKey'), 'Arn'] };
      template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExchangeBucket'), 'Arn'] },
          Prefix: 'firehose/orders/',
          ErrorOutputPrefix: 'firehose/errors/',
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: key } },
        }),
      });
      template.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
        EncryptionConfiguration: {
          S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: key }],
          CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: key },
          JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: key },
        },
      });
      template.hasResourceProperties('AWS::Glue::Job', {
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersJobRole'), 'Arn'] },
        SecurityConfiguration: Object.values(template.findResources('AWS::Glue::SecurityConfiguration'))[0].Properties.Name,
        GlueVersion: '5.0',
        Command: Match.objectLike({ Name: 'glueetl', ScriptLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ExchangeBucket') }, '/scripts/curate-orders.py']] } }),
      });
    });

    test('the Data Catalog and the Athena workgroup\'s results are encrypted under the shared key, the workgroup enforcing it', () => {
      const app = buildDemoApp(path.join(os.tmpdir(), 'dp-checks-demo-analytics'));
      const template = Template.fromStack(app.node.findChild('DataProducer') as Stack);
      const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExchangeKey'), 'Arn'] };
      template.hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', {
        CatalogId: '111111111111',
        DataCatalogEncryptionSettings: {
          EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: key },
          ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: true, KmsKeyId: key },
        },
      });
      template.hasResourceProperties('AWS::Athena::WorkGroup', {
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: Match.objectLike({
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^AnalyticsResultsBucket') }, '/athena-results/']] },
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: key },
          }),
        }),
      });
      const results = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('AnalyticsResultsBucket') && !id.includes('AccessLogs'))!;
      expect(results[1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^ExchangeKey/), 'Arn'] } },
      });
      expect(results[1].DeletionPolicy).toBe('Retain');
    });
  });

  describe('VpcEndpointAccess', () => {
    test('in front of a default EncryptedBucket, with only its required props and an administrator of the account: zero findings', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'B');
      new VpcEndpointAccess(stack, 'Vpce', { vpc: new ec2.Vpc(stack, 'Vpc'), buckets: [bucket.bucket], administratorArns: [`arn:aws:iam::${stack.account}:role/Admin`] });
      expect(findings(app)).toEqual([]);
    });
  });
});
