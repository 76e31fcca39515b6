import { Arn, ArnFormat, Fn, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLevel, PrefixMatch } from './partner';
import { physicalBucketName, s3ViaService, validateAccess, validatePrefix, validatePrefixMatch } from './partner-policy';
import { optionalBoolean } from '../core/props';
import { validateBucketName, validateKeyArn } from '../core/validation';

/**
 * The checks of a share's consumer-side options, and the ARNs the consumer
 * policy names, shared by `CrossAccountConsumerPolicy` and
 * `ConsumerPolicyStackSet` (one model, one policy).
 */

/** The share's options as `CrossAccountConsumerPolicyOptions` holds them (named here: that module imports this one). */
export interface ConsumerShareOptions {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly access: AccessLevel;
  readonly prefix?: string;
  readonly prefixMatch?: PrefixMatch;
  readonly clientSideEncryption?: boolean;
  readonly accessPointArn?: string;
}

export interface CheckedOptions {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly viaService: string;
}

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([^/:]+)$/;
/** An S3 access point ARN: Region, account and a valid access point name. */
const ACCESS_POINT_ARN = /^arn:aws[a-z-]*:s3:[a-z0-9-]+:\d{12}:accesspoint\/[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/;

export function checkOptions(options: ConsumerShareOptions, scope?: Construct): CheckedOptions {
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
      'accessPointArn must be an S3 access point ARN such as arn:aws:s3:eu-west-1:111111111111:accesspoint/exchange-r-1a2b3c4d-1 ' +
        `(the ARN the producer's stack output or report names), got ${JSON.stringify(accessPointArn)}`,
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
export function ownerAccountOf(bucketArn: string, keyArn: string): string | undefined {
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
