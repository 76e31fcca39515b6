/**
 * How serious a finding of a DataProtection rule is.
 *
 * The values are those of cdk-nag's `NagMessageLevel`, so an adapter passes
 * them on unchanged.
 *
 * @see https://github.com/cdklabs/cdk-nag/blob/main/docs/RULES.md
 */
export enum RuleLevel {
  /** Worth a look: a choice that weakens the protection, or a cost. */
  WARNING = 'Warning',
  /** A broken promise: data unprotected, or access that fails at run time. */
  ERROR = 'Error',
}

/**
 * What a DataProtection rule found on one resource.
 *
 * The values are those of cdk-nag's `NagRuleCompliance` (and the compliance
 * types of AWS Config rules, `COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE`).
 *
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_Compliance.html
 */
export enum RuleCompliance {
  /** The resource keeps the rule. */
  COMPLIANT = 'Compliant',
  /** The resource breaks the rule: a finding. */
  NON_COMPLIANT = 'Non-Compliant',
  /** The rule does not apply to the resource, or a value it needs is known only at deployment. */
  NOT_APPLICABLE = 'N/A',
}
