#!/usr/bin/env node
/**
 * `cdk-data-protection`: scans any CDK app or cloud assembly with the
 * DataProtection rules (and the cdk-nag packs asked for), prints one line per
 * finding, and writes the access reports (JSON, Markdown), the
 * findings (JSON) and a SARIF 2.1.0 log.
 *
 *   cdk-data-protection scan   [--app "<command>" | <cloud assembly>] [options]
 *   cdk-data-protection report [--app "<command>" | <cloud assembly>] [--output <dir>]
 *
 * Exit codes: 0 no open finding (at or above --fail-on), 1 open findings, 2 bad usage or an app that fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { includeTemplates, readTemplate, StackTemplate, stackTemplates, synthesizeApp } from './assembly';
import { byLocation, Finding, FindingLevel } from './findings';
import { sarifOf } from './sarif';
import { PackResult, scanTemplates, NAG_PACKS } from './scan';
import { DataProtectionReport } from '../report/data-protection-report';
import { htmlOf } from '../report/html';

/** Files the command writes beside the per-stack reports. */
export const FINDINGS_FILE_NAME = 'data-protection-findings.json';
export const SARIF_FILE_NAME = 'data-protection.sarif';

const USAGE = `Usage:
  cdk-data-protection scan   [--app "<command>" | <cloud assembly dir>] [options]
  cdk-data-protection report [--app "<command>" | <cloud assembly dir>] [--output <dir>]

  --app <command>       synthesize the app first into --output or ./cdk.out (the command runs with CDK_OUTDIR set, as under the CDK CLI)
  <cloud assembly dir>  read an assembly cdk synth wrote (default: ./cdk.out; if there is none, the app of ./cdk.json is synthesized)
  --output <dir>        where the reports, findings and SARIF log go (default: the cloud assembly directory)
  --format <f>          what standard output gets: text (default), json (the findings) or sarif (the SARIF log)
  --pack <name>         also run a cdk-nag pack, installed with the app (repeatable): ${NAG_PACKS.join(', ')}
  --fail-on <level>     exit 1 on open findings of this level or worse: warning (default), error, never
  --show-acknowledged   also print acknowledged findings, with their reasons
  --version, --help

Findings are acknowledged in the template's Metadata (cdk_nag.rules_to_suppress): this library's
constructs write theirs, and TemplateAcknowledgements.write(scope) writes those the app makes.`;

/** Where the command writes. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const LEVELS: FindingLevel[] = ['note', 'warning', 'error'];

class UsageError extends Error {}

interface Args {
  command: 'scan' | 'report';
  app?: string;
  assembly?: string;
  output?: string;
  format: 'text' | 'json' | 'sarif';
  packs: string[];
  failOn: FindingLevel | 'never';
  showAcknowledged: boolean;
}

function parse(argv: string[]): Args | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'app': { type: 'string', short: 'a' },
        'output': { type: 'string', short: 'o' },
        'format': { type: 'string' },
        'pack': { type: 'string', multiple: true },
        'fail-on': { type: 'string' },
        'show-acknowledged': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
        'version': { type: 'boolean' },
      },
    });
  } catch (e) {
    const unknown = /Unknown option '([^']+)'/.exec((e as Error).message)?.[1];
    throw new UsageError(
      unknown !== undefined
        ? `unknown option ${unknown}: the options are --app, --output, --format, --pack, --fail-on, --show-acknowledged, --help and --version`
        : (e as Error).message,
    );
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';
  const [command, ...rest] = parsed.positionals;
  if (command !== 'scan' && command !== 'report') {
    throw new UsageError(command === undefined ? 'no command: give scan or report' : `unknown command ${JSON.stringify(command)}: give scan or report`);
  }
  if (rest.length > 1) {
    throw new UsageError(`more than one cloud assembly given (${rest.map((r) => JSON.stringify(r)).join(', ')}): quote the command of --app as one argument, e.g. --app "npx ts-node bin/app.ts"`);
  }
  if (v.app !== undefined && rest.length > 0) {
    throw new UsageError(`--app and a cloud assembly (${JSON.stringify(rest[0])}) both given: give one (with --app, --output names where the assembly goes)`);
  }
  if (v.app !== undefined && v.app.trim() === '') {
    throw new UsageError('--app needs a command, e.g. --app "npx ts-node bin/app.ts"');
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format ${JSON.stringify(format)}: use text, json or sarif`);
  }
  const failOn = v['fail-on'] ?? 'warning';
  if (failOn !== 'warning' && failOn !== 'error' && failOn !== 'never') {
    throw new UsageError(`--fail-on ${JSON.stringify(failOn)}: use warning, error or never`);
  }
  if (command === 'report' && (v.pack?.length || v.format || v['fail-on'])) {
    throw new UsageError('report writes the access reports only: --pack, --format and --fail-on belong to scan');
  }
  // Each pack once, however often (and whether with or without its Checks suffix) it is named; known names only.
  const packs = [...new Set((v.pack ?? []).flatMap((p) => p.split(',')).map((p) => p.trim().replace(/(.)Checks$/, '$1')).filter((p) => p !== ''))];
  const known = NAG_PACKS.map((p) => p.replace(/(.)Checks$/, '$1'));
  for (const p of packs) {
    if (p === 'DataProtection') throw new UsageError(`--pack ${p}: the DataProtection rules always run; name only cdk-nag packs (${NAG_PACKS.join(', ')})`);
    if (!known.includes(p)) throw new UsageError(`--pack ${JSON.stringify(p)}: not a cdk-nag pack; use ${NAG_PACKS.join(', ')}`);
  }
  return {
    command,
    app: v.app,
    assembly: rest[0],
    output: v.output,
    format,
    packs,
    failOn,
    showAcknowledged: v['show-acknowledged'] === true,
  };
}

function packageVersion(): string {
  // lib/cli/main.js (or src/cli/main.ts) → the package's package.json
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

/** The report file base of a stack: its artifact id, as the report files of synthesis (and, nested stacks, the template's name). */
function reportBase(t: StackTemplate): string {
  return t.artifactId;
}

