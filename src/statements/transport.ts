import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TlsVersion } from './enums';
import { SID_DENY_INSECURE_TRANSPORT, sidDenyOutdatedTls } from './sids';
import { SECURE_TRANSPORT_KEY, TLS_VERSION_KEY } from '../analysis/transport';

/**
 * Transport statements (bucket policy): TLS only, and a minimum TLS version.
 * Internal builders: they take checked values (`DataProtectionStatements`
 * and the constructs validate) and do not validate.
 */

/** Deny every request to the bucket and its objects made without TLS. */
export function denyInsecureTransport(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_INSECURE_TRANSPORT,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: { Bool: { [SECURE_TRANSPORT_KEY]: 'false' } },
  });
}

/** Deny every request to the bucket and its objects made over a TLS version older than `minimum`. */
export function denyOutdatedTls(bucket: s3.IBucket, minimum: TlsVersion): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidDenyOutdatedTls(minimum),
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: { NumericLessThan: { [TLS_VERSION_KEY]: minimum } },
  });
}
