import { CfnResource } from 'aws-cdk-lib';
import { RuleCompliance, RuleLevel } from './enums';

export { RuleCompliance, RuleLevel };

/**
 * One rule of the DataProtection pack, as the rule files write it: its id,
 * what the finding says, how to fix it, its level, and the check, a pure
 * function of one resource (which may read related resources of the same
 * stack). `DataProtectionRule` (data-protection-rules.ts) is its public face.
 */
export interface RuleDefinition {
  /** `DP1`, `DP2`, …; the finding is reported as `DataProtection-DPn`. */
  readonly id: string;
  readonly level: RuleLevel;
  /** One line: what is wrong. */
  readonly info: string;
  /** Why it matters and the fix. */
  readonly explanation: string;
  /**
   * The rule reads the resource's own encryption settings, so a construct's
   * promise of it is broken when an `Fn::If` in the resource's properties
   * leaves the rule unable to read them (`NOT_APPLICABLE`): the settings are
   * chosen at deployment, and one branch may turn encryption off.
   */
  readonly settingsUnderConditionBreakPromise?: boolean;
  /** `NON_COMPLIANT`, `COMPLIANT`, or `NOT_APPLICABLE` where the rule does not apply or a value cannot be known. */
  check(node: CfnResource): RuleCompliance;
  /** What this resource's finding is about in particular (partners, actions), put before the explanation. */
  details?(node: CfnResource): string | undefined;
}
