/**
 * `npm run demo`: synthesizes the reference app into cdk.out/ and prints, per
 * bucket, what protects it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildDemoApp } from './app';
import { formatSummary, summarizeBuckets } from './summary';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
fs.rmSync(outdir, { recursive: true, force: true });
const assembly = buildDemoApp(outdir).synth();

console.log(`Synthesized ${assembly.stacks.length} stack(s) into ${path.relative(process.cwd(), outdir) || outdir}/\n`);
for (const stack of assembly.stacks) {
  for (const bucket of summarizeBuckets(stack.stackName, stack.template, `account ${stack.environment.account}`)) {
    console.log(formatSummary(bucket) + '\n');
  }
}
