import { CfnResource } from 'aws-cdk-lib';
import { RuleCompliance } from './rule';
import { BUCKET, bucketPolicyStatements, resourceCoverage } from '../analysis/bucket';
import { isConditional, Statement } from '../analysis/policy';
import { render } from '../analysis/template';

/**
 * Whether the bucket's policy has a statement of one shape (`isDeny`, e.g.
 * `deniesInsecureTransport`) on the bucket and all its objects: compliant
 * when the bucket ARN and `bucket/*` are both covered, not applicable when a
 * statement or a resource cannot be read and the known ones do not suffice.
 *
 * @param isDeny whether a statement is of the shape sought: true, false, or undefined when it cannot be read
 */
export function checkBucketWideDeny(node: CfnResource, isDeny: (s: Statement) => boolean | undefined): RuleCompliance {
  if (node.cfnResourceType !== BUCKET) {
    return RuleCompliance.NOT_APPLICABLE;
  }
  const bucket = render(node);
  const statements = bucketPolicyStatements(node);
  if (statements === undefined) {
    return RuleCompliance.NOT_APPLICABLE;
  }
  let unknown = false;
  let bucketCovered = false;
  let objectsCovered = false;
  for (const s of statements) {
    // a Deny deployed only under a condition is not one the bucket can count on
    const matches = isConditional(s) ? false : isDeny(s);
    if (matches === false) {
      continue;
    }
    if (matches === undefined) {
      unknown = true;
      continue;
    }
    const coverage = resourceCoverage(bucket, s);
    bucketCovered ||= coverage.bucket;
    objectsCovered ||= coverage.objects;
    unknown ||= coverage.unknown;
  }
  if (bucketCovered && objectsCovered) {
    return RuleCompliance.COMPLIANT;
  }
  return unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.NON_COMPLIANT;
}
