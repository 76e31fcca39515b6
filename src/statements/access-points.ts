import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { kmsActionsFor, S3_PREFIX_LIST_ACTIONS, s3ActionsFor } from './perms';
import { SID_DELEGATE_TO_OWN_ACCESS_POINTS, sidS3AuthorizedKeyUse } from './sids';
import { AccessLevel } from '../sharing/partner';

/**
 * The statements of a bucket shared through S3 access points
 * (`SharingMode.ACCESS_POINTS`). The partners are named in the access point
 * policies, by the partner builders of `partner-resource.ts`; these are the
 * two statements that name no partner. Internal builders: checked input.
 */

/**
 * The S3 actions a partner share can grant through an access point: reads,
 * writes and listing, never deletion or bucket management.
 */
export function accessPointShareActions(): string[] {
  return [...new Set([...s3ActionsFor(AccessLevel.READ_WRITE, false), ...S3_PREFIX_LIST_ACTIONS])];
}

/**
 * Bucket policy: requests made through an access point of the bucket's own
 * account are allowed as far as the access point's policy allows them (S3
 * evaluates both). Limited to the actions partner shares grant, rather
 * than the `*` of AWS's example: an access point policy of the account can
 * then never reach deletion or bucket management through this statement.
 *
 * `{"AWS":"*"}` fixed by `s3:DataAccessPointAccount` is not public under
 * S3 Block Public Access.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
export function delegateToOwnAccessPoints(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DELEGATE_TO_OWN_ACCESS_POINTS,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: accessPointShareActions(),
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: { StringEquals: { 's3:DataAccessPointAccount': bucket.env.account } },
  });
}

/**
 * Key policy: S3 may use the key on behalf of any principal, only for the
 * objects of one bucket. Too many partners to name in a key policy share
 * such a bucket through access points; who may read or write is then
 * decided by S3 (the bucket policy delegates to the access points, whose
 * policies name the partners), and the key follows S3's decision:
 * `kms:ViaService` keeps KMS from being called directly, and the
 * encryption context `aws:s3:arn`, which S3 sets to the bucket (with an S3
 * Bucket Key) or object ARN and a caller cannot choose through S3, is
 * required (`StringLike`, not `IfExists`) to be this bucket's.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function allowS3AuthorizedKeyUse(access: AccessLevel, viaService: string, bucketArn: string, scope: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidS3AuthorizedKeyUse(access, scope),
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: kmsActionsFor(access),
    resources: ['*'],
    conditions: {
      StringEquals: { 'kms:ViaService': viaService },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
    },
  });
}
