import * as kms from 'aws-cdk-lib/aws-kms';
import type { CrossAccountSharedKey } from './cross-account-shared-key';

/** Which `CrossAccountSharedKey` created a key, so sharing a bucket can grant on the key's policy. */
const OWNERS = new WeakMap<kms.IKey, CrossAccountSharedKey>();

/** Records the `CrossAccountSharedKey` that owns a key. */
export function registerKeyOwner(key: kms.IKey, owner: CrossAccountSharedKey): void {
  OWNERS.set(key, owner);
}

/** The `CrossAccountSharedKey` that owns a key, if any. */
export function keyOwnerOf(key: kms.IKey): CrossAccountSharedKey | undefined {
  return OWNERS.get(key);
}
