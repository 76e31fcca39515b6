/**
 * How many partner accounts one key policy and one bucket policy can serve,
 * with our constructs (merged statements) and with naive aws-cdk-lib grants
 * (one statement per partner).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, ServerAccessLogs } from '../src';
import { ENV } from './apps';
import { deployedSize } from '../src/analysis/size';
import { BUCKET_POLICY_MAX_BYTES, KEY_POLICY_MAX_BYTES } from '../src/core/validation';

export type Which = 'key' | 'bucket';
export type Variant = 'ours' | 'naive';

const account = (i: number) => String(200000000000 + i);

/** The policy size in bytes (as AWS sees it) with n READ partners. */
export function policySize(variant: Variant, which: Which, n: number): number {
  const app = new App();
  const stack = new Stack(app, 'Scale', { env: ENV });
  if (variant === 'ours') {
    if (which === 'key') {
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = s3.Bucket.fromBucketName(stack, 'Target', 'partner-exchange');
      for (let i = 0; i < n; i++) key.grantPartner(Partner.account(account(i)), { access: AccessLevel.READ, bucket });
      return deployedSize(stack, stack.resolve(key.policy.toJSON()));
    }
    const bucket = new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.disabled('bench') });
    for (let i = 0; i < n; i++) bucket.shareWith(Partner.account(account(i)), AccessLevel.READ);
    return deployedSize(stack, stack.resolve(bucket.bucket.policy!.document.toJSON()));
  }
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  if (which === 'key') {
    for (let i = 0; i < n; i++) key.grantDecrypt(new iam.AccountPrincipal(account(i)));
    return deployedSize(stack, stack.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy));
  }
  const bucket = new s3.Bucket(stack, 'Data', { encryptionKey: key, enforceSSL: true });
  for (let i = 0; i < n; i++) bucket.grantRead(new iam.AccountPrincipal(account(i)));
  return deployedSize(stack, stack.resolve(bucket.policy!.document.toJSON()));
}

/** Whether synthesizing n READ partners with our constructs fails with our size error. */
export function oursRefuses(which: Which, n: number): { refused: boolean; message?: string } {
  const app = new App();
  const stack = new Stack(app, 'Scale', { env: ENV });
  if (which === 'key') {
    const key = new CrossAccountSharedKey(stack, 'Key');
    const bucket = s3.Bucket.fromBucketName(stack, 'Target', 'partner-exchange');
    for (let i = 0; i < n; i++) key.grantPartner(Partner.account(account(i)), { access: AccessLevel.READ, bucket });
  } else {
    const bucket = new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.disabled('bench') });
    for (let i = 0; i < n; i++) bucket.shareWith(Partner.account(account(i)), AccessLevel.READ);
  }
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
