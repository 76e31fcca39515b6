import { Annotations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { importedBucketPolicy, isOwnedBucket } from './bucket-policy';
import { applyTlsStatements, validateTlsVersion } from './tls';
import { promise } from '../checks/guarantees';
import { BUCKET, optionalBoolean, requireConstruct } from '../core/props';
import { registerStackLimits } from '../core/stack-limits';
import { ManagedRank, recordManaged } from '../report/report-facts';
import { registerForReport } from '../report/report-registry';
import { TlsVersion } from '../statements/enums';

/**
 * Properties of a {@link TlsOnlyBucketPolicy}.
 */
export interface TlsOnlyBucketPolicyProps {
  /**
   * The bucket to protect: an `s3.Bucket` of this app (statements join its one
   * bucket policy), or an imported bucket (see `replaceExistingBucketPolicy`).
   */
  readonly bucket: s3.IBucket;

  /**
   * The oldest TLS version requests may use. Requests without TLS are always denied.
   *
   * @default TlsVersion.TLS_1_2
   */
  readonly minimumTlsVersion?: TlsVersion;

  /**
   * Acknowledge that, for an imported bucket, this creates a new bucket policy
   * that replaces whatever policy the bucket has in AWS (a bucket has one
   * policy; CloudFormation overwrites it). Ignored for buckets of this app.
   *
   * @default false - an imported bucket is an error
   * @throws if the bucket is imported and this is not true
   */
  readonly replaceExistingBucketPolicy?: boolean;
}

/**
 * Makes any bucket TLS-only: denies every request without TLS
 * (`aws:SecureTransport` false) and every request over a TLS version older
 * than the minimum (`s3:TlsVersion`), on the bucket ARN and `bucket/*`.
 *
 * Statements join the bucket's existing policy (a bucket has exactly one
 * `AWS::S3::BucketPolicy`), and statements the policy already has (for example
 * from `enforceSSL: true`) are not added twice.
 *
 * @example
 * const bucket = new s3.Bucket(this, 'Plain');
 * new TlsOnlyBucketPolicy(this, 'TlsOnly', { bucket, minimumTlsVersion: TlsVersion.TLS_1_3 });
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export class TlsOnlyBucketPolicy extends Construct {
  /** The bucket policy the statements were added to. */
  public readonly policy: s3.BucketPolicy;
  /** The oldest TLS version accepted. */
  public readonly minimumTlsVersion: TlsVersion;

  constructor(scope: Construct, id: string, props: TlsOnlyBucketPolicyProps) {
    super(scope, id);
    registerForReport(this);
    registerStackLimits(this);
    if (!props || !props.bucket) {
      throw new Error('bucket is required: pass the s3.IBucket to make TLS-only, got ' + String(props?.bucket));
    }
    requireConstruct('bucket', props.bucket, BUCKET);
    optionalBoolean('replaceExistingBucketPolicy', props.replaceExistingBucketPolicy);
    this.minimumTlsVersion = validateTlsVersion('minimumTlsVersion', props.minimumTlsVersion);
    const bucket = props.bucket;

    if (!isOwnedBucket(bucket)) {
      // An imported bucket: join the bucket policy this app already made for
      // it (another TlsOnlyBucketPolicy, a VpcEndpointAccess, or the user's
      // s3.BucketPolicy), or make the one policy, pointed to by bucket.policy.
      const { created } = importedBucketPolicy(
        bucket,
        props.replaceExistingBucketPolicy === true,
        `bucket ${bucket.node.path} is imported, so a new bucket policy would replace the policy it has in AWS (CloudFormation keeps one policy per bucket), dropping its statements. ` +
          'Set replaceExistingBucketPolicy: true to acknowledge that, or add the statements of DataProtectionStatements to the policy where it is defined.',
        () => new s3.BucketPolicy(this, 'Policy', { bucket }),
      );
      if (created) {
        Annotations.of(this).addWarningV2(
          'cdk-data-protection:replacesBucketPolicy',
          `This creates the bucket policy of the imported bucket ${bucket.node.path}: any policy it has in AWS is replaced.`,
        );
      }
    }

    applyTlsStatements(bucket, this.minimumTlsVersion);
    this.policy = bucket.policy!;
    recordManaged(bucket, ManagedRank.POLICY, { managedBy: `TlsOnlyBucketPolicy ${this.node.path}` });
    const cfn = bucket.node.defaultChild;
    if (cfn instanceof s3.CfnBucket) {
      promise(this, 'TlsOnlyBucketPolicy', cfn, ['DP2', 'DP3']);
    }
  }
}
