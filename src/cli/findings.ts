/**
 * What the scan command finds: one finding per rule and resource, the same
 * in the console, the findings JSON and the SARIF log.
 */

/** How serious a finding is; SARIF's `level` values. */
export type FindingLevel = 'error' | 'warning' | 'note';

/** One finding of a rule on one resource of a stack template. */
export interface Finding {
  /** The rule as it is acknowledged: `DataProtection-DP5`, `AwsSolutions-S1`, `AwsSolutions-IAM5[Action::s3:*]`. */
  readonly ruleId: string;
  /** The pack the rule belongs to: `DataProtection`, `AwsSolutions`, …. */
  readonly pack: string;
  readonly level: FindingLevel;
  /** The stack's artifact id. */
  readonly stack: string;
  readonly logicalId: string;
  /** The resource's construct path in the app (`aws:cdk:path`), else `<stack>/<logical id>`. */
  readonly path: string;
  /** The template file, absolute. */
  readonly templatePath: string;
  /** What is wrong, in one line. */
  readonly message: string;
  /** What this finding is about in particular, and how to fix it. */
  readonly fix: string;
  /** The reason given when the finding is acknowledged; absent for an open finding. */
  readonly acknowledged?: string;
}

/** The rule a finding id belongs to: `AwsSolutions-IAM5[Action::s3:*]` → `AwsSolutions-IAM5`. */
export function baseRuleId(ruleId: string): string {
  const i = ruleId.indexOf('[');
  return i < 0 ? ruleId : ruleId.slice(0, i);
}

/** Sorts findings by stack, path, then rule id: the order of every output. */
export function byLocation(a: Finding, b: Finding): number {
  return a.stack.localeCompare(b.stack) || a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId);
}
