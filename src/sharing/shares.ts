import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, Partner } from './partner';

/** One partner share of one bucket. */
export interface ShareRecord {
  readonly partner: Partner;
  readonly access: AccessLevel;
  /** Object key prefix the share is limited to, e.g. `incoming/`; undefined for the whole bucket. */
  readonly prefix?: string;
}

const SHARES = new WeakMap<s3.IBucket, ShareRecord[]>();

/** Records a share, so other constructs (VpcEndpointAccess, the access report) can read it lazily. */
export function registerShare(bucket: s3.IBucket, share: ShareRecord): void {
  const list = SHARES.get(bucket) ?? [];
  list.push(share);
  SHARES.set(bucket, list);
}

/** The shares recorded for a bucket so far. Read it lazily (at synth), as shares may be added later. */
export function sharesOf(bucket: s3.IBucket): ShareRecord[] {
  return [...(SHARES.get(bucket) ?? [])];
}
