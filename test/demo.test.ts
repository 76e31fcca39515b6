import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildDemoApp } from '../demo/app';
import { key, ScanResult, scanAssembly } from '../demo/scan';

const ROOT = path.resolve(__dirname, '..');

/** Runs `npm run demo -- <args>` the way the projen task does (ts-node, transpile only), without projen's startup. */
function demo(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'demo/run.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const byScanner = (results: ScanResult[], which: 'acknowledged' | 'unacknowledged') =>
  Object.fromEntries(results.map((r) => [r.scanner, r[which].map(key)]));

describe('npm run demo', () => {
  let dir: string;
  let fromTree: ScanResult[];
  let fromTemplates: ScanResult[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-scan-'));
    const app = buildDemoApp(dir);
    app.synth();
    fromTree = scanAssembly(dir, { tree: app });
    fromTemplates = scanAssembly(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('scanners over the reference app', () => {
    test('runs every scanner', () => {
      expect(fromTree.map((r) => r.scanner)).toEqual([
        'cdk-nag AwsSolutions',
        'cdk-nag NIST 800-53 R5',
        'cdk-nag HIPAA Security',
        'cdk-nag PCI DSS 3.2.1',
        'cdk-nag DataProtection',
        'Control Tower proactive controls (cfn-guard)',
        'cfn-lint',
      ]);
    });

    test('acknowledges exactly these findings, each with a reason', () => {
      // Each EncryptedBucket of the app (the exchange bucket, the Athena workgroup's results bucket) with its
      // access-log bucket carries the library's acknowledgements.
      const buckets = [
        { data: 'DataProducer/AnalyticsResultsBucket1F3B4F67', logs: 'DataProducer/AnalyticsResultsBucketAccessLogsC6C801E7' },
        { data: 'DataProducer/ExchangeBucketACE697F0', logs: 'DataProducer/ExchangeAccessLogs1FA0D182' },
      ];
      const retention = (pack: string) => [
        // the reference app's own (demo/app.ts): grantJob adds to the Glue job role's own, inline policy
        `${pack}-IAMNoInlinePolicy DataProducer/OrdersJobRoleDefaultPolicy234480AE`,
        ...buckets.flatMap((b) => [
          `${pack}-S3BucketReplicationEnabled ${b.logs}`,
          `${pack}-S3BucketReplicationEnabled ${b.data}`,
          `${pack}-S3DefaultEncryptionKMS ${b.logs}`,
        ]),
        // the reference app's own acknowledgement (demo/app.ts), not the library's
        `${pack}-VPCDefaultSecurityGroupClosed DataProducer/Vpc8378EB38`,
      ].sort();
      expect(byScanner(fromTree, 'acknowledged')).toEqual({
        'cdk-nag AwsSolutions': [
          // the delivery role writes the objects Firehose names (the library's acknowledgement)
          'AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/*] DataProducer/OrdersRolePolicyAA094712',
          // the Glue job's prefixes and Glue's log groups (the reference app's own, demo/app.ts)
          'AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/curated/orders/*] DataProducer/OrdersJobRoleDefaultPolicy234480AE',
          'AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/firehose/orders/*] DataProducer/OrdersJobRoleDefaultPolicy234480AE',
          // the consumer's policy names the shared key by key/* when its id is unknown, and objects by <bucket>/*
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:eu-west-1:111111111111:key/*] DataConsumer/ExchangeAccessPolicy5411D6E4',
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:eu-west-1:111111111111:log-group:/aws-glue/*] DataProducer/OrdersJobRoleDefaultPolicy234480AE',
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::dataproducenge-bucket-6f5c0536-111111111111-eu-west-1/*] DataConsumer/ExchangeAccessPolicy5411D6E4',
        ],
        'cdk-nag NIST 800-53 R5': retention('NIST.800.53.R5'),
        'cdk-nag HIPAA Security': retention('HIPAA.Security'),
        'cdk-nag PCI DSS 3.2.1': retention('PCI.DSS.321'),
        'cdk-nag DataProtection': [],
        'Control Tower proactive controls (cfn-guard)': buckets.flatMap((b) => [
          `CT.S3.PR.10 ${b.logs}`, // SSE-KMS is not supported on a log target
          `CT.S3.PR.2 ${b.logs}`, // the log bucket does not log into itself
          `CT.S3.PR.3 ${b.logs}`, // lifecycle: retention is the user's choice
          `CT.S3.PR.3 ${b.data}`,
          `CT.S3.PR.4 ${b.logs}`, // event notifications: the user's choice
          `CT.S3.PR.4 ${b.data}`,
          `CT.S3.PR.6 ${b.logs}`, // lifecycle
          `CT.S3.PR.6 ${b.data}`,
          `CT.S3.PR.9 ${b.logs}`, // object lock: retention is the user's choice
          `CT.S3.PR.9 ${b.data}`,
        ]).sort(),
        // .cfnlintrc.yaml: aws-cdk-lib's own output (pinned AZs)
        'cfn-lint': [
          'W3010 DataProducer/VpcprivateSubnet1SubnetCEAD3716',
          'W3010 DataProducer/VpcprivateSubnet2Subnet2DE7549C',
        ],
      });
      for (const r of fromTree) {
        for (const f of r.acknowledged) expect(`${key(f)}: ${f.reason ?? ''}`).toMatch(/: \S.{30,}/);
      }
    });

    test('no unacknowledged finding other than those owned outside the scanners (target: none)', () => {
      // Any new finding fails here.
      expect(byScanner(fromTree, 'unacknowledged')).toEqual({
        'cdk-nag AwsSolutions': [],
        'cdk-nag NIST 800-53 R5': [],
        'cdk-nag HIPAA Security': [],
        'cdk-nag PCI DSS 3.2.1': [],
        'cdk-nag DataProtection': [],
        'Control Tower proactive controls (cfn-guard)': [],
        'cfn-lint': [],
      });
    });

    test('acknowledgements survive into the templates: scanning the templates alone acknowledges the same', () => {
      // From templates, cdk-nag also sees resources that aws-cdk-lib makes as plain CfnResource (custom
      // resource providers), which its rules skip in the construct tree; so only acknowledgements compare.
      expect(byScanner(fromTemplates, 'acknowledged')).toEqual(byScanner(fromTree, 'acknowledged'));
    });
  });

  describe('the command', () => {
    test('prints the bucket summary and one line per scanner, and its exit status says whether all is acknowledged', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-run-'));
      try {
        const { status, output } = demo(outdir);
        expect(output).toMatch(/DataProducer\/ExchangeBucketACE697F0\n {2}encryption +SSE-KMS/);
        for (const r of fromTree) {
          expect(output).toContain(`  ${r.scanner}`);
        }
        expect(output).toMatch(/cdk-nag NIST 800-53 R5 +findings +\d+ +acknowledged +8 /);
        const open = fromTree.flatMap((r) => r.unacknowledged);
        expect(status).toBe(open.length === 0 ? 0 : 1);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    });

    test('fails on a weakened app given with --app, naming the finding', () => {
      const { status, output } = demo('--app', 'node -r ts-node/register test/fixtures/weak-app.ts');
      expect(status).toBe(1);
      expect(output).toMatch(/Weak\/Plain[0-9A-F]{8}\n {2}encryption/);
      expect(output).toMatch(/minimum TLS +NOT ENFORCED/);
      expect(output).toMatch(/cdk-nag AwsSolutions: AwsSolutions-S10 Weak\/Plain[0-9A-F]{8} — .*SSL/);
      expect(output).toMatch(/NIST\.800\.53\.R5-S3BucketSSLRequestsOnly Weak\/Plain[0-9A-F]{8}/);
    });

    test('never overwrites a folder that is not a cloud assembly, nor takes stray words as the output folder', () => {
      const mine = fs.mkdtempSync(path.join(os.tmpdir(), 'users-own-'));
      fs.writeFileSync(path.join(mine, 'my-app.ts'), 'keep me');
      try {
        const overwrite = demo('--app', 'echo hi', mine);
        expect(overwrite.status).not.toBe(0);
        expect(overwrite.output).toContain(`${mine} exists and is not a cloud assembly (no manifest.json): refusing to overwrite it`);
        // an unquoted command split into words is refused before anything runs
        const split = demo('--app', 'npx', 'ts-node', path.join(mine, 'my-app.ts'));
        expect(split.status).not.toBe(0);
        expect(split.output).toContain('more than one output directory given');
        expect(fs.readFileSync(path.join(mine, 'my-app.ts'), 'utf-8')).toBe('keep me');
      } finally {
        fs.rmSync(mine, { recursive: true, force: true });
      }
    });
  });
});
