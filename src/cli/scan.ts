import { createRequire } from 'module';
import * as path from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IncludedResource, includeTemplates, readTemplate, StackTemplate } from './assembly';
import { baseRuleId, byLocation, Finding, FindingLevel } from './findings';
import { DataProtectionRules } from '../checks/data-protection-rules';
import { RuleCompliance, RuleLevel } from '../checks/enums';

/** What one pack found over every template. */
export interface PackResult {
  /** `DataProtection`, `AwsSolutions`, …. */
  readonly pack: string;
  /** The rules the pack ran, for the SARIF log's rule list: id, level and the one-line text. */
  readonly rules: Array<{ id: string; level: FindingLevel; info: string; explanation?: string }>;
  readonly findings: Finding[];
}

/** The cdk-nag packs `--pack` may name, each the cdk-nag export `<name>Checks`. */
export const NAG_PACKS = ['AwsSolutions', 'HIPAASecurity', 'NIST80053R4', 'NIST80053R5', 'PCIDSS321', 'ServerlessChecks'];

/** An acknowledgement written in a template's Metadata (`cdk_nag.rules_to_suppress`). */
export interface Acknowledgement {
  /** The rule, without the granular part (`AwsSolutions-IAM5`), or a granular finding (`AwsSolutions-IAM5[Resource::*]`). */
  readonly id: string;
  readonly reason: string;
  /** cdk-nag's `applies_to`: the granular findings it covers (a string, or `{ regex: '/…/flags' }`); every finding of the rule if absent. */
  readonly appliesTo?: ReadonlyArray<string | { readonly regex: string }>;
}

/**
 * The acknowledgements of `Metadata.cdk_nag.rules_to_suppress` (what this library's constructs,
 * `TemplateAcknowledgements` and cdk-nag's `NagSuppressions` with `WriteNagSuppressionsToCloudFormation`
 * write): on a resource, or at the top of a template for the whole stack (`addStackSuppressions`).
 *
 * @see https://github.com/cdklabs/cdk-nag#suppressing-a-rule
 */
export function acknowledgementsOf(metadata: any): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const ack of metadata?.cdk_nag?.rules_to_suppress ?? []) {
    if (ack?.id) {
      const appliesTo = Array.isArray(ack.applies_to) ? ack.applies_to : undefined;
      out.push({ id: String(ack.id).replace(/^annotation::/i, ''), reason: String(ack.reason ?? ''), ...(appliesTo ? { appliesTo } : {}) });
    }
  }
  return out;
}

/**
 * The reason `ruleId` is acknowledged, if it is: by an acknowledgement of that very id, or of its rule
 * (`AwsSolutions-IAM5` for `AwsSolutions-IAM5[Resource::*]`) that names no `applies_to` or names this
 * finding in it. An `applies_to` covers granular findings only: never a finding of the rule as a whole.
 */
function reasonFor(acks: Acknowledgement[], ruleId: string): string | undefined {
  const base = baseRuleId(ruleId);
  const granular = ruleId === base ? undefined : ruleId.slice(base.length + 1, -1);
  for (const a of acks) {
    if (a.id === ruleId && (a.appliesTo === undefined || ruleId !== base)) return a.reason;
    if (a.id !== base) continue;
    if (a.appliesTo === undefined) return a.reason;
    if (granular !== undefined && a.appliesTo.some((x) => namesFinding(x, granular))) return a.reason;
  }
  return undefined;
}

/** Whether an `applies_to` entry names a granular finding: the same text, or a match of its `{ regex: '/…/flags' }`. */
function namesFinding(entry: string | { readonly regex: string }, granular: string): boolean {
  if (typeof entry === 'string') return entry === granular;
  const m = typeof entry?.regex === 'string' ? /^\/(.*)\/([a-z]*)$/s.exec(entry.regex) : null;
  if (!m) return false;
  try {
    return new RegExp(m[1], m[2].replace('g', '')).test(granular);
  } catch {
    return false;
  }
}

/**
 * Runs the DataProtection rules, and the cdk-nag packs asked for, over every
 * template. The templates are loaded with `CfnInclude`, so any app's cloud
 * assembly is scanned, whether it uses this library or not; the rules read
 * each resource as the template holds it.
 *
 * @param templates the stacks of the cloud assembly
 * @param nagPacks names of cdk-nag packs (`AwsSolutions`, …), resolved from `resolveFrom`
 * @param resolveFrom the directory cdk-nag is installed under (the app's)
 * @throws if a pack is named and cdk-nag cannot be loaded, or the name is not a pack of it
 */
export function scanTemplates(templates: StackTemplate[], nagPacks: string[] = [], resolveFrom = process.cwd()): PackResult[] {
  const { app, resources } = includeTemplates(templates);
  const metadata = new Map<CfnResource, { acks: Acknowledgement[]; included: IncludedResource }>();
  const ofStack = new Map(templates.map((t) => [t, acknowledgementsOf(readTemplate(t).Metadata)]));
  for (const r of resources) {
    metadata.set(r.resource, { acks: [...acknowledgementsOf(r.resource.cfnOptions.metadata), ...ofStack.get(r.stack)!], included: r });
  }
  const finding = (r: IncludedResource, f: Pick<Finding, 'ruleId' | 'pack' | 'level' | 'message' | 'fix'>): Finding => {
    const reason = reasonFor(metadata.get(r.resource)!.acks, f.ruleId);
    return {
      ...f,
      stack: r.stack.artifactId,
      logicalId: r.logicalId,
      path: r.path,
      templatePath: r.stack.templatePath,
      ...(reason !== undefined ? { acknowledged: reason } : {}),
    };
  };

  const results: PackResult[] = [dataProtection(app, resources, finding)];
  for (const name of nagPacks) {
    results.push(nagPack(name, app, resolveFrom, (node, f) => {
      const m = metadata.get(node);
      return m ? finding(m.included, f) : undefined;
    }));
  }
  return results;
}

