import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements } from '../../analysis/bucket';
import { AccountContext, coversAction, isAllow, isOtherAccount } from '../../analysis/policy';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { grantText, whoText } from '../statement-text';

/** What no partner needs: deleting data, changing who may read it, or reconfiguring the bucket. */
const DESTRUCTIVE_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:BypassGovernanceRetention',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketAcl',
  's3:DeleteBucket',
  's3:PutLifecycleConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutBucketVersioning',
];

/** The statements letting other accounts (or everyone) delete or reconfigure, with what they grant and the destructive actions it includes; undefined when not applicable. */
function destructiveGrants(node: CfnResource): string[] | undefined {
  if (node.cfnResourceType !== BUCKET) {
    return undefined;
  }
  const statements = bucketPolicyStatements(node);
  if (statements === undefined) {
    return undefined;
  }
  const ctx = new AccountContext(node);
  const found: string[] = [];
  statements.forEach((s, i) => {
    if (!isAllow(s)) {
      return;
    }
    const actions = DESTRUCTIVE_ACTIONS.filter((a) => coversAction(s, a) === true);
    if (actions.length === 0) {
      return;
    }
    for (const who of ctx.principalsOf(s)) {
      if (isOtherAccount(who) || who.kind === 'any') {
        found.push(`${grantText(s, whoText(who), i)}, which allows ${actions.join(', ')}`);
      }
    }
  });
  return found;
}

/**
 * DP19: the bucket policy lets another account (or anyone) delete objects
 * or their versions, change ACLs, or reconfigure the bucket: what no
 * partner share gives (`shareWith` reads or writes).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
 */
export const PartnerDestructiveAccess: RuleDefinition = {
  id: 'DP19',
  level: RuleLevel.WARNING,
  info: 'The bucket policy lets another account delete data or object versions, change ACLs, or reconfigure the bucket.',
  explanation:
    'On a versioned bucket s3:DeleteObjectVersion removes data for good, and s3:PutBucketPolicy or s3:PutEncryptionConfiguration hands the bucket itself to the other account. ' +
    'aws-cdk-lib writes such allows when bucket.grantDelete or grantPutAcl is given a principal of another account. ' +
    'Fix: share with EncryptedBucket.shareWith (READ, WRITE or READ_WRITE), and keep deletion and configuration with the bucket\'s own account.',
  check(node: CfnResource): RuleCompliance {
    const found = destructiveGrants(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = destructiveGrants(node);
    return found && found.length > 0 ? `Bucket policy ${found.join('; ')}.` : undefined;
  },
};
