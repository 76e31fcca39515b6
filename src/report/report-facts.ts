import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { FactKey, StackFacts } from '../core/facts';

/** What the access report says of a bucket or key a construct of this library manages. */
export interface ManagedResource {
  /** Who manages it, as the report shows it: `EncryptedBucket Data/Exchange`. */
  readonly managedBy: string;
  /** The path the report shows for it (default: the resource's own path). */
  readonly path?: string;
  /** The key an `EncryptedBucket` encrypts the bucket under (also when the key is imported). */
  readonly encryptionKey?: kms.IKey;
}

/**
 * How strongly a construct's claim holds when several describe the same
 * resource: the construct that made the resource beats the one that only
 * adds a policy to it (lower wins; the first of equals wins).
 */
export enum ManagedRank {
  /** The construct made the resource (`EncryptedBucket`'s bucket, `CrossAccountSharedKey`'s key). */
  OWNER = 0,
  /** The construct points another resource at it (the server access log target of an `EncryptedBucket`). */
  USER = 1,
  /** The construct only adds statements to it (`TlsOnlyBucketPolicy`). */
  POLICY = 2,
}

const MANAGED = new FactKey<Map<IConstruct, { rank: ManagedRank; fact: ManagedResource }>>('report.managed', () => new Map());

/** Records what a construct of this library says of a bucket or key it manages. */
export function recordManaged(resource: IConstruct, rank: ManagedRank, fact: ManagedResource): void {
  const managed = StackFacts.of(resource).get(MANAGED);
  const current = managed.get(resource);
  if (!current || rank < current.rank) {
    managed.set(resource, { rank, fact });
  }
}

/** What a construct of this library said of a bucket or key, if any did. */
export function managedOf(resource: IConstruct): ManagedResource | undefined {
  return StackFacts.of(resource).get(MANAGED).get(resource)?.fact;
}
