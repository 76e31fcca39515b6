/**
 * `npm run bench`: synthesis cost against hand-wired aws-cdk-lib, sharing
 * scale against naive aws-cdk-lib grants, and access-proof throughput.
 * Prints the figures and writes bench/results.md.
 *
 * Options: --runs R (default 5), --sizes 1,50,150, --partners 300,1000,3000,
 * --sections 1,2,3,4 (default all; with fewer, only those sections of
 * bench/results.md are replaced, the others kept as they were).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accessPointsCapacity, limitOf, MIN_BYTES_PER_ACCOUNT, maxPartners, oursRefuses, physicalLimit, Which } from './sharing';
import { buildDemoApp } from '../demo/app';
import { evaluateScenarios } from '../test/support/access/claims';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '5'));
const SIZES = opt('sizes', '1,50,150').split(',').map(Number);
const PARTNER_COUNTS = opt('partners', '300,1000,3000').split(',').map(Number);
const SECTIONS = new Set(opt('sections', '1,2,3,4').split(',').map(Number));

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

/** Runs `script` (beside this file) in its own process with `scriptArgs` and a fresh output folder; returns the JSON of its last line. */
function runOne<T>(script: string, scriptArgs: string[]): T {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, script), ...scriptArgs, outdir], {
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true', CDK_VALIDATION: 'false' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function measure(variant: string, n: number): Sample {
  return runOne<Sample>('synth-one.ts', [variant, String(n)]);
}

say('# cdk-data-protection benchmarks');
say();
say(`Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`);
say();
function synthesisCost(): void {
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

}

const oursMaxPartners = new Map<Which, number>();

function sharingScale(): void {
  say('## 2. Sharing scale (READ partner accounts in one policy)');
  say();
  say('Ours merges partners with the same access into one statement. In a key policy each partner account is written once, in the');
  say('`kms:CallerAccount` list of a statement whose principal is `{"AWS":"*"}` (the form of the key policies of AWS managed keys);');
  say('in a bucket policy it stays an account principal (`arn:aws:iam::<account>:root`, the form S3 stores: a bare account id is');
  say('rewritten to it, and a wildcard narrowed by `aws:PrincipalAccount` would be public for S3 Block Public Access). Naive aws-cdk-lib is');
  say('`key.grantDecrypt(new iam.AccountPrincipal(id))` and `bucket.grantRead(new iam.AccountPrincipal(id))` per partner. Sizes are measured');
  say('as AWS sees them (ARNs for intrinsics, a bucket at its physical name). The physical limit is the most accounts that fit at the least');
  say('bytes one more account costs in that form, on top of the fixed overhead (the policy with two partners, less their accounts).');
  say();
  say('| policy | limit bytes | ours max partners | ours bytes/partner | physical limit (fixed bytes, bytes/account) | naive max partners | naive bytes/partner | ours at max+1 |');
  say('|---|---|---|---|---|---|---|---|');
  for (const which of ['key', 'bucket'] as Which[]) {
    const ours = maxPartners('ours', which);
    oursMaxPartners.set(which, ours.n);
    const physical = physicalLimit(which);
    const naive = maxPartners('naive', which);
    const over = oursRefuses(which, ours.n + 1);
    const at = oursRefuses(which, ours.n);
    const verdict = over.refused && !at.refused ? 'synth error' : `NOT exact (refused at max: ${at.refused}, at max+1: ${over.refused})`;
    say(
      `| ${which} policy | ${limitOf(which)} | ${ours.n} | ${ours.bytesPerPartner.toFixed(1)} | ${physical.n} (${physical.fixedBytes}, ${MIN_BYTES_PER_ACCOUNT[which]}) | ` +
        `${naive.n} | ${naive.bytesPerPartner.toFixed(1)} | ${verdict} |`,
    );
  }
  // Access-point mode: partners in access point policies (bench/sharing.ts accessPointsCapacity).
  const ap = accessPointsCapacity();
  say(`| bucket, \`SharingMode.ACCESS_POINTS\` | ${limitOf('bucket')} per access point policy | ${ap.n} (measured) | ${ap.bytesPerPartner.toFixed(1)} | - | - | - | ${ap.note} |`);
  say();
  say('Goals: at least 1,800 partners in one key policy; the bucket policy at the physical limit of its form; our synth error exactly at max+1; 5,000 partners through access points in under 5 s.');
  say();
}

interface ShareSample {
  variant: string;
  which: string;
  n: number;
  ms: number;
  cpuMs: number;
  result: string;
}

function measureSharing(variant: 'ours' | 'naive', which: Which, n: number): ShareSample {
  return runOne<ShareSample>('share-one.ts', [variant, which, String(n)]);
}

/** Our measured maximum (section 2's, or measured now when section 2 is not run). */
function maxOf(which: Which): number {
  if (!oursMaxPartners.has(which)) oursMaxPartners.set(which, maxPartners('ours', which).n);
  return oursMaxPartners.get(which)!;
}

