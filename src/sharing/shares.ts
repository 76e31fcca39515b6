import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, Partner, PrefixMatch } from './partner';
import { FactKey, StackFacts } from '../core/facts';

/** One partner share of one bucket. */
export interface ShareRecord {
  readonly partner: Partner;
  readonly access: AccessLevel;
  /** Object key prefix the share is limited to, e.g. `incoming/`; undefined for the whole bucket. */
  readonly prefix?: string;
  /** What the prefix matches (a folder, or a raw key-name prefix); undefined without a prefix. */
  readonly prefixMatch?: PrefixMatch;
}

/** The partner shares of each bucket, in the bucket's stack. */
const SHARES = new FactKey<Map<s3.IBucket, ShareRecord[]>>('sharing.shares', () => new Map());

/** Records a share, so other constructs (VpcEndpointAccess, the access report) can read it lazily. */
export function registerShare(bucket: s3.IBucket, share: ShareRecord): void {
  const shares = StackFacts.of(bucket).get(SHARES);
  // appended in place: copying the list on every share made n shares cost n² copies
  const recorded = shares.get(bucket);
  if (recorded) {
    recorded.push(share);
  } else {
    shares.set(bucket, [share]);
  }
}

/** The shares recorded for a bucket so far. Read it lazily (at synth), as shares may be added later. */
export function sharesOf(bucket: s3.IBucket): ShareRecord[] {
  return [...(StackFacts.of(bucket).get(SHARES).get(bucket) ?? [])];
}
