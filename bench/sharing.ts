/**
 * How many partner accounts one key policy and one bucket policy can serve,
 * with our constructs (merged statements) and with naive aws-cdk-lib grants
 * (one statement per partner).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { accessPointSharing } from './access-points';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, ServerAccessLogs } from '../src';
import { ENV } from './apps';
import { deployedSize } from '../src/analysis/size';
import { BUCKET_POLICY_MAX_BYTES, KEY_POLICY_MAX_BYTES } from '../src/core/validation';

export type Which = 'key' | 'bucket';
export type Variant = 'ours' | 'naive';

const account = (i: number) => String(200000000000 + i);

/** A stack that shares one key or one bucket with n READ partner accounts, and how to read the shared policy. */
export interface Sharing {
  readonly app: App;
  readonly stack: Stack;
  /** The shared policy (key policy or bucket policy) as resolved, before synthesis. */
  policy(): unknown;
}

/**
 * Builds a stack sharing one policy with n READ partners: ours with
 * `CrossAccountSharedKey.grantPartner` (key) or `EncryptedBucket.shareWith`
 * (bucket), naive with `key.grantDecrypt` / `bucket.grantRead` of an
 * `iam.AccountPrincipal` per partner.
 */
export function buildSharing(variant: Variant, which: Which, n: number, app: App = new App()): Sharing {
  const stack = new Stack(app, 'Scale', { env: ENV });
  if (variant === 'ours') {
    if (which === 'key') {
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = s3.Bucket.fromBucketName(stack, 'Target', 'partner-exchange');
      for (let i = 0; i < n; i++) key.grantPartner(Partner.account(account(i)), { access: AccessLevel.READ, bucket });
      return { app, stack, policy: () => stack.resolve(key.policy.toJSON()) };
    }
    const bucket = new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.disabled('bench') });
    for (let i = 0; i < n; i++) bucket.shareWith(Partner.account(account(i)), AccessLevel.READ);
    return { app, stack, policy: () => stack.resolve(bucket.bucket.policy!.document.toJSON()) };
  }
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  if (which === 'key') {
    for (let i = 0; i < n; i++) key.grantDecrypt(new iam.AccountPrincipal(account(i)));
    return { app, stack, policy: () => stack.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy) };
  }
  const bucket = new s3.Bucket(stack, 'Data', { encryptionKey: key, enforceSSL: true });
  for (let i = 0; i < n; i++) bucket.grantRead(new iam.AccountPrincipal(account(i)));
  return { app, stack, policy: () => stack.resolve(bucket.policy!.document.toJSON()) };
}

/** The policy size in bytes (as AWS sees it) with n READ partners. */
export function policySize(variant: Variant, which: Which, n: number): number {
  const { stack, policy } = buildSharing(variant, which, n);
  return deployedSize(stack, policy());
}

/** Whether synthesizing n READ partners with our constructs fails with our size error. */
export function oursRefuses(which: Which, n: number): { refused: boolean; message?: string } {
  const { app } = buildSharing('ours', which, n);
  try {
    app.synth();
    return { refused: false };
  } catch (e) {
    return { refused: true, message: (e as Error).message.split('\n')[0] };
  }
}

export function limitOf(which: Which): number {
  return which === 'key' ? KEY_POLICY_MAX_BYTES : BUCKET_POLICY_MAX_BYTES;
}

/** The largest n whose policy fits the limit (sizes grow with n). */
export function maxPartners(variant: Variant, which: Which): { n: number; bytesAtN: number; bytesPerPartner: number } {
  const limit = limitOf(which);
  let lo = 0;
  let hi = 1;
  while (policySize(variant, which, hi) <= limit) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (policySize(variant, which, mid) <= limit) lo = mid;
    else hi = mid;
  }
  const bytesAtN = policySize(variant, which, lo);
  const base = policySize(variant, which, 1);
  return { n: lo, bytesAtN, bytesPerPartner: lo > 1 ? (bytesAtN - base) / (lo - 1) : bytesAtN };
}

/**
 * The bytes one more partner account costs in the form ours writes, at the
 * least: a key policy names it once, in `kms:CallerAccount` under the principal
 * `{"AWS":"*"}` (`"222222222222",`, 15 bytes); a bucket policy as an account
 * principal (`"arn:aws:iam::222222222222:root",`, 33 bytes: the form S3 stores).
 */
export const MIN_BYTES_PER_ACCOUNT: Record<Which, number> = { key: 15, bucket: 33 };

/**
 * The physical limit of the form: the most accounts that fit the AWS limit at
 * `MIN_BYTES_PER_ACCOUNT` each, on top of the fixed overhead (the policy with
 * two partners, less their accounts: every other statement, the partner
 * statement's own Sid, actions, resources and conditions).
 */
export function physicalLimit(which: Which): { n: number; fixedBytes: number } {
  const perAccount = MIN_BYTES_PER_ACCOUNT[which];
  const fixedBytes = policySize('ours', which, 2) - 2 * perAccount;
  return { n: Math.floor((limitOf(which) - fixedBytes) / perAccount), fixedBytes };
}

/**
 * Access-point mode: `EncryptedBucket` with `sharingMode: SharingMode.ACCESS_POINTS`, where the bucket policy
 * delegates to access points and each access point policy names a group of partners (bench/access-points.ts).
 * Measures 5,000 READ partner accounts under one prefix: the accounts one bucket serves that way (10,000 access
 * points per account and Region are the next limit), the bytes per partner in the largest access point policy,
 * and the time from construction to the end of `app.synth()`.
 */
export function accessPointsCapacity(n = 5000): { n: number; bytesPerPartner: number; note: string } {
  accessPointSharing(100); // warm up the module cache
  const r = accessPointSharing(n);
  const perPoint = Math.ceil(n / r.accessPoints);
  return {
    n,
    bytesPerPartner: r.largestPolicyBytes / perPoint,
    note: `synthesizes in ${(r.millis / 1000).toFixed(2)} s: ${r.accessPoints} access points, largest policy ${r.largestPolicyBytes} B, ` +
      `bucket policy ${r.bucketPolicyBytes} B, key policy ${r.keyPolicyBytes} B`,
  };
}
