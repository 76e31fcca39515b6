import * as fs from 'fs';
import * as path from 'path';
import { StackTemplate } from './types';

/**
 * Every stack template of a cloud assembly directory, nested assemblies
 * (stages) included, read from its `manifest.json`.
 */
export function stackTemplates(assemblyDir: string): StackTemplate[] {
  const manifestPath = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${assemblyDir} is not a cloud assembly: it has no manifest.json`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  const out: StackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
      out.push({
        artifactId,
        templatePath: path.resolve(assemblyDir, artifact.properties.templateFile),
        account: account && !account.startsWith('unknown-') ? account : undefined,
        region: region && !region.startsWith('unknown-') ? region : undefined,
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      out.push(...stackTemplates(path.resolve(assemblyDir, artifact.properties.directoryName)));
    }
  }
  return out.sort((a, b) => a.artifactId.localeCompare(b.artifactId));
}

export function readTemplate(t: StackTemplate): any {
  return JSON.parse(fs.readFileSync(t.templatePath, 'utf-8'));
}
