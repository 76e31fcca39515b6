/**
 * Where an {@link EncryptedBucket} writes the statements of its partner shares.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control
 */
export enum SharingMode {
  /**
   * In the bucket policy: one statement per access level, prefix and kind
   * of partner. A bucket policy holds at most 20 KB (about 550 partner
   * accounts); the key policy names the partner accounts too.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
   */
  BUCKET_POLICY = 'BUCKET_POLICY',

  /**
   * In the policies of S3 access points of the bucket (each at most 20 KB,
   * up to 10,000 access points per account and Region), one access point per
   * group of partners with the same access and prefix; the bucket policy
   * delegates access control to access points of its own account with one
   * statement, and the key policy lets S3 use the key for this bucket only,
   * for whomever the bucket and access point policies allow.
   *
   * Partners then read and write through the access point (its ARN or alias),
   * never with the bucket's name.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-restrictions-limitations-naming-rules.html
   */
  ACCESS_POINTS = 'ACCESS_POINTS',
}
