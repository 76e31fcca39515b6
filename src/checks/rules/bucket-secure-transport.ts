import { CfnResource } from 'aws-cdk-lib';
import { deniesInsecureTransport } from '../../analysis/transport';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { checkBucketWideDeny } from '../rule-helpers';

/** DP2: the bucket policy denies requests without TLS, on the bucket and on its objects. */
export const BucketSecureTransport: RuleDefinition = {
  id: 'DP2',
  level: RuleLevel.ERROR,
  info: 'The bucket policy does not deny requests without TLS (aws:SecureTransport false) on both the bucket and its objects.',
  explanation:
    'Without the deny, S3 accepts plain HTTP requests, and data and credentials-signed requests cross the network unencrypted. A deny that lists only the bucket ARN or only bucket/* leaves the other open. ' +
    'Fix: add to the bucket policy a Deny of s3:* to Principal * on the bucket ARN and bucket/* with Condition Bool aws:SecureTransport "false" ' +
    '(enforceSSL: true on s3.Bucket, TlsOnlyBucketPolicy, or DataProtectionStatements.denyInsecureTransport; EncryptedBucket has it by default).',
  check(node: CfnResource): RuleCompliance {
    return checkBucketWideDeny(node, deniesInsecureTransport);
  },
};
