/**
 * Loads a synthesized cloud assembly (a `cdk.out` directory, or an integ
 * snapshot directory) into plain data: every CloudFormation stack with its
 * template, its environment, and its access report when one was written.
 *
 * Test support only. Nothing here is shipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PRODUCER, REGION } from '../stack';

/** The fixed test environment of environment-agnostic stacks (the placeholders of ../shared/cases). */
export const DEFAULT_ACCOUNT = PRODUCER;
export const DEFAULT_REGION = REGION;

export interface LoadedStack {
  /** The artifact id (the template file is `<id>.template.json`). */
  readonly id: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** Whether account/region came from the manifest (false: the defaults above were used). */
  readonly concreteEnvironment: boolean;
  readonly template: any;
  /** The `<id>.data-protection.json` report, if the assembly holds one. */
  readonly report?: any;
  readonly directory: string;
}

export interface LoadedAssembly {
  readonly directory: string;
  readonly stacks: LoadedStack[];
}

/** Loads every stack of the assembly in `directory`, nested assemblies (Stages) included. */
export function loadAssembly(directory: string): LoadedAssembly {
  const stacks: LoadedStack[] = [];
  collect(path.resolve(directory), stacks);
  return { directory: path.resolve(directory), stacks };
}

function collect(dir: string, out: LoadedStack[]): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      collect(path.join(dir, artifact.properties.directoryName), out);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const templateFile = path.join(dir, artifact.properties.templateFile);
    const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    const account = m && /^\d{12}$/.test(m[1]) ? m[1] : undefined;
    const region = m && !m[2].startsWith('unknown') ? m[2] : undefined;
    const reportFile = templateFile.replace(/\.template\.json$/, '.data-protection.json');
    out.push({
      id,
      stackName: artifact.properties.stackName ?? id,
      account: account ?? DEFAULT_ACCOUNT,
      region: region ?? DEFAULT_REGION,
      concreteEnvironment: account !== undefined && region !== undefined,
      template: JSON.parse(fs.readFileSync(templateFile, 'utf8')),
      report: fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined,
      directory: dir,
    });
  }
}
