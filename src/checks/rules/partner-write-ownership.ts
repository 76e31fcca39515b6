import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, crossAccountGrants } from '../../analysis/bucket';
import { describeWho, isAllow } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { grantText } from '../statement-text';

const ENFORCED = 'BucketOwnerEnforced';

/** The other accounts the bucket policy lets write, and the bucket's Object Ownership; undefined when not applicable. */
function writersAndOwnership(node: CfnResource): { writers: string[]; grants: string[]; ownership: unknown } | undefined {
  if (node.cfnResourceType !== BUCKET) {
    return undefined;
  }
  const bucket = render(node);
  const statements = bucketPolicyStatements(node);
  if (statements === undefined) {
    return undefined;
  }
  const writers = crossAccountGrants(bucket, statements).filter((g) => g.writes).map((g) => describeWho(g.who));
  const grants: string[] = [];
  statements.forEach((s, i) => {
    for (const g of isAllow(s) ? crossAccountGrants(bucket, [s]).filter((w) => w.writes) : []) {
      grants.push(grantText(s, describeWho(g.who), i));
    }
  });
  const rules = bucket.props.OwnershipControls?.Rules;
  const ownership = Array.isArray(rules) ? rules[0]?.ObjectOwnership : undefined;
  return { writers, grants, ownership };
}

/**
 * DP15: a bucket another account may write to keeps Object Ownership
 * `BucketOwnerEnforced`, so the bucket's account owns every object. A bucket
 * without `OwnershipControls` is not applicable (S3's default depends on when
 * the bucket was created).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export const PartnerWriteOwnership: RuleDefinition = {
  id: 'DP15',
  level: RuleLevel.WARNING,
  info: 'Another account may write to the S3 bucket, whose Object Ownership is not BucketOwnerEnforced.',
  explanation:
    'Objects the other account uploads stay owned by that account (ObjectWriter) or by whoever sets the ACL (BucketOwnerPreferred): the bucket\'s account cannot read or manage them through its own policies, and ACLs come back into play. ' +
    'Fix: set OwnershipControls to BucketOwnerEnforced (objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED; EncryptedBucket sets it).',
  check(node: CfnResource): RuleCompliance {
    const found = writersAndOwnership(node);
    if (found === undefined || found.writers.length === 0) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    if (found.ownership === ENFORCED) {
      return RuleCompliance.COMPLIANT;
    }
    // Without OwnershipControls a bucket created since April 2023 is BucketOwnerEnforced,
    // one created before is ObjectWriter: which one deploys is not known here.
    return typeof found.ownership === 'string' ? RuleCompliance.NON_COMPLIANT : RuleCompliance.NOT_APPLICABLE;
  },
  details(node: CfnResource): string | undefined {
    const found = writersAndOwnership(node);
    return found && found.writers.length > 0
      ? `Bucket policy ${found.grants.join('; ')}; Object Ownership is ${String(found.ownership)}, so what ${found.writers.join(', ')} uploads stays owned by the uploader (missing: ObjectOwnership BucketOwnerEnforced).`
      : undefined;
  },
};
