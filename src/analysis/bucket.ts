import { CfnResource, Stack } from 'aws-cdk-lib';
import { AccountContext, coversAction, describeWho, flatten, isAllow, isOtherAccount, markConditional, Statement, statementsOf, UNKNOWN, Who, wildcardMatch } from './policy';
import { asList, isObject, memo, referencedLogicalId, render, RenderedResource, resourceByLogicalId, resourcesOfStack } from './template';

export const BUCKET = 'AWS::S3::Bucket';
export const BUCKET_POLICY = 'AWS::S3::BucketPolicy';
export const KEY = 'AWS::KMS::Key';

/** One rule of a bucket's default encryption configuration. */
export interface EncryptionRule {
  /** `AES256`, `aws:kms`, `aws:kms:dsse`; undefined when absent or not a literal. */
  readonly algorithm?: string;
  /** The resolved `KMSMasterKeyID`, if any. */
  readonly keyId?: unknown;
  readonly bucketKeyEnabled?: unknown;
  readonly blockedEncryptionTypes?: unknown;
  /** Whether the rule has a `ServerSideEncryptionByDefault`. */
  readonly hasDefault: boolean;
  /** Whether the algorithm could not be read. */
  readonly unresolved: boolean;
}

/** The default encryption rules of a rendered bucket; undefined when it has no `BucketEncryption`, null when unreadable. */
export function encryptionRules(bucket: RenderedResource): EncryptionRule[] | undefined | null {
  const encryption = bucket.props.BucketEncryption;
  if (encryption === undefined) {
    return undefined;
  }
  const rules = isObject(encryption) ? encryption.ServerSideEncryptionConfiguration : undefined;
  if (!Array.isArray(rules) || !rules.every(isObject)) {
    return null;
  }
  return rules.map((r: Record<string, any>) => {
    const byDefault = r.ServerSideEncryptionByDefault;
    const algorithm = isObject(byDefault) && typeof byDefault.SSEAlgorithm === 'string' ? byDefault.SSEAlgorithm : undefined;
    return {
      algorithm,
      keyId: isObject(byDefault) ? byDefault.KMSMasterKeyID : undefined,
      bucketKeyEnabled: r.BucketKeyEnabled,
      blockedEncryptionTypes: r.BlockedEncryptionTypes,
      hasDefault: byDefault !== undefined,
      unresolved: byDefault !== undefined && algorithm === undefined,
    };
  });
}

export function isKmsAlgorithm(algorithm: string | undefined): boolean {
  return algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse';
}

/** What a bucket's `KMSMasterKeyID` points at. */
export type KeyReference =
  | { readonly kind: 'aws-managed' }
  | { readonly kind: 'stack'; readonly key: CfnResource }
  | { readonly kind: 'external' }
  | { readonly kind: 'unknown' };

/**
 * Resolves a bucket's `KMSMasterKeyID`: absent or `alias/aws/*` is the
 * AWS-managed key; a `Ref` or `Fn::GetAtt` of a key (or an alias of one) in
 * the same stack is that key; a literal key ARN is a key outside the app.
 */
export function keyReference(bucket: CfnResource, keyId: unknown): KeyReference {
  if (keyId === undefined) {
    return { kind: 'aws-managed' };
  }
  const ref = referencedLogicalId(keyId);
  if (ref) {
    const target = resourceByLogicalId(bucket, ref.logicalId);
    if (target?.cfnResourceType === KEY) {
      return { kind: 'stack', key: target };
    }
    if (target?.cfnResourceType === 'AWS::KMS::Alias') {
      const alias = render(target).props;
      if (typeof alias.AliasName === 'string' && alias.AliasName.startsWith('alias/aws/')) {
        return { kind: 'aws-managed' };
      }
      const aliased = referencedLogicalId(alias.TargetKeyId);
      const key = aliased ? resourceByLogicalId(bucket, aliased.logicalId) : undefined;
      return key?.cfnResourceType === KEY ? { kind: 'stack', key } : { kind: 'unknown' };
    }
    return { kind: 'unknown' };
  }
  const text = flatten(keyId);
  if (/(^|:)alias\/aws\//.test(text)) {
    return { kind: 'aws-managed' };
  }
  if (!text.includes(UNKNOWN) && /^arn:[^:]+:kms:/.test(text)) {
    return { kind: 'external' };
  }
  return { kind: 'unknown' };
}

