/**
 * The rules of the house (STYLE.md, issue 11), read from the sources with the
 * TypeScript compiler API: the import graph of `src/`, the classes each file
 * declares and what they extend, the top-level declarations.
 *
 * Only syntax is read (no type checker, no aws-cdk-lib types): a file is a
 * construct module when it declares a class extending `Construct` of the
 * `constructs` package, directly or through classes of our own (followed
 * across files and re-exports). Test support only; nothing here is shipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The rules, by id. */
export enum HouseRule {
  /** No import circle among the files of src/. */
  IMPORT_CYCLE = 'import-cycle',
  /** src/analysis, src/statements and src/report import no construct module and nothing of src/s3, src/kms, src/network. */
  FLOOR_IMPORTS_CONSTRUCT = 'floor-imports-construct',
  /** src/checks imports of ours only src/analysis, src/statements, src/core and src/checks. */
  CHECKS_IMPORT_OUTSIDE_FLOOR = 'checks-import-outside-floor',
  /** Nothing under src/ (the constructs' package) imports cdk-nag: the adapter is packages/cdk-data-protection-nag. */
  SRC_IMPORTS_CDK_NAG = 'src-imports-cdk-nag',
  /** src/index.ts holds nothing but `export * from` / `export { … } from`. */
  INDEX_REEXPORTS_ONLY = 'index-reexports-only',
  /** No module-level mutable registry: no top-level `let`/`var`, no top-level (or static) `new Map/Set/WeakMap/WeakSet`. */
  MODULE_REGISTRY = 'module-registry',
}

export interface Violation {
  readonly rule: HouseRule;
  /** The offending file, relative to the root (`src/kms/key-registry.ts`); for a circle, the circle as a path. */
  readonly file: string;
  /** What is wrong and what to do, in one sentence. */
  readonly message: string;
}

interface Import {
  readonly specifier: string;
  /** Our file it resolves to (relative to the root), if it is one of ours. */
  readonly target?: string;
  readonly line: number;
}

interface Binding {
  /** `constructs`, `aws-cdk-lib/aws-iam`, or our file (relative to the root). */
  readonly from: string;
  /** The exported name, or `*` for a namespace import. */
  readonly name: string;
}

interface ClassFacts {
  readonly name: string;
  readonly extends?: ts.ExpressionWithTypeArguments;
}

export interface FileFacts {
  readonly file: string;
  readonly source: ts.SourceFile;
  readonly imports: Import[];
  readonly bindings: Map<string, Binding>;
  readonly classes: Map<string, ClassFacts>;
  /** `export { a as b } from './x'`: b -> binding of a in ./x. */
  readonly reexports: Map<string, Binding>;
  /** `export * from './x'` targets. */
  readonly starExports: string[];
  /** Whether every statement is an `export … from` (a barrel). */
  readonly barrel: boolean;
}

const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
const ROOMS_BELOW_NOTHING = ['src/analysis/', 'src/statements/', 'src/report/'];
const CONSTRUCT_ROOMS = ['src/s3/', 'src/kms/', 'src/network/'];
const CHECKS_MAY_IMPORT = ['src/analysis/', 'src/statements/', 'src/core/', 'src/checks/'];

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

