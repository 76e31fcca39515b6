import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RuleCompliance, RuleDefinition, RuleLevel } from './rule';
import { RULES } from './rules';
import { withRunCache } from '../analysis/template';
import { throwValidationError } from '../core/errors';
import { describeValue, requireString } from '../core/props';

/**
 * One rule of the DataProtection pack: a check of encryption at rest or in
 * transit on one resource of the final template (which may read related
 * resources of the same stack, as DP5 reads a bucket's key policy).
 *
 * The rules are what `DataProtectionChecks` (the cdk-nag adapter, package
 * `cdk-data-protection-nag`) runs; any other tool can run them through
 * `DataProtectionRules.all()` on the `CfnResource`s of a synthesized app.
 * A rule reads the resource as it will be written to the template, after
 * Aspects, overrides and token resolution.
 */
export class DataProtectionRule {
  /** @internal */
  public static _of(definition: RuleDefinition): DataProtectionRule {
    return new DataProtectionRule(definition);
  }

  /** The rule's short id, `DP1` … `DP32`. */
  public readonly id: string;
  /** The id findings are reported and acknowledged by, `DataProtection-DP1` …. */
  public readonly ruleId: string;
  /** How serious a finding is. */
  public readonly level: RuleLevel;
  /** One line: what a finding means. */
  public readonly info: string;
  /** Why the rule matters and how to fix a finding. */
  public readonly explanation: string;

  private constructor(private readonly definition: RuleDefinition) {
    this.id = definition.id;
    this.ruleId = `${DataProtectionRules.PACK_NAME}-${definition.id}`;
    this.level = definition.level;
    this.info = definition.info;
    this.explanation = definition.explanation;
  }

  /**
   * Checks one resource.
   *
   * @param resource any CloudFormation resource of a stack; the rule reads it as resolved for the template
   * @returns `NON_COMPLIANT` for a finding; `NOT_APPLICABLE` where the rule does not apply or a value it needs is known only at deployment
   */
  public check(resource: CfnResource): RuleCompliance {
    return this.definition.check(resource);
  }

  /**
   * The explanation of a finding on one resource, as the pack reports it:
   * the rule id (`DataProtection-DP5: `), what the finding is about in
   * particular (the policy statements by Sid, the principals, the actions
   * granted and missing, measured sizes), the rule's explanation and fix,
   * and how to acknowledge the finding.
   *
   * @param resource the resource `check` found non-compliant
   */
  public explain(resource: CfnResource): string {
    return `${this.ruleId}: ${this._explanationOf(resource)}`;
  }

  /**
   * The explanation of a finding without the rule id in front, for a
   * report that puts the id (and `info`) before it.
   *
   * @internal
   */
  public _explanationOf(resource: CfnResource): string {
    const specific = this.definition.details?.(resource);
    return `${specific ? `${specific} ${this.explanation}` : this.explanation} ${this._acknowledgement}`;
  }

  /**
   * How to acknowledge a finding of this rule, in the form cdk-nag 3 and
   * aws-cdk-lib honour: `Validations.of(construct).acknowledge({ id: 'DataProtection-DP5', reason })`.
   *
   * @internal
   */
  public get _acknowledgement(): string {
    return `Acknowledge a deliberate choice with Validations.of(construct).acknowledge({ id: '${this.ruleId}', reason: '...' }).`;
  }
}

/**
 * The rules of the DataProtection pack.
 *
 * @example
 * for (const rule of DataProtectionRules.all()) {
 *   if (rule.check(bucket.node.defaultChild as CfnResource) === RuleCompliance.NON_COMPLIANT) {
 *     console.log(`${rule.ruleId}: ${rule.info}`);
 *   }
 * }
 */
export class DataProtectionRules {
  /** The pack's name, the prefix of every rule id (`DataProtection-DP1`). */
  public static readonly PACK_NAME = 'DataProtection';

  /** Every rule of the pack, in id order (`DP1` first). */
  public static all(): DataProtectionRule[] {
    return RULES.map((r) => DataProtectionRule._of(r));
  }

  /**
   * One rule by its id.
   *
   * @param id `DP1` … `DP32`, or `DataProtection-DP1` …
   * @throws `UnknownRuleId` if no rule of the pack has that id
   */
  public static find(id: string): DataProtectionRule {
    requireString('id', id);
    const short = id.startsWith(`${DataProtectionRules.PACK_NAME}-`) ? id.slice(DataProtectionRules.PACK_NAME.length + 1) : id;
    const definition = RULES.find((r) => r.id === short);
    if (!definition) {
      const ids = RULES.map((r) => r.id).join(', ');
      throwValidationError('UnknownRuleId', `id: no rule of the ${DataProtectionRules.PACK_NAME} pack has the id ${describeValue(id)}. Use one of ${ids} (or ${DataProtectionRules.PACK_NAME}-DP1 ...).`);
    }
    return DataProtectionRule._of(definition);
  }

  /**
   * Runs `fn` with each resource of the stacks under `scope` rendered once,
   * however many rules read it: what a pack does around one pass over an app.
   *
   * @internal
   */
  public static _withRunCache<T>(scope: IConstruct, fn: () => T): T {
    return withRunCache(scope, fn);
  }

  private constructor() {}
}