/**
 * The access report of every stack into `output`: the one written at
 * synthesis when the stack holds this library's constructs (it knows the
 * shares), else one read from the template alone.
 */
function writeReports(templates: StackTemplate[], output: string): string[] {
  fs.mkdirSync(output, { recursive: true });
  const written: string[] = [];
  const missing: StackTemplate[] = [];
  for (const t of templates) {
    const base = reportBase(t);
    const files = [DataProtectionReport.JSON_SUFFIX, DataProtectionReport.MARKDOWN_SUFFIX].map((s) => `${base}${s}`);
    // Only a report the synthesis of this template wrote (its info line is in the stack's metadata): one of
    // an earlier scan, or of a synthesis before the app's constructs changed, may be stale.
    if (t.reportedAtSynthesis && files.every((f) => fs.existsSync(path.join(t.assemblyDir, f)))) {
      for (const f of files) {
        const from = path.join(t.assemblyDir, f);
        const to = path.join(output, f);
        if (path.resolve(from) !== path.resolve(to)) fs.copyFileSync(from, to);
        written.push(to);
      }
    } else {
      missing.push(t);
    }
  }
  if (missing.length > 0) {
    const { stacks } = includeTemplates(missing);
    for (const t of missing) {
      DataProtectionReport.of(stacks.get(t)!)._writeFromTemplate(output, readTemplate(t).Resources ?? {}, t.paths);
      written.push(...[DataProtectionReport.JSON_SUFFIX, DataProtectionReport.MARKDOWN_SUFFIX].map((s) => path.join(output, `${reportBase(t)}${s}`)));
    }
  }
  // One page for the app, of exactly the reports written here (not of others left in the directory).
  const reports = written
    .filter((f) => f.endsWith(DataProtectionReport.JSON_SUFFIX))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  const html = path.join(output, DataProtectionReport.HTML_FILE_NAME);
  fs.writeFileSync(html, htmlOf(reports));
  written.push(html);
  return written;
}

/** One line of a finding: level, rule id, resource path, what is wrong, the fix. */
export function formatFinding(f: Finding): string {
  if (f.acknowledged !== undefined) {
    // Said first, so that an acknowledged finding never reads as an open one.
    return `ACKNOWLEDGED ${f.level} ${f.ruleId}  ${f.path} (${f.stack}/${f.logicalId}): ${f.message} [reason: ${f.acknowledged}]`;
  }
  return `${f.level.toUpperCase().padEnd(7)} ${f.ruleId}  ${f.path} (${f.stack}/${f.logicalId}): ${f.message}${f.fix ? ` — ${f.fix}` : ''}`;
}

/** The `app` of ./cdk.json, as the CDK CLI reads it, if there is one. */
function appOfCdkJson(): string | undefined {
  if (!fs.existsSync('cdk.json')) return undefined;
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync('cdk.json', 'utf8'));
  } catch (e) {
    throw new Error(`cdk.json is not valid JSON (${(e as Error).message}): fix it, or give --app "<command>" or a cloud assembly directory`);
  }
  return typeof json?.app === 'string' && json.app.trim() !== '' ? json.app : undefined;
}

