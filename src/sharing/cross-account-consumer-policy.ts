import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkOptions, ownerAccountOf } from './consumer-options';
import { consumerPolicyDocument } from './consumer-policy-document';
import { AccessLevel, PrefixMatch } from './partner';
import { registerConsumerPolicy } from './shares';
import { StackFacts } from '../core/facts';
import { acknowledgeWildcardResources } from '../core/nag';
import { each, GROUP, optionalArrayOf, ROLE, USER } from '../core/props';
import { registerStackLimits } from '../core/stack-limits';
import { registerForReport } from '../report/report-registry';

/**
 * What a partner was given: the shared bucket, its key and the access level.
 * The same options give the IAM policy as a construct
 * ({@link CrossAccountConsumerPolicy}) or as JSON
 * ({@link CrossAccountConsumerPolicy.policyJson}).
 */
export interface CrossAccountConsumerPolicyOptions {
  /**
   * The shared bucket's ARN, e.g. `arn:aws:s3:::producer-exchange`.
   *
   * In a CDK app holding both stacks, the producer's `bucket.bucketArn`
   * works when the producer stack has a concrete environment
   * (`env: { account, region }`) or is the consumer's own stack.
   *
   * @throws if it is not an S3 bucket ARN, or refers to a bucket of an environment-agnostic stack other than the consumer's
   */
  readonly bucketArn: string;

  /**
   * The full ARN of the KMS key the bucket is encrypted under, e.g.
   * `arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`.
   * The Region of `kms:ViaService` is taken from it.
   *
   * In a CDK app holding both stacks, pass the producer's `keyArn`: when the
   * producer is in another account or Region (where a CloudFormation export
   * cannot reach), the policy names `arn:aws:kms:<region>:<producer account>:key/*`,
   * still bound to S3 in that Region and to the bucket's encryption context.
   * A deploy-time value (a `CfnParameter`, an import) is split at deployment
   * to find the key's Region.
   *
   * @throws if it is an alias, a bare key id or an AWS-managed key
   */
  readonly keyArn: string;

  /** What the partner may do. */
  readonly access: AccessLevel;

  /**
   * Object key prefix the share is limited to, e.g. `incoming/`: a folder,
   * ending with `/`, unless `prefixMatch` is `PrefixMatch.KEY_NAME`.
   *
   * @default - the whole bucket
   * @throws if empty, starting with `/`, holding `*` or `?`, or not ending with `/` as a folder
   */
  readonly prefix?: string;

  /**
   * What `prefix` matches: a folder (`PrefixMatch.FOLDER`, the prefix ends
   * with `/`) or every key whose name starts with it (`PrefixMatch.KEY_NAME`).
   *
   * @default PrefixMatch.FOLDER
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
   */
  readonly prefixMatch?: PrefixMatch;

  /**
   * The partner encrypts and decrypts the objects itself with the Amazon S3
   * Encryption Client (client-side encryption, CSE): a second key statement
   * lets it call KMS directly (`kms:GenerateDataKey` to write, `kms:Decrypt`
   * to read), scoped to the encryption context the client sends
   * (`kms:EncryptionContext:aws:x-amz-cek-alg`) instead of S3's
   * `kms:ViaService`; the statement through S3 stays, as S3 still encrypts
   * the uploaded (already encrypted) objects at rest under the bucket's key.
   * The producer grants it with `CrossAccountSharedKey.grantPartnerClientSideEncryption`
   * (and `EncryptedBucket.shareWith` for the bucket).
   *
   * @default false
   * @see https://docs.aws.amazon.com/amazon-s3-encryption-client/latest/developerguide/what-is-s3-encryption-client.html
   */
  readonly clientSideEncryption?: boolean;

  /**
   * The ARN of the S3 access point the bucket is shared through
   * (`EncryptedBucket` with `sharingMode: SharingMode.ACCESS_POINTS`), e.g.
   * `arn:aws:s3:eu-west-1:111111111111:accesspoint/exchange-r-1a2b3c4d-1`:
   * the S3 statements then name the access point and its objects
   * (`<ARN>/object/<prefix>*`) instead of the bucket, and the partner reads
   * and writes through the access point (its ARN or alias).
   *
   * @default - the bucket is shared in its bucket policy
   * @throws if it is not an S3 access point ARN
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
   */
  readonly accessPointArn?: string;
}

/**
 * Properties of a {@link CrossAccountConsumerPolicy}.
 */
export interface CrossAccountConsumerPolicyProps extends CrossAccountConsumerPolicyOptions {
  /**
   * Roles the policy is attached to.
   *
   * @default - none
   */
  readonly roles?: iam.IRole[];

