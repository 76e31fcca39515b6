import { Duration, Resource, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { StackFacts } from './facts';

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

/** A VPC endpoint id: `vpce-` and 17 hexadecimal digits. */
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/;

/**
 * An IAM principal ARN (pattern) as `aws:PrincipalArn` holds it: a role, a
 * user or the account root of one account (12 digits: a wildcard account
 * would match principals of every AWS account), wildcards allowed in the
 * name. A role session (`arn:aws:sts::<account>:assumed-role/...`) is never
 * what `aws:PrincipalArn` holds, so it is refused.
 */
const PRINCIPAL_ARN = /^arn:(aws[a-z-]*|\*):iam::\d{12}:(root|role\/.+|user\/.+|\*)$/;

/**
 * An ARN pattern that matches every role, every user, or every principal of
 * an account (`role/*`, `user/*`, `*`, `role/?*`, ...).
 */
const WHOLE_ACCOUNT_PATTERN = /^arn:[^:]+:iam::\d{12}:((role|user)\/[*?/]*|[*?]+)$/;

/** Whether an ARN pattern matches every role or user of an account. */
export function isWholeAccountPattern(arn: string): boolean {
  return typeof arn === 'string' && !Token.isUnresolved(arn) && WHOLE_ACCOUNT_PATTERN.test(arn);
}

/**
 * Throws unless every literal id is `vpce-` and 17 hex digits.
 */
export function validateVpcEndpointIds(prop: string, ids: string[], allowEmpty = false): void {
  if (!Array.isArray(ids) || (!allowEmpty && ids.length === 0)) {
    throw new Error(`${prop} needs at least one VPC endpoint id (vpce- and 17 hex digits, e.g. vpce-0123456789abcdef0), got ${JSON.stringify(ids)}`);
  }
  ids.forEach((id, i) => {
    if (Token.isUnresolved(id)) {
      return;
    }
    if (typeof id !== 'string' || !VPC_ENDPOINT_ID.test(id)) {
      throw new Error(
        `${prop}[${i}] must be a VPC endpoint id: vpce- followed by 17 lowercase hex digits, e.g. vpce-0123456789abcdef0, got ${JSON.stringify(id)}. ` +
          'Copy the id from `aws ec2 describe-vpc-endpoints` (VpcEndpointId), not the endpoint\'s ARN or DNS name.',
      );
    }
  });
}

/**
 * Throws unless there is at least one id and every literal one is `vpc-` and 8 or 17 hex digits.
 */
export function validateVpcIds(prop: string, ids: string[]): void {
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new Error(`${prop} needs at least one VPC id (vpc- and 17 hex digits, e.g. vpc-0123456789abcdef0), got ${JSON.stringify(ids)}`);
  }
  ids.forEach((id, i) => {
    if (!Token.isUnresolved(id) && (typeof id !== 'string' || !/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id))) {
      throw new Error(`${prop}[${i}] must be a VPC id (vpc- and 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0), got ${JSON.stringify(id)}`);
    }
  });
}

/**
 * Throws unless every literal value is an IAM role, user or root ARN (pattern)
 * that `aws:PrincipalArn` can match.
 */
export function validatePrincipalArnPatterns(prop: string, arns: string[]): void {
  arns.forEach((arn, i) => validatePrincipalArnPattern(`${prop}[${i}]`, arn));
}

/**
 * Throws unless `arn` (unless a token) is an IAM role, user or root ARN
 * (pattern) that `aws:PrincipalArn` can match; `label` names it, e.g.
 * `administratorArns[2]`.
 */
export function validatePrincipalArnPattern(label: string, arn: string): void {
  if (Token.isUnresolved(arn)) {
    return;
  }
  if (typeof arn !== 'string' || !PRINCIPAL_ARN.test(arn)) {
    const hint = typeof arn === 'string' && arn.includes(':assumed-role/')
      ? ' aws:PrincipalArn holds the role ARN (arn:aws:iam::<account>:role/<name>), never the session ARN.'
      : typeof arn === 'string' && (arn === '*' || /^arn:[^:]*:iam::[^:]*[*?][^:]*:/.test(arn))
        ? ' The account must be a 12-digit account id: a wildcard account (or "*") would exempt principals of every AWS account.'
        : '';
    throw new Error(
      `${label} must be an IAM role, user or root ARN of one account such as arn:aws:iam::111111111111:role/Admin (wildcards allowed in the name, e.g. arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*), got ${JSON.stringify(arn)}.${hint}`,
    );
  }
}

/**
 * Checks again, at synthesis, values that were tokens when a public entry
 * point validated them (a `Lazy` value, a context lookup): `validate` gets
 * each value as resolved and throws the entry point's own error. Values that
 * stay unresolved (deploy-time parameters, imports) are known only at
 * deployment and are not checked. Nothing is registered when no value is a token.
 *
 * @param scope the construct whose input the values are; the problem names it
 * @param values the values as given
 * @param validate throws for a bad resolved value; gets `undefined` back for values given as undefined
 */
export function checkOnceResolved(
  scope: IConstruct,
  values: Array<string | undefined>,
  validate: (resolved: Array<string | undefined>) => void,
): void {
  if (!values.some((v) => typeof v === 'string' && Token.isUnresolved(v))) {
    return;
  }
  StackFacts.of(scope).addCheck(() => {
    const stack = Stack.of(scope);
    const resolved = values.map((v) => (v === undefined ? undefined : stack.resolve(v)));
    if (resolved.some((v) => v !== undefined && (typeof v !== 'string' || Token.isUnresolved(v)))) {
      return []; // still an intrinsic: known only at deployment
    }
    try {
      validate(resolved as Array<string | undefined>);
    } catch (e) {
      return [`${scope.node.path}: a value that was a token at construction is refused once resolved at synthesis: ${(e as Error).message}`];
    }
    return [];
  });
}

/** One or more path segments of S3-safe characters, each ending in `/` (an Athena results prefix). */
const RESULTS_PREFIX = /^([A-Za-z0-9!_.*'()=-]+\/)+$/;

/**
 * What is wrong with an Athena results prefix (`athena-results/`), as an
 * error message naming `prop`, the value and the fix; undefined when it is
 * fine or a token.
 */
export function resultsPrefixProblem(prop: string, prefix: string): string | undefined {
  if (Token.isUnresolved(prefix) || RESULTS_PREFIX.test(prefix)) return undefined;
  const hint = prefix.startsWith('s3://')
    ? 'give only the key prefix: the bucket is resultsBucket'
    : prefix.startsWith('/')
      ? 'drop the leading "/": S3 keys do not start with one'
      : !prefix.endsWith('/')
        ? 'end it with "/"'
        : 'use letters, digits and ! _ . * \' ( ) = - between the "/"';
  return `${prop} must be an object key prefix of path segments each ending in "/" (e.g. "athena-results/"), got ${JSON.stringify(prefix)}: ${hint}.`;
}
