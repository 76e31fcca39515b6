/**
 * `npm run bench`: synthesis cost against hand-wired aws-cdk-lib, sharing
 * scale against naive aws-cdk-lib grants, and access-proof throughput.
 * Prints the figures and writes bench/results.md.
 *
 * Options: --runs R (default 5), --sizes 1,50,150
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { limitOf, maxPartners, oursRefuses, Which } from './sharing';
import { buildDemoApp } from '../demo/app';
import { evaluateScenarios } from '../test/support/access/claims';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '5'));
const SIZES = opt('sizes', '1,50,150').split(',').map(Number);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdkVersion: string = require('aws-cdk-lib/package.json').version;
const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, aws-cdk-lib ${cdkVersion}`;
const lines: string[] = [];
const say = (s = '') => {
  console.log(s);
  lines.push(s);
};

interface Sample {
  variant: string;
  n: number;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  templateBytes: number;
  resources: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(variant: string, n: number): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'synth-one.ts'), variant, String(n), outdir], {
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true', CDK_VALIDATION: 'false' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

say('# cdk-data-protection benchmarks');
say();
say(`Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`);
say();
say(`## 1. Synthesis cost (median of ${RUNS} runs, each in its own process, alternating)`);
say();
say('Each bucket: SSE-KMS under its own rotating key, Bucket Key, TLS 1.2 minimum, SSE-C blocked, uploads naming');
say('another algorithm or key denied, server access logs, shared READ with 3 partner accounts. "Hand-wired" builds the');
say('same with aws-cdk-lib L2s, 50 buckets per stack (CloudFormation allows 500 resources per stack). Wall time covers');
say('construction and `app.synth()`; CPU is the process\'s user and system time over the same span (less disturbed by other');
say('load on the machine than wall time); memory is the peak RSS of the process; template bytes and resources are summed over stacks.');
say();
say('"Ours, no report" turns the access report off (context `cdk-data-protection:report=false`), to show its share.');
say();
say('| N buckets | ours ms | hand-wired ms | time ratio | ours CPU ms | hand-wired CPU ms | CPU ratio | ours, no report ms | ratio | ours MB | hand-wired MB | memory ratio | ours template bytes | hand-wired bytes | ours resources | hand-wired resources |');
say('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const ratios: number[] = [];
const cpuRatios: number[] = [];
for (const n of SIZES) {
  const ours: Sample[] = [];
  const plain: Sample[] = [];
  const noReport: Sample[] = [];
  // one warm-up pair, not counted (file cache, ts-node cache)
  measure('ours', n);
  measure('hand-wired', n);
  for (let r = 0; r < RUNS; r++) {
    if (r % 2 === 0) {
      ours.push(measure('ours', n));
      plain.push(measure('hand-wired', n));
      noReport.push(measure('ours-no-report', n));
    } else {
      noReport.push(measure('ours-no-report', n));
      plain.push(measure('hand-wired', n));
      ours.push(measure('ours', n));
    }
  }
  const nMs = median(noReport.map((s) => s.ms));
  const oMs = median(ours.map((s) => s.ms));
  const pMs = median(plain.map((s) => s.ms));
  const oMb = median(ours.map((s) => s.peakRssMb));
  const pMb = median(plain.map((s) => s.peakRssMb));
  const oCpu = median(ours.map((s) => s.cpuMs));
  const pCpu = median(plain.map((s) => s.cpuMs));
  ratios.push(oMs / pMs);
  cpuRatios.push(oCpu / pCpu);
  say(
    `| ${n} | ${oMs.toFixed(0)} | ${pMs.toFixed(0)} | **${(oMs / pMs).toFixed(2)}** | ${oCpu.toFixed(0)} | ${pCpu.toFixed(0)} | ${(oCpu / pCpu).toFixed(2)} | ${nMs.toFixed(0)} | ${(nMs / pMs).toFixed(2)} | ${oMb.toFixed(0)} | ${pMb.toFixed(0)} | ${(oMb / pMb).toFixed(2)} | ` +
      `${ours[0].templateBytes} | ${plain[0].templateBytes} | ${ours[0].resources} | ${plain[0].resources} |`,
  );
}
say();
const last = ratios.length - 1;
say(
  `Goal: at ${SIZES[last]} buckets, with the report on, at most 1.5x hand-wired. Measured: ${ratios[last].toFixed(2)} wall, ${cpuRatios[last].toFixed(2)} CPU ` +
    `(${ratios[last] <= 1.5 ? 'met' : 'missed'}). Worst wall ratio at any N: ${Math.max(...ratios).toFixed(2)}.`,
);
say();

say('## 2. Sharing scale (READ partner accounts in one policy)');
say();
say('Ours merges partners with the same access into one statement; naive aws-cdk-lib is `key.grantDecrypt(new iam.AccountPrincipal(id))`');
say('and `bucket.grantRead(new iam.AccountPrincipal(id))` per partner. Sizes are measured as AWS sees them (ARNs for intrinsics).');
say();
say('| policy | limit bytes | ours max partners | ours bytes/partner | naive max partners | naive bytes/partner | ours at max+1 |');
say('|---|---|---|---|---|---|---|');
for (const which of ['key', 'bucket'] as Which[]) {
  const ours = maxPartners('ours', which);
  const naive = maxPartners('naive', which);
  const over = oursRefuses(which, ours.n + 1);
  const at = oursRefuses(which, ours.n);
  const verdict = over.refused && !at.refused ? 'synth error' : `NOT exact (refused at max: ${at.refused}, at max+1: ${over.refused})`;
  say(
    `| ${which} policy | ${limitOf(which)} | ${ours.n} | ${ours.bytesPerPartner.toFixed(1)} | ${naive.n} | ${naive.bytesPerPartner.toFixed(1)} | ${verdict} |`,
  );
}
say();
say('Goals: at least 500 partners in one key policy and 300 in one bucket policy; our synth error exactly at the limit.');
say();

async function accessProofThroughput(): Promise<void> {
  say('## 3. Access proof throughput');
  say();
  say('Scenarios of the access-report check (every claimed access allowed, unnamed principals denied) evaluated with');
  say('`@cloud-copilot/iam-simulate` over the reference app of `npm run demo`; each scenario is one or more simulations');
  say('(S3 leg, KMS leg, endpoint leg). One warm-up run, then the median of the runs.');
  say();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-demo-'));
  try {
    buildDemoApp(outdir).synth();
    await evaluateScenarios(outdir);
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await evaluateScenarios(outdir));
    const perSecond = median(runs.map((x) => x.scenariosPerSecond));
    const simsPerSecond = median(runs.map((x) => x.simulations / (x.milliseconds / 1000)));
    say('| scenarios per run | simulations per run | failed | scenarios/s | simulations/s |');
    say('|---|---|---|---|---|');
    say(`| ${runs[0].scenarios} | ${runs[0].simulations} | ${runs[0].failed} | **${perSecond.toFixed(0)}** | ${simsPerSecond.toFixed(0)} |`);
    say();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

void accessProofThroughput().then(() => {
  fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n') + '\n');
  console.log('\nWrote bench/results.md');
});
