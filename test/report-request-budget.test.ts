import { App, Aws, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataProtectionReport } from '../src';
import { producerStack } from './support';
import { query } from './support/jsdom';
import { symmetricRequestQuota } from '../src/analysis/kms-quotas';
import { htmlOf } from '../src/report/html';

/** A key used by two buckets (one without a Bucket Key), a topic, a queue and a log group; and a bucket under another key. */
function budgetStack(stack: Stack): void {
  const key = new kms.Key(stack, 'Key');
  new s3.Bucket(stack, 'WithBucketKey', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true });
  new s3.Bucket(stack, 'WithoutBucketKey', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: false });
  new sns.Topic(stack, 'Topic', { masterKey: key });
  new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
  new logs.LogGroup(stack, 'Logs', { encryptionKey: key });
  const other = new kms.Key(stack, 'OtherKey');
  new s3.Bucket(stack, 'Elsewhere', { encryption: s3.BucketEncryption.KMS, encryptionKey: other, bucketKeyEnabled: true });
}

function reportOf(stack: Stack): DataProtectionReport {
  budgetStack(stack);
  return DataProtectionReport.of(stack);
}

function keyNamed(report: any, id: string): any {
  return report.keys.find((k: any) => k.path.endsWith(`/${id}`));
}

describe('DataProtectionReport', () => {
  describe('request budget', () => {
    describe('model', () => {
      test('a key lists the buckets and resources encrypting with it, each bucket with its Bucket Key, and warns for the one without', () => {
        const { stack } = producerStack('Budget');
        const budget = keyNamed(reportOf(stack).toJson(), 'Key').requestBudget;
        expect(budget.usedBy).toEqual([
          { kind: 'bucket', path: 'Budget/WithBucketKey', logicalId: expect.any(String), encryption: 'SSE-KMS', bucketKey: true },
          { kind: 'bucket', path: 'Budget/WithoutBucketKey', logicalId: expect.any(String), encryption: 'SSE-KMS', bucketKey: false },
          { kind: 'AWS::SNS::Topic', path: 'Budget/Topic', logicalId: expect.any(String), encryption: null, bucketKey: null },
          { kind: 'AWS::SQS::Queue', path: 'Budget/Queue', logicalId: expect.any(String), encryption: null, bucketKey: null },
          { kind: 'AWS::Logs::LogGroup', path: 'Budget/Logs', logicalId: expect.any(String), encryption: null, bucketKey: null },
        ]);
        expect(budget.warnings).toHaveLength(1);
        expect(budget.warnings[0]).toMatch(/^bucket Budget\/WithoutBucketKey uses SSE-KMS with its S3 Bucket Key off: every object upload and download calls AWS KMS/);
        expect(budget.warnings[0]).toContain('100,000 requests per second');
        expect(budget.warnings[0]).toContain('https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html');
        const other = keyNamed(reportOf(producerStack('Other').stack).toJson(), 'OtherKey').requestBudget;
        expect(other.usedBy.map((u: any) => u.path)).toEqual(['Other/Elsewhere']);
        expect(other.warnings).toEqual([]);
      });

      test('a key in eu-west-1 gets the documented default of 100,000 requests per second, said to be the default', () => {
        const { stack } = producerStack('Budget');
        const budget = keyNamed(reportOf(stack).toJson(), 'Key').requestBudget;
        expect(budget).toMatchObject({ region: 'eu-west-1', quotaName: 'Cryptographic operations (symmetric) request rate', defaultQuotaPerSecond: 100_000 });
        expect(budget.quotaSource).toMatch(/^default for eu-west-1, named in https:\/\/docs\.aws\.amazon\.com\/kms\/latest\/developerguide\/requests-per-second\.html \(read \d{4}-\d{2}-\d{2}\); the applied quota may be higher$/);
      });

      test('a key in a stack whose Region is a token gets no quota, and the source says to see Service Quotas', () => {
        const stack = new Stack(new App(), 'Agnostic');
        const budget = keyNamed(reportOf(stack).toJson(), 'Key').requestBudget;
        expect(budget).toMatchObject({ region: '${AWS::Region}', defaultQuotaPerSecond: null });
        expect(budget.quotaSource).toMatch(/see Service Quotas/);
        expect(budget.warnings[0]).toContain('counting against the Region\'s "Cryptographic operations (symmetric) request rate"');
      });
    });

    describe('the quota table', () => {
      test.each([
        ['us-east-1', 100_000], ['us-west-2', 100_000], ['eu-west-1', 100_000],
        ['us-east-2', 20_000], ['ap-southeast-1', 20_000], ['ap-southeast-2', 20_000], ['ap-northeast-1', 20_000], ['eu-central-1', 20_000], ['eu-west-2', 20_000],
        ['eu-north-1', 10_000], ['sa-east-1', 10_000],
      ])('%s: %d requests per second', (region, perSecond) => {
        expect(symmetricRequestQuota(region).perSecond).toBe(perSecond);
      });

      test('a token Region: no value, and no raw token in the source', () => {
        expect(symmetricRequestQuota(Aws.REGION)).toEqual({ perSecond: null, source: expect.stringMatching(/^Region known only at deployment: see Service Quotas/) });
      });

      test.each(['cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'xx-nowhere-1'])('%s: no value stated, see Service Quotas', (region) => {
        expect(symmetricRequestQuota(region)).toEqual({ perSecond: null, source: expect.stringContaining('see Service Quotas') });
      });
    });

    describe('Markdown', () => {
      test('a "Request budget" table under the key, with each user, its Bucket Key, the quota and the warning', () => {
        const { stack } = producerStack('Budget');
        const md = reportOf(stack).toMarkdown();
        const section = md.slice(md.indexOf('### `Budget/Key`'), md.indexOf('### `Budget/OtherKey`'));
        expect(section).toContain('**Request budget**');
        expect(section).toContain('| `bucket` | `Budget/WithBucketKey` | on |');
        expect(section).toContain('| `bucket` | `Budget/WithoutBucketKey` | **off** |');
        expect(section).toContain('| `AWS::SNS::Topic` | `Budget/Topic` | n/a |');
        expect(section).toMatch(/Default quota "Cryptographic operations \(symmetric\) request rate" in `eu-west-1`: \*\*100,000\*\* requests per second/);
        expect(section).toMatch(/> \*\*Warning\*\*: bucket Budget\/WithoutBucketKey uses SSE-KMS with its S3 Bucket Key off/);
      });
    });

    describe('HTML', () => {
      test('the key section shows the quota, the users in a table and the warning as a bad badge', () => {
        const { stack } = producerStack('Budget');
        const html = htmlOf([reportOf(stack).toJson()]);
        const q = query(html, {
          heads: 'article.key h5',
          props: 'article.key table.budget-props tr',
          users: 'article.key table.budget tbody tr',
          warnings: 'article.key .budget-warnings .badge.bad',
        });
        expect(q.heads.map((h) => h.text)).toContain('Request budget');
        expect(q.props.map((r) => r.text)).toEqual(expect.arrayContaining([
          expect.stringMatching(/^default quota100,000 requests per second/),
          'Regioneu-west-1',
        ]));
        expect(q.users.map((r) => r.text)).toEqual([
          'bucketBudget/WithBucketKeyon', 'bucketBudget/WithoutBucketKeyoff',
          'AWS::SNS::TopicBudget/Topicn/a', 'AWS::SQS::QueueBudget/Queuen/a', 'AWS::Logs::LogGroupBudget/Logsn/a',
          'bucketBudget/Elsewhereon',
        ]);
        expect(q.warnings.map((w) => w.text)).toEqual(['Bucket Key off']);
      });
    });
  });
});
