/**
 * Hostile review of `cdk-data-protection scan|report`: each test is a bug
 * found with the smallest app that shows it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, EncryptedBucket, Partner } from '../src';
import { launchChromium } from './support/chromium';
import { run } from '../src/cli/main';

// ajv-draft-04 (ajv 8 for draft-04 schemas; a devDependency) validates the SARIF log, with ajv-formats for its uri and
// date-time formats, against the OASIS SARIF 2.1.0 schema as SchemaStore publishes it (Apache-2.0), test/fixtures/sarif-2.1.0-rtm.5.json.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv-draft-04');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const addFormats = require('ajv-formats');

jest.setTimeout(120_000);

/** Runs the command in this process, collecting what it prints. */
function cli(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tmp(prefix = 'cli-attack-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Synthesizes one stack `Data` into `dir` (a new one by default), as cdk synth does into cdk.out. */
function synth(build: (stack: Stack) => void, dir: string = tmp(), stackId = 'Data', stackName?: string): string {
  const app = new App({ outdir: dir });
  build(new Stack(app, stackId, { stackName, env: { account: '111111111111', region: 'eu-west-1' } }));
  app.synth();
  return dir;
}

function findings(dir: string): any[] {
  return JSON.parse(fs.readFileSync(path.join(dir, 'data-protection-findings.json'), 'utf8')).findings;
}

describe('attack: scan', () => {
  test('attack: a bucket in a NestedStack is scanned (its template is an asset, not a stack artifact)', () => {
    const dir = synth((stack) => new s3.Bucket(new NestedStack(stack, 'Inner'), 'Plain'));
    const r = cli('scan', dir);
    // Before the fix: "0 finding(s)", exit 0: the unencrypted bucket of the nested stack is never read.
    expect(r.out).toMatch(/DataProtection-DP1 +Data\/Inner\/Plain/);
    expect(r.code).toBe(1);
  });

  test('attack: a stack whose artifact id has an underscore gets its template-mode report (no ENOENT, exit 1 not 2)', () => {
    // A valid app: the id has an underscore, the stack name is valid.
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'), tmp(), 'data_eu', 'data-eu');
    const r = cli('scan', dir);
    // Before the fix: exit 2, "ENOENT: no such file or directory, open '.../data_eu.data-protection.json'"
    // (the report is written as data-eu.data-protection.json, after the id of the CfnInclude stack).
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'data_eu.data-protection.json'))).toBe(true);
  });

  test('attack: a cdk_nag suppression with applies_to acknowledges only the granular findings it names', () => {
    const dir = synth((stack) => {
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
      // cdk-nag v2's NagSuppressions.addResourceSuppressions(..., [{ id, reason, appliesTo }]) writes this.
      (role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).addMetadata('cdk_nag', {
        rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: 'every S3 action is wanted on this role', applies_to: ['Action::s3:*'] }],
      });
    });
    const r = cli('scan', dir, '--pack', 'AwsSolutions');
    const iam5 = findings(dir).filter((f) => f.ruleId.startsWith('AwsSolutions-IAM5'));
    expect(iam5.find((f) => f.ruleId === 'AwsSolutions-IAM5[Action::s3:*]')?.acknowledged).toBe('every S3 action is wanted on this role');
    // Before the fix: acknowledged too, with the reason given for s3:* only, and the scan exits 0.
    expect(iam5.find((f) => f.ruleId === 'AwsSolutions-IAM5[Resource::*]')?.acknowledged).toBeNull();
    expect(r.code).toBe(1);
  });

  test('attack: stack-level cdk_nag Metadata (cdk-nag v2 NagSuppressions.addStackSuppressions) acknowledges the findings of the stack', () => {
    const dir = synth((stack) => {
      new s3.Bucket(stack, 'Plain');
      stack.addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'DataProtection-DP8', reason: 'SSE-C is blocked by an SCP of the organization' }] });
    });
    cli('scan', dir);
    // Before the fix: the template's top-level Metadata is never read; only each resource's is.
    expect(findings(dir).find((f) => f.ruleId === 'DataProtection-DP8')?.acknowledged).toBe('SSE-C is blocked by an SCP of the organization');
  });

  test('attack: the same pack named twice reports each finding once', () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'));
    cli('scan', dir, '--pack', 'AwsSolutions', '--pack', 'AwsSolutionsChecks', '--fail-on', 'never');
    const ids = findings(dir).map((f) => `${f.ruleId}|${f.logicalId}`);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('attack: report', () => {
  test('attack: a report left in cdk.out by an earlier synthesis is not taken for the stack as it is now', () => {
    const dir = tmp();
    // First synthesis: the stack holds a construct of this library, which writes Data.data-protection.json.
    synth((stack) => new EncryptedBucket(stack, 'Exchange'), dir);
    // The app changes; cdk synth writes into the same cdk.out and never deletes the old report.
    synth((stack) => new s3.Bucket(stack, 'Plain'), dir);
    const out = tmp();
    expect(cli('report', dir, '--output', out).code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'Data.data-protection.json'), 'utf8'));
    // Before the fix: ['Data/Exchange/Bucket', 'Data/Exchange/AccessLogs'], buckets the template no longer has.
    expect(report.buckets.map((b: any) => b.path)).toEqual(['Data/Plain']);
  });

  test('attack: scan twice over cdk.out (the default output) between two syntheses of a plain app reports the app as it is now', () => {
    const dir = tmp();
    synth((stack) => new s3.Bucket(stack, 'First'), dir);
    // The first scan writes the template-mode report into cdk.out, beside the template.
    cli('scan', dir, '--fail-on', 'never');
    // The app gets a second bucket; cdk synth writes into the same cdk.out.
    synth((stack) => {
      new s3.Bucket(stack, 'First');
      new s3.Bucket(stack, 'Second');
    }, dir);
    cli('scan', dir, '--fail-on', 'never');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'Data.data-protection.json'), 'utf8'));
    // Before the fix: ['Data/First']: the second scan takes the first scan's own report for one written at synthesis.
    expect(report.buckets.map((b: any) => b.path).sort()).toEqual(['Data/First', 'Data/Second']);
    expect(fs.readFileSync(path.join(dir, 'data-protection.html'), 'utf8')).toContain('Data/Second</h4>');
  });
});

