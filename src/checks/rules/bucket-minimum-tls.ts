import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, resourceCoverage } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { deniesTlsBelow, NEWEST_TLS_VERSION, unmeetableTlsMinimum } from '../../analysis/transport';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { checkBucketWideDeny } from '../rule-helpers';

/** The oldest TLS version a bucket may accept. */
const MINIMUM_TLS = 1.2;

/** The Denies of the bucket's policy, on the bucket or its objects, whose TLS minimum no client can meet, as `<Sid> (below <version>)`. */
function unmeetable(node: CfnResource): string[] {
  if (node.cfnResourceType !== BUCKET) {
    return [];
  }
  const bucket = render(node);
  const found: string[] = [];
  (bucketPolicyStatements(node) ?? []).forEach((s, i) => {
    const version = unmeetableTlsMinimum(s);
    if (version === undefined) {
      return;
    }
    const coverage = resourceCoverage(bucket, s);
    if (coverage.bucket || coverage.objects) {
      found.push(`${typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : `#${i}`} (below ${Number.isInteger(version) ? version.toFixed(1) : version})`);
    }
  });
  return found;
}

/**
 * DP3: the bucket policy denies TLS versions older than 1.2, on the bucket
 * and on its objects, and no minimum above 1.3, which no TLS client can meet.
 */
export const BucketMinimumTls: RuleDefinition = {
  id: 'DP3',
  level: RuleLevel.ERROR,
  info: 'The bucket policy does not enforce a minimum TLS version of 1.2 or 1.3 (s3:TlsVersion) on both the bucket and its objects, or sets one above 1.3, which denies every request.',
  explanation:
    'TLS 1.0 and 1.1 are deprecated and broken; a bucket that does not deny them accepts clients that negotiate them. ' +
    `No TLS version above ${NEWEST_TLS_VERSION} exists: a Deny of NumericLessThan s3:TlsVersion "1.4" (or higher) denies every request. ` +
    'Fix: add to the bucket policy a Deny of s3:* to Principal * on the bucket ARN and bucket/* with Condition NumericLessThan s3:TlsVersion "1.2" (or "1.3") ' +
    '(minimumTLSVersion: 1.2 with enforceSSL on s3.Bucket, TlsOnlyBucketPolicy, or DataProtectionStatements.denyOutdatedTls; EncryptedBucket has it by default).',
  check(node: CfnResource): RuleCompliance {
    if (unmeetable(node).length > 0) {
      return RuleCompliance.NON_COMPLIANT;
    }
    return checkBucketWideDeny(node, (s) => deniesTlsBelow(s, MINIMUM_TLS));
  },
  details(node: CfnResource): string | undefined {
    const found = unmeetable(node);
    return found.length > 0
      ? `Deny statement(s) ${found.join(', ')} of the bucket policy: no TLS version above ${NEWEST_TLS_VERSION} exists: every request would be denied.`
      : undefined;
  },
};
