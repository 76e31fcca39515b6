import { Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { bucketPoliciesOf as policiesNamingBucket } from '../analysis/bucket';
import { deniesInsecureTransport, deniesTlsBelow } from '../analysis/transport';
import { RuleCompliance } from '../checks/enums';
import { OneBucketPolicy } from '../checks/rules/one-bucket-policy';
import { FactKey, StackFacts } from '../core/facts';

/**
 * Whether the bucket is defined in this app (an `s3.Bucket`), as opposed to
 * imported with `Bucket.fromBucketName` and friends.
 */
export function isOwnedBucket(bucket: s3.IBucket): boolean {
  return Resource.isOwnedResource(bucket);
}

/**
 * The `AWS::S3::BucketPolicy` resources of the bucket's stack that point at
 * the bucket. CloudFormation keeps only the last one applied, so more than one
 * silently drops statements.
 */
export function bucketPoliciesOf(bucket: s3.IBucket): s3.CfnBucketPolicy[] {
  const stack = Stack.of(bucket);
  const name = JSON.stringify(stack.resolve(bucket.bucketName));
  return stack.node
    .findAll()
    .filter((c: IConstruct): c is s3.CfnBucketPolicy => c instanceof s3.CfnBucketPolicy)
    .filter((p) => JSON.stringify(stack.resolve(p.bucket)) === name);
}

/**
 * The `s3.BucketPolicy` already made in this app for the bucket: the one the
 * bucket knows, or one made with `new s3.BucketPolicy(...)` for it (also for
 * an imported bucket). Undefined when there is none.
 */
export function bucketPolicyInApp(bucket: s3.IBucket): s3.BucketPolicy | undefined {
  return (
    bucket.policy ??
    bucketPoliciesOf(bucket)
      .map((cfn) => cfn.node.scope)
      .find((p): p is s3.BucketPolicy => p instanceof s3.BucketPolicy)
  );
}

/**
 * For an imported bucket: the bucket policy of this app to add statements
 * to, so every construct of this library joins one `AWS::S3::BucketPolicy`
 * whichever comes first. Reuses the policy already made for the bucket,
 * else creates one with `create` (only when `acknowledged`, else throws
 * `refusal`), and points the bucket at it (`bucket.policy`), so later
 * `addToResourcePolicy` calls join it too. Registers the one-policy check.
 *
 * @returns the policy, and whether it was created now
 */
export function importedBucketPolicy(
  bucket: s3.IBucket,
  acknowledged: boolean,
  refusal: string,
  create: () => s3.BucketPolicy,
): { policy: s3.BucketPolicy; created: boolean } {
  const existing = bucketPolicyInApp(bucket);
  let policy = existing;
  if (!policy) {
    if (!acknowledged) {
      throw new Error(refusal);
    }
    policy = create();
  }
  if (!bucket.policy) {
    bucket.policy = policy;
  }
  registerOnePolicyCheck(bucket);
  return { policy, created: existing === undefined };
}

/** The buckets of a stack whose one bucket policy is checked at synthesis. */
const ONE_POLICY_BUCKETS = new FactKey<Set<s3.IBucket>>('s3.onePolicyBuckets', () => new Set());

/**
 * Fails synthesis when the bucket ends up with more than one
 * `AWS::S3::BucketPolicy` (CloudFormation keeps only the last one applied).
 * One check per stack looks at all its registered buckets in a single
 * pass over the stack.
 */
export function registerOnePolicyCheck(bucket: s3.IBucket): void {
  const facts = StackFacts.of(bucket);
  facts.get(ONE_POLICY_BUCKETS).add(bucket);
  facts.addCheck((stack) => onePolicyProblems(stack, facts.get(ONE_POLICY_BUCKETS)), { name: 's3.onePolicy' });
}

function onePolicyProblems(stack: Stack, buckets: Set<s3.IBucket>): string[] {
  let byName: Map<string, s3.CfnBucketPolicy[]> | undefined;
  const problems: string[] = [];
  for (const bucket of buckets) {
    const cfn = bucket.node.defaultChild;
    let paths: string[];
    if (cfn instanceof s3.CfnBucket) {
      // a bucket of the app: the rule of the pack (DP16), by reference or literal name
      paths = OneBucketPolicy.check(cfn) === RuleCompliance.NON_COMPLIANT ? policiesNamingBucket(cfn).map((p) => p.resource.node.path) : [];
    } else {
      // an imported bucket: the policies naming it as it is named here
      byName ??= policiesByBucket(stack);
      paths = (byName.get(JSON.stringify(stack.resolve(bucket.bucketName))) ?? []).map((p) => p.node.path);
    }
    if (paths.length > 1) {
      problems.push(
        `bucket ${bucket.node.path} has ${paths.length} AWS::S3::BucketPolicy resources (${paths.join(', ')}): CloudFormation keeps only the last one applied and silently drops the others' statements (DataProtection-DP16). ` +
          'Add statements with bucket.addToResourcePolicy() instead of creating another s3.BucketPolicy.',
      );
    }
  }
  return problems;
}

function policiesByBucket(stack: Stack): Map<string, s3.CfnBucketPolicy[]> {
  const byBucket = new Map<string, s3.CfnBucketPolicy[]>();
  for (const c of stack.node.findAll()) {
    if (c instanceof s3.CfnBucketPolicy && Stack.of(c) === stack) {
      const key = JSON.stringify(stack.resolve(c.bucket));
      byBucket.set(key, [...(byBucket.get(key) ?? []), c]);
    }
  }
  return byBucket;
}

/** Buckets this library just created in a stack: nobody else can have made a policy for them. */
const CREATED_HERE = new FactKey<Set<s3.IBucket>>('s3.createdHere', () => new Set());

/** Marks a bucket this library created itself, so adopting an existing policy is skipped (it has none). */
export function markCreatedHere(bucket: s3.IBucket): void {
  StackFacts.of(bucket).get(CREATED_HERE).add(bucket);
}

/**
 * Adds a statement to the bucket's one policy, unless an equivalent statement
 * is already there. Returns false for an imported bucket, whose policy this
 * app does not own.
 */
export function addToBucketPolicyOnce(bucket: s3.IBucket, statement: iam.PolicyStatement, equivalent: (json: any) => boolean): boolean {
  adoptExistingPolicy(bucket);
  const existing = existingStatements(bucket);
  if (existing.some(equivalent)) {
    return true;
  }
  return bucket.addToResourcePolicy(statement).statementAdded;
}

/**
 * When the user made the bucket's policy with `new s3.BucketPolicy(...)`, the
 * bucket does not know it, and `addToResourcePolicy` would create a second
 * one. Point the bucket at the existing one so statements join it.
 */
export function adoptExistingPolicy(bucket: s3.IBucket): void {
  if (bucket.policy || StackFacts.of(bucket).get(CREATED_HERE).has(bucket) || !isOwnedBucket(bucket)) {
    return;
  }
  const stack = Stack.of(bucket);
  const found = stack.node
    .findAll()
    .filter((c: IConstruct): c is s3.BucketPolicy => c instanceof s3.BucketPolicy)
    .filter((p) => {
      const cfn = p.node.defaultChild;
      return cfn instanceof s3.CfnBucketPolicy && sameBucket(stack, cfn.bucket, bucket);
    });
  if (found.length > 0) {
    bucket.policy = found[0];
  }
}

function sameBucket(stack: Stack, ref: string, bucket: s3.IBucket): boolean {
  return JSON.stringify(stack.resolve(ref)) === JSON.stringify(stack.resolve(bucket.bucketName));
}

/** The statements of the bucket's policy as JSON (tokens unresolved), or none. */
export function existingStatements(bucket: s3.IBucket): any[] {
  return bucket.policy?.document.toJSON()?.Statement ?? [];
}

function asList(v: unknown): any[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function coversBucketAndObjects(json: any, bucket: s3.IBucket): boolean {
  const resources = asList(json.Resource);
  return resources.includes(bucket.bucketArn) && resources.includes(bucket.arnForObjects('*'));
}

/**
 * An existing statement that already denies requests without TLS on the
 * bucket and its objects (the shape DP2 reads, see `deniesInsecureTransport`).
 */
export function isSecureTransportDeny(bucket: s3.IBucket) {
  return (json: any): boolean => deniesInsecureTransport(json) === true && coversBucketAndObjects(json, bucket);
}

/**
 * An existing statement that already denies TLS older than `minimum` (or a
 * stricter one) on the bucket and its objects (the shape DP3 reads, see
 * `deniesTlsBelow`; a version that is a token is not known to be enough).
 */
export function isTlsVersionDeny(bucket: s3.IBucket, minimum: string) {
  return (json: any): boolean => deniesTlsBelow(json, Number(minimum)) === true && coversBucketAndObjects(json, bucket);
}

/** An existing statement identical in effect to `statement` (same JSON apart from its Sid). */
export function isSameStatement(statement: iam.PolicyStatement) {
  const { Sid: _sid, ...wanted } = statement.toStatementJson();
  return (json: any): boolean => {
    const { Sid: _s, ...rest } = json;
    return JSON.stringify(rest) === JSON.stringify(wanted);
  };
}
