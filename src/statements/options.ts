/*
 * The options of the DataProtectionStatements methods, in a file of their
 * own so the builders and the facade share them (re-exported by the index).
 */

/**
 * Options of {@link DataProtectionStatements.allowPartnerKeyUse}.
 */
export interface PartnerKeyUseOptions {
  /**
   * The services through which partners may use the key (`kms:ViaService`),
   * e.g. `s3.eu-west-1.amazonaws.com`. Partners can never call KMS directly.
   *
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   */
  readonly viaServices: string[];

  /**
   * Limit use of the key to objects of one bucket: the ARN of the bucket.
   * Adds `kms:EncryptionContext:aws:s3:arn` matching both the bucket ARN
   * (what S3 sends with an S3 Bucket Key) and `<bucket ARN>/*` (objects
   * written without a Bucket Key).
   *
   * @default - any bucket the partner reaches through `viaServices`
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
   */
  readonly bucketArn?: string;

  /**
   * The statement id.
   *
   * @default - `DataProtectionStatements.sidPartnerKeyUse(access, kind)`
   */
  readonly sid?: string;
}

/**
 * Options of {@link DataProtectionStatements.allowPartnerBucketAccess}.
 */
export interface PartnerBucketAccessOptions {
  /**
   * Limit access to object keys starting with this prefix, e.g. `incoming/`.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * The statement id.
   *
   * @default - `DataProtectionStatements.sidPartnerBucketAccess(access, kind, prefix)`
   */
  readonly sid?: string;
}

/**
 * Who a deny of data access from outside a VPC endpoint
 * ({@link DataProtectionStatements.denyDataAccessOutsideVpcEndpoints}) never
 * applies to, besides calls AWS services make (always exempt).
 */
export interface VpcEndpointExemptions {
  /**
   * Administrators and deployment roles, matched with `ArnNotLike` on
   * `aws:PrincipalArn` (role, user or root ARNs; wildcards allowed). A role
   * is matched by its ARN, whichever session uses it.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly principalArns: string[];

  /**
   * Accounts whose principals reach the bucket from their own networks
   * (`aws:PrincipalAccount`), e.g. partner accounts the bucket is shared with.
   *
   * @default - none
   */
  readonly accounts?: string[];

  /**
   * Organizations whose principals reach the bucket from their own networks
   * (`aws:PrincipalOrgID`).
   *
   * @default - none
   */
  readonly organizationIds?: string[];

  /**
   * Organizational unit paths whose principals reach the bucket from their
   * own networks (`aws:PrincipalOrgPaths`).
   *
   * @default - none
   */
  readonly organizationPaths?: string[];
}
