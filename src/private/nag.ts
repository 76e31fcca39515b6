import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The compliance packs of cdk-nag this library keeps clean, by rule-id prefix. */
const PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/**
 * Acknowledges a cdk-nag rule, in every pack that has it, on one construct,
 * with a reason reviewers can read. Used only where the finding is a choice
 * the user makes (replication) or a limit of AWS (log target encryption).
 */
export function acknowledgeNagRule(scope: IConstruct, rule: string, reason: string, packs: string[] = PACKS): void {
  for (const pack of packs) {
    Validations.of(scope).acknowledge({ id: `${pack}-${rule}`, reason });
  }
}

export const REPLICATION_REASON =
  'Cross-Region replication is a data-retention and disaster-recovery choice with its own cost and a second Region; cdk-data-protection leaves it to the user (add replicationRules to the bucket to enable it).';
export const LOG_TARGET_SSE_S3_REASON =
  'This bucket receives S3 server access logs, and AWS does not support SSE-KMS on a server access log target bucket, so it uses SSE-S3.';
