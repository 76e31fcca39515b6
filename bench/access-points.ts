/**
 * Sharing beyond the bucket policy: `EncryptedBucket` with
 * `sharingMode: SharingMode.ACCESS_POINTS`, n READ partner accounts under
 * one prefix, timed from construction to the end of `app.synth()` (the
 * pack's checks, the guarantees and the access report included).
 *
 * `npx ts-node -P bench/tsconfig.json bench/access-points.ts [n]` prints one line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ENV } from './apps';
import { AccessLevel, EncryptedBucket, Partner, ServerAccessLogs, SharingMode } from '../src';
import { deployedSize } from '../src/analysis/size';

/** What one run measured. */
export interface AccessPointSharing {
  readonly partners: number;
  readonly accessPoints: number;
  /** Construction and synthesis, milliseconds. */
  readonly millis: number;
  /** The largest access point policy, bytes as S3 counts them (partition resolved). */
  readonly largestPolicyBytes: number;
  readonly bucketPolicyBytes: number;
  readonly keyPolicyBytes: number;
}

/** Shares one bucket through access points with n READ partner accounts and synthesizes it. */
export function accessPointSharing(n: number): AccessPointSharing {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-access-points-'));
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  const stack = new Stack(app, 'Scale', { env: ENV });
  const bucket = new EncryptedBucket(stack, 'Data', { sharingMode: SharingMode.ACCESS_POINTS, serverAccessLogs: ServerAccessLogs.disabled('bench') });
  for (let i = 0; i < n; i++) bucket.shareWith(Partner.account(String(200000000000 + i)), AccessLevel.READ, { prefix: 'published/' });
  const template = app.synth().getStackByName(stack.stackName).template;
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  const resources = Object.values<any>(template.Resources);
  const points = resources.filter((r) => r.Type === 'AWS::S3::AccessPoint');
  const size = (doc: unknown) => deployedSize(stack, doc);
  fs.rmSync(outdir, { recursive: true, force: true });
  return {
    partners: n,
    accessPoints: points.length,
    millis,
    largestPolicyBytes: Math.max(...points.map((p) => size(p.Properties.Policy))),
    bucketPolicyBytes: size(resources.find((r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r).includes('DelegateToOwnAccountAccessPoints')).Properties.PolicyDocument),
    keyPolicyBytes: size(resources.find((r) => r.Type === 'AWS::KMS::Key').Properties.KeyPolicy),
  };
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 5000);
  accessPointSharing(100); // warm up the module cache
  const r = accessPointSharing(n);
  console.log(
    `${r.partners} partner accounts, ${r.accessPoints} access points: ${(r.millis / 1000).toFixed(2)} s (construction + app.synth()); ` +
      `largest access point policy ${r.largestPolicyBytes} B of 20480, bucket policy ${r.bucketPolicyBytes} B, key policy ${r.keyPolicyBytes} B`,
  );
}
