import { Duration, Resource, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';

/** AWS KMS limits on automatic rotation, in days. */
export const ROTATION_MIN_DAYS = 90;
export const ROTATION_MAX_DAYS = 2560;
/** AWS KMS limits on the key deletion waiting period, in days. */
export const PENDING_WINDOW_MIN_DAYS = 7;
export const PENDING_WINDOW_MAX_DAYS = 30;

/** The policy size limits AWS enforces, in bytes. */
export const KEY_POLICY_MAX_BYTES = 32_768;
export const BUCKET_POLICY_MAX_BYTES = 20_480;

export function validateDays(prop: string, value: Duration | undefined, min: number, max: number, what: string): void {
  if (value === undefined || Token.isUnresolved(value.toString())) {
    return;
  }
  let days: number;
  try {
    days = value.toDays({ integral: false });
  } catch (e) {
    throw new Error(`${prop} must be a whole number of days between ${min} and ${max}, got ${value.toHumanString()}`);
  }
  if (!Number.isInteger(days) || days < min || days > max) {
    throw new Error(
      `${prop} must be a whole number of days between ${min} and ${max} (${what}), got ${value.toHumanString()}. ` +
        `Use Duration.days(n) with ${min} <= n <= ${max}.`,
    );
  }
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * A KMS key reference S3 would resolve in the caller's account (an alias or a
 * bare key id) is refused: the template must carry the key's full ARN.
 */
export function validateKeyArn(prop: string, keyArn: string): void {
  if (Token.isUnresolved(keyArn)) {
    return;
  }
  if (/(^|:)alias\/aws\//.test(keyArn)) {
    throw new Error(
      `${prop} is an AWS-managed key (${keyArn}): its key policy cannot be changed, so no partner could ever be allowed to decrypt and no key policy statement of this library can be applied. ` +
        'Use a customer-managed key (leave encryptionKey unset to create one, or pass a CrossAccountSharedKey).',
    );
  }
  if (/(^|:)alias\//.test(keyArn)) {
    throw new Error(
      `${prop} must be a KMS key ARN, got the alias "${keyArn}": S3 resolves aliases in the account of the caller, so a partner's uploads would be encrypted under a key of the partner's own. ` +
        'Import the key with kms.Key.fromKeyArn(this, id, "arn:aws:kms:<region>:<account>:key/<key-id>").',
    );
  }
  if (!KEY_ARN.test(keyArn)) {
    throw new Error(
      `${prop} must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>), got "${keyArn}": S3 resolves a bare key id in the account of the caller. ` +
        'Import the key with kms.Key.fromKeyArn(this, id, "<full key ARN>").',
    );
  }
}

/**
 * Checks a general purpose bucket name against the S3 naming rules.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function validateBucketName(prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`must be 3 to 63 characters long (got ${name.length})`);
  if (!/^[a-z0-9.-]*$/.test(name)) problems.push('may contain only lowercase letters, digits, dots (.) and hyphens (-)');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push('must begin and end with a letter or digit');
  if (name.includes('..')) problems.push('must not contain two adjacent dots');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push('must not be formatted as an IP address');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) problems.push('must not start with xn--, sthree- or amzn-s3-demo-');
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) problems.push('must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3');
  if (problems.length > 0) {
    throw new Error(`${prop} "${name}" is not a valid S3 bucket name: it ${problems.join('; ')}.`);
  }
}

/** Checks a policy's size, in bytes as deployed (see `deployedSize`), against its AWS limit. */
export function validatePolicySize(what: string, bytes: number, limit: number, fix: string): string[] {
  if (bytes > limit) {
    return [`${what} is ${bytes} bytes, over the AWS limit of ${limit} bytes. ${fix}`];
  }
  return [];
}

/**
 * Refuses keys S3 would resolve in the caller's account (aliases, bare key
 * ids) and AWS-managed keys: the template must carry the key's full ARN.
 */
export function validateEncryptionKey(prop: string, key: kms.IKey): void {
  const alias = (key as Partial<kms.IAlias>).aliasName;
  if (alias !== undefined) {
    const name = Token.isUnresolved(alias) ? '<alias>' : alias;
    if (!Token.isUnresolved(alias) && name.startsWith('alias/aws/')) {
      validateKeyArn(prop, name);
    }
    const hint = Resource.isOwnedResource(key) ? 'Pass the key itself (alias.aliasTargetKey)' : 'Import the key with kms.Key.fromKeyArn(this, id, "arn:aws:kms:<region>:<account>:key/<key-id>")';
    throw new Error(
      `${prop} must be a KMS key, got the alias "${name}": S3 resolves aliases in the account of the caller, so a partner's uploads would be encrypted under a key of the partner's own. ${hint}.`,
    );
  }
  validateKeyArn(prop, key.keyArn);
}