function isUnder(file: string, dirs: string[]): boolean {
  return dirs.some((d) => file.startsWith(d));
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The source files of `src/` under `root`, read once. */
export class SourceTree {
  public static read(root: string, dir = 'src'): SourceTree {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(posix(path.relative(root, full)));
      }
    };
    walk(path.join(root, dir));
    return new SourceTree(root, files.sort());
  }

  public readonly files = new Map<string, FileFacts>();
  private readonly constructCache = new Map<string, boolean>();

  private constructor(
    private readonly root: string,
    names: string[],
  ) {
    const known = new Set(names);
    for (const file of names) {
      this.files.set(file, this.parse(file, known));
    }
  }

  /** The files that declare a class extending Construct (directly or through our own classes). */
  public constructModules(): Set<string> {
    const out = new Set<string>();
    for (const [file, facts] of this.files) {
      for (const name of facts.classes.keys()) {
        if (this.isConstructClass(file, name, new Set())) out.add(file);
      }
    }
    return out;
  }

  /**
   * Our files a file imports, each with the barrel it came through: an import
   * of a barrel (a file of `export … from` lines only) counts as an import of
   * what the barrel re-exports.
   */
  public effectiveTargets(file: string): Map<string, string | undefined> {
    const out = new Map<string, string | undefined>();
    const visit = (target: string, via: string | undefined, seen: Set<string>) => {
      if (seen.has(target)) return;
      seen.add(target);
      if (!out.has(target) || out.get(target) !== undefined) out.set(target, via);
      const facts = this.files.get(target);
      if (facts?.barrel) {
        for (const i of facts.imports) if (i.target) visit(i.target, via ?? target, seen);
      }
    };
    for (const i of this.files.get(file)!.imports) if (i.target) visit(i.target, undefined, new Set());
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
  }

  public check(rule: HouseRule): Violation[] {
    switch (rule) {
      case HouseRule.IMPORT_CYCLE:
        return this.cycles();
      case HouseRule.FLOOR_IMPORTS_CONSTRUCT:
        return this.floorImports();
      case HouseRule.CHECKS_IMPORT_OUTSIDE_FLOOR:
        return this.checksImports();
      case HouseRule.SRC_IMPORTS_CDK_NAG:
        return this.srcCdkNag();
      case HouseRule.INDEX_REEXPORTS_ONLY:
        return this.indexReexports();
      case HouseRule.MODULE_REGISTRY:
        return this.registries();
    }
  }

  public checkAll(): Violation[] {
    return Object.values(HouseRule).flatMap((r) => this.check(r));
  }

  // --- the rules -----------------------------------------------------------

  private cycles(): Violation[] {
    const edges = new Map<string, string[]>();
    for (const [file, facts] of this.files) {
      edges.set(file, [...new Set(facts.imports.map((i) => i.target).filter((t): t is string => t !== undefined))].sort());
    }
    const out: Violation[] = [];
    for (const component of stronglyConnected(edges)) {
      const start = component[0];
      const members = new Set(component);
      const isCycle = component.length > 1 || edges.get(start)!.includes(start);
      if (!isCycle) continue;
      const cycle = shortestCycle(start, edges, members);
      const route = cycle.join(' -> ');
      out.push({
        rule: HouseRule.IMPORT_CYCLE,
        file: route,
        message:
          `import circle ${route}` +
          (component.length > cycle.length - 1 ? ` (files in the same knot: ${component.join(', ')})` : '') +
          ': arrows point down (constructs -> statements -> analysis); move what both sides need into the lower file, or into the stack\'s facts store',
      });
    }
    return out;
  }

  private floorImports(): Violation[] {
    const constructs = this.constructModules();
    const out: Violation[] = [];
    for (const file of this.files.keys()) {
      if (!isUnder(file, ROOMS_BELOW_NOTHING)) continue;
      const bad = [...this.effectiveTargets(file)].filter(([t]) => constructs.has(t) || isUnder(t, CONSTRUCT_ROOMS));
      if (bad.length === 0) continue;
      const named = bad.map(([t, via]) => `${t} (${constructs.has(t) ? 'a construct module' : 'in a construct room'}${via ? `, through ${via}` : ''})`);
      out.push({
        rule: HouseRule.FLOOR_IMPORTS_CONSTRUCT,
        file,
        message:
          `${file} imports ${named.join(', ')}: src/analysis, src/statements and src/report sit below the constructs and never import them ` +
          '(nor anything of src/s3, src/kms, src/network); read the resolved template or the stack\'s facts store instead, or move the shared code down into src/analysis or src/statements',
      });
    }
    return out;
  }

  private checksImports(): Violation[] {
    const out: Violation[] = [];
    for (const [file, facts] of this.files) {
      if (!file.startsWith('src/checks/')) continue;
      const ours = facts.imports.map((i) => i.target).filter((t): t is string => t !== undefined);
      const bad = [...new Set(ours.filter((t) => !isUnder(t, CHECKS_MAY_IMPORT)))].sort();
      if (bad.length === 0) continue;
      out.push({
        rule: HouseRule.CHECKS_IMPORT_OUTSIDE_FLOOR,
        file,
        message:
          `${file} imports ${bad.join(', ')}: a rule is a pure function of resolved resources and imports of ours only src/analysis, src/statements, src/core and src/checks; ` +
          'move the predicate it needs into src/analysis',
      });
    }
    return out;
  }

  private srcCdkNag(): Violation[] {
    const out: Violation[] = [];
    for (const [file, facts] of this.files) {
      if (!file.startsWith('src/')) continue;
      const nag = facts.imports.filter((i) => i.target === undefined && packageOf(i.specifier) === 'cdk-nag');
      if (nag.length === 0) continue;
      out.push({
        rule: HouseRule.SRC_IMPORTS_CDK_NAG,
        file,
        message: `${file} imports cdk-nag (line ${nag.map((i) => i.line).join(', ')}): the constructs' package does not depend on cdk-nag, so it builds in every jsii language; rules return RuleCompliance (src/checks/enums.ts), and cdk-nag code belongs in packages/cdk-data-protection-nag`,
      });
    }
    return out;
  }

  private indexReexports(): Violation[] {
    const facts = this.files.get('src/index.ts');
    if (!facts) return [];
    const bad = facts.source.statements.filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined));
    if (bad.length === 0) return [];
    const shown = bad.map((s) => `line ${lineOf(facts.source, s)}: ${s.getText(facts.source).split('\n')[0].slice(0, 80).replace(/;$/, '')}`);
    return [
      {
        rule: HouseRule.INDEX_REEXPORTS_ONLY,
        file: 'src/index.ts',
        message: `src/index.ts holds more than re-exports (${shown.join('; ')}): keep only \`export * from './room/file'\` / \`export { X } from './room/file'\` lines and move the code into the file of its room`,
      },
    ];
  }

  private registries(): Violation[] {
    const out: Violation[] = [];
    for (const [file, facts] of this.files) {
      const found: string[] = [];
      for (const s of facts.source.statements) {
        if (ts.isVariableStatement(s)) {
          const keyword = s.declarationList.getFirstToken(facts.source)?.kind;
          const mutable = keyword === ts.SyntaxKind.LetKeyword || keyword === ts.SyntaxKind.VarKeyword;
          for (const d of s.declarationList.declarations) {
            const name = d.name.getText(facts.source);
            const kind = collectionOf(d.initializer);
            if (mutable) found.push(`top-level ${keyword === ts.SyntaxKind.LetKeyword ? 'let' : 'var'} ${name} (line ${lineOf(facts.source, d)})`);
            else if (kind) found.push(`top-level const ${name} = new ${kind} (line ${lineOf(facts.source, d)})`);
          }
        }
        if (ts.isClassDeclaration(s)) {
          for (const m of s.members) {
            const isStatic = ts.isPropertyDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
            const kind = isStatic ? collectionOf((m as ts.PropertyDeclaration).initializer) : undefined;
            if (kind) found.push(`static ${s.name?.text ?? '<class>'}.${m.name!.getText(facts.source)} = new ${kind} (line ${lineOf(facts.source, m)})`);
          }
        }
      }
      if (found.length === 0) continue;
      out.push({
        rule: HouseRule.MODULE_REGISTRY,
        file,
        message:
          `${file} keeps module-level mutable state: ${found.join(', ')}; state that constructs share lives in the stack's facts store reached from the construct tree ` +
          '(or in a field of the construct), never in module state; constants (frozen arrays, regexes) are fine',
      });
    }
    return out;
  }

  // --- reading --------------------------------------------------------------

  private isConstructClass(file: string, name: string, seen: Set<string>): boolean {
    const key = `${file}#${name}`;
    const cached = this.constructCache.get(key);
    if (cached !== undefined) return cached;
    if (seen.has(key)) return false;
    seen.add(key);
    const result = this.computeIsConstruct(file, name, seen);
    this.constructCache.set(key, result);
    return result;
  }

  private computeIsConstruct(file: string, name: string, seen: Set<string>): boolean {
    const facts = this.files.get(file);
    if (!facts) return false;
    const cls = facts.classes.get(name);
    if (!cls) {
      // not declared here: follow `export { name } from` and `export * from`
      const re = facts.reexports.get(name);
      if (re) return this.bindingIsConstruct(re, seen);
      return facts.starExports.some((t) => this.isConstructClass(t, name, seen));
    }
    if (!cls.extends) return false;
    const e = cls.extends.expression;
    if (ts.isIdentifier(e)) {
      if (facts.classes.has(e.text)) return this.isConstructClass(file, e.text, seen);
      const b = facts.bindings.get(e.text);
      return b !== undefined && this.bindingIsConstruct(b, seen);
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
      const ns = facts.bindings.get(e.expression.text);
      return ns !== undefined && ns.name === '*' && this.bindingIsConstruct({ from: ns.from, name: e.name.text }, seen);
    }
    return false;
  }

  private bindingIsConstruct(b: Binding, seen: Set<string>): boolean {
    if (b.from === 'constructs') return b.name === 'Construct';
    return this.files.has(b.from) && b.name !== '*' && this.isConstructClass(b.from, b.name, seen);
  }

  private resolve(from: string, specifier: string, known: Set<string>): string | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = posix(path.normalize(path.join(path.dirname(from), specifier))).replace(/\.js$/, '');
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
      if (known.has(candidate)) return candidate;
    }
    return undefined;
  }

  private parse(file: string, known: Set<string>): FileFacts {
    const text = fs.readFileSync(path.join(this.root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const imports: Import[] = [];
    const bindings = new Map<string, Binding>();
    const classes = new Map<string, ClassFacts>();
    const reexports = new Map<string, Binding>();
    const starExports: string[] = [];
    const add = (specifier: string, node: ts.Node): string => {
      const target = this.resolve(file, specifier, known);
      imports.push({ specifier, target, line: lineOf(source, node) });
      return target ?? specifier;
    };
    for (const s of source.statements) {
      if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) {
        const from = add(s.moduleSpecifier.text, s);
        const clause = s.importClause;
        if (clause?.name) bindings.set(clause.name.text, { from, name: 'default' });
        const nb = clause?.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) bindings.set(nb.name.text, { from, name: '*' });
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) bindings.set(el.name.text, { from, name: (el.propertyName ?? el.name).text });
        }
      } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
        const from = add(s.moduleSpecifier.text, s);
        if (!s.exportClause) {
          starExports.push(from);
        } else if (ts.isNamedExports(s.exportClause)) {
          for (const el of s.exportClause.elements) reexports.set(el.name.text, { from, name: (el.propertyName ?? el.name).text });
        }
      } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference)) {
        const ref = s.moduleReference.expression;
        const from = add(ts.isStringLiteral(ref) ? ref.text : ref.getText(source), s);
        bindings.set(s.name.text, { from, name: '*' });
      } else if (ts.isClassDeclaration(s) && s.name) {
        const heritage = s.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
        classes.set(s.name.text, { name: s.name.text, extends: heritage?.types[0] });
      }
    }
    // require('x') and import('x') anywhere in the file
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
        const callee = node.expression;
        if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
          add((node.arguments[0] as ts.StringLiteral).text, node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    const barrel = source.statements.length > 0 && source.statements.every((s) => ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined);
    return { file, source, imports, bindings, classes, reexports, starExports, barrel };
  }
}

