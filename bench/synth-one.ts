/**
 * One measurement in its own process: build and synthesize one app, print JSON.
 * Usage: ts-node bench/synth-one.ts <ours|ours-no-report|hand-wired> <N> <outdir>
 */
import * as fs from 'fs';
import { handWiredApp, oursApp } from './apps';

const [variant, nArg, outdir] = process.argv.slice(2);
const n = Number(nArg);
fs.rmSync(outdir, { recursive: true, force: true });
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const app = variant === 'ours' ? oursApp(n, outdir) : variant === 'ours-no-report' ? oursApp(n, outdir, false) : handWiredApp(n, outdir);
const assembly = app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
/** CPU time of the process (user and system), less disturbed than wall time by other load on the machine. */
const cpuMs = (cpu.user + cpu.system) / 1e3;
const templates = assembly.stacks.map((s) => s.template);
const templateBytes = templates.reduce((sum, t) => sum + Buffer.byteLength(JSON.stringify(t), 'utf8'), 0);
const resources = templates.reduce((sum, t) => sum + Object.keys(t.Resources ?? {}).length, 0);
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ variant, n, ms, cpuMs, peakRssMb, templateBytes, resources }) + '\n');
