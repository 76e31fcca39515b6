import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

// Accounts and stacks come from ../support; these are the helpers of the pack's tests only.

/** Every finding of the DataProtection pack, as `<rule id> <construct path>`, sorted. */
export function findings(scope: IConstruct): string[] {
  const report = new DataProtectionChecks(scope).validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)).sort();
}

/** The construct paths reported by one rule (`DP5`), sorted. */
export function reported(scope: IConstruct, id: string): string[] {
  const report = new DataProtectionChecks(scope).validateScope(scope);
  return report.violations
    .filter((v) => v.ruleName === `DataProtection-${id}`)
    .flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? '<no path>'))
    .sort();
}

/** The verbose description (info and explanation) of one rule's finding on one construct path. */
export function explanation(scope: IConstruct, id: string, path: string): string | undefined {
  // Descriptions are grouped per rule; check one resource at a time to read its own explanation.
  const target = (scope.node.root as IConstruct).node.findAll().find((c) => c.node.path === path);
  if (!target) {
    return undefined;
  }
  const report = new DataProtectionChecks(scope, { verbose: true }).validateScope(target);
  return report.violations.find((v) => v.ruleName === `DataProtection-${id}`)?.description;
}

/**
 * A bucket written with plain aws-cdk-lib that every rule of the pack
 * accepts: SSE-KMS under a rotating customer-managed key with a Bucket Key,
 * TLS 1.2 only, SSE-C blocked.
 */
export function compliantPlainBucket(scope: Construct, id: string, props: s3.BucketProps = {}): { bucket: s3.Bucket; key: kms.Key } {
  const key = new kms.Key(scope, `${id}Key`, { enableKeyRotation: true });
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
    ...props,
  });
  return { bucket, key };
}

/**
 * The ids of the DataProtection pack's rules, in id order, written out here (not read from the pack) so that a rule
 * added, dropped or out of order fails the tests that list them. DP1 to DP22 (S3, KMS, sharing, monitoring), then the
 * data-platform services: DP23 Kinesis, DP24 Firehose, DP26 and DP27 Glue, DP28 Athena, DP29 to DP32 EMR and Redshift.
 */
export const RULE_IDS: string[] = [...Array.from({ length: 24 }, (_, i) => `DP${i + 1}`), 'DP26', 'DP27', 'DP28', 'DP29', 'DP30', 'DP31', 'DP32'];