/** Every violation of the rules under `root` (the repository, or a fixture tree with a `src/` folder). */
export function checkHouse(root: string): Violation[] {
  return SourceTree.read(root).checkAll();
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/** `Map` when the initializer is `new Map(...)` (through parentheses, `as`, `satisfies` and `!`). */
function collectionOf(init: ts.Expression | undefined): string | undefined {
  let e = init;
  type Wrapper = ts.ParenthesizedExpression | ts.AsExpression | ts.SatisfiesExpression | ts.NonNullExpression | ts.TypeAssertion;
  const wrapped = (x: ts.Expression): x is Wrapper =>
    ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x) || ts.isNonNullExpression(x) ||
    ts.isTypeAssertionExpression(x);
  while (e && wrapped(e)) {
    e = e.expression;
  }
  if (e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && COLLECTIONS.has(e.expression.text)) return e.expression.text;
  return undefined;
}

/** Tarjan's strongly connected components; each component sorted, components in order of their first file. */
function stronglyConnected(edges: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!indices.has(v)) connect(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest circle from `start` back to itself inside `members` (breadth first, neighbours in order): `[start, ..., start]`. */
function shortestCycle(start: string, edges: Map<string, string[]>, members: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const route = [start];
        for (let x: string | undefined = v; x !== undefined && x !== start; x = previous.get(x)) route.splice(1, 0, x);
        return [...route, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
