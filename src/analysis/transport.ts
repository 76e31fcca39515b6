import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { BUCKET, bucketPolicyStatements, isEveryone, resourceCoverage } from './bucket';
import { conditionEntries, coversAction, flatten, isDeny, Statement } from './policy';
import { render } from './template';

/**
 * Whether the bucket's policy has a statement denying every S3 action to
 * everyone on the bucket and all its objects when `condition` holds.
 * `condition` says whether a statement's conditions are the one sought:
 * true, false, or undefined when they cannot be read.
 */
export function checkBucketWideDeny(node: CfnResource, condition: (s: Statement) => boolean | undefined): NagRuleResult {
  if (node.cfnResourceType !== BUCKET) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const bucket = render(node);
  const statements = bucketPolicyStatements(node);
  if (statements === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  let unknown = false;
  let bucketCovered = false;
  let objectsCovered = false;
  for (const s of statements) {
    if (!isDeny(s) || !isEveryone(s)) {
      continue;
    }
    const matches = condition(s);
    const allActions = coversAction(s, 's3:GetObject') && coversAction(s, 's3:PutObject') && coversAction(s, 's3:ListBucket') && coversAction(s, 's3:PutBucketPolicy');
    if (matches === false || allActions === false) {
      continue;
    }
    if (matches === undefined || allActions === undefined) {
      unknown = true;
      continue;
    }
    const coverage = resourceCoverage(bucket, s);
    bucketCovered ||= coverage.bucket;
    objectsCovered ||= coverage.objects;
    unknown ||= coverage.unknown;
  }
  if (bucketCovered && objectsCovered) {
    return NagRuleCompliance.COMPLIANT;
  }
  return unknown ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
}

/** Whether the statement's only condition is `aws:SecureTransport` false (Bool or BoolIfExists). */
export function deniesInsecureTransport(s: Statement): boolean | undefined {
  const entries = conditionEntries(s);
  const transport = entries.filter((e) => e.key === 'aws:securetransport' && e.operator === 'bool');
  if (transport.length === 0 || entries.length !== transport.length) {
    return false;
  }
  const values = transport.flatMap((e) => e.values.map((v) => flatten(v).toLowerCase()));
  if (values.every((v) => v === 'false')) {
    return true;
  }
  return values.some((v) => v !== 'true' && v !== 'false') ? undefined : false;
}

/**
 * The minimum TLS version a statement enforces (`NumericLessThan` on
 * `s3:TlsVersion`, its only condition); false when it is not such a statement,
 * undefined when unreadable.
 */
export function minimumTlsOf(s: Statement): number | false | undefined {
  const entries = conditionEntries(s);
  const tls = entries.filter((e) => e.key === 's3:tlsversion' && e.operator === 'numericlessthan');
  if (tls.length !== 1 || entries.length !== 1 || tls[0].values.length !== 1) {
    return false;
  }
  const text = flatten(tls[0].values[0]);
  const version = Number(text);
  return Number.isFinite(version) && /^\d+(\.\d+)?$/.test(text) ? version : undefined;
}
