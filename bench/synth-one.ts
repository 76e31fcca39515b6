/**
 * One measurement in its own process: build and synthesize one app, print JSON.
 * Usage: ts-node bench/synth-one.ts <ours|hand-wired> <N> <outdir>
 */
import * as fs from 'fs';
import { handWiredApp, oursApp } from './apps';

const [variant, nArg, outdir] = process.argv.slice(2);
const n = Number(nArg);
fs.rmSync(outdir, { recursive: true, force: true });
const start = process.hrtime.bigint();
const app = variant === 'ours' ? oursApp(n, outdir) : handWiredApp(n, outdir);
const assembly = app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const template = assembly.getStackByName('Bench').template;
const templateBytes = Buffer.byteLength(JSON.stringify(template), 'utf8');
const resources = Object.keys(template.Resources ?? {}).length;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ variant, n, ms, peakRssMb, templateBytes, resources }) + '\n');
