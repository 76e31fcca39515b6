import * as iam from 'aws-cdk-lib/aws-iam';
import { kmsActionsFor, S3_PREFIX_LIST_ACTIONS, s3ActionsFor } from './perms';
import { sidSharedBucketAccess, sidSharedKeyUse, sidSharedPrefixListing } from './sids';
import { AccessLevel } from '../sharing/partner';

/**
 * Partner statements of the identity policy a partner attaches on its side
 * (the mirror of the partner resource statements). Internal builders: they
 * take checked values and do not validate.
 */

/**
 * The S3 actions of `access` on a shared bucket of another account (optionally under a prefix).
 * `sidScope` names the bucket (and prefix) in the Sid (see `sharedSidPart`); the public facade gives none.
 */
export function allowSharedBucketAccess(
  bucketArn: string,
  access: AccessLevel,
  prefix?: string,
  sidScope?: string,
  accessPointArn?: string,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidSharedBucketAccess(access, sidScope),
    effect: iam.Effect.ALLOW,
    actions: s3ActionsFor(access, prefix !== undefined),
    resources: accessPointArn !== undefined ? [accessPointArn, `${accessPointArn}/object/${prefix ?? ''}*`] : [bucketArn, `${bucketArn}/${prefix ?? ''}*`],
  });
}

/** List the shared bucket under `prefix` only. */
export function allowSharedPrefixListing(bucketArn: string, prefix: string, sidScope?: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidSharedPrefixListing(sidScope),
    effect: iam.Effect.ALLOW,
    actions: S3_PREFIX_LIST_ACTIONS,
    resources: [bucketArn],
    conditions: { StringLike: { 's3:prefix': `${prefix}*` } },
  });
}

/** Use the shared bucket's key through S3 only, for that bucket's objects only. */
export function allowSharedKeyUse(
  keyArn: string,
  access: AccessLevel,
  viaService: string,
  bucketArn: string,
  sidScope?: string,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidSharedKeyUse(access, sidScope),
    effect: iam.Effect.ALLOW,
    actions: kmsActionsFor(access),
    resources: [keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': viaService },
      StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
    },
  });
}