/**
 * Whether a bucket's `KMSMasterKeyID` names its key by something S3 resolves
 * in the account of the caller (case D03): an alias (a literal alias name or
 * ARN, or a `Ref` of an `AWS::KMS::Alias`, which is its name) or a bare key
 * id (a literal, or a `Ref` or `Fn::GetAtt … KeyId` of an `AWS::KMS::Key`).
 * Undefined for a full key ARN, or a value known only at deployment.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html
 */
export function keyNamedInCallerAccount(bucket: CfnResource, keyId: unknown): 'alias' | 'key id' | undefined {
  const ref = referencedLogicalId(keyId);
  if (ref) {
    const target = resourceByLogicalId(bucket, ref.logicalId);
    if (target?.cfnResourceType === 'AWS::KMS::Alias' && ref.attribute === undefined) {
      return 'alias';
    }
    return target?.cfnResourceType === KEY && (ref.attribute === undefined || ref.attribute === 'KeyId') ? 'key id' : undefined;
  }
  const text = flatten(keyId);
  if (text.includes(UNKNOWN)) {
    return undefined;
  }
  if (/(^|:)alias\//.test(text)) {
    return 'alias';
  }
  return text.startsWith('arn:') ? undefined : 'key id';
}

/** The bucket policies of the same stack that apply to `bucket` (by `Ref`, or by its literal name). */
export function bucketPoliciesOf(bucket: CfnResource): RenderedResource[] {
  return memo(bucket, 'bucketPolicies', () => {
    const stack = Stack.of(bucket);
    const ref = JSON.stringify(stack.resolve(bucket.ref));
    const name = render(bucket).props.BucketName;
    // A policy names its bucket by Ref or by its literal name (a string, whose JSON is itself quoted).
    const byBucket = bucketPoliciesByBucket(stack);
    const found = new Set([...(byBucket.get(ref) ?? []), ...(typeof name === 'string' ? byBucket.get(JSON.stringify(name)) ?? [] : [])]);
    return [...found].sort((a, b) => a.index - b.index).map((p) => p.policy);
  });
}

/** The stack's bucket policies, rendered, by the JSON of their `Bucket`, with their place in the stack (once per run, not once per bucket). */
function bucketPoliciesByBucket(stack: Stack): Map<string, Array<{ readonly index: number; readonly policy: RenderedResource }>> {
  return memo(stack, 'bucketPoliciesByBucket', () => {
    const byBucket = new Map<string, Array<{ readonly index: number; readonly policy: RenderedResource }>>();
    resourcesOfStack(stack, BUCKET_POLICY).forEach((resource, index) => {
      const policy = render(resource);
      const key = JSON.stringify(policy.props.Bucket);
      const list = byBucket.get(key) ?? [];
      list.push({ index, policy });
      byBucket.set(key, list);
    });
    return byBucket;
  });
}

/**
 * The statements of every policy of the bucket; undefined when one is not a
 * readable document (then nothing can be concluded from them).
 */
export function bucketPolicyStatements(bucket: CfnResource): Statement[] | undefined {
  const all: Statement[] = [];
  for (const policy of bucketPoliciesOf(bucket)) {
    const statements = statementsOf(policy.props.PolicyDocument);
    if (!statements) {
      return undefined;
    }
    if (policy.entry?.Condition !== undefined) {
      // deployed only when its condition holds: none of its denies can be counted on
      statements.forEach(markConditional);
    }
    all.push(...statements);
  }
  return all;
}

const BUCKET_MARK = '\u0000bucket\u0000';
const PROBE_OBJECT = 'any-prefix/any-object';

