import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataProtectionStatements, TlsVersion } from '../statements';
import { addToBucketPolicyOnce, bucketPoliciesOf, isSecureTransportDeny, isTlsVersionDeny } from './bucket-policy';

/**
 * Adds the TLS statements to the bucket's one policy, skipping those it already has.
 */
export function applyTlsStatements(bucket: s3.IBucket, minimum: TlsVersion): void {
  addToBucketPolicyOnce(bucket, DataProtectionStatements.denyInsecureTransport(bucket), isSecureTransportDeny(bucket));
  addToBucketPolicyOnce(bucket, DataProtectionStatements.denyOutdatedTls(bucket, minimum), isTlsVersionDeny(bucket, minimum));
  const stackOfBucket = bucket.node;
  if (!(stackOfBucket as any)[ONE_POLICY_CHECK]) {
    (stackOfBucket as any)[ONE_POLICY_CHECK] = true;
    bucket.node.addValidation({
      validate: () => {
        const policies = bucketPoliciesOf(bucket);
        return policies.length > 1
          ? [
            `bucket ${bucket.node.path} has ${policies.length} AWS::S3::BucketPolicy resources (${policies.map((p) => p.node.path).join(', ')}): CloudFormation keeps only the last one applied and silently drops the others' statements. ` +
                'Add statements with bucket.addToResourcePolicy() instead of creating another s3.BucketPolicy.',
          ]
          : [];
      },
    });
  }
}

const ONE_POLICY_CHECK = Symbol.for('cdk-data-protection.onePolicyCheck');

/**
 * Only TLS 1.2 and TLS 1.3 can be expressed.
 */
export function validateTlsVersion(prop: string, value: TlsVersion | undefined): TlsVersion {
  if (value === undefined) {
    return TlsVersion.TLS_1_2;
  }
  if (!Object.values(TlsVersion).includes(value)) {
    throw new Error(`${prop} must be TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3 (older TLS versions are not accepted), got ${JSON.stringify(value)}`);
  }
  return value;
}
