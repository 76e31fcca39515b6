import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { byKey, Finding, ScanResult, StackTemplate } from './types';

/** The repository root (demo/scan/../..). */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The one file where cfn-lint findings are acknowledged, each with a reason. */
export const CFN_LINT_CONFIG = path.join(ROOT, '.cfnlintrc.yaml');
/** How to install cfn-lint when it is missing. */
export const CFN_LINT_FIX = 'run `npx projen scan:setup` (creates .venv/ with the pinned tools of requirements-dev.txt), or set CFN_LINT to a cfn-lint executable';

/** cfn-lint of the project-local virtual environment, or `$CFN_LINT`. */
export function cfnLintExecutable(): string {
  const exe = process.env.CFN_LINT ?? path.join(ROOT, '.venv', 'bin', 'cfn-lint');
  if (!fs.existsSync(exe)) {
    throw new Error(`cfn-lint is not installed (no ${path.relative(process.cwd(), exe) || exe}): ${CFN_LINT_FIX}`);
  }
  return exe;
}

/**
 * The checks acknowledged in `.cfnlintrc.yaml`: each item of `ignore_checks`
 * with the comment lines just above it as its reason. An item without a
 * reason is an error, so every acknowledgement says why.
 */
export function acknowledgedChecks(configFile: string = CFN_LINT_CONFIG): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(configFile)) return out;
  let inList = false;
  let reason: string[] = [];
  for (const line of fs.readFileSync(configFile, 'utf-8').split('\n')) {
    if (/^ignore_checks:\s*(\[\s*\])?\s*(#.*)?$/.test(line)) {
      inList = true;
      reason = [];
    } else if (/^\S/.test(line) && !line.startsWith('#')) {
      inList = false;
    } else if (inList && /^\s+#/.test(line)) {
      reason.push(line.replace(/^\s+#\s?/, '').trim());
    } else if (inList && /^\s+-\s*/.test(line)) {
      const id = line.replace(/^\s+-\s*/, '').replace(/\s*#.*$/, '').replace(/['"]/g, '').trim();
      const why = reason.join(' ').trim();
      if (!why) {
        throw new Error(`${path.basename(configFile)}: ignore_checks entry ${id} has no reason; put it in a comment on the line above`);
      }
      out.set(id, why);
      reason = [];
    }
  }
  return out;
}

/**
 * cfn-lint over every template. It runs without applying `.cfnlintrc.yaml`
 * (from a neutral working directory), so that the acknowledged findings can be
 * counted; they are then classified with the acknowledgements of that file.
 * Any error or warning not acknowledged there is unacknowledged.
 */
export function scanCfnLint(templates: StackTemplate[]): ScanResult {
  const scanner = 'cfn-lint';
  if (templates.length === 0) return { scanner, acknowledged: [], unacknowledged: [] };
  const exe = cfnLintExecutable();
  const acks = acknowledgedChecks();
  const regions = [...new Set(templates.map((t) => t.region).filter((r): r is string => !!r))];
  const args = ['--format', 'json', ...(regions.length > 0 ? ['--regions', ...regions] : []), '--', ...templates.map((t) => t.templatePath)];
  const run = spawnSync(exe, args, { cwd: os.tmpdir(), encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  let matches: any[];
  try {
    matches = JSON.parse(run.stdout || 'null');
    if (!Array.isArray(matches)) throw new Error('not a list');
  } catch {
    throw new Error(`cfn-lint failed (exit ${run.status ?? run.signal}): ${(run.stderr || run.stdout || String(run.error)).trim()}`);
  }
  const artifactOf = new Map(templates.map((t) => [path.resolve(t.templatePath), t.artifactId]));
  const acknowledged: Finding[] = [];
  const unacknowledged: Finding[] = [];
  for (const m of matches) {
    const file = artifactOf.get(path.resolve(m.Filename)) ?? m.Filename;
    const where = m.Location?.Path ?? [];
    const resource = where[0] === 'Resources' && where[1] ? `${file}/${where[1]}` : `${file}/${where.slice(0, 2).join('.') || '(template)'}`;
    const finding = { rule: String(m.Rule?.Id), resource, message: `${m.Level}: ${m.Message}` };
    const reason = acks.get(finding.rule);
    if (reason) acknowledged.push({ ...finding, reason });
    else unacknowledged.push(finding);
  }
  return { scanner, acknowledged: acknowledged.sort(byKey), unacknowledged: unacknowledged.sort(byKey) };
}
