/**
 * `npm run demo`: synthesizes the reference app into cdk.out/, prints, per
 * bucket, what protects it, then runs the scanners over every template and
 * prints one line per scanner. Exits non-zero if any scanner reports a finding
 * nobody acknowledged, naming it.
 *
 *   npm run demo                                  the reference app in demo/, into cdk.out/
 *   npm run demo -- <outdir>                      the same, into <outdir>
 *   npm run demo -- --app "npx ts-node my-app.ts" [<outdir>]
 *                                                 your app: the command runs with CDK_OUTDIR set
 *                                                 (default a temporary directory); its templates are
 *                                                 summarized and scanned
 */
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { DataProtectionReport } from '../src';
import { buildDemoApp } from './app';
import { formatScanLine, formatUnacknowledged, scanAssembly, stackTemplates } from './scan';
import { formatSummary, summarizeBuckets } from './summary';
import { clearOutdir } from '../src/cli/assembly';

function parseArgs(argv: string[]): { app?: string; outdir?: string } {
  const out: { app?: string; outdir?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--app') {
      out.app = argv[++i];
      if (!out.app) throw new Error('--app needs a command, e.g. --app "npx ts-node my-app.ts"');
    } else if (a.startsWith('--app=')) {
      out.app = a.slice('--app='.length);
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a}; usage: npm run demo -- [--app "<command>"] [<outdir>]`);
    } else if (out.outdir !== undefined) {
      throw new Error(
        `more than one output directory given (${JSON.stringify(out.outdir)}, ${JSON.stringify(a)}): quote the command of --app as one argument, e.g. --app "npx ts-node my-app.ts"`,
      );
    } else {
      out.outdir = a;
    }
  }
  return out;
}

/** Synthesizes the reference app, or runs the user's command; returns the assembly directory. */
function synthesize(args: { app?: string; outdir?: string }): { outdir: string; tree?: IConstruct } {
  if (!args.app) {
    const outdir = path.resolve(args.outdir ?? 'cdk.out');
    clearOutdir(outdir);
    const app = buildDemoApp(outdir);
    app.synth();
    return { outdir, tree: app };
  }
  const outdir = path.resolve(args.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-data-protection-demo-')));
  clearOutdir(outdir);
  console.log(`Running ${args.app} (CDK_OUTDIR=${outdir})`);
  // the user's app runs with its own TypeScript settings, not this repository's
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir };
  delete env.TS_NODE_PROJECT;
  delete env.TS_NODE_TRANSPILE_ONLY;
  execSync(args.app, { stdio: 'inherit', env });
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(`${args.app} wrote no cloud assembly to ${outdir}: the app must use the default outdir of new App() (it reads CDK_OUTDIR) and call app.synth()`);
  }
  return { outdir };
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const { outdir, tree } = synthesize(args);
  const templates = stackTemplates(outdir);
  if (!args.app) {
    console.log('The reference app: a producer (account 111111111111, eu-west-1) shares an SSE-KMS bucket READ with');
    console.log('account 222222222222 and WRITE under incoming/ with one role of 333333333333, behind VPC endpoints;');
    console.log('a Firehose delivery stream writes orders into it and a Glue job curates them, all under the shared key;');
    console.log('the consumer stack (222222222222) holds the reader role and the IAM policy its side needs.\n');
  }
  console.log(`Synthesized ${templates.length} stack(s) into ${path.relative(process.cwd(), outdir) || outdir}/\n`);

  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  for (const t of templates) {
    const env: string = manifest.artifacts?.[t.artifactId]?.environment ?? '';
    const account = /^aws:\/\/(\d{12})\//.exec(env)?.[1];
    const template = JSON.parse(fs.readFileSync(t.templatePath, 'utf-8'));
    // partners named as the report names them (the Markdown below, the JSON)
    const reportFile = t.templatePath.replace(/\.template\.json$/, DataProtectionReport.JSON_SUFFIX);
    const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : undefined;
    for (const bucket of summarizeBuckets(t.artifactId, template, account ? `account ${account}` : undefined, report)) {
      console.log(formatSummary(bucket) + '\n');
    }
  }
  console.log(DataProtectionReport.markdownIn(outdir));

  const results = scanAssembly(outdir, { tree });
  console.log(`Scanners over ${templates.length} template(s):`);
  for (const r of results) console.log('  ' + formatScanLine(r));
  const open = formatUnacknowledged(results);
  if (open.length > 0) {
    console.log(`\n${open.length} unacknowledged finding(s):`);
    for (const line of open) console.log(line);
    console.log('\nFix them, or acknowledge each with a reason (see "Scanners" in README.md).');
    return 1;
  }
  console.log('\nNo unacknowledged findings.');
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`npm run demo: ${(e as Error).message}`);
  process.exitCode = 2;
}