describe('attack: report contents', () => {
  test('attack: a plain s3.Bucket shared with another account by its bucket policy keeps that partner when the stack also holds a library construct', () => {
    const build = (withLibrary: boolean) => (stack: Stack) => {
      const plain = new s3.Bucket(stack, 'Plain');
      plain.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'Share',
        principals: [new iam.AccountPrincipal('222222222222')],
        actions: ['s3:GetObject'],
        resources: [plain.arnForObjects('*')],
      }));
      if (withLibrary) new EncryptedBucket(stack, 'Exchange');
    };
    const partnersOfPlain = (dir: string) => {
      expect(cli('report', dir).code).toBe(0);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'Data.data-protection.json'), 'utf8'));
      return report.buckets.find((b: any) => b.path === 'Data/Plain').partners.map((p: any) => p.partner);
    };
    // Without a construct of this library the report (template mode) says who else reads the bucket.
    expect(partnersOfPlain(synth(build(false)))).toEqual(['account 222222222222']);
    // Before the fix: [] once an EncryptedBucket is added beside it: the report written at synthesis reads the partners of
    // aws-cdk-lib buckets from this library's shares only, and the page says the bucket is shared with no one.
    expect(partnersOfPlain(synth(build(true)))).toEqual(['account 222222222222']);
  });

  test('attack: a share prefix with | keeps the Markdown access table to its three columns', () => {
    const dir = synth((stack) => new EncryptedBucket(stack, 'Exchange').shareWith(Partner.account('333333333333'), AccessLevel.READ, { prefix: 'in|out/' }));
    expect(cli('report', dir).code).toBe(0);
    const md = fs.readFileSync(path.join(dir, 'Data.data-protection.md'), 'utf8');
    const row = md.split('\n').find((l) => l.startsWith('| account 333333333333 |'))!;
    expect(row).toBeDefined();
    // Before the fix: "READ under `in|out/`: ..." — the | inside the code span is not escaped, and GitHub splits the cell there.
    expect(row.split(/(?<!\\)\|/).length).toBe(5);
  });
});

