/**
 * The rules of the house (STYLE.md, issue 11) as a test: the import graph of
 * src/ read with the TypeScript compiler API (test/support/house.ts).
 *
 * `the rules on src/` checks the real tree, one test per rule. `the checker`
 * proves each rule can fail, on tiny trees written to a temporary directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import * as library from '../src';
import { HouseRule, SourceTree } from './support/house';

const ROOT = path.resolve(__dirname, '..');

/** Fails naming every violation of `rule` under src/. */
function expectHouseKeeps(tree: SourceTree, rule: HouseRule): void {
  const problems = tree.check(rule).map((v) => v.message);
  if (problems.length > 0) {
    throw new Error(`house rule ${rule}:\n- ${problems.join('\n- ')}`);
  }
}

describe('the rules of the house', () => {
  describe('the rules on src/', () => {
    const tree = SourceTree.read(ROOT);

    test('no import circle among src/ files', () => {
      expectHouseKeeps(tree, HouseRule.IMPORT_CYCLE);
    });

    test('src/analysis, src/statements and src/report import no construct module and nothing of src/s3, src/kms, src/network', () => {
      expectHouseKeeps(tree, HouseRule.FLOOR_IMPORTS_CONSTRUCT);
    });

    test('src/checks imports of ours only src/analysis, src/statements, src/core and src/checks', () => {
      expectHouseKeeps(tree, HouseRule.CHECKS_IMPORT_OUTSIDE_FLOOR);
    });

    test('nothing under src/ imports cdk-nag', () => {
      expectHouseKeeps(tree, HouseRule.SRC_IMPORTS_CDK_NAG);
    });

    test('src/index.ts holds only export-from lines', () => {
      expectHouseKeeps(tree, HouseRule.INDEX_REEXPORTS_ONLY);
    });

    test('no module-level mutable registry in src/', () => {
      expectHouseKeeps(tree, HouseRule.MODULE_REGISTRY);
    });

    test('the construct modules found in the sources are the files of the public classes that are constructs', () => {
      const constructs = tree.constructModules();
      const publicConstructs = Object.entries(library)
        .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct)
        .map(([name]) => name);
      expect(publicConstructs.length).toBeGreaterThan(0);
      for (const name of publicConstructs) {
        const files = [...tree.files.values()].filter((f) => f.classes.has(name)).map((f) => f.file);
        expect(files).toHaveLength(1);
        expect(constructs).toContain(files[0]);
      }
    });
  });

  describe('the checker', () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    /** A tree of files (path -> content) in a fresh temporary directory. */
    function tree(files: Record<string, string>): SourceTree {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'house-'));
      dirs.push(dir);
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
      }
      return SourceTree.read(dir);
    }

    const files = (t: SourceTree, rule: HouseRule) => t.check(rule).map((v) => v.file);

    test('reports an import circle as a path, through imports, export-from, require and type-only imports', () => {
      const t = tree({
        'src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'src/b.ts': "export * from './sub/c';\nexport const b = 1;\n",
        'src/sub/c.ts': "export const c = () => require('../a');\n",
        'src/d.ts': "import { a } from './a';\nexport const d = a;\n",
        'src/e.ts': "import type { F } from './f';\nexport type E = F;\n",
        'src/f.ts': "import type { E } from './e';\nexport type F = E | 1;\n",
      });
      const found = t.check(HouseRule.IMPORT_CYCLE);
      expect(found.map((v) => v.file)).toEqual(['src/a.ts -> src/b.ts -> src/sub/c.ts -> src/a.ts', 'src/e.ts -> src/f.ts -> src/e.ts']);
      expect(found[0].message).toMatch(/^import circle src\/a\.ts -> src\/b\.ts -> src\/sub\/c\.ts -> src\/a\.ts: arrows point down .*move what both sides need into the lower file/);
      expect(files(tree({ 'src/a.ts': "import './b';\n", 'src/b.ts': "import './c';\n", 'src/c.ts': 'export {};\n' }), HouseRule.IMPORT_CYCLE)).toEqual([]);
    });

    test('reports a floor file that imports a construct module (found through our own base classes, aliases, namespaces, barrels) or a construct room', () => {
      const t = tree({
        'src/core/base.ts': "import { Construct } from 'constructs';\nexport abstract class Base extends Construct {}\n",
        'src/sharing/mine.ts': "import { Base } from '../core/base';\nclass Middle extends Base {}\nexport class Mine extends Middle {}\n",
        'src/sharing/partner.ts': 'export class Partner {}\n',
        'src/sharing/index.ts': "export * from './mine';\nexport * from './partner';\n",
        'src/kms/key-policy.ts': "import * as iam from 'aws-cdk-lib/aws-iam';\nexport class KeyPolicyDocument extends iam.PolicyDocument {}\n",
        'src/s3/bucket.ts': "import * as c from 'constructs';\nexport class Bucket extends c.Construct {}\n",
        'src/network/net.ts': "import { Construct as C } from 'constructs';\nexport class Net extends C {}\n",
        'src/other/reexported.ts': "export { Net as Renamed } from '../network/net';\n",
        'src/other/widget.ts': "import { Renamed } from './reexported';\nexport class Widget extends Renamed {}\n",
        'src/statements/ok.ts': "import { Partner } from '../sharing/partner';\nexport const p = Partner;\n",
        'src/statements/bad.ts': "import { Mine } from '../sharing/mine';\nexport const m = Mine;\n",
        'src/analysis/room.ts': "import { KeyPolicyDocument } from '../kms/key-policy';\nexport const k = KeyPolicyDocument;\n",
        'src/analysis/widget.ts': "import { Widget } from '../other/widget';\nexport const w = Widget;\n",
        'src/report/barrel.ts': "import { Partner } from '../sharing';\nexport const p = Partner;\n",
        'src/report/lazy.ts': "export const load = () => require('../network/net');\n",
      });
      expect([...t.constructModules()].sort()).toEqual(['src/core/base.ts', 'src/network/net.ts', 'src/other/widget.ts', 'src/s3/bucket.ts', 'src/sharing/mine.ts']);
      const found = t.check(HouseRule.FLOOR_IMPORTS_CONSTRUCT);
      expect(found.map((v) => v.file)).toEqual(['src/analysis/room.ts', 'src/analysis/widget.ts', 'src/report/barrel.ts', 'src/report/lazy.ts', 'src/statements/bad.ts']);
      expect(found[0].message).toMatch(/^src\/analysis\/room\.ts imports src\/kms\/key-policy\.ts \(in a construct room\): .*never import them.*read the resolved template or the stack's facts store instead/);
      expect(found[2].message).toContain('src/report/barrel.ts imports src/sharing/mine.ts (a construct module, through src/sharing/index.ts): ');
    });

    test('reports a file of src/checks that imports anything of ours but analysis, statements, core and checks', () => {
      const t = tree({
        'src/analysis/a.ts': 'export const a = 1;\n',
        'src/statements/s.ts': 'export const s = 1;\n',
        'src/core/c.ts': 'export const c = 1;\n',
        'src/s3/bucket.ts': 'export const b = 1;\n',
        'src/report/r.ts': 'export const r = 1;\n',
        'src/index.ts': "export * from './analysis/a';\n",
        'src/checks/rule.ts': 'export const rule = 1;\n',
        'src/checks/rules/ok.ts': "import { CfnResource } from 'aws-cdk-lib';\nimport { a } from '../../analysis/a';\nimport { s } from '../../statements/s';\nimport { c } from '../../core/c';\nimport { rule } from '../rule';\nexport const ok = [CfnResource, a, s, c, rule];\n",
        'src/checks/rules/bad.ts': "import { b } from '../../s3/bucket';\nimport { r } from '../../report/r';\nexport const bad = [b, r];\n",
        'src/checks/pack.ts': "import { a } from '..';\nexport const pack = a;\n",
      });
      const found = t.check(HouseRule.CHECKS_IMPORT_OUTSIDE_FLOOR);
      expect(found.map((v) => v.file)).toEqual(['src/checks/pack.ts', 'src/checks/rules/bad.ts']);
      expect(found[1].message).toMatch(/^src\/checks\/rules\/bad\.ts imports src\/report\/r\.ts, src\/s3\/bucket\.ts: a rule is a pure function .*move the predicate it needs into src\/analysis/);
    });

    test('reports any file under src/ importing cdk-nag (or a path inside it), not the adapter package doing so', () => {
      const t = tree({
        'src/analysis/a.ts': "import { NagRuleCompliance } from 'cdk-nag';\nexport const a = NagRuleCompliance;\n",
        'src/core/b.ts': "import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';\nexport const b = flattenCfnReference;\n",
        'src/analysis/c.ts': "import { CfnResource } from 'aws-cdk-lib';\nexport const c = CfnResource;\n",
        'src/checks/pack.ts': "import { NagPack } from 'cdk-nag';\nexport const p = NagPack;\n",
        'packages/cdk-data-protection-nag/src/index.ts': "import { NagPack } from 'cdk-nag';\nexport const p = NagPack;\n",
      });
      const found = t.check(HouseRule.SRC_IMPORTS_CDK_NAG);
      expect(found.map((v) => v.file)).toEqual(['src/analysis/a.ts', 'src/checks/pack.ts', 'src/core/b.ts']);
      expect(found[0].message).toMatch(/^src\/analysis\/a\.ts imports cdk-nag \(line 1\): .*belongs in packages\/cdk-data-protection-nag/);
    });

    test('reports src/index.ts holding anything but export-from lines', () => {
      const good = "// the public API\nexport * from './a';\nexport { B } from './b';\nexport type { C } from './c';\n";
      expect(files(tree({ 'src/index.ts': good }), HouseRule.INDEX_REEXPORTS_ONLY)).toEqual([]);
      const found = tree({ 'src/index.ts': `${good}import { x } from './a';\nexport const VERSION = '1';\nexport { x };\nx.install();\n` }).check(HouseRule.INDEX_REEXPORTS_ONLY);
      expect(found.map((v) => v.file)).toEqual(['src/index.ts']);
      expect(found[0].message).toBe(
        "src/index.ts holds more than re-exports (line 5: import { x } from './a'; line 6: export const VERSION = '1'; line 7: export { x }; line 8: x.install()): " +
          "keep only `export * from './room/file'` / `export { X } from './room/file'` lines and move the code into the file of its room",
      );
    });

    test('reports module-level registries (top-level let/var, new Map/Set/WeakMap/WeakSet, static collections), not constants or local state', () => {
      const found = tree({
        'src/state.ts': [
          'const R = new WeakMap<object, string>();',
          'let n = 0;',
          'export const S = new Set<string>() as Set<string>;',
          'var v = 1;',
          "const OK = Object.freeze(['a']);",
          'const RE = /x/;',
          'export class K {',
          '  static readonly cache = new Map<string, number>();',
          '  private readonly fine = new Map<string, number>();',
          '}',
          'export function f() {',
          '  let local = 0;',
          '  const m = new Map();',
          '  return [local++, m, OK, RE, R, n, S, v];',
          '}',
          '',
        ].join('\n'),
        'src/clean.ts': "export const LIMIT = 20_480;\nexport const NAMES: readonly string[] = Object.freeze(['a']);\n",
      }).check(HouseRule.MODULE_REGISTRY);
      expect(found.map((v) => v.file)).toEqual(['src/state.ts']);
      expect(found[0].message).toBe(
        'src/state.ts keeps module-level mutable state: top-level const R = new WeakMap (line 1), top-level let n (line 2), top-level const S = new Set (line 3), ' +
          'top-level var v (line 4), static K.cache = new Map (line 8); ' +
          "state that constructs share lives in the stack's facts store reached from the construct tree (or in a field of the construct), never in module state; constants (frozen arrays, regexes) are fine",
      );
    });

    test('fails naming every violation of the rule', () => {
      const t = tree({ 'src/a.ts': 'let a = 1;\nexport const b = a;\n', 'src/c.ts': 'export const c = 1;\n' });
      expect(() => expectHouseKeeps(t, HouseRule.MODULE_REGISTRY)).toThrow(/house rule module-registry:\n- src\/a\.ts keeps module-level mutable state: top-level let a \(line 1\)/);
      expect(() => expectHouseKeeps(t, HouseRule.IMPORT_CYCLE)).not.toThrow();
    });
  });
});
