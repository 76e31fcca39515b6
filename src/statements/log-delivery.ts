import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY } from './sids';

/**
 * Server access log delivery (bucket policy of the log bucket). Internal
 * builder: it takes checked values and does not validate.
 */

/** Allow the S3 logging service to write the logs of `sourceBucket` under `prefix` of `logBucket`, and nothing else. */
export function allowServerAccessLogDelivery(
  logBucket: s3.IBucket,
  sourceBucket: s3.IBucket,
  prefix: string,
  sourceAccount: string,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_SERVER_ACCESS_LOG_DELIVERY,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logBucket.arnForObjects(`${prefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': sourceBucket.bucketArn },
      StringEquals: { 'aws:SourceAccount': sourceAccount },
    },
  });
}
