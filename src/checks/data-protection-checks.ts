import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { RULES } from './rules';
import { withRunCache } from '../analysis/template';
import { CONSTRUCT, optionalBoolean, optionalConstruct, optionalObject } from '../core/props';

/**
 * A cdk-nag rule pack that checks encryption at rest and in transit of S3
 * buckets and KMS keys in any CDK app, whether built with this library, with
 * aws-cdk-lib L2 constructs or with L1 resources.
 *
 * Besides checks of one resource (default encryption, TLS, rotation), it
 * compares related resources of the same stack: a bucket shared with another
 * account through its bucket policy whose KMS key's policy does not let that
 * account decrypt (`DataProtection-DP5`) is reported before the partner's
 * first AccessDenied.
 *
 * Findings are reported as `DataProtection-DP1` … `DataProtection-DP13`; with
 * `verbose: true` each carries its explanation, the fix, and for cross-resource
 * rules the partner account and the missing KMS actions. Where a value is known
 * only at deployment (an imported key, a policy built from parameters) a rule
 * reports nothing rather than guess.
 *
 * Acknowledge a finding with a reason:
 * `Validations.of(construct).acknowledge({ id: 'DataProtection-DP7', reason: '...' })`.
 *
 * @example
 * // aws-cdk-lib versions that give validation plugins the construct tree:
 * Validations.of(app).addPlugins(new DataProtectionChecks(app));
 * // any version (for example aws-cdk-lib 2.257), or in unit tests:
 * const report = new DataProtectionChecks(app, { verbose: true }).validateScope(app);
 *
 * @see https://github.com/cdklabs/cdk-nag
 */
export class DataProtectionChecks extends NagPack {
  /** The pack's name, the prefix of its rule ids. */
  public readonly name = 'DataProtection';
  /** The ids of the pack's rules, `DataProtection-DP1` … */
  public readonly ruleIds?: string[];

  /**
   * @param scope the app the pack checks. Only needed with `writeSuppressionsToCloudFormation`, which adds to it the aspect writing acknowledgements into templates.
   * @param props cdk-nag pack options: `verbose: true` adds each finding's explanation, fix and details (partner accounts, missing KMS actions, measured sizes)
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    optionalConstruct('scope', scope, CONSTRUCT);
    optionalObject('props', props, 'an object of NagPackProps { verbose?, writeSuppressionsToCloudFormation? }');
    optionalBoolean('verbose', props?.verbose);
    optionalBoolean('writeSuppressionsToCloudFormation', props?.writeSuppressionsToCloudFormation);
    this.packName = 'DataProtection';
    this.ruleIds = RULES.map((r) => `${this.packName}-${r.id}`);
  }

  /**
   * Validate a construct tree directly (cdk-nag's entry point for tests and
   * for aws-cdk-lib versions whose validation context has no construct tree).
   *
   * @param scope the app, or any construct, to check
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // Each resource is rendered once per run, however many rules read it.
    return withRunCache(scope, () => super.validateScope(scope));
  }

  /** Applies every rule of the pack to one resource. */
  protected checkResource(node: CfnResource): void {
    for (const rule of RULES) {
      const details = rule.details;
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        // Computed only when the resource is reported.
        get explanation(): string {
          const specific = details?.(node);
          return specific ? `${specific} ${rule.explanation}` : rule.explanation;
        },
        level: rule.level,
        node,
        rule: (n: CfnResource) => rule.check(n),
      });
    }
  }
}
