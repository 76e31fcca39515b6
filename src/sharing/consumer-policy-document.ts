import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLevel } from './partner';
import { allowSharedBucketAccess, allowSharedKeyUse, allowSharedPrefixListing } from '../statements/partner-identity';

/**
 * The identity policy a partner attaches to use a shared bucket: S3 actions
 * on exactly that bucket (or prefix), KMS actions on exactly that key, only
 * through S3 in the key's Region, only for that bucket's objects. The values
 * are checked by the caller (`CrossAccountConsumerPolicy`, `EncryptedBucket`).
 */
export function consumerPolicyDocument(
  bucketArn: string,
  keyArn: string,
  access: AccessLevel,
  prefix: string | undefined,
  viaService: string,
): iam.PolicyDocument {
  const statements = [allowSharedBucketAccess(bucketArn, access, prefix)];
  if (prefix !== undefined && access !== AccessLevel.WRITE) {
    statements.push(allowSharedPrefixListing(bucketArn, prefix));
  }
  statements.push(allowSharedKeyUse(keyArn, access, viaService, bucketArn));
  return new iam.PolicyDocument({ statements });
}
