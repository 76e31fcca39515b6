import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { Finding } from './findings';
import { PackResult } from './scan';

/** The SARIF version the log is written in, and its schema. */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Options of {@link sarifOf}. */
export interface SarifOptions {
  /** The tool's version (this package's). */
  readonly version: string;
  /** Paths in the log are relative to this directory (the repository root, for code-scanning UIs). */
  readonly baseDirectory: string;
}

/** The 1-based line of a resource's logical id under `Resources` in a template file, for the SARIF region. */
function lineOf(lines: Map<string, string[]>, templatePath: string, logicalId: string): number | undefined {
  let text = lines.get(templatePath);
  if (!text) {
    text = fs.existsSync(templatePath) ? fs.readFileSync(templatePath, 'utf8').split('\n') : [];
    lines.set(templatePath, text);
  }
  const key = `"${logicalId}": {`;
  const i = text.findIndex((l) => l.trim() === key || l.trim().startsWith(key));
  return i < 0 ? undefined : i + 1;
}

/**
 * The findings as one SARIF 2.1.0 log: one run, the tool `cdk-data-protection`
 * with every rule that ran, one result per finding located in its template
 * file (line of the resource) and by its construct path; acknowledged
 * findings carry an external suppression with the reason, as code-scanning
 * UIs show dismissed alerts.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export function sarifOf(results: PackResult[], options: SarifOptions): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const r of results) {
    for (const rule of r.rules) {
      if (ruleIndex.has(rule.id)) continue;
      ruleIndex.set(rule.id, rules.length);
      rules.push({
        id: rule.id,
        name: rule.id.replace(/[^A-Za-z0-9]/g, ''),
        shortDescription: { text: rule.info },
        ...(rule.explanation ? { fullDescription: { text: rule.explanation } } : {}),
        defaultConfiguration: { level: rule.level },
        properties: { pack: r.pack },
      });
    }
  }
  const lines = new Map<string, string[]>();
  const resultOf = (f: Finding): Result => {
    const base = f.ruleId.includes('[') ? f.ruleId.slice(0, f.ruleId.indexOf('[')) : f.ruleId;
    const line = lineOf(lines, f.templatePath, f.logicalId);
    return {
      ruleId: base,
      ...(ruleIndex.has(base) ? { ruleIndex: ruleIndex.get(base) } : {}),
      level: f.level,
      message: { text: `${f.ruleId}: ${f.message} ${f.fix}`.trim() },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocationOf(options.baseDirectory, f.templatePath),
            ...(line !== undefined ? { region: { startLine: line } } : {}),
          },
          logicalLocations: [{ name: f.logicalId, fullyQualifiedName: f.path, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'cdkDataProtection/v1': `${f.ruleId}|${f.stack}|${f.logicalId}` },
      ...(f.acknowledged !== undefined ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.acknowledged }] } : {}),
      properties: { findingId: f.ruleId, stack: f.stack, path: f.path },
    };
  };
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'cdk-data-protection',
            version: options.version,
            informationUri: 'https://github.com/cdk-data-protection/cdk-data-protection',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(options.baseDirectory) } },
        results: results.flatMap((r) => r.findings.map(resultOf)),
      },
    ],
  };
}

function pathToFileUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Where a template is, as a URI reference: relative to `%SRCROOT%` (the base directory) when it is under
 * it, each segment percent-encoded (a space or `#` in a directory name stays part of the path); else its
 * absolute `file:` URI, which code-scanning UIs show as it is.
 */
function artifactLocationOf(baseDirectory: string, file: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(path.resolve(baseDirectory), path.resolve(file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(path.resolve(file)).href };
  }
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}
