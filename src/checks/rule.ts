import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';

/**
 * One rule of the DataProtection pack: its id, what the finding says, how to
 * fix it, its level, and the check, a pure function of one resource (which
 * may read related resources of the same stack).
 *
 * Internal: the pack applies the rules; they are not part of the jsii API.
 */
export interface DataProtectionRule {
  /** `DP1`, `DP2`, …; the finding is reported as `DataProtection-DPn`. */
  readonly id: string;
  readonly level: NagMessageLevel;
  /** One line: what is wrong. */
  readonly info: string;
  /** Why it matters and the fix. */
  readonly explanation: string;
  /** `NON_COMPLIANT`, `COMPLIANT`, or `NOT_APPLICABLE` where the rule does not apply or a value cannot be known. */
  check(node: CfnResource): NagRuleResult;
  /** What this resource's finding is about in particular (partners, actions), appended to the explanation. */
  details?(node: CfnResource): string | undefined;
}
