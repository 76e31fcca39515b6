import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FactKey, StackFacts } from '../core/facts';
import { AccessLevel, Partner } from '../sharing/partner';
import { RegistrySource } from '../sharing/shares';

/** What sharing a bucket needs of the construct that owns the bucket's key (a `CrossAccountSharedKey`). */
export interface KeyOwner {
  /** The key owner's path, for messages and the report. */
  readonly node: { readonly path: string };
  /**
   * Grants `partner` use of the key through S3 for `bucket`, on the key
   * policy. `partner` and `access` are checked already (by
   * `EncryptedBucket.shareWith`), and so is the partner's account against
   * the bucket's.
   */
  _grantSharedBucket(partner: Partner, access: AccessLevel, bucket: s3.IBucket, source?: RegistrySource): void;
}

/** Which construct of this library owns a key, in the key's stack. */
const KEY_OWNERS = new FactKey<Map<kms.IKey, KeyOwner>>('kms.keyOwners', () => new Map());

/** Records the construct that owns a key, so sharing a bucket can grant on the key's policy. */
export function registerKeyOwner(key: kms.IKey, owner: KeyOwner): void {
  StackFacts.of(key).get(KEY_OWNERS).set(key, owner);
}

/** The construct of this library that owns a key, if any. */
export function keyOwnerOf(key: kms.IKey): KeyOwner | undefined {
  return StackFacts.of(key).get(KEY_OWNERS).get(key);
}
