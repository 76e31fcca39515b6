/**
 * One measurement of sharing at scale in its own process: build a stack that
 * shares one key or one bucket with N READ partner accounts, synthesize it,
 * print JSON. Our constructs fail synthesis with the policy size error when
 * the policy would be over the AWS limit; that error is a result too.
 *
 * Usage: ts-node bench/share-one.ts <ours|naive> <key|bucket> <N> <outdir>
 */
import * as fs from 'fs';
import { App } from 'aws-cdk-lib';
import { buildSharing, limitOf, Variant, Which } from './sharing';
import { deployedSize } from '../src/analysis/size';

const [variant, which, nArg, outdir] = process.argv.slice(2) as [Variant, Which, string, string];
const n = Number(nArg);
fs.rmSync(outdir, { recursive: true, force: true });
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const sharing = buildSharing(variant, which, n, new App({ outdir }));
let error: Error | undefined;
try {
  sharing.app.synth();
} catch (e) {
  error = e as Error;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
/** CPU time of the process (user and system, every thread). */
const cpuMs = (cpu.user + cpu.system) / 1e3;

// After the measurement: what the result was.
const limit = limitOf(which);
let result: string;
if (error === undefined) {
  const bytes = deployedSize(sharing.stack, sharing.policy());
  result = bytes <= limit ? 'success' : `success, ${which} policy ${bytes} bytes: over the ${limit}-byte limit, the deployment would fail`;
} else if (/ is \d+ bytes, over the AWS limit of \d+ bytes/.test(error.message)) {
  result = 'size error';
} else {
  result = `other error: ${error.message.split('\n').slice(0, 2).join(' ').slice(0, 200)}`;
}
process.stdout.write(JSON.stringify({ variant, which, n, ms, cpuMs, result }) + '\n');
