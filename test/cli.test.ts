import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedBucket } from '../src';
import { run } from '../src/cli/main';

/** The repository, whatever the current directory. */
function cwd0(): string {
  return path.resolve(__dirname, '..');
}

/** Runs the command in this process, collecting what it prints. */
function cli(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function synth(build: (stack: Stack) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const app = new App({ outdir: dir });
  build(new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } }));
  app.synth();
  return dir;
}

describe('cdk-data-protection scan', () => {
  test('an app of plain aws-cdk-lib buckets: one line per finding with rule id and path, files written, exit 1', () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'));
    const r = cli('scan', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ERROR +DataProtection-DP1 +Data\/Plain\/Resource \(Data\/Plain[0-9A-F]{8}\): The S3 bucket is not encrypted/m);
    expect(r.out).toMatch(/DataProtection-DP8 +Data\/Plain\/Resource/);
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'data-protection-findings.json'), 'utf8'));
    expect(findings.findings.map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['DataProtection-DP1', 'DataProtection-DP3', 'DataProtection-DP8']));
    expect(fs.existsSync(path.join(dir, 'Data.data-protection.json'))).toBe(true);
    // The rule id once per line: the fix after the dash does not repeat it.
    for (const line of r.out.split('\n').filter((l) => l.startsWith('ERROR'))) {
      expect(line.match(/DataProtection-DP\d+: /g)).toBeNull();
      expect(line).toMatch(/ — .*Fix: /);
    }
    // The HTML page of the app, with the stack's report in it.
    const html = fs.readFileSync(path.join(dir, 'data-protection.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('<span class="kind">bucket</span> Data/Plain</h4>');
  });

  test('EncryptedBucket defaults: no open finding, exit 0', () => {
    const dir = synth((stack) => new EncryptedBucket(stack, 'Exchange'));
    const r = cli('scan', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 error\(s\) and 0 warning\(s\) open/);
  });

  test('SARIF 2.1.0 on standard output: rules, results located at the resource line of the template, acknowledged ones suppressed', () => {
    const dir = synth((stack) => {
      const plain = new s3.Bucket(stack, 'Plain');
      (plain.node.defaultChild as s3.CfnBucket).addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'DataProtection-DP8', reason: 'SSE-C checked upstream' }] });
    });
    const r = cli('scan', dir, '--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out);
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe('cdk-data-protection');
    expect(run0.tool.driver.rules.map((x: any) => x.id)).toContain('DataProtection-DP1');
    const dp1 = run0.results.find((x: any) => x.ruleId === 'DataProtection-DP1');
    const template = fs.readFileSync(path.join(dir, 'Data.template.json'), 'utf8').split('\n');
    const line = dp1.locations[0].physicalLocation.region.startLine;
    expect(template[line - 1]).toMatch(/"Plain[0-9A-F]{8}": \{/);
    expect(dp1.level).toBe('error');
    expect(run0.tool.driver.rules[dp1.ruleIndex].id).toBe('DataProtection-DP1');
    const dp8 = run0.results.find((x: any) => x.ruleId === 'DataProtection-DP8');
    expect(dp8.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'SSE-C checked upstream' }]);
    expect(fs.existsSync(path.join(dir, 'data-protection.sarif'))).toBe(true);
  });

  test('an acknowledged finding is printed (with --show-acknowledged) as acknowledged first, with its reason, and the JSON says acknowledged: null for an open one', () => {
    const dir = synth((stack) => {
      const plain = new s3.Bucket(stack, 'Plain');
      (plain.node.defaultChild as s3.CfnBucket).addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'DataProtection-DP8', reason: 'SSE-C checked upstream' }] });
    });
    const hidden = cli('scan', dir);
    expect(hidden.out).not.toMatch(/DataProtection-DP8/);
    const r = cli('scan', dir, '--show-acknowledged');
    const dp8 = r.out.split('\n').filter((l) => l.includes('DataProtection-DP8'));
    expect(dp8).toEqual([expect.stringMatching(/^ACKNOWLEDGED error DataProtection-DP8  Data\/Plain\/Resource .*\[reason: SSE-C checked upstream\]$/)]);
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'data-protection-findings.json'), 'utf8')).findings;
    expect(findings.find((f: any) => f.ruleId === 'DataProtection-DP8').acknowledged).toBe('SSE-C checked upstream');
    expect(findings.find((f: any) => f.ruleId === 'DataProtection-DP1').acknowledged).toBeNull();
  });

  test("the fix says how to acknowledge so that the command sees it: in the template's Metadata", () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'));
    const line = cli('scan', dir).out.split('\n').find((l) => l.startsWith('ERROR   DataProtection-DP1'))!;
    expect(line).toMatch(/acknowledge\(\{ id: 'DataProtection-DP1', reason: '\.\.\.' \}\) and TemplateAcknowledgements\.write\(app\), which writes it into the template's Metadata/);
  });

  describe('with nothing named, as cdk synth', () => {
    let cwd: string;
    let work: string;
    const APP = "const { App, Stack } = require('aws-cdk-lib'); const s3 = require('aws-cdk-lib/aws-s3');\n" +
      "const app = new App(); new s3.Bucket(new Stack(app, 'Data'), 'Plain'); app.synth();\n";
    beforeEach(() => {
      cwd = process.cwd();
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cwd-'));
      fs.writeFileSync(path.join(work, 'app.js'), APP);
      process.chdir(work);
    });
    afterEach(() => process.chdir(cwd));
    const nodeApp = `node -r ${JSON.stringify(path.join(cwd0(), 'test', 'support', 'node-path.js'))} app.js`;

    test('--app synthesizes into ./cdk.out, and the reports go there', () => {
      const r = cli('scan', '--app', nodeApp, '--fail-on', 'never');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(fs.existsSync(path.join(work, 'cdk.out', 'Data.template.json'))).toBe(true);
      expect(fs.existsSync(path.join(work, 'cdk.out', 'data-protection.html'))).toBe(true);
    });

    test('without ./cdk.out, the app of ./cdk.json is synthesized; with it, ./cdk.out is read', () => {
      fs.writeFileSync(path.join(work, 'cdk.json'), JSON.stringify({ app: nodeApp }));
      const first = cli('scan', '--fail-on', 'never');
      expect(first.out).toMatch(/^Synthesizing the app of cdk\.json: /m);
      expect(first.out).toMatch(/DataProtection-DP1 +Data\/Plain\/Resource/);
      const second = cli('scan', '--fail-on', 'never');
      expect(second.out).not.toMatch(/Synthesizing/);
      expect(second.out).toMatch(/1 stack\(s\) in cdk\.out/);
    });

    test('an app that fails: exit 2, pointing at its own output', () => {
      const r = cli('scan', '--app', 'node -e "process.exit(3)"');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--app: the command "node -e \\"process.exit\(3\)\\"" failed \(.*\); what it printed is above\./);
    });
  });

  test('--fail-on never exits 0 with the findings printed', () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'));
    const r = cli('scan', dir, '--fail-on', 'never');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/DataProtection-DP1/);
  });

  test('a cdk-nag pack runs when asked for', () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'));
    const r = cli('scan', dir, '--pack', 'AwsSolutions', '--fail-on', 'never');
    expect(r.out).toMatch(/AwsSolutions-S1 +Data\/Plain\/Resource/);
  });

  test.each([
    [['scan', '--format', 'xml'], /--format "xml": use text, json or sarif/],
    [['scan', '--fail-on', 'info'], /--fail-on "info": use warning, error or never/],
    [['lint'], /unknown command "lint"/],
    [['scan', 'a', 'b'], /more than one cloud assembly given/],
    [['scan', '/nonexistent/cdk.out'], /does not exist/],
    [['scan', '--fromat', 'sarif'], /unknown option --fromat: the options are --app, --output, --format,/],
    [['scan', '--pack', 'AwsSolution'], /--pack "AwsSolution": not a cdk-nag pack; use AwsSolutions, HIPAASecurity/],
    [['scan', '--pack', 'DataProtection'], /--pack DataProtection: the DataProtection rules always run/],
  ])('bad usage %j: exit 2 with the reason', (argv, message) => {
    const r = cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

test('at synthesis each reported stack carries one info line naming its report files', () => {
  const app = new App();
  const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  new EncryptedBucket(stack, 'Exchange');
  const infos = app.synth().getStackByName('Data').messages.filter((m) => m.level === 'info').map((m) => String(m.entry.data));
  expect(infos.filter((m) => m.includes('Data.data-protection.json and Data.data-protection.md'))).toHaveLength(1);
});

describe('cdk-data-protection report', () => {
  test('writes the access reports of a plain app from its templates', () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-out-'));
    const r = cli('report', dir, '--output', out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['Data.data-protection.json', 'Data.data-protection.md', 'data-protection.html']);
    // The bucket named as the app names it (and the findings do), not by its path under the CfnInclude.
    const report = JSON.parse(fs.readFileSync(path.join(out, 'Data.data-protection.json'), 'utf8'));
    expect(report.buckets.map((b: any) => b.path)).toEqual(['Data/Plain']);
  });
});
