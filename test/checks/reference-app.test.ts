import * as os from 'os';
import * as path from 'path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { findings } from './helpers';
import { buildDemoApp } from '../../demo/app';
import { CrossAccountConsumerPolicy, CrossAccountSharedKey, EncryptedBucket, TlsOnlyBucketPolicy, VpcEndpointAccess } from '../../src';
import { producerStack } from '../support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

const LIBRARY_CONSTRUCTS = [EncryptedBucket, CrossAccountSharedKey, TlsOnlyBucketPolicy, VpcEndpointAccess, CrossAccountConsumerPolicy];

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

  describe('VpcEndpointAccess', () => {
    test('in front of a default EncryptedBucket, with only its required props and an administrator of the account: zero findings', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'B');
      new VpcEndpointAccess(stack, 'Vpce', { vpc: new ec2.Vpc(stack, 'Vpc'), buckets: [bucket.bucket], administratorArns: [`arn:aws:iam::${stack.account}:role/Admin`] });
      expect(findings(app)).toEqual([]);
    });
  });
});
