import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { includeTemplates } from './assembly';
import { byKey, Finding, ScanResult, StackTemplate } from './types';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

/** The cdk-nag packs `npm run demo` runs, with their display names. */
function packs(): [string, NagPack][] {
  return [
    ['cdk-nag AwsSolutions', new AwsSolutionsChecks()],
    ['cdk-nag NIST 800-53 R5', new NIST80053R5Checks()],
    ['cdk-nag HIPAA Security', new HIPAASecurityChecks()],
    ['cdk-nag PCI DSS 3.2.1', new PCIDSS321Checks()],
    // This library's own pack (src/checks). Add further cdk-nag packs here.
    ['cdk-nag DataProtection', new DataProtectionChecks()],
  ];
}

/** The acknowledgement reason of `ruleId` on `node` or a construct above it. */
function reasonOf(node: IConstruct, ruleId: string): string | undefined {
  for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          if (id.replace(/^annotation::/i, '') === ruleId) return reason;
        }
      }
    }
  }
  return undefined;
}

/** `<stack artifact id>/<logical id>` of a resource of the construct tree. */
function resourceName(r: CfnResource): string {
  const stack = Stack.of(r);
  return `${stack.artifactId}/${stack.resolve(r.logicalId)}`;
}

/**
 * Runs one pack over a construct tree, collecting both unacknowledged and
 * acknowledged findings. cdk-nag 3 reports only the unacknowledged ones; it
 * asks its (TypeScript-private) `isAcknowledged` exactly once per
 * non-compliant (rule, resource), so that is where acknowledged ones are seen.
 */
function runPack(pack: NagPack, scope: IConstruct, name: (r: CfnResource) => string): { acknowledged: Finding[]; unacknowledged: Finding[] } {
  const acknowledged: Finding[] = [];
  const p = pack as any;
  const isAcknowledged = p.isAcknowledged.bind(pack);
  p.isAcknowledged = (node: CfnResource, ruleId: string): boolean => {
    const yes = isAcknowledged(node, ruleId);
    if (yes) acknowledged.push({ rule: ruleId, resource: name(node), message: '', reason: reasonOf(node, ruleId) });
    return yes;
  };
  const byPath = new Map<string, CfnResource>();
  for (const c of scope.node.findAll()) if (CfnResource.isCfnResource(c)) byPath.set(c.node.path, c);
  const unacknowledged: Finding[] = [];
  for (const v of pack.validateScope(scope).violations) {
    for (const r of v.violatingResources) {
      const node = r.constructPath ? byPath.get(r.constructPath) : undefined;
      // cdk-nag appends the compliance control ids; the rule id already names them.
      const message = (v.description ?? '').replace(/ - \(Control IDs?: .*\)\.?$/, '');
      unacknowledged.push({ rule: v.ruleName, resource: node ? name(node) : (r.constructPath ?? '?'), message });
    }
  }
  return { acknowledged, unacknowledged };
}

/**
 * Records an acknowledgement where cdk-nag 3 reads it, as `Validations.acknowledge`
 * does; written directly because `acknowledge` refuses finding ids holding `::`
 * more than once (`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...]`).
 */
function acknowledge(resource: CfnResource, id: string, reason: string): void {
  resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`annotation::${id}`]: reason });
}

/**
 * Loads each template with the command's `includeTemplates` (src/cli/assembly.ts), and turns the
 * acknowledgements it carries in `Metadata.cdk_nag.rules_to_suppress` (the format cdk-data-protection and
 * cdk-nag's `writeSuppressionsToCloudFormation` write) back into `Validations.acknowledge`, which is what
 * cdk-nag 3 reads.
 */
function includeForNag(templates: StackTemplate[]): { app: App; names: Map<CfnResource, string> } {
  const { app, resources } = includeTemplates(templates);
  const names = new Map<CfnResource, string>();
  for (const r of resources) {
    names.set(r.resource, `${r.stack.artifactId}/${r.logicalId}`);
    for (const ack of r.resource.cfnOptions.metadata?.cdk_nag?.rules_to_suppress ?? []) {
      if (ack?.id) acknowledge(r.resource, String(ack.id), String(ack.reason ?? ''));
    }
  }
  return { app, names };
}

/**
 * The cdk-nag packs over an app: its construct tree when given (acknowledgements
 * read where they were made), else the templates loaded with CfnInclude.
 */
export function scanNag(templates: StackTemplate[], tree?: IConstruct): ScanResult[] {
  let scope: IConstruct;
  let name: (r: CfnResource) => string;
  if (tree) {
    scope = tree;
    name = resourceName;
  } else {
    const included = includeForNag(templates);
    scope = included.app;
    name = (r) => included.names.get(r) ?? r.node.path;
  }
  return packs().map(([scanner, pack]) => {
    const { acknowledged, unacknowledged } = runPack(pack, scope, name);
    return { scanner, acknowledged: acknowledged.sort(byKey), unacknowledged: unacknowledged.sort(byKey) };
  });
}
