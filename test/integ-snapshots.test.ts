/**
 * The integ tests' committed snapshots (integ/*.snapshot), verified without integ-runner: each integ
 * app is synthesized by the aws-cdk-lib the tests run on and its templates must equal the
 * snapshot's, apart from what depends on the CDK tooling (aws:cdk:* metadata, CDKMetadata, the
 * bootstrap version check). integ-runner reads cloud assemblies of aws-cdk-lib 2.257 and older
 * only; this check also runs on the newest aws-cdk-lib (`test:cdk-latest`), so upgrading the floor
 * is never blocked by integ-runner.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const INTEG = path.join(ROOT, 'integ');

/** Artifact id -> template of each stack of a cloud assembly. */
function stackTemplates(assembly: string): Record<string, any> {
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  const out: Record<string, any> = {};
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      out[id] = JSON.parse(fs.readFileSync(path.join(assembly, artifact.properties.templateFile), 'utf8'));
    }
  }
  return out;
}

/** The template without what the CDK tooling writes: aws:cdk:* metadata, CDKMetadata, the bootstrap version check. */
function normalize(template: any): any {
  const t = JSON.parse(JSON.stringify(template));
  for (const [id, resource] of Object.entries<any>(t.Resources ?? {})) {
    if (resource.Type === 'AWS::CDK::Metadata') {
      delete t.Resources[id];
      continue;
    }
    // aws-cdk-lib's own handlers (custom resource providers, integ-tests-alpha's assertions) change their
    // code asset and Node.js runtime between releases; the library creates no Lambda function of its own
    if (resource.Type === 'AWS::Lambda::Function' || resource.Type === 'AWS::Serverless::Function') {
      if (/^[0-9a-f]{64}\.zip$/.test(resource.Properties?.Code?.S3Key ?? '')) resource.Properties.Code.S3Key = '<asset of aws-cdk-lib>.zip';
      if (/^nodejs\d+\.x$/.test(resource.Properties?.Runtime ?? '')) resource.Properties.Runtime = 'nodejs<n>.x';
    }
    // integ-tests-alpha stamps each assertion call with the time of synthesis
    if (String(resource.Type).startsWith('Custom::DeployAssert')) delete resource.Properties?.salt;
    const metadata = Object.fromEntries(Object.entries(resource.Metadata ?? {}).filter(([k]) => !k.startsWith('aws:cdk:')));
    if (Object.keys(metadata).length > 0) resource.Metadata = metadata;
    else delete resource.Metadata;
  }
  delete t.Parameters?.BootstrapVersion;
  delete t.Rules?.CheckBootstrapVersion;
  delete t.Conditions?.CDKMetadataAvailable;
  return Object.fromEntries(Object.entries(t).filter(([, v]) => !(typeof v === 'object' && v !== null && Object.keys(v).length === 0)));
}

const PRELOAD = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', '-r', './test/support/resolve-cdk-latest.ts'];

/** test:cdk-latest: the child loads the newest aws-cdk-lib too. */
function childEnv(): Record<string, string> {
  return process.env.EXPECTED_AWS_CDK_LIB ? { CDK_LATEST_NODE_MODULES: path.join(ROOT, '.cdk-latest', 'node_modules') } : {};
}

/** Synthesizes one integ app as integ-runner does (CDK_OUTDIR, the app synthesizes itself on exit), with the aws-cdk-lib of this run. */
function synthesize(file: string, outdir: string): void {
  const run = spawnSync(process.execPath, [...PRELOAD, file], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      // the context integ-runner synthesizes with: the feature flags it recommends
      CDK_CONTEXT_JSON: fs.readFileSync(require.resolve('@aws-cdk/integ-runner/lib/recommended-feature-flags.json'), 'utf8'),
      TS_NODE_PROJECT: 'test/tsconfig.json',
      TS_NODE_TRANSPILE_ONLY: 'true',
      ...childEnv(),
    },
  });
  if (run.status !== 0) throw new Error(`${path.relative(ROOT, file)} failed:\n${run.stderr}`);
}

const apps = fs.readdirSync(INTEG).filter((f) => /^integ\..+\.ts$/.test(f));

describe('integ snapshots, without integ-runner', () => {
  test('the integ apps run on the aws-cdk-lib of this run', () => {
    const run = spawnSync(process.execPath, [...PRELOAD, '-p', "require('aws-cdk-lib/package.json').version"], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true', ...childEnv() },
    });
    expect(run.stdout.trim()).toBe(process.env.EXPECTED_AWS_CDK_LIB ?? '2.257.0');
  });

  test('every integ app has a committed snapshot', () => {
    expect(apps.length).toBeGreaterThanOrEqual(3);
    for (const app of apps) expect(fs.existsSync(path.join(INTEG, `${app}.snapshot`, 'manifest.json'))).toBe(true);
  });

  test.each(apps)('%s synthesizes the templates of its snapshot', (app) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    try {
      synthesize(path.join(INTEG, app), outdir);
      const actual = stackTemplates(outdir);
      const expected = stackTemplates(path.join(INTEG, `${app}.snapshot`));
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const stack of Object.keys(expected)) {
        expect({ stack, template: normalize(actual[stack]) }).toEqual({ stack, template: normalize(expected[stack]) });
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
