import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';

/** A stack template of a cloud assembly. */
export interface StackTemplate {
  /** The stack's artifact id, e.g. `DataProducer` (stages: `Stage-Stack`). */
  readonly artifactId: string;
  /** The stack's name as it deploys (`properties.stackName` of the manifest, else the artifact id). */
  readonly stackName: string;
  /** Absolute path of the template file. */
  readonly templatePath: string;
  /** The account of the stack's environment, when known. */
  readonly account?: string;
  /** The Region of the stack's environment, when known. */
  readonly region?: string;
  /** The cloud assembly directory that holds the template (a nested one for stages). */
  readonly assemblyDir: string;
  /** The construct path of each resource, by logical id, from the stack's metadata (`aws:cdk:logicalId` entries). */
  readonly paths: Map<string, string>;
}

/**
 * The construct path of each logical id of a stack artifact, read from its
 * metadata: inline in the manifest, or in the file `additionalMetadataFile`
 * names (aws-cdk-lib ≥ 2.2xx), whichever the assembly has.
 */
function pathsOf(assemblyDir: string, artifact: any): Map<string, string> {
  const out = new Map<string, string>();
  const sources: Array<Record<string, any[]>> = [artifact.metadata ?? {}];
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(assemblyDir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) sources.push(JSON.parse(fs.readFileSync(file, 'utf-8')));
  }
  for (const metadata of sources) {
    for (const [constructPath, entries] of Object.entries(metadata)) {
      for (const entry of entries ?? []) {
        if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
          out.set(entry.data, constructPath.replace(/^\//, ''));
        }
      }
    }
  }
  return out;
}

/**
 * Every stack template of a cloud assembly directory, nested assemblies
 * (stages) included, read from its `manifest.json`, in artifact id order.
 *
 * @throws if `assemblyDir` has no `manifest.json`
 * @see https://docs.aws.amazon.com/cdk/v2/guide/apps.html#apps_cloud_assembly
 */
export function stackTemplates(assemblyDir: string): StackTemplate[] {
  const manifestPath = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${assemblyDir} is not a cloud assembly: it has no manifest.json. Give the directory cdk synth wrote (cdk.out), or --app "<command>".`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  const out: StackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
      out.push({
        artifactId,
        stackName: artifact.properties?.stackName ?? artifactId,
        templatePath: path.resolve(assemblyDir, artifact.properties.templateFile),
        account: account && !account.startsWith('unknown-') ? account : undefined,
        region: region && !region.startsWith('unknown-') ? region : undefined,
        assemblyDir: path.resolve(assemblyDir),
        paths: pathsOf(assemblyDir, artifact),
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      out.push(...stackTemplates(path.resolve(assemblyDir, artifact.properties.directoryName)));
    }
  }
  return out.sort((a, b) => a.artifactId.localeCompare(b.artifactId));
}

/** The template of a stack, parsed. */
export function readTemplate(t: StackTemplate): any {
  return JSON.parse(fs.readFileSync(t.templatePath, 'utf-8'));
}

/** A resource of an included template, with where it came from. */
export interface IncludedResource {
  readonly resource: CfnResource;
  readonly stack: StackTemplate;
  readonly logicalId: string;
  /** The construct path the app gave it (stack metadata, or `aws:cdk:path` of its Metadata), else `<artifact id>/<logical id>`. */
  readonly path: string;
}

/**
 * Loads each template into a stack of a fresh App with `CfnInclude`, in the
 * stack's environment (rules that compare accounts see the app's accounts),
 * named as the stack deploys. Works on any template, with or without this
 * library's constructs.
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.cloudformation_include-readme.html
 */
export function includeTemplates(templates: StackTemplate[]): { app: App; stacks: Map<StackTemplate, Stack>; resources: IncludedResource[] } {
  // No report files and no synthesis output: this app is only read.
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-data-protection-scan-')), context: { 'cdk-data-protection:report': false } });
  const stacks = new Map<StackTemplate, Stack>();
  const resources: IncludedResource[] = [];
  for (const t of templates) {
    // The artifact id as it is (letters, digits, _ - .): the stack's report files are named after it, as at synthesis.
    const stack = new Stack(app, t.artifactId, {
      stackName: t.stackName,
      env: { account: t.account, region: t.region },
    });
    stacks.set(t, stack);
    const include = new CfnInclude(stack, 'Template', { templateFile: t.templatePath });
    const template = readTemplate(t);
    for (const [logicalId, body] of Object.entries<any>(template.Resources ?? {})) {
      resources.push({
        resource: include.getResource(logicalId),
        stack: t,
        logicalId,
        path: t.paths.get(logicalId) ?? body?.Metadata?.['aws:cdk:path'] ?? `${t.artifactId}/${logicalId}`,
      });
    }
  }
  return { app, stacks, resources };
}

/** Options of {@link synthesizeApp}. */
export interface SynthesizeOptions {
  /** The app's command, e.g. `npx ts-node --prefer-ts-exts bin/app.ts`. */
  readonly app: string;
  /** Where the cloud assembly goes; a new temporary directory by default. */
  readonly outdir?: string;
  /** Where the command's output goes (the CLI sends it to standard error, to keep standard output for findings). */
  readonly stdio?: 'inherit' | 'stderr' | 'ignore';
}

/**
 * Runs an app's command with `CDK_OUTDIR` set, as the CDK CLI does, and
 * returns the cloud assembly directory it wrote.
 *
 * @throws if the command fails, or writes no cloud assembly
 * @see https://docs.aws.amazon.com/cdk/v2/guide/apps.html
 */
export function synthesizeApp(options: SynthesizeOptions): string {
  const outdir = path.resolve(options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-data-protection-')));
  clearOutdir(outdir);
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir };
  const stdio = options.stdio ?? 'inherit';
  try {
    execSync(options.app, { stdio: stdio === 'stderr' ? ['ignore', process.stderr, process.stderr] : stdio, env });
  } catch (e) {
    throw new Error(`--app: the command ${JSON.stringify(options.app)} failed (${(e as Error).message.split('\n')[0]}); what it printed is above.`);
  }
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(
      `--app: ${JSON.stringify(options.app)} wrote no cloud assembly to ${outdir}: the app must use the default outdir of new App() (it reads CDK_OUTDIR) and call app.synth().`,
    );
  }
  return outdir;
}

/**
 * Empties an output directory before synthesis, but only one that is safe to
 * empty: absent, empty, or a cloud assembly (it has a manifest.json).
 *
 * @throws for any other directory: it may hold the user's own files
 */
export function clearOutdir(outdir: string): void {
  if (!fs.existsSync(outdir)) {
    return;
  }
  const isDir = fs.statSync(outdir).isDirectory();
  const isAssembly = isDir && fs.existsSync(path.join(outdir, 'manifest.json'));
  const isEmpty = isDir && fs.readdirSync(outdir).length === 0;
  if (!isAssembly && !isEmpty) {
    throw new Error(`${outdir} exists and is not a cloud assembly (no manifest.json): refusing to overwrite it. Give an output directory that is new, empty or a previous cdk.out.`);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
}
