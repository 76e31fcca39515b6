/**
 * Action lists of `VpcEndpointAccess`, kept apart from the statements that
 * use them. Nothing here is re-exported.
 */

/**
 * Object and listing access: what a bucket-policy deny of access from outside
 * the VPC endpoint covers. Bucket configuration, and in particular
 * `s3:GetBucketPolicy`, `s3:PutBucketPolicy` and `s3:DeleteBucketPolicy`, is
 * deliberately not in the list, so no one is ever locked out of the bucket
 * policy by a network condition.
 */
export const S3_DATA_ACTIONS = [
  's3:GetObject*',
  's3:PutObject*',
  's3:DeleteObject*',
  's3:RestoreObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:ListBucketMultipartUploads',
];

/** The bucket-policy actions no network condition of this library may ever cover. */
export const S3_POLICY_MANAGEMENT_ACTIONS = ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'];

/** Cryptographic use of a KMS key (what a direct-use restriction covers; key management is not in it). */
export const KMS_CRYPTO_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** What callers in the VPC may do with the protected keys through the KMS endpoint. */
export const KMS_ENDPOINT_ACTIONS = [...KMS_CRYPTO_ACTIONS, 'kms:DescribeKey'];

