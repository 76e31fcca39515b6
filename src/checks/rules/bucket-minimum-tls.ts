import { CfnResource } from 'aws-cdk-lib';
import { deniesTlsBelow } from '../../analysis/transport';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { checkBucketWideDeny } from '../rule-helpers';

/** The oldest TLS version a bucket may accept. */
const MINIMUM_TLS = 1.2;

/** DP3: the bucket policy denies TLS versions older than 1.2, on the bucket and on its objects. */
export const BucketMinimumTls: RuleDefinition = {
  id: 'DP3',
  level: RuleLevel.ERROR,
  info: 'The bucket policy does not enforce a minimum TLS version of 1.2 or later (s3:TlsVersion) on both the bucket and its objects.',
  explanation:
    'TLS 1.0 and 1.1 are deprecated and broken; a bucket that does not deny them accepts clients that negotiate them. ' +
    'Fix: add to the bucket policy a Deny of s3:* to Principal * on the bucket ARN and bucket/* with Condition NumericLessThan s3:TlsVersion "1.2" (or "1.3") ' +
    '(minimumTLSVersion: 1.2 with enforceSSL on s3.Bucket, TlsOnlyBucketPolicy, or DataProtectionStatements.denyOutdatedTls; EncryptedBucket has it by default).',
  check(node: CfnResource): RuleCompliance {
    return checkBucketWideDeny(node, (s) => deniesTlsBelow(s, MINIMUM_TLS));
  },
};
