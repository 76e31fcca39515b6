import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { kmsActionsFor, S3_PREFIX_LIST_ACTIONS, s3ActionsFor } from './perms';
import { sidPartnerBucketAccess, sidPartnerKeyUse, sidPartnerPrefixListing } from './sids';
import { AccessLevel, Partner } from '../sharing/partner';
import { listOrOne, mergeConditions, partnerAccounts, partnerConditions, partnerKeyPolicyPrincipals, partnerPrincipals } from '../sharing/partner-policy';

/**
 * Partner statements of the resource policies (key policy, bucket policy):
 * what partners of one kind may do, through S3 only. Internal builders: they
 * take checked values (a non-empty list of partners of one kind, a valid
 * access level and prefix) and do not validate.
 */

/** The options of `DataProtectionStatements.allowPartnerKeyUse` (its `PartnerKeyUseOptions`). */
interface KeyUseOptions {
  readonly viaServices: string[];
  readonly bucketArn?: string;
  readonly sid?: string;
  /** The key's account, left out of organization shares; `AWS::AccountId` of the policy's stack by default. */
  readonly ownerAccount?: string;
}

/** The options of `DataProtectionStatements.allowPartnerBucketAccess` (its `PartnerBucketAccessOptions`). */
interface BucketAccessOptions {
  readonly prefix?: string;
  readonly sid?: string;
  /** What the statement names as its resources: the bucket by default, or an access point of it. */
  readonly target?: PartnerResourceTarget;
}

/** The resources a partner statement of a bucket names: the bucket itself, or an S3 access point of it (its own policy). */
export interface PartnerResourceTarget {
  /** The ARN of the bucket or the access point, for bucket-level actions. */
  readonly arn: string;
  /** The ARN of the objects a key pattern matches: `<bucket ARN>/<pattern>`, `<access point ARN>/object/<pattern>`. */
  objectsArn(keyPattern: string): string;
}

/** The bucket itself as the target of partner statements. */
function bucketTarget(bucket: s3.IBucket): PartnerResourceTarget {
  return { arn: bucket.bucketArn, objectsArn: (pattern) => bucket.arnForObjects(pattern) };
}

/**
 * Key policy: let partners use the key through `viaServices`, with the KMS actions of `access`.
 *
 * Account partners are named once, in `kms:CallerAccount`, under the principal
 * `{"AWS":"*"}` (see `Partner._keyPolicyPrincipals`): the form of the key
 * policies of AWS managed keys, "all principals of these accounts, through a
 * service". `kms:ViaService` and the bucket's encryption context narrow it further.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function allowPartnerKeyUse(partners: Partner[], access: AccessLevel, options: KeyUseOptions): iam.PolicyStatement {
  const kind = partners[0];
  const accounts = partnerAccounts(partners);
  const conditions = mergeConditions(
    {
      StringEquals: {
        'kms:ViaService': listOrOne(options.viaServices),
        ...(accounts.length > 0 ? { 'kms:CallerAccount': listOrOne(accounts) } : {}),
      },
    },
    partnerConditions(partners, options.ownerAccount),
    options.bucketArn !== undefined
      ? { StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': [options.bucketArn, `${options.bucketArn}/*`] } }
      : {},
  );
  return new iam.PolicyStatement({
    sid: options.sid ?? sidPartnerKeyUse(access, kind),
    effect: iam.Effect.ALLOW,
    principals: partnerKeyPolicyPrincipals(partners),
    actions: kmsActionsFor(access),
    resources: ['*'],
    conditions,
  });
}

/**
 * Bucket policy: let partners read or write objects (optionally under a prefix) with the S3 actions of `access`.
 *
 * Account partners stay account principals (`arn:aws:iam::<account>:root`,
 * 33 bytes each): no cheaper form is both documented as equivalent and
 * counted cheaper. A wildcard principal narrowed by `aws:PrincipalAccount` is
 * not among the fixed values that keep a bucket policy non-public for S3
 * Block Public Access, which would refuse the policy; a bare account id
 * (`"AWS": "222222222222"`, 15 bytes) is equivalent, but S3 stores it as the
 * account ARN, and nothing documents which of the two forms its 20 KB limit
 * counts.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
export function allowPartnerBucketAccess(
  bucket: s3.IBucket,
  partners: Partner[],
  access: AccessLevel,
  options: BucketAccessOptions = {},
): iam.PolicyStatement {
  const kind = partners[0];
  const target = options.target ?? bucketTarget(bucket);
  return new iam.PolicyStatement({
    sid: options.sid ?? sidPartnerBucketAccess(access, kind, options.prefix),
    effect: iam.Effect.ALLOW,
    principals: partnerPrincipals(partners),
    actions: s3ActionsFor(access, options.prefix !== undefined),
    resources: [target.arn, target.objectsArn(`${options.prefix ?? ''}*`)],
    conditions: nonEmpty(partnerConditions(partners, bucket.env.account)),
  });
}

/** Bucket policy: let partners list the object keys (and versions) under `prefix`, and only there. */
export function allowPartnerPrefixListing(
  bucket: s3.IBucket,
  partners: Partner[],
  access: AccessLevel,
  prefix: string,
  target: PartnerResourceTarget = bucketTarget(bucket),
): iam.PolicyStatement {
  const kind = partners[0];
  return new iam.PolicyStatement({
    sid: sidPartnerPrefixListing(access, kind, prefix),
    effect: iam.Effect.ALLOW,
    principals: partnerPrincipals(partners),
    actions: S3_PREFIX_LIST_ACTIONS,
    resources: [target.arn],
    conditions: mergeConditions({ StringLike: { 's3:prefix': `${prefix}*` } }, partnerConditions(partners, bucket.env.account)),
  });
}

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length > 0 ? o : undefined;
}
