import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPoliciesOf } from '../../analysis/bucket';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/**
 * DP16: a bucket has at most one `AWS::S3::BucketPolicy` in its stack,
 * however the policies name it (a reference, or its literal name, as a
 * policy made for an imported bucket does).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html
 */
export const OneBucketPolicy: RuleDefinition = {
  id: 'DP16',
  level: RuleLevel.ERROR,
  info: 'The S3 bucket has more than one AWS::S3::BucketPolicy.',
  explanation:
    'A bucket has one policy: each AWS::S3::BucketPolicy replaces it whole, so CloudFormation keeps whichever was applied last and silently drops the other\'s statements (TLS denies, partner grants). ' +
    'Fix: add statements with bucket.addToResourcePolicy() instead of creating another s3.BucketPolicy or CfnBucketPolicy.',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== BUCKET) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return bucketPoliciesOf(node).length > 1 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const policies = node.cfnResourceType === BUCKET ? bucketPoliciesOf(node) : [];
    return policies.length > 1 ? `${policies.length} AWS::S3::BucketPolicy resources: ${policies.map((p) => p.resource.node.path).join(', ')}.` : undefined;
  },
};
