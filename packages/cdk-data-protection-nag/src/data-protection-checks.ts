import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { DataProtectionRules, RuleCompliance, RuleLevel } from 'cdk-data-protection';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';

/**
 * A cdk-nag rule pack that checks encryption at rest and in transit of S3
 * buckets and KMS keys in any CDK app, whether built with cdk-data-protection,
 * with aws-cdk-lib L2 constructs or with L1 resources.
 *
 * It runs the rules of `DataProtectionRules` (package `cdk-data-protection`,
 * which the constructs run at synthesis too) through cdk-nag: the pack and
 * the constructs can never disagree. Besides checks of one resource (default
 * encryption, TLS, rotation), it compares related resources of the same
 * stack: a bucket shared with another account through its bucket policy whose
 * KMS key's policy does not let that account decrypt (`DataProtection-DP5`)
 * is reported before the partner's first AccessDenied.
 *
 * Findings are reported as `DataProtection-DP1` … `DataProtection-DP22`, and
 * each description starts with its rule id (`DataProtection-DP5: …`) and ends
 * with how to acknowledge it; with `verbose: true` each carries its
 * explanation, the fix, and for cross-resource rules the policy statements by
 * Sid, the principals, the actions granted and those missing. Where a value is known
 * only at deployment (an imported key, a policy built from parameters) a rule
 * reports nothing rather than guess.
 *
 * Acknowledge a finding with a reason:
 * `Validations.of(construct).acknowledge({ id: 'DataProtection-DP7', reason: '...' })`.
 *
 * @example
 * // aws-cdk-lib versions that give validation plugins the construct tree (2.258 and later):
 * Validations.of(app).addPlugins(new DataProtectionChecks(app));
 * // any version, aws-cdk-lib 2.257 included, and in unit tests:
 * const report = new DataProtectionChecks(app, { verbose: true }).validateScope(app);
 *
 * @see https://github.com/cdklabs/cdk-nag
 */
export class DataProtectionChecks extends NagPack {
  /** The pack's name, the prefix of its rule ids. */
  public readonly name = DataProtectionRules.PACK_NAME;
  /** The ids of the pack's rules, `DataProtection-DP1` … */
  public readonly ruleIds?: string[];
  /** Whether findings carry their explanation (cdk-nag's `verbose`), which then ends with how to acknowledge them. */
  private readonly withExplanations: boolean;

  /**
   * @param scope the app the pack checks. Only needed with `writeSuppressionsToCloudFormation`, which adds to it the aspect writing acknowledgements into templates.
   * @param props cdk-nag pack options: `verbose: true` adds each finding's explanation, fix and details (partner accounts, missing KMS actions, measured sizes)
   * @throws if `scope` is not a construct, or a prop is not a boolean
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    if (scope !== undefined && !Construct.isConstruct(scope)) {
      throw new Error(`scope: expected a construct (the App), got ${describe(scope)}. Pass the app, or nothing.`);
    }
    if (props !== undefined && (props === null || typeof props !== 'object' || Array.isArray(props))) {
      throw new Error(`props: expected an object of NagPackProps { verbose?, writeSuppressionsToCloudFormation? }, got ${describe(props)}.`);
    }
    for (const prop of ['verbose', 'writeSuppressionsToCloudFormation'] as const) {
      const value = props?.[prop];
      if (value !== undefined && typeof value !== 'boolean') {
        throw new Error(`${prop}: expected a boolean (true or false), got ${describe(value)}. Omit it for its default (false).`);
      }
    }
    this.packName = DataProtectionRules.PACK_NAME;
    this.withExplanations = props?.verbose ?? false;
    this.ruleIds = DataProtectionRules.all().map((r) => r.ruleId);
  }

  /**
   * cdk-nag's entry point for `Validations.of(app).addPlugins(...)`.
   *
   * On aws-cdk-lib versions whose validation context carries no construct
   * tree (2.257 and older), a plugin sees only template paths, and a pack of
   * construct rules could check nothing: this reports one violation,
   * `DataProtection-NoConstructTree`, so that synthesis fails and says to call
   * `validateScope(app)` instead, rather than pass having checked nothing.
   *
   * @param context what aws-cdk-lib gives validation plugins
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    if ((context as { appConstruct?: IConstruct }).appConstruct === undefined) {
      return {
        success: false,
        violations: [
          {
            ruleName: `${DataProtectionRules.PACK_NAME}-NoConstructTree`,
            description:
              'This aws-cdk-lib gives validation plugins no construct tree, so the DataProtection pack cannot check anything through Validations.addPlugins. ' +
              'Call new DataProtectionChecks(app).validateScope(app) after the app is built (it returns the same report), or use aws-cdk-lib 2.258 or later.',
            fix: 'Replace Validations.of(app).addPlugins(new DataProtectionChecks(app)) with a call of validateScope(app) and fail on its violations.',
            violatingResources: (context.templatePaths ?? []).map((templatePath) => ({ resourceLogicalId: '(every resource)', templatePath, locations: [] })),
          },
        ],
      };
    }
    return super.validate(context);
  }

  /**
   * Validate a construct tree directly (cdk-nag's entry point for tests and
   * for aws-cdk-lib versions whose validation context has no construct tree).
   *
   * @param scope the app, or any construct, to check
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // Each resource is rendered once per run, however many rules read it.
    return DataProtectionRules._withRunCache(scope, () => super.validateScope(scope));
  }

  /**
   * Applies every rule of the pack to one resource.
   *
   * cdk-nag reports `info` (and, verbose, `info` and `explanation`) as the
   * violation's description, which the CDK CLI prints followed by the pack's
   * name only: so the description starts with the rule id, the one
   * `Validations.acknowledge` takes, and ends with how to acknowledge it.
   */
  protected checkResource(node: CfnResource): void {
    const verbose = this.withExplanations;
    for (const rule of DataProtectionRules.all()) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: verbose ? `${rule.ruleId}: ${rule.info}` : `${rule.ruleId}: ${rule.info} ${rule._acknowledgement}`,
        // Computed only when the resource is reported.
        get explanation(): string {
          return rule._explanationOf(node);
        },
        level: NAG_LEVEL[rule.level],
        node,
        rule: (n: CfnResource) => NAG_COMPLIANCE[rule.check(n)],
      });
    }
  }
}

/** Our compliance values as cdk-nag's (the same strings; the mapping keeps the types honest). */
const NAG_COMPLIANCE: Record<RuleCompliance, NagRuleCompliance> = {
  [RuleCompliance.COMPLIANT]: NagRuleCompliance.COMPLIANT,
  [RuleCompliance.NON_COMPLIANT]: NagRuleCompliance.NON_COMPLIANT,
  [RuleCompliance.NOT_APPLICABLE]: NagRuleCompliance.NOT_APPLICABLE,
};

/** Our levels as cdk-nag's. */
const NAG_LEVEL: Record<RuleLevel, NagMessageLevel> = {
  [RuleLevel.WARNING]: NagMessageLevel.WARN,
  [RuleLevel.ERROR]: NagMessageLevel.ERROR,
};

/** A value as an error message shows it. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return `an object of class ${(value as object).constructor?.name ?? 'Object'}`;
  return `${typeof value} ${String(value)}`;
}