/**
 * Values naming S3 ARNs, flattened, with this bucket written as a marker
 * (whether named by `Ref`, `Fn::GetAtt` or its name, literal or built the
 * same way); UNKNOWN where unreadable.
 */
function bucketArns(bucket: RenderedResource, values: unknown[]): string[] {
  const name = bucket.props.BucketName === undefined ? undefined : flatten(bucket.props.BucketName);
  return values.map((r) => {
    const text = flatten(r, (logicalId, attribute) => {
      if (logicalId !== bucket.logicalId) {
        return undefined;
      }
      return attribute === undefined ? BUCKET_MARK : attribute === 'Arn' ? `arn:aws:s3:::${BUCKET_MARK}` : undefined;
    });
    const normalized = text.replace(/^arn:aws[a-z-]*:s3:::/, 'arn:aws:s3:::');
    return name ? normalized.split(`arn:aws:s3:::${name}`).join(`arn:aws:s3:::${BUCKET_MARK}`) : normalized;
  });
}

function resourceArns(bucket: RenderedResource, statement: Statement): string[] {
  return bucketArns(bucket, asList(statement.Resource));
}

/**
 * The encryption context S3 sends to KMS for new objects of the bucket: the
 * bucket's ARN with an S3 Bucket Key, an object's ARN without one (and
 * always with DSSE-KMS, which has no Bucket Key); undefined when the
 * encryption rules do not say (a token, or rules that differ).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 */
function encryptionContextSent(bucket: RenderedResource): 'bucket' | 'object' | undefined {
  const sent = new Set(
    (encryptionRules(bucket) ?? [])
      .filter((r) => isKmsAlgorithm(r.algorithm))
      .map((r) => {
        if (r.algorithm === 'aws:kms:dsse' || r.bucketKeyEnabled === undefined || r.bucketKeyEnabled === false || r.bucketKeyEnabled === 'false') {
          return 'object';
        }
        return r.bucketKeyEnabled === true || r.bucketKeyEnabled === 'true' ? 'bucket' : undefined;
      }),
  );
  return sent.size === 1 ? [...sent][0] : undefined;
}

/**
 * Whether values of the `kms:EncryptionContext:aws:s3:arn` condition admit
 * the encryption context S3 sends for this bucket (case D05): its ARN when
 * the bucket uses a Bucket Key, an object's ARN when it does not, either when
 * that cannot be told.
 */
export function encryptionContextMatcher(bucket: RenderedResource): (values: unknown[]) => 'yes' | 'no' | 'unknown' {
  const sent = encryptionContextSent(bucket);
  const contexts = [
    ...(sent !== 'object' ? [`arn:aws:s3:::${BUCKET_MARK}`] : []),
    ...(sent !== 'bucket' ? [`arn:aws:s3:::${BUCKET_MARK}/${PROBE_OBJECT}`] : []),
  ];
  return (values) => {
    const arns = bucketArns(bucket, values);
    const readable = arns.filter((a) => !a.includes(UNKNOWN));
    if (readable.some((a) => contexts.some((c) => wildcardMatch(a, c)))) {
      return 'yes';
    }
    return readable.length === arns.length ? 'no' : 'unknown';
  };
}

/**
 * Whether a statement's `Resource` covers the bucket itself and all its
 * objects. `undefined` when a resource is unreadable and the known ones do not suffice.
 */
export function resourceCoverage(bucket: RenderedResource, statement: Statement): { bucket: boolean; objects: boolean; unknown: boolean } {
  if (statement.NotResource !== undefined) {
    return { bucket: false, objects: false, unknown: true };
  }
  const arns = resourceArns(bucket, statement);
  const readable = arns.filter((a) => !a.includes(UNKNOWN));
  return {
    bucket: readable.some((a) => wildcardMatch(a, `arn:aws:s3:::${BUCKET_MARK}`)),
    objects: readable.some((a) => wildcardMatch(a, `arn:aws:s3:::${BUCKET_MARK}/${PROBE_OBJECT}`)),
    unknown: readable.length !== arns.length,
  };
}