describe('attack: SARIF', () => {
  /** The errors of the SARIF 2.1.0 JSON schema (test/fixtures, from the npm package @microsoft/jest-sarif) for a log. */
  function sarifErrors(log: unknown): unknown[] {
    // unicodeRegExp off: the schema's language pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not valid with the u flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    return ajv.validate(schema, log) ? [] : ajv.errors;
  }

  test('attack: the SARIF log is valid when the assembly path has a space and a # (URIs percent-encoded)', () => {
    const dir = synth((stack) => new s3.Bucket(stack, 'Plain'), tmp('cdk out #2 '));
    const r = cli('scan', dir, '--format', 'sarif');
    const log = JSON.parse(r.out);
    // Before the fix: artifactLocation.uri is '../../tmp/cdk out #2 XXXXXX/Data.template.json': not a URI reference,
    // and '#' starts a fragment, so the file named is '../../tmp/cdk out '.
    expect(sarifErrors(log)).toEqual([]);
    const uri: string = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    const base: string = log.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
    expect(decodeURIComponent(new URL(uri, base).pathname)).toBe(path.join(dir, 'Data.template.json'));
    // Run from the directory above: the template is under %SRCROOT%, named relative to it, each segment encoded.
    const cwd = process.cwd();
    process.chdir(path.dirname(dir));
    try {
      const inside = JSON.parse(cli('scan', dir, '--format', 'sarif').out);
      expect(sarifErrors(inside)).toEqual([]);
      const location = inside.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
      expect(location).toEqual({ uri: `${encodeURIComponent(path.basename(dir))}/Data.template.json`, uriBaseId: '%SRCROOT%' });
      expect(decodeURIComponent(new URL(location.uri, inside.runs[0].originalUriBaseIds['%SRCROOT%'].uri).pathname)).toBe(path.join(dir, 'Data.template.json'));
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('attack: HTML', () => {
  test('attack: a diagram longer than mermaid\'s maxTextSize (50,000 characters) is drawn, or the page says it is not', async () => {
    // 300 plain buckets with ordinary ids: about 72,000 characters of Mermaid.
    const dir = synth((stack) => {
      for (let i = 0; i < 300; i++) new s3.Bucket(stack, `CustomerDataLakeRawZoneBucket${i}`);
    });
    expect(cli('report', dir).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'Data.data-protection.json'), 'utf8')).mermaid.length).toBeGreaterThan(50_000);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${path.join(dir, 'data-protection.html')}`);
      await page.waitForSelector('body[data-rendered]', { timeout: 90_000 });
      const diagram = await page.$eval('pre.mermaid', (e) => ({
        error: e.getAttribute('data-error'),
        text: Array.from(e.querySelectorAll('svg text, svg foreignObject')).map((x) => x.textContent).join(' '),
        nodes: e.querySelectorAll('svg g.node').length,
      }));
      // Before the fix: one node reading "Maximum text size in diagram exceeded", no data-error on the diagram or <body>.
      // The page raises mermaid's limits: 300 buckets are drawn, every one a node.
      expect(diagram.error).toBeNull();
      expect(diagram.text).not.toContain('Maximum text size in diagram exceeded');
      expect(diagram.nodes).toBeGreaterThan(300);
      expect(await page.getAttribute('body', 'data-error')).toBeNull();
    } finally {
      await browser.close();
    }
  });
});

describe('attack: --app', () => {
  test('attack: --app runs the app with the context of cdk.json, as the CDK CLI does', () => {
    // An app whose cdk.json turns enforceSSL on: cdk synth gives a TLS-only bucket policy.
    const project = tmp('cli-attack-project-');
    fs.symlinkSync(path.resolve(__dirname, '..', 'node_modules'), path.join(project, 'node_modules'));
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js', context: { secure: true } }));
    fs.writeFileSync(
      path.join(project, 'app.js'),
      [
        "const { App, Stack } = require('aws-cdk-lib');",
        "const s3 = require('aws-cdk-lib/aws-s3');",
        'const app = new App();',
        "const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });",
        "new s3.Bucket(stack, 'Plain', { enforceSSL: app.node.tryGetContext('secure') === true });",
        'app.synth();',
      ].join('\n'),
    );
    const cwd = process.cwd();
    const out = path.join(project, 'cdk.out');
    let r;
    try {
      process.chdir(project);
      r = cli('scan', '--app', 'node app.js', '--output', out, '--fail-on', 'never');
    } finally {
      process.chdir(cwd);
    }
    expect(r.code).toBe(0);
    // Before the fix: the app gets no context (CDK_CONTEXT_JSON is not set), so the bucket has no TLS deny and DP2 is reported.
    expect(findings(out).map((f) => f.ruleId)).not.toContain('DataProtection-DP2');
  });
});
