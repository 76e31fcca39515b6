import { Annotations, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RuleCompliance, RuleDefinition } from './rule';
import { RULES } from './rules';
import { isObject, render } from '../analysis/template';
import { FactKey, StackFacts } from '../core/facts';

/**
 * The promises the constructs of this library make about the resources they
 * create, protect or share, checked on the final template: at synthesis,
 * after Aspects, overrides, escape hatches and token resolution, in the
 * stack's one pass, with the rules of the DataProtection pack themselves. So
 * whatever path changed a resource (`node.defaultChild`, `addPropertyOverride`,
 * an Aspect, a raw L1, aws-cdk-lib's own `grant*` methods), the construct and
 * `DataProtectionChecks` reach the same verdict.
 */

/** How a broken promise is reported. */
export interface Promised {
  /** The rule, by short id (`DP2`). */
  readonly rule: string;
  /**
   * Report a finding as this warning (`cdk-data-protection:<id>`, which users
   * can acknowledge) instead of failing synthesis: for choices a user may
   * make on purpose.
   */
  readonly warning?: string;
}

interface Entry {
  readonly owner: IConstruct;
  /** How the report names the owner: `EncryptedBucket Producer/Data`. */
  readonly ownerName: string;
  readonly resource: CfnResource;
  readonly rule: RuleDefinition;
  readonly warning?: string;
}

/** The promises made in a stack: per resource, per rule id, the first owner to promise it. */
const PROMISES = new FactKey<Map<CfnResource, Map<string, Entry>>>('checks.promises', () => new Map());

/**
 * Records that `owner` promises `rules` for `resource`, and adds the check of
 * every promise of the stack to its one pass at synthesis (once per stack).
 *
 * @param owner the construct that makes the promise; errors name it, warnings are added to it
 * @param ownerName how messages name it, e.g. `EncryptedBucket`
 * @param resource the L1 resource the rules read
 * @param rules the rules it must pass, by short id, with how a finding is reported
 */
export function promise(owner: IConstruct, ownerName: string, resource: CfnResource, rules: Array<string | Promised>): void {
  const facts = StackFacts.of(resource);
  const promises = facts.get(PROMISES);
  const byRule = promises.get(resource) ?? new Map<string, Entry>();
  promises.set(resource, byRule);
  for (const r of rules) {
    const { rule: id, warning } = typeof r === 'string' ? { rule: r, warning: undefined } : r;
    const rule = RULES.find((d) => d.id === id);
    if (!rule) {
      throw new Error(`internal: no rule ${id}`);
    }
    if (!byRule.has(id)) {
      byRule.set(id, { owner, ownerName, resource, rule, warning });
    }
  }
  facts.addCheck(() => brokenPromises(promises), { name: 'checks.promises' });
}

/** Checks every promise of a stack on its final template: errors for broken promises; warnings are added to their owners. */
function brokenPromises(promises: Map<CfnResource, Map<string, Entry>>): string[] {
  const errors: string[] = [];
  for (const entry of [...promises.values()].flatMap((byRule) => [...byRule.values()])) {
    const compliance = entry.rule.check(entry.resource);
    const unreadable = compliance === RuleCompliance.NOT_APPLICABLE && entry.rule.settingsUnderConditionBreakPromise === true;
    const conditional = unreadable ? conditionPath(render(entry.resource).props) : undefined;
    if (compliance !== RuleCompliance.NON_COMPLIANT && conditional === undefined) {
      continue;
    }
    const message = conditional === undefined ? describeBroken(entry) : describeConditional(entry, conditional);
    if (entry.warning) {
      Annotations.of(entry.owner).addWarningV2(entry.warning, message);
    } else {
      errors.push(message);
    }
  }
  return errors;
}

/** The path of the first `Fn::If` in `value` (`Properties.StreamEncryption`), or undefined when there is none. */
function conditionPath(value: unknown, at = 'Properties'): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = conditionPath(v, `${at}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) {
    return undefined;
  }
  if ('Fn::If' in value) {
    return at;
  }
  for (const [k, v] of Object.entries(value)) {
    const found = conditionPath(v, `${at}.${k}`);
    if (found) return found;
  }
  return undefined;
}

function describeConditional(entry: Entry, at: string): string {
  const { rule, resource } = entry;
  return (
    `${resource.node.path} cannot be shown to pass DataProtection-${rule.id} on the final template, which ${entry.ownerName} ${entry.owner.node.path} promises: ` +
    `an Fn::If at ${at} chooses its settings at deployment, and the rule cannot tell that every branch keeps them: ${rule.info} ` +
    'Remove the Fn::If (an escape hatch through node.defaultChild, addOverride/addPropertyOverride, an Aspect), or make the choice outside the resource, e.g. two constructs each under its own condition.'
  );
}

function describeBroken(entry: Entry): string {
  const { rule, resource } = entry;
  const details = rule.details?.(resource);
  return (
    `${resource.node.path} fails DataProtection-${rule.id} on the final template, which ${entry.ownerName} ${entry.owner.node.path} promises: ${rule.info}${details ? ` ${details}` : ''} ` +
    `${rule.explanation} If something changed the resource after the construct wrote it (an escape hatch through node.defaultChild, addOverride/addPropertyOverride, an Aspect, a raw L1 resource, an aws-cdk-lib grant* method), undo that change.`
  );
}