/** Whether a statement's resources include objects of the bucket (any prefix), or may. */
export function mayCoverObjects(bucket: RenderedResource, statement: Statement): boolean {
  if (statement.Resource === undefined) {
    return true;
  }
  return resourceArns(bucket, statement).some((a) => a.includes(UNKNOWN) || a === '*' || a.includes('/') || a.endsWith('*'));
}

/** Whether a statement applies to every principal (`*` or `{ AWS: * }`). */
export function isEveryone(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) {
    return false;
  }
  const p = statement.Principal;
  return p === '*' || (isObject(p) && Object.keys(p).length === 1 && asList(p.AWS).includes('*'));
}

/** What another account or organization is allowed to do with the bucket's objects. */
export interface CrossAccountGrant {
  readonly who: Extract<Who, { kind: 'account' | 'organization' }>;
  reads: boolean;
  writes: boolean;
}

/**
 * The accounts and organizations, other than the stack's account, that the
 * bucket policy allows to read (`s3:GetObject`) or write (`s3:PutObject`)
 * objects. Wildcard principals count only when narrowed to accounts or an
 * organization by conditions; unreadable principals are left out.
 */
export function crossAccountGrants(bucket: RenderedResource, statements: Statement[]): CrossAccountGrant[] {
  const ctx = new AccountContext(bucket.resource);
  const grants = new Map<string, CrossAccountGrant>();
  for (const s of statements) {
    if (!isAllow(s) || !mayCoverObjects(bucket, s)) {
      continue;
    }
    const reads = coversAction(s, 's3:GetObject') === true;
    const writes = coversAction(s, 's3:PutObject') === true;
    if (!reads && !writes) {
      continue;
    }
    for (const who of ctx.principalsOf(s)) {
      if (!isOtherAccount(who)) {
        continue;
      }
      const key = describeWho(who);
      const grant = grants.get(key) ?? { who, reads: false, writes: false };
      grant.reads ||= reads;
      grant.writes ||= writes;
      grants.set(key, grant);
    }
  }
  return [...grants.values()];
}

/** The buckets of the same stack whose default encryption key is `key`. */
export function bucketsUsingKey(key: CfnResource): CfnResource[] {
  return bucketsByKey(key).get(key) ?? [];
}

/** The buckets of the stack of `scope` by the stack's key they are encrypted under, in stack order (read once per run, not once per key). */
function bucketsByKey(scope: CfnResource): Map<CfnResource, CfnResource[]> {
  return memo(Stack.of(scope), 'bucketsByKey', () => {
    const byKey = new Map<CfnResource, CfnResource[]>();
    for (const b of resourcesOfStack(scope, BUCKET)) {
      const keys = new Set<CfnResource>();
      for (const r of encryptionRules(render(b)) ?? []) {
        const ref = keyReference(b, r.keyId);
        if (ref.kind === 'stack') {
          keys.add(ref.key);
        }
      }
      for (const k of keys) {
        const list = byKey.get(k) ?? [];
        list.push(b);
        byKey.set(k, list);
      }
    }
    return byKey;
  });
}

/**
 * Whether a bucket receives S3 server access logs: another bucket of the
 * stack logs into it, or its policy lets the logging service write.
 */
export function isAccessLogTarget(bucket: RenderedResource): boolean {
  const ref = JSON.stringify({ Ref: bucket.logicalId });
  const name = bucket.props.BucketName;
  const logsInto = resourcesOfStack(bucket.resource, BUCKET)
    .map(render)
    .some((b) => {
      const destination = b.props.LoggingConfiguration?.DestinationBucketName;
      return destination !== undefined && (JSON.stringify(destination) === ref || (typeof name === 'string' && destination === name));
    });
  if (logsInto) {
    return true;
  }
  return (bucketPolicyStatements(bucket.resource) ?? []).some(
    (s) => isAllow(s) && isObject(s.Principal) && asList(s.Principal.Service).includes('logging.s3.amazonaws.com'),
  );
}