function levelOf(level: RuleLevel): FindingLevel {
  return level === RuleLevel.ERROR ? 'error' : 'warning';
}

function dataProtection(
  app: IConstruct,
  resources: IncludedResource[],
  finding: (r: IncludedResource, f: Pick<Finding, 'ruleId' | 'pack' | 'level' | 'message' | 'fix'>) => Finding,
): PackResult {
  const rules = DataProtectionRules.all();
  const findings: Finding[] = [];
  DataProtectionRules._withRunCache(app, () => {
    for (const r of resources) {
      for (const rule of rules) {
        let compliance: RuleCompliance;
        let fix: string;
        try {
          compliance = rule.check(r.resource);
          // The finding's line names the rule already: the explanation without its leading "DataProtection-DPn: ".
          fix = compliance === RuleCompliance.NON_COMPLIANT ? withoutRuleId(rule.explain(r.resource), rule.ruleId) : '';
        } catch (e) {
          // A rule that cannot read a resource is a finding to look at, never a silent pass.
          compliance = RuleCompliance.NON_COMPLIANT;
          fix = `The rule could not read this resource (${(e as Error).message}); check it by hand. ${withoutRuleId(rule.explanation, rule.ruleId)}`;
        }
        if (compliance === RuleCompliance.NON_COMPLIANT) {
          const level = levelOf(rule.level);
          findings.push(finding(r, { ruleId: rule.ruleId, pack: DataProtectionRules.PACK_NAME, level, message: rule.info, fix }));
        }
      }
    }
  });
  return {
    pack: DataProtectionRules.PACK_NAME,
    rules: rules.map((r) => ({ id: r.ruleId, level: levelOf(r.level), info: r.info, explanation: r.explanation })),
    findings: findings.sort(byLocation),
  };
}

/**
 * Loads cdk-nag as the app installed it, from the app's directory: a pack the
 * user asks for at run time, never a dependency of this package.
 */
function loadCdkNag(resolveFrom: string): any {
  const fromApp = createRequire(path.join(path.resolve(resolveFrom), 'package.json'));
  try {
    return fromApp('cdk-nag');
  } catch {
    throw new Error(
      `--pack: cdk-nag is not installed where the app is (${resolveFrom}). Install it (npm install --save-dev cdk-nag@^3) or leave out --pack.`,
    );
  }
}

function nagPack(
  name: string,
  app: IConstruct,
  resolveFrom: string,
  finding: (node: CfnResource, f: Pick<Finding, 'ruleId' | 'pack' | 'level' | 'message' | 'fix'>) => Finding | undefined,
): PackResult {
  if (name === DataProtectionRules.PACK_NAME) {
    throw new Error(`--pack ${name}: the ${name} rules always run; name only cdk-nag packs (${NAG_PACKS.join(', ')}).`);
  }
  const nag = loadCdkNag(resolveFrom);
  const exportName = name.endsWith('Checks') ? name : `${name}Checks`;
  const Pack = nag[exportName];
  if (typeof Pack !== 'function') {
    throw new Error(`--pack ${name}: cdk-nag has no pack ${exportName}. Use one of ${NAG_PACKS.join(', ')}.`);
  }
  const pack: { validateScope(scope: IConstruct): any } = new Pack({ verbose: true });
  const byPath = new Map<string, CfnResource>();
  for (const c of app.node.findAll()) {
    if (CfnResource.isCfnResource(c)) byPath.set(c.node.path, c);
  }
  const findings: Finding[] = [];
  const rules = new Map<string, { id: string; level: FindingLevel; info: string }>();
  for (const v of pack.validateScope(app).violations ?? []) {
    const level: FindingLevel = v.severity === 'error' ? 'error' : 'warning';
    // cdk-nag appends the compliance control ids; the rule id already names them.
    const description = String(v.description ?? '').replace(/ - \(Control IDs?: .*\)\.?$/, '');
    const [info, ...rest] = description.split(/(?<=\.) /);
    rules.set(baseRuleId(v.ruleName), { id: baseRuleId(v.ruleName), level, info });
    for (const r of v.violatingResources ?? []) {
      const node = r.constructPath ? byPath.get(r.constructPath) : undefined;
      const f = node ? finding(node, { ruleId: v.ruleName, pack: name, level, message: info, fix: rest.join(' ') }) : undefined;
      if (f) findings.push(f);
    }
  }
  return { pack: name, rules: [...rules.values()], findings: findings.sort(byLocation) };
}

/**
 * A rule's text as the command prints it: without the `<rule id>: ` it starts with (the line names the
 * rule), and with the way to acknowledge that the command sees. `Validations.acknowledge` alone lives in the
 * construct tree; the command reads the template, where `TemplateAcknowledgements.write` puts it.
 */
function withoutRuleId(text: string, ruleId: string): string {
  const body = text.startsWith(`${ruleId}: `) ? text.slice(ruleId.length + 2) : text;
  const hint = `Acknowledge a deliberate choice with Validations.of(construct).acknowledge({ id: '${ruleId}', reason: '...' }).`;
  return body.endsWith(hint)
    ? body.slice(0, -hint.length) +
        `Acknowledge a deliberate choice with Validations.of(construct).acknowledge({ id: '${ruleId}', reason: '...' }) ` +
        "and TemplateAcknowledgements.write(app), which writes it into the template's Metadata (cdk_nag.rules_to_suppress) that this command reads."
    : body;
}
