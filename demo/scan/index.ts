/**
 * The scanners `npm run demo` runs over every template of a cloud assembly:
 * cdk-nag packs, AWS Control Tower proactive controls (cfn-guard) and cfn-lint.
 */
import { IConstruct } from 'constructs';
import { stackTemplates } from './assembly';
import { scanCfnLint } from './cfn-lint';
import { scanControlTower } from './control-tower';
import { scanNag } from './nag';
import { key, ScanResult } from './types';

export { key } from './types';
export type { Finding, ScanResult, StackTemplate } from './types';
export { stackTemplates } from './assembly';
export { CFN_LINT_CONFIG, CFN_LINT_FIX, acknowledgedChecks } from './cfn-lint';

export interface ScanOptions {
  /**
   * The app's construct tree, when it was synthesized in this process: the
   * cdk-nag packs then read acknowledgements where they were made.
   * @default - the templates are loaded with CfnInclude, and acknowledgements read from their Metadata
   */
  readonly tree?: IConstruct;
}

/** Runs every scanner over every stack template of `assemblyDir`: one result per scanner. */
export function scanAssembly(assemblyDir: string, options: ScanOptions = {}): ScanResult[] {
  const templates = stackTemplates(assemblyDir);
  return [...scanNag(templates, options.tree), scanControlTower(templates), scanCfnLint(templates)];
}

/** One line per scanner: `name  findings N  acknowledged N  unacknowledged N`. */
export function formatScanLine(r: ScanResult, width = 48): string {
  const total = r.acknowledged.length + r.unacknowledged.length;
  const verdict = r.unacknowledged.length === 0 ? 'clean' : `${r.unacknowledged.length} UNACKNOWLEDGED`;
  return `${r.scanner.padEnd(width)} findings ${String(total).padStart(3)}  acknowledged ${String(r.acknowledged.length).padStart(3)}  ${verdict}`;
}

/** The unacknowledged findings, one line each, naming scanner, rule and resource. */
export function formatUnacknowledged(results: ScanResult[]): string[] {
  return results.flatMap((r) => r.unacknowledged.map((f) => `  ${r.scanner}: ${key(f)} — ${f.message}`));
}