  /**
   * Users the policy is attached to.
   *
   * @default - none
   */
  readonly users?: iam.IUser[];

  /**
   * Groups the policy is attached to.
   *
   * @default - none (attach `policy` later)
   */
  readonly groups?: iam.IGroup[];
}

/**
 * The IAM policy a partner account needs to use a bucket shared with it by
 * another account: the third allow of a cross-account read or write, beside
 * the producer's bucket policy and key policy.
 *
 * S3 actions on exactly the shared bucket (or prefix); KMS actions on
 * exactly the bucket's key, only through S3 in the key's Region
 * (`kms:ViaService`) and only for the bucket's objects
 * (`kms:EncryptionContext:aws:s3:arn`). No `"*"` resource.
 *
 * @example
 * new CrossAccountConsumerPolicy(this, 'PartnerAccess', {
 *   bucketArn: 'arn:aws:s3:::producer-exchange',
 *   keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 *   access: AccessLevel.READ,
 *   roles: [readerRole],
 * });
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
 */
export class CrossAccountConsumerPolicy extends Construct {
  /**
   * The policy document for the options given. Unresolved values (tokens)
   * are kept as such.
   *
   * @param options the shared bucket, key and access
   * @throws if an option is invalid
   */
  public static policyDocument(options: CrossAccountConsumerPolicyOptions): iam.PolicyDocument {
    const { bucketArn, keyArn, viaService } = checkOptions(options);
    const { access, prefix, clientSideEncryption, accessPointArn } = options;
    return consumerPolicyDocument(bucketArn, keyArn, access, prefix, viaService, undefined, clientSideEncryption, accessPointArn);
  }

  /**
   * The policy as JSON, for partners who do not use CDK: attach it to the
   * roles or users that read or write the shared bucket.
   *
   * @param options the shared bucket, key and access (resolved strings)
   * @throws if an option is invalid or unresolved (use `policyDocument` for tokens)
   */
  public static policyJson(options: CrossAccountConsumerPolicyOptions): string {
    for (const [name, value] of Object.entries({ bucketArn: options?.bucketArn, keyArn: options?.keyArn, prefix: options?.prefix })) {
      if (typeof value === 'string' && Token.isUnresolved(value)) {
        throw new Error(`${name} is unresolved (a token): policyJson needs concrete ARNs. Use CrossAccountConsumerPolicy.policyDocument, or the construct, inside a CDK app.`);
      }
    }
    return JSON.stringify(CrossAccountConsumerPolicy.policyDocument(options).toJSON(), undefined, 2);
  }

  /** The managed policy. */
  public readonly policy: iam.ManagedPolicy;
  /** The key ARN the policy names (`.../key/*` when the producer's key is in another environment). */
  public readonly keyArn: string;
  /** The bucket ARN the policy names. */
  public readonly bucketArn: string;
  /** The access point ARN the policy names, when the bucket is shared through one. */
  public readonly accessPointArn?: string;

  constructor(scope: Construct, id: string, props: CrossAccountConsumerPolicyProps) {
    super(scope, id);
    registerForReport(this);
    registerStackLimits(this);
    const { bucketArn, keyArn, viaService } = checkOptions(props, this);
    optionalArrayOf('roles', props.roles, each(ROLE), 'an array of iam.IRole');
    optionalArrayOf('users', props.users, each(USER), 'an array of iam.IUser');
    optionalArrayOf('groups', props.groups, each(GROUP), 'an array of iam.IGroup');
    this.keyArn = keyArn;
    this.bucketArn = bucketArn;
    this.accessPointArn = props.accessPointArn;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Access to a bucket and key shared by another account (cdk-data-protection CrossAccountConsumerPolicy)',
      document: consumerPolicyDocument(
        bucketArn, keyArn, props.access, props.prefix, viaService, undefined, props.clientSideEncryption, props.accessPointArn,
      ),
      roles: props.roles,
      users: props.users,
      groups: props.groups,
    });
    registerConsumerPolicy({ policy: this.policy, ownerAccount: ownerAccountOf(props.bucketArn, props.keyArn) });
    // cdk-nag reports each wildcard resource as its own finding
    // (AwsSolutions-IAM5[Resource::<flattened ARN>]); the ARNs are final only
    // once cross-stack references are resolved, so they are acknowledged
    // during synthesis, each by its exact id.
    StackFacts.of(this).addCheck(
      () => {
        acknowledgeWildcardResources(
          this.policy,
          this.policy.document,
          'Object-level S3 actions need the <bucket ARN>/<prefix>* resource; the KMS resource is the shared key (or key/* of the producer account when its id is unknown at synthesis), bound to S3 and to the bucket by conditions.',
        );
        return [];
      },
      { scope: this },
    );
  }
}

