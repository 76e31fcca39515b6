import { CfnDeletionPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { flatten, SELF_ACCOUNT, UNKNOWN } from '../analysis/policy';
import { asList, isObject, render } from '../analysis/template';
import { validateKeyArn } from '../core/validation';
import { claimKeyNetworkCheck, keyNetworkConditionProblems } from '../kms/key-network';
import { keyOwnerOf } from '../kms/key-owners';
import { cfnKeyOf, renderedKey } from '../kms/key-policy';
import { knownRegion } from '../network/vpc-endpoint';

/**
 * Checks of the key an `EncryptedBucket` encrypts under, as far as the key
 * (not the bucket policy) is concerned. Nothing here is re-exported.
 */

/**
 * At construction: the key is in the bucket's Region, and a key of this app
 * is symmetric and for encryption.
 *
 * @throws if the key is in another Region, asymmetric, HMAC, or not for encryption
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 */
export function validateBucketKey(prop: string, key: kms.IKey, bucketScope: IConstruct): void {
  validateSameRegion(prop, describeKey(key), knownRegion(key), bucketScope);
  const cfn = cfnKeyOf(key);
  if (!cfn) {
    return;
  }
  const stack = Stack.of(cfn);
  const keySpec = stack.resolve(cfn.keySpec);
  const keyUsage = stack.resolve(cfn.keyUsage);
  const spec = keySpec === undefined || keySpec === kms.KeySpec.SYMMETRIC_DEFAULT || typeof keySpec !== 'string';
  const usage = keyUsage === undefined || keyUsage === kms.KeyUsage.ENCRYPT_DECRYPT || typeof keyUsage !== 'string';
  if (!spec || !usage) {
    throw new Error(
      `${prop} ${key.node.path} has keySpec ${keySpec ?? 'SYMMETRIC_DEFAULT'} and keyUsage ${keyUsage ?? 'ENCRYPT_DECRYPT'}: S3 encrypts only under symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), so every upload would fail. ` +
        'Leave encryptionKey unset to create one, or create the key without keySpec and keyUsage.',
    );
  }
}

function validateSameRegion(prop: string, what: string, keyRegion: string | undefined, bucketScope: IConstruct): void {
  const problem = regionProblem(prop, what, keyRegion, bucketScope);
  if (problem) {
    throw new Error(problem);
  }
}

function regionProblem(prop: string, what: string, keyRegion: string | undefined, bucketScope: IConstruct): string | undefined {
  const bucketRegion = knownRegion(bucketScope);
  if (keyRegion === undefined || bucketRegion === undefined || keyRegion === bucketRegion) {
    return undefined;
  }
  return (
    `${prop} ${what} is in Region ${keyRegion}, but the bucket ${bucketScope.node.path} is in ${bucketRegion}: S3 requires the SSE-KMS key to be in the bucket's Region, so every upload would fail. ` +
    `Use a key in ${bucketRegion} (leave encryptionKey unset to create one, or a multi-Region replica key in ${bucketRegion}).`
  );
}

function describeKey(key: kms.IKey): string {
  return Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn;
}

/**
 * At validation, on what the template says: the key is not deleted while the
 * bucket is kept (the deletion policies of the two resources, whatever set
 * them), KMS supports the key's deletion policy, the resolved
 * `KMSMasterKeyID` is a full key ARN in the bucket's Region, and a key of the
 * app not owned by a `CrossAccountSharedKey` has no network condition on the
 * path S3 uses.
 */
export function bucketKeyProblems(prop: string, bucket: s3.Bucket, key: kms.IKey | undefined, checker: IConstruct): string[] {
  const problems = [...masterKeyIdProblems(prop, bucket)];
  if (!key) {
    return problems;
  }
  const cfnKey = cfnKeyOf(key);
  if (!cfnKey) {
    return problems;
  }
  const keyDeletion = cfnKey.cfnOptions.deletionPolicy;
  const owned = keyOwnerOf(key) !== undefined;
  if (!owned && (keyDeletion === CfnDeletionPolicy.SNAPSHOT || cfnKey.cfnOptions.updateReplacePolicy === CfnDeletionPolicy.SNAPSHOT)) {
    problems.push(
      `${prop} ${key.node.path} has removal policy SNAPSHOT: KMS keys have no snapshots (cfn-lint E3035). Give the key RemovalPolicy.RETAIN.`,
    );
  }
  // That the key is at least as durable as the bucket is DP14, which EncryptedBucket and CrossAccountSharedKey promise.
  if (!owned && claimKeyNetworkCheck(key, checker)) {
    problems.push(...keyNetworkConditionProblems(key.node.path, renderedKey(cfnKey).statements));
  }
  return problems;
}

/** The `KMSMasterKeyID` values of the bucket's template, checked once resolved (case D03 through tokens). */
function masterKeyIdProblems(prop: string, bucket: s3.Bucket): string[] {
  const rules = asList(render(bucket.node.defaultChild as s3.CfnBucket).props.BucketEncryption?.ServerSideEncryptionConfiguration);
  const problems: string[] = [];
  for (const rule of rules) {
    const value = isObject(rule) ? rule.ServerSideEncryptionByDefault?.KMSMasterKeyID : undefined;
    if (value === undefined) {
      continue;
    }
    const text = flatten(value);
    if (text.includes(UNKNOWN) || text.includes(SELF_ACCOUNT)) {
      continue; // still an intrinsic (Fn::GetAtt, Ref, Fn::ImportValue, …): known only at deployment
    }
    try {
      validateKeyArn(prop, text);
    } catch (e) {
      problems.push(`The bucket ${bucket.node.path} encrypts under KMSMasterKeyID "${text}" once resolved: ${(e as Error).message}`);
      continue;
    }
    const region = /^arn:[^:]+:kms:([^:]+):/.exec(text)?.[1];
    const problem = regionProblem(prop, text, region, bucket);
    if (problem) {
      problems.push(problem);
    }
  }
  return problems;
}
