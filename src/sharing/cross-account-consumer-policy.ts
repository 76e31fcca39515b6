import { Arn, ArnFormat, Fn, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { consumerPolicyDocument } from './consumer-policy-document';
import { AccessLevel, PrefixMatch } from './partner';
import { physicalBucketName, s3ViaService, validateAccess, validatePrefix, validatePrefixMatch } from './partner-policy';
import { registerConsumerPolicy } from './shares';
import { StackFacts } from '../core/facts';
import { acknowledgeWildcardResources } from '../core/nag';
import { each, GROUP, optionalArrayOf, optionalBoolean, ROLE, USER } from '../core/props';
import { registerStackLimits } from '../core/stack-limits';
import { validateBucketName, validateKeyArn } from '../core/validation';
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

interface CheckedOptions {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly viaService: string;
}

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([^/:]+)$/;
/** An S3 access point ARN: Region, account and a valid access point name. */
const ACCESS_POINT_ARN = /^arn:aws[a-z-]*:s3:[a-z0-9-]+:\d{12}:accesspoint\/[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/;

function checkOptions(options: CrossAccountConsumerPolicyOptions, scope?: Construct): CheckedOptions {
  if (!options || typeof options !== 'object') {
    throw new Error(`options must be { bucketArn, keyArn, access, prefix?, prefixMatch? }, got ${JSON.stringify(options)}`);
  }
  validateAccess('access', options.access, scope);
  validatePrefixMatch('prefixMatch', options.prefixMatch, scope);
  validatePrefix('prefix', options.prefix, scope, options.prefixMatch);
  optionalBoolean('clientSideEncryption', options.clientSideEncryption);
  const { bucketArn, keyArn, accessPointArn } = options;
  if (accessPointArn !== undefined && (typeof accessPointArn !== 'string' || (!Token.isUnresolved(accessPointArn) && !ACCESS_POINT_ARN.test(accessPointArn)))) {
    throw new Error(
      `accessPointArn must be an S3 access point ARN such as arn:aws:s3:eu-west-1:111111111111:accesspoint/exchange-r-1a2b3c4d-1 (the ARN the producer's stack output or report names), got ${JSON.stringify(accessPointArn)}`,
    );
  }
  if (typeof bucketArn !== 'string') {
    throw new Error(`bucketArn must be an S3 bucket ARN such as arn:aws:s3:::producer-exchange, got ${JSON.stringify(bucketArn)}`);
  }
  if (!Token.isUnresolved(bucketArn)) {
    const m = BUCKET_ARN.exec(bucketArn);
    if (!m) {
      throw new Error(`bucketArn must be an S3 bucket ARN such as arn:aws:s3:::producer-exchange (no object path), got "${bucketArn}"`);
    }
    validateBucketName('bucketArn', m[1]);
  }
  if (typeof keyArn !== 'string') {
    throw new Error(`keyArn must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>), got ${JSON.stringify(keyArn)}`);
  }
  const bucket = scope ? bucketFromReference(scope, bucketArn) : bucketArn;
  if (!Token.isUnresolved(keyArn)) {
    validateKeyArn('keyArn', keyArn);
    const region = Arn.split(keyArn, ArnFormat.SLASH_RESOURCE_NAME).region!;
    return { bucketArn: bucket, keyArn, viaService: s3ViaService(region) };
  }
  const key = scope ? keyFromReference(scope, keyArn) : { keyArn, viaService: s3ViaService(Fn.select(3, Fn.split(':', keyArn))) };
  return { bucketArn: bucket, ...key };
}

/**
 * A bucket ARN that is a reference to a bucket of this app in another
 * account or Region becomes the ARN of its physical name (no
 * CloudFormation export). A bucket without a physical name has no ARN
 * another environment can know before deployment: that is an error.
 */
function bucketFromReference(scope: Construct, bucketArn: string): string {
  const ref = Token.isUnresolved(bucketArn) ? Tokenization.reverseString(bucketArn).firstToken : undefined;
  if (!ref || !Reference.isReference(ref) || !(ref.target instanceof s3.CfnBucket)) {
    return bucketArn;
  }
  const producer = Stack.of(ref.target);
  if (sameEnvironment(producer, Stack.of(scope))) {
    return bucketArn;
  }
  if (Token.isUnresolved(producer.account) || Token.isUnresolved(producer.region)) {
    throw new Error(
      `bucketArn refers to ${ref.target.node.path} in stack ${producer.stackName}, which has no concrete account and Region (environment-agnostic), from stack ${Stack.of(scope).stackName}: ` +
        'the bucket\'s name holds ${AWS::AccountId} and ${AWS::Region}, which CloudFormation would resolve in the consumer\'s account and Region, naming a bucket that does not exist. ' +
        'Give the producer stack env: { account, region }, or pass the bucket ARN as a string (arn:aws:s3:::<bucket name>).',
    );
  }
  if (physicalBucketName(ref.target) === undefined) {
    throw new Error(
      `bucketArn refers to ${ref.target.node.path} in stack ${producer.stackName}, another environment, and the bucket has no physical name: no CloudFormation export reaches across accounts or Regions. ` +
        'Give the bucket a bucketName, or share it first (EncryptedBucket.shareWith names it).',
    );
  }
  return `arn:${Stack.of(scope).partition}:s3:::${ref.target.bucketName}`;
}

/**
 * The account that owns the shared bucket, for the access report: the
 * stack of the bucket or key the ARNs refer to in this app, else the
 * account of a literal key ARN (the shared bucket's key is its owner's).
 */
function ownerAccountOf(bucketArn: string, keyArn: string): string | undefined {
  for (const arn of [bucketArn, keyArn]) {
    const ref = Token.isUnresolved(arn) ? Tokenization.reverseString(arn).firstToken : undefined;
    if (ref && Reference.isReference(ref) && (ref.target instanceof s3.CfnBucket || ref.target instanceof kms.CfnKey)) {
      return Stack.of(ref.target).account;
    }
  }
  return Token.isUnresolved(keyArn) ? undefined : Arn.split(keyArn, ArnFormat.SLASH_RESOURCE_NAME).account;
}

function sameEnvironment(a: Stack, b: Stack): boolean {
  return (
    a === b ||
    (!Token.isUnresolved(a.account) && !Token.isUnresolved(a.region) && a.account === b.account && a.region === b.region)
  );
}

/**
 * A key ARN that is a reference to a key of this app. In the consumer's own
 * environment it is used as is; in another account or Region no
 * CloudFormation export can carry it, and a KMS key has no name to rebuild
 * its ARN from, so the policy names the producer account's keys
 * (`key/*`) in the producer's Region, still bound to S3 there and to the
 * bucket's encryption context.
 */
function keyFromReference(scope: Construct, keyArn: string): Omit<CheckedOptions, 'bucketArn'> {
  const consumer = Stack.of(scope);
  const ref = Tokenization.reverseString(keyArn).firstToken;
  if (!ref || !Reference.isReference(ref) || !(ref.target instanceof kms.CfnKey)) {
    // An opaque value (a CfnParameter, an import, ...): the Region is the
    // ARN's fourth field at deployment, not the consumer's Region.
    return { keyArn, viaService: s3ViaService(Fn.select(3, Fn.split(':', keyArn)), scope) };
  }
  const producer = Stack.of(ref.target);
  if (sameEnvironment(producer, consumer)) {
    return { keyArn, viaService: s3ViaService(producer.region, scope) };
  }
  if (Token.isUnresolved(producer.account) || Token.isUnresolved(producer.region)) {
    throw new Error(
      `keyArn refers to ${ref.target.node.path} in stack ${producer.stackName}, which has no concrete account and Region, from stack ${consumer.stackName}: ` +
        'the consumer policy cannot name the key across environments. Give the producer stack env: { account, region }, or pass the key ARN as a string.',
    );
  }
  return {
    keyArn: `arn:${consumer.partition}:kms:${producer.region}:${producer.account}:key/*`,
    viaService: s3ViaService(producer.region),
  };
}
