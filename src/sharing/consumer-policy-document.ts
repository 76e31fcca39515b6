import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLevel } from './partner';
import { DataProtectionStatements } from '../statements/data-protection-statements';

/**
 * The identity policy a partner attaches to use a shared bucket: S3 actions
 * on exactly that bucket (or prefix), KMS actions on exactly that key, only
 * through S3 in the key's Region, only for that bucket's objects.
 */
export function consumerPolicyDocument(
  bucketArn: string,
  keyArn: string,
  access: AccessLevel,
  prefix: string | undefined,
  viaService: string,
): iam.PolicyDocument {
  const statements = [DataProtectionStatements.allowSharedBucketAccess(bucketArn, access, prefix)];
  if (prefix !== undefined && access !== AccessLevel.WRITE) {
    statements.push(DataProtectionStatements.allowSharedPrefixListing(bucketArn, prefix));
  }
  statements.push(DataProtectionStatements.allowSharedKeyUse(keyArn, access, viaService, bucketArn));
  return new iam.PolicyDocument({ statements });
}
