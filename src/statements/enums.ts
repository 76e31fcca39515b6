/**
 * The enums of the statements and constructs, in a file of their own: a
 * construct that needs only an enum imports nothing else.
 */

/**
 * The minimum TLS version a bucket accepts.
 *
 * Only TLS 1.2 and TLS 1.3 can be expressed: older versions are deprecated and
 * AWS endpoints have required TLS 1.2 or later since February 2024.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#example-object-tls-version
 */
export enum TlsVersion {
  /** TLS 1.2: requests over TLS 1.0 and 1.1 are denied. */
  TLS_1_2 = '1.2',
  /** TLS 1.3: requests over TLS 1.2 and older are denied. */
  TLS_1_3 = '1.3',
}

/**
 * How objects in a bucket are encrypted at rest by default.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
 */
export enum ServerSideEncryption {
  /**
   * SSE-KMS: server-side encryption with a customer-managed AWS KMS key.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
   */
  SSE_KMS = 'aws:kms',
  /**
   * DSSE-KMS: dual-layer server-side encryption with a customer-managed AWS KMS key.
   * S3 Bucket Keys do not apply to it.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingDSSEncryption.html
   */
  DSSE_KMS = 'aws:kms:dsse',
  /**
   * SSE-S3: server-side encryption with keys S3 owns and manages. No key policy
   * controls who decrypts, and no KMS audit trail records each use.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html
   */
  SSE_S3 = 'AES256',
}
