import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ErrorName, throwValidationError } from './errors';
import { EncryptedBucket } from '../s3/encrypted-bucket';
import { ServerSideEncryption } from '../statements/enums';

/** How a service that writes SSE-KMS objects into an EncryptedBucket names the bucket in its errors. */
export interface KeyedBucketUse {
  /** The prop that holds the bucket, e.g. `destination`. */
  readonly prop: string;
  /** The error name. */
  readonly error: ErrorName;
  /** What the service writes, e.g. `the delivery stream writes SSE-KMS objects`. */
  readonly writes: string;
  /** Why another key fails, e.g. `the delivered objects and the stream must be under one key`. */
  readonly otherKey: string;
  /** The fix for a bucket that is not an EncryptedBucket. */
  readonly notEncryptedBucketFix: string;
  /** What `environment` says when the bucket is of another account or Region; unset: not checked. */
  readonly otherEnvironment?: string;
}

/** The enum member's name of an encryption, e.g. `ServerSideEncryption.SSE_S3 (AES256)`. */
function encryptionName(encryption: ServerSideEncryption): string {
  const name = Object.entries(ServerSideEncryption).find(([, v]) => v === encryption)?.[0];
  return name ? `ServerSideEncryption.${name} (${encryption})` : String(encryption);
}

/**
 * Throws unless `bucket` is an EncryptedBucket with SSE-KMS under `key`
 * (the same key construct, or a key of the same ARN), and, when
 * `use.otherEnvironment` is set, of `scope`'s account and Region.
 */
export function validateKeyedBucket(scope: Construct, bucket: EncryptedBucket, key: kms.IKey, use: KeyedBucketUse): void {
  if (!(bucket instanceof EncryptedBucket)) {
    const shown = (bucket as unknown) instanceof Construct ? (bucket as unknown as Construct).node.path : JSON.stringify(bucket);
    throwValidationError(
      use.error,
      `${use.prop} must be an EncryptedBucket, got ${shown}: ${use.writes} under encryptionKey, which only an EncryptedBucket under that key promises to keep (and denies uploads under another key). ` +
        use.notEncryptedBucketFix,
      scope,
    );
  }
  const stack = Stack.of(scope);
  if (use.otherEnvironment !== undefined) {
    const bucketStack = Stack.of(bucket);
    const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
    if (differs(bucketStack.account, stack.account) || differs(bucketStack.region, stack.region)) {
      throwValidationError(
        use.error,
        `${use.prop} ${bucket.node.path} is in account ${bucketStack.account}, Region ${bucketStack.region}, but ${scope.node.path} is in account ${stack.account}, Region ${stack.region}: ` +
          use.otherEnvironment,
        scope,
      );
    }
  }
  if (bucket.encryption !== ServerSideEncryption.SSE_KMS || !bucket.encryptionKey) {
    throwValidationError(
      use.error,
      `${use.prop} ${bucket.node.path} is encrypted with ${encryptionName(bucket.encryption)}, not SSE-KMS: ${use.writes} under encryptionKey, which the bucket's policy would deny. ` +
        'Create the bucket with encryption: ServerSideEncryption.SSE_KMS and encryptionKey: the same key.',
      scope,
    );
  }
  const arnOf = (k: kms.IKey) => JSON.stringify(stack.resolve(k.keyArn));
  if (bucket.encryptionKey !== key && arnOf(bucket.encryptionKey) !== arnOf(key)) {
    throwValidationError(
      use.error,
      `${use.prop} ${bucket.node.path} is encrypted under ${bucket.encryptionKey.node.path} (${arnOf(bucket.encryptionKey)}), but encryptionKey is ${key.node.path} (${arnOf(key)}): ` +
        `${use.otherKey}. Pass the bucket's key as encryptionKey (${use.prop}.encryptionKey), or create the bucket with encryptionKey: the same key.`,
      scope,
    );
  }
}