function sharingCost(): void {
  say(`## 3. Sharing cost at scale (median of ${RUNS} runs, each in its own process, alternating)`);
  say();
  say('One stack shares one key or one bucket with N READ partner accounts; wall time covers construction and `app.synth()`');
  say('(CPU: user and system time of the process, every thread). Ours: `bucket.shareWith(Partner.account(id), AccessLevel.READ)` on an');
  say('`EncryptedBucket` (`serverAccessLogs: ServerAccessLogs.disabled(...)`), and `key.grantPartner(Partner.account(id), { access: READ, bucket })`');
  say('on a `CrossAccountSharedKey`; naive aws-cdk-lib: `bucket.grantRead(new iam.AccountPrincipal(id))` on an `s3.Bucket` under a `kms.Key`,');
  say('and `key.grantDecrypt(new iam.AccountPrincipal(id))` on a `kms.Key`. Ours fails synthesis with the policy size error once the policy');
  say(`is over the AWS limit (above ${maxOf('bucket')} partners in a bucket policy, ${maxOf('key')} in a key policy, section 2); naive aws-cdk-lib`);
  say('synthesizes a template CloudFormation would refuse. A size error ends synthesis at validation, before templates and the access report are');
  say('written: past those limits ours does less of the synthesis than below them.');
  say();
  say('| API | N partners | ours ms | ours CPU ms | naive ms | naive CPU ms | time ratio | ours result | naive result |');
  say('|---|---|---|---|---|---|---|---|---|');
  const API_NAMES: Record<Which, string> = { bucket: '`EncryptedBucket.shareWith` vs `bucket.grantRead`', key: '`CrossAccountSharedKey.grantPartner` vs `key.grantDecrypt`' };
  const atMost: Array<{ which: Which; ms: number; slowest: number; result: string }> = [];
  const growth: string[] = [];
  for (const which of ['bucket', 'key'] as Which[]) {
  // one warm-up pair, not counted (file cache, ts-node cache)
    measureSharing('ours', which, PARTNER_COUNTS[0]);
    measureSharing('naive', which, PARTNER_COUNTS[0]);
    const medians: Array<{ n: number; ours: number; naive: number }> = [];
    for (const n of PARTNER_COUNTS) {
      const ours: ShareSample[] = [];
      const naive: ShareSample[] = [];
      for (let r = 0; r < RUNS; r++) {
        if (r % 2 === 0) {
          ours.push(measureSharing('ours', which, n));
          naive.push(measureSharing('naive', which, n));
        } else {
          naive.push(measureSharing('naive', which, n));
          ours.push(measureSharing('ours', which, n));
        }
      }
      const oMs = median(ours.map((s) => s.ms));
      const nMs = median(naive.map((s) => s.ms));
      medians.push({ n, ours: oMs, naive: nMs });
      const results = (xs: ShareSample[]) => [...new Set(xs.map((s) => s.result))].join('; ');
      say(
        `| ${API_NAMES[which]} | ${n} | ${oMs.toFixed(0)} | ${median(ours.map((s) => s.cpuMs)).toFixed(0)} | ${nMs.toFixed(0)} | ${median(naive.map((s) => s.cpuMs)).toFixed(0)} | ` +
        `**${(oMs / nMs).toFixed(2)}** | ${results(ours)} | ${results(naive)} |`,
      );
      if (n === Math.max(...PARTNER_COUNTS)) {
        atMost.push({ which, ms: oMs, slowest: Math.max(...ours.map((s) => s.ms)), result: results(ours) });
      }
    }
    const smallest = medians[0];
    const largest = medians[medians.length - 1];
    const per10x = (a: number, b: number) => (b / a) ** (1 / Math.log10(largest.n / smallest.n));
    growth.push(
      `${which === 'bucket' ? 'shareWith' : 'grantPartner'}: ours x${per10x(smallest.ours, largest.ours).toFixed(2)}, naive x${per10x(smallest.naive, largest.naive).toFixed(2)}`,
    );
  }
  say();
  say(`Growth of the wall time per 10x partners (from ${PARTNER_COUNTS[0]} to ${PARTNER_COUNTS[PARTNER_COUNTS.length - 1]}; 10 would be linear in N with no fixed cost, 100 quadratic): ${growth.join('; ')}.`);
  say();
  const api = (which: Which) => (which === 'bucket' ? 'shareWith' : 'grantPartner');
  say(
    `Goal: ${Math.max(...PARTNER_COUNTS)} partners reach their result (success or the size error) in under 2 s of construction and synthesis on this machine. ` +
    `Measured (median, slowest run in brackets): ${atMost.map((a) => `${api(a.which)} ${a.ms.toFixed(0)} ms [${a.slowest.toFixed(0)}] (${a.result})`).join(', ')} ` +
    `(${atMost.every((a) => a.ms < 2000) ? 'met' : 'missed'}${atMost.every((a) => a.slowest < 2000) ? ', every run under 2 s' : ''}).`,
  );
  say();

}

async function accessProofThroughput(): Promise<void> {
  say('## 4. Access proof throughput');
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

/** `results.md` split into its header and its numbered sections. */
function sectionsOf(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = 'header';
  for (const line of text.split('\n')) {
    const m = /^## (\d+)\./.exec(line);
    if (m) current = m[1];
    out.set(current, [...(out.get(current) ?? []), line]);
  }
  return out;
}

async function main(): Promise<void> {
  if (SECTIONS.has(1)) synthesisCost();
  if (SECTIONS.has(2)) sharingScale();
  if (SECTIONS.has(3)) sharingCost();
  if (SECTIONS.has(4)) await accessProofThroughput();
  const file = path.join(__dirname, 'results.md');
  let text = lines.join('\n') + '\n';
  if (SECTIONS.size < 4 && fs.existsSync(file)) {
    // replace only the sections run, keep the others (and the header) as they were
    const fresh = sectionsOf(lines.join('\n') + '\n');
    const old = sectionsOf(fs.readFileSync(file, 'utf8'));
    for (const [id, chunk] of fresh) if (id !== 'header') old.set(id, chunk);
    text = [...old.entries()].filter(([id]) => id === 'header').concat([...old.entries()].filter(([id]) => id !== 'header').sort(([a], [b]) => Number(a) - Number(b)))
      .map(([, chunk]) => chunk.join('\n')).join('\n');
    if (!text.endsWith('\n')) text += '\n';
  }
  fs.writeFileSync(file, text);
  console.log('\nWrote bench/results.md');
}

void main();