function isOpen(f: Finding, failOn: FindingLevel | 'never'): boolean {
  return f.acknowledged === undefined && failOn !== 'never' && LEVELS.indexOf(f.level) >= LEVELS.indexOf(failOn);
}

function relative(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/**
 * Runs the command with `argv` (without `node` and the script).
 *
 * @returns the exit code
 */
export function run(argv: string[], io: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') }): number {
  let args: Args;
  try {
    const parsed = parse(argv);
    if (parsed === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (parsed === 'version') {
      io.out(packageVersion());
      return 0;
    }
    args = parsed;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cdk-data-protection: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  try {
    return execute(args, io);
  } catch (e) {
    io.err(`cdk-data-protection ${args.command}: ${(e as Error).message}`);
    return 2;
  }
}

function execute(args: Args, io: Io): number {
  // With --format json|sarif, standard output is the document: everything else goes to standard error.
  const say = args.format === 'text' ? io.out : io.err;
  let assembly: string;
  // As `cdk synth`: the app of --app, else (nothing named, no ./cdk.out yet) the app of ./cdk.json, into ./cdk.out.
  const app = args.app ?? (args.assembly === undefined && !fs.existsSync('cdk.out') ? appOfCdkJson() : undefined);
  if (app !== undefined) {
    say(`Synthesizing${args.app === undefined ? ' the app of cdk.json' : ''}: ${app}`);
    assembly = synthesizeApp({ app, outdir: args.output ?? 'cdk.out', stdio: 'stderr' });
  } else {
    assembly = path.resolve(args.assembly ?? 'cdk.out');
    if (!fs.existsSync(assembly)) {
      throw new Error(`${assembly} does not exist: give the cloud assembly cdk synth wrote, or --app "<command>"`);
    }
  }
  const output = path.resolve(args.output ?? assembly);
  const templates = stackTemplates(assembly);
  if (templates.length === 0) {
    throw new Error(`${assembly} holds no stack: nothing to scan`);
  }
  say(`${templates.length} stack(s) in ${relative(assembly)}: ${templates.map((t) => t.artifactId).join(', ')}`);

  const written = writeReports(templates, output);
  if (args.command === 'report') {
    for (const f of written) say(`  wrote ${relative(f)}`);
    return 0;
  }

  const results: PackResult[] = scanTemplates(templates, args.packs, process.cwd());
  const findings = results.flatMap((r) => r.findings).sort(byLocation);
  const sarif = sarifOf(results, { version: packageVersion(), baseDirectory: process.cwd() });
  const findingsJson = {
    schema: 'cdk-data-protection/findings@1',
    packs: results.map((r) => r.pack),
    findings: findings.map((f) => ({ ...f, acknowledged: f.acknowledged ?? null, templatePath: relative(f.templatePath) })),
  };
  const findingsFile = path.join(output, FINDINGS_FILE_NAME);
  const sarifFile = path.join(output, SARIF_FILE_NAME);
  fs.writeFileSync(findingsFile, JSON.stringify(findingsJson, undefined, 2) + '\n');
  fs.writeFileSync(sarifFile, JSON.stringify(sarif, undefined, 2) + '\n');

  const open = findings.filter((f) => isOpen(f, args.failOn));
  const acknowledged = findings.filter((f) => f.acknowledged !== undefined);
  if (args.format === 'json') io.out(JSON.stringify(findingsJson, undefined, 2));
  if (args.format === 'sarif') io.out(JSON.stringify(sarif, undefined, 2));

  say(`Packs: ${results.map((r) => r.pack).join(', ')}`);
  for (const f of findings) {
    if (f.acknowledged === undefined || args.showAcknowledged) say(formatFinding(f));
  }
  const count = (level: FindingLevel) => findings.filter((f) => f.acknowledged === undefined && f.level === level).length;
  say(`${findings.length} finding(s): ${count('error')} error(s) and ${count('warning')} warning(s) open, ${acknowledged.length} acknowledged`);
  for (const f of [...written, findingsFile, sarifFile]) say(`  wrote ${relative(f)}`);
  if (open.length > 0) {
    say(`${open.length} open finding(s): fix each, or acknowledge it with a reason (Validations.of(construct).acknowledge and TemplateAcknowledgements.write).`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
