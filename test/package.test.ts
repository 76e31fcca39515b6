/**
 * What ships is what users need: the npm package (which the Python, Java, Go
 * and .NET packages embed) holds the compiled library, its jsii assembly and
 * its docs, and never a virtual environment, the newest aws-cdk-lib of
 * `test:cdk-latest`, a cloud assembly, benchmark output or an earlier tarball.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
/**
 * The largest npm package we ship, packed: the library alone is about 0.6 MB, mermaid's browser build,
 * vendored for the HTML report (lib/report/vendor/), about 1.6 MB more, and the bundled dependencies of
 * PartnerRegistry (ajv and yaml, with ajv's own dependencies) about 0.5 MB.
 */
const MAX_PACKED_BYTES = 4 * 1024 * 1024;
/**
 * The production packages of the lock file: the bundled dependencies (not jsii libraries, so jsii requires them bundled)
 * and what they depend on. npm packs them under node_modules/; no other package may be there.
 */
const BUNDLED: string[] = Object.entries(
  (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package-lock.json'), 'utf8')).packages ?? {}) as Record<string, { dev?: boolean; peer?: boolean }>,
)
  .filter(([p, meta]) => p.startsWith('node_modules/') && !meta.dev && !meta.peer)
  .map(([p]) => p.slice('node_modules/'.length));
/**
 * What may be in the package: package.json, the README and LICENSE (npm always adds them), the compiled library,
 * the jsii assembly, the API reference, and mermaid with its license, vendored for the HTML report (named in NOTICE).
 */
const ALLOWED = /^(package\.json|README\.md|LICENSE|NOTICE|\.jsii|API\.md|lib\/.+\.(js|d\.ts)|lib\/report\/vendor\/mermaid\.LICENSE)$/;
/** Paths that must never ship, whatever the allow-list says. */
const STRAY = /(^|\/)(\.venv|\.cdk-latest|cdk\.out)\/|^bench\/out\/|\.tgz$|\.whl$/;
/** A file of a bundled dependency (node_modules/<name>/...), and not one of another package. */
function isBundled(p: string): boolean {
  return BUNDLED.some((name) => p.startsWith(`node_modules/${name}/`) && !p.slice(`node_modules/${name}/`.length).startsWith('node_modules/'));
}

interface Packed {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: { readonly path: string }[];
}

function pack(dir: string): Packed {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out)[0];
}

describe('the npm package', () => {
  test('holds only the allowed files and the bundled dependencies, never a stray one, and stays under 4 MB', () => {
    const packed = pack(ROOT);
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => !(ALLOWED.test(p) || isBundled(p)) || STRAY.test(p))).toEqual([]);
    expect(BUNDLED.sort()).toEqual(expect.arrayContaining(['ajv', 'yaml']));
    for (const name of BUNDLED) {
      expect(paths).toContain(`node_modules/${name}/package.json`);
    }
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'API.md']));
    if (fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      // compiled (npm run build, test:python): the library and its assembly are in
      expect(paths).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', '.jsii']));
    }
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
  });

  test('leaves out virtual environments, cdk-latest, cloud assemblies, benchmark output and tarballs lying in the clone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
      fs.copyFileSync(path.join(ROOT, '.npmignore'), path.join(dir, '.npmignore'));
      const write = (p: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        fs.writeFileSync(path.join(dir, p), 'x');
      };
      const shipped = ['lib/index.js', 'lib/index.d.ts', 'lib/s3/encrypted-bucket.js', '.jsii', 'API.md', 'README.md', 'LICENSE'];
      const stray = [
        '.venv/bin/python', '.venv/lib/python3.11/site-packages/x.py', '.cdk-latest/node_modules/aws-cdk-lib/index.js', 'cdk.out/manifest.json',
        'bench/out/x.json', 'cdk-data-protection-0.0.0.tgz', 'dist/python/x.whl', 'src/index.ts', 'test/x.test.ts', 'lib/tsconfig.tsbuildinfo',
      ];
      [...shipped, ...stray].forEach(write);
      expect(pack(dir).files.map((f) => f.path).sort()).toEqual([...shipped, 'package.json'].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the two packages', () => {
  const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const NAG_DIR = path.join(ROOT, 'packages', 'cdk-data-protection-nag');

  test('cdk-data-protection depends on aws-cdk-lib and constructs, and bundles the rest: no cdk-nag, so it builds in every jsii language', () => {
    const root = manifest(ROOT);
    expect(Object.keys(root.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    // every other runtime dependency is bundled in the package (jsii languages install only jsii libraries from their registries)
    expect(Object.keys(root.dependencies ?? {}).sort()).toEqual([...(root.bundledDependencies ?? [])].sort());
    expect(Object.keys(root.dependencies ?? {})).not.toContain('cdk-nag');
  });

  test('cdk-data-protection-nag depends on cdk-data-protection of the same version, cdk-nag 3, aws-cdk-lib and constructs, at the floors of the root', () => {
    const root = manifest(ROOT);
    const nag = manifest(NAG_DIR);
    expect(nag.version).toBe(root.version);
    expect(nag.peerDependencies).toEqual({
      'aws-cdk-lib': root.peerDependencies['aws-cdk-lib'],
      'cdk-data-protection': root.version,
      'cdk-nag': expect.stringMatching(/^\^3\./),
      'constructs': root.peerDependencies.constructs,
    });
    expect(nag.engines).toEqual(root.engines);
    expect(nag.stability).toBe(root.stability);
  });

  test('cdk-data-protection-nag ships its compiled adapter, its assembly, README and LICENSE, and nothing else', () => {
    const packed = pack(NAG_DIR);
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => !/^(package\.json|README\.md|LICENSE|\.jsii|lib\/.+\.(js|d\.ts))$/.test(p) || STRAY.test(p))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
  });
});
