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
  /** Whether the synthesis that wrote this template wrote its access report too (the library's info line is in its metadata). */
  readonly reportedAtSynthesis: boolean;
  /** For the template of a nested stack: the artifact id of the stack artifact it deploys under. */
  readonly nestedIn?: string;
}

/** A metadata entry of a stack artifact: the construct path it is attached to, its type and data. */
interface MetadataEntry {
  readonly path: string;
  readonly type: string;
  readonly data: unknown;
}

/** The start of the info line the library adds at synthesis to each stack whose report it writes (src/report/report-registry.ts). */
const REPORTED_INFO = 'cdk-data-protection: the access report of ';

/**
 * The metadata entries of a stack artifact: inline in the manifest, or in the
 * file `additionalMetadataFile` names (aws-cdk-lib ≥ 2.2xx), whichever the
 * assembly has. Paths without their leading `/`.
 */
function metadataOf(assemblyDir: string, artifact: any): MetadataEntry[] {
  const sources: Array<Record<string, any[]>> = [artifact.metadata ?? {}];
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(assemblyDir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) sources.push(JSON.parse(fs.readFileSync(file, 'utf-8')));
  }
  const out: MetadataEntry[] = [];
  for (const metadata of sources) {
    for (const [constructPath, entries] of Object.entries(metadata)) {
      for (const entry of entries ?? []) {
        if (typeof entry?.type === 'string') out.push({ path: constructPath.replace(/^\//, ''), type: entry.type, data: entry.data });
      }
    }
  }
  return out;
}

/** The construct path of each logical id, of the entries of one template (the logical ids of nested stacks may repeat their parent's). */
function pathsOf(entries: MetadataEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') out.set(e.data, e.path);
  }
  return out;
}

/**
 * The templates of the nested stacks of a stack artifact, found from its template: each
 * `AWS::CloudFormation::Stack` whose `TemplateURL` ends in the object key of a file asset of the
 * artifact's asset manifest, whose source is the nested template. Each gets the metadata entries under
 * its construct path (`<path>.NestedStack/<id>.NestedStackResource` is the resource; `<path>` the stack).
 */
function nestedTemplates(
  assemblyDir: string, parent: StackTemplate, parentTemplate: any, entries: MetadataEntry[], assets: Map<string, string>,
): Array<{ template: StackTemplate; body: any }> {
  const out: Array<{ template: StackTemplate; body: any }> = [];
  for (const [logicalId, resource] of Object.entries<any>(parentTemplate.Resources ?? {})) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
    const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
    const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
    const file = hash ? assets.get(hash) : undefined;
    const resourcePath = parent.paths.get(logicalId);
    if (!file || !resourcePath || !fs.existsSync(path.join(assemblyDir, file))) continue;
    const stackPath = resourcePath.replace(/\.NestedStack\/[^/]*$/, '');
    const id = path.basename(file).replace(/\.nested\.template\.json$/, '').replace(/\.json$/, '');
    const own = entries.filter((e) => e.path.startsWith(`${stackPath}/`));
    const template: StackTemplate = {
      artifactId: id,
      stackName: id,
      templatePath: path.resolve(assemblyDir, file),
      account: parent.account,
      region: parent.region,
      assemblyDir: parent.assemblyDir,
      paths: pathsOf(own),
      reportedAtSynthesis: false,
      nestedIn: parent.nestedIn ?? parent.artifactId,
    };
    const body = JSON.parse(fs.readFileSync(template.templatePath, 'utf-8'));
    out.push({ template, body }, ...nestedTemplates(assemblyDir, template, body, own, assets));
  }
  return out;
}

/** The file assets of the asset manifests a stack artifact depends on: source path by asset hash. */
function fileAssetsOf(assemblyDir: string, manifest: any, artifact: any): Map<string, string> {
  const out = new Map<string, string>();
  for (const dependency of artifact.dependencies ?? []) {
    const a = manifest.artifacts?.[dependency];
    const file = typeof a?.properties?.file === 'string' ? path.join(assemblyDir, a.properties.file) : undefined;
    if (a?.type !== 'cdk:asset-manifest' || !file || !fs.existsSync(file)) continue;
    for (const [hash, asset] of Object.entries<any>(JSON.parse(fs.readFileSync(file, 'utf-8')).files ?? {})) {
      if (typeof asset?.source?.path === 'string') out.set(hash, asset.source.path);
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
      const entries = metadataOf(assemblyDir, artifact);
      const stack: StackTemplate = {
        artifactId,
        stackName: artifact.properties?.stackName ?? artifactId,
        templatePath: path.resolve(assemblyDir, artifact.properties.templateFile),
        account: account && !account.startsWith('unknown-') ? account : undefined,
        region: region && !region.startsWith('unknown-') ? region : undefined,
        assemblyDir: path.resolve(assemblyDir),
        paths: new Map(),
        reportedAtSynthesis: entries.some((e) => e.type === 'aws:cdk:info' && typeof e.data === 'string' && e.data.startsWith(REPORTED_INFO)),
      };
      const assets = fileAssetsOf(assemblyDir, manifest, artifact);
      const nested = nestedTemplates(assemblyDir, { ...stack, paths: pathsOf(entries) }, readTemplate(stack), entries, assets);
      // The stack's own resources: the entries outside its nested stacks (their logical ids may be the same).
      const nestedPaths = nested.map((n) => [...n.template.paths.values()]).flat();
      const inNested = new Set(nestedPaths);
      out.push({ ...stack, paths: pathsOf(entries.filter((e) => !inNested.has(e.path))) }, ...nested.map((n) => n.template));
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

/**
 * The context the CDK CLI gives an app it synthesizes (as `CDK_CONTEXT_JSON`), read the way it reads it:
 * `~/.cdk.json`, then the project's `cdk.context.json` (cached lookups) and `cdk.json` (feature flags and
 * values), later ones winning, with the CLI's metadata switches on (construct paths and asset paths in the
 * template's `Metadata`, as `cdk synth` writes them).
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
 */
export function cliContext(projectDir: string): Record<string, unknown> {
  const contextOf = (file: string, key?: string): Record<string, unknown> => {
    if (!fs.existsSync(file)) return {};
    let json: any;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf-8'));
    } catch (e) {
      throw new Error(`${file} is not valid JSON (${(e as Error).message}): fix it, as the CDK CLI would need too`);
    }
    const bag = key ? json?.[key] : json;
    return bag !== null && typeof bag === 'object' && !Array.isArray(bag) ? bag : {};
  };
  return {
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    ...contextOf(path.join(os.homedir(), '.cdk.json'), 'context'),
    ...contextOf(path.join(projectDir, 'cdk.context.json')),
    ...contextOf(path.join(projectDir, 'cdk.json'), 'context'),
  };
}

/** Options of {@link synthesizeApp}. */
export interface SynthesizeOptions {
  /** The project directory whose cdk.json and cdk.context.json give the app its context; the current directory by default. */
  readonly cwd?: string;
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
  if (env.CDK_CONTEXT_JSON === undefined) {
    env.CDK_CONTEXT_JSON = JSON.stringify(cliContext(options.cwd ?? process.cwd()));
  }
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
