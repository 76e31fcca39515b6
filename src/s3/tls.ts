import * as s3 from 'aws-cdk-lib/aws-s3';
import { addToBucketPolicyOnce, isSecureTransportDeny, isTlsVersionDeny, registerOnePolicyCheck } from './bucket-policy';
import { TlsVersion } from '../statements/enums';
import { denyInsecureTransport, denyOutdatedTls } from '../statements/transport';

/**
 * Adds the TLS statements to the bucket's one policy, skipping those it already has.
 * `bucket` and `minimum` are checked by the caller (see {@link validateTlsVersion}).
 */
export function applyTlsStatements(bucket: s3.IBucket, minimum: TlsVersion): void {
  addToBucketPolicyOnce(bucket, denyInsecureTransport(bucket), isSecureTransportDeny(bucket));
  addToBucketPolicyOnce(bucket, denyOutdatedTls(bucket, minimum), isTlsVersionDeny(bucket, minimum));
  registerOnePolicyCheck(bucket);
}

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
