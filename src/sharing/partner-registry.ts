import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { AccessLevel, Partner, PrefixMatch } from './partner';
import { ACCOUNT_ID, ORG_ID, ORG_PATH } from './partner-formats';
import { validatePrefix } from './partner-policy';
import { RegistrySource } from './shares';
import { throwValidationError } from '../core/errors';

/** The keys naming a partner: exactly one of them per entry. */
const KINDS = ['account', 'organization', 'organizationPaths', 'principals'] as const;

/**
 * The JSON Schema (draft-07) of a partner registry file. The same document is
 * in docs/partner-registry.schema.json, for editors (a test keeps them equal).
 *
 * @see https://json-schema.org/draft-07/schema
 */
function partnerRegistrySchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cdk-data-protection partner registry',
    description: 'an object { "partners": [ ... ] } (partners: followed by a list, in YAML)',
    type: 'object',
    additionalProperties: false,
    required: ['partners'],
    properties: {
      partners: {
        description: 'a list of partner entries',
        type: 'array',
        items: { $ref: '#/definitions/entry' },
      },
    },
    definitions: {
      entry: {
        description: 'an entry: exactly one of account, organization, organizationPaths or principals, and access',
        type: 'object',
        additionalProperties: false,
        required: ['access'],
        properties: {
          account: {
            description: 'a 12-digit AWS account id',
            type: 'string',
            pattern: ACCOUNT_ID.source,
          },
          organization: {
            description: 'an AWS Organizations id such as o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits)',
            type: 'string',
            pattern: ORG_ID.source,
          },
          organizationPaths: {
            description: 'a non-empty list of organizational unit paths',
            type: 'array',
            minItems: 1,
            items: {
              description: 'an organizational unit path such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (organization, root and OU ids, ending with / or /*)',
              type: 'string',
              pattern: ORG_PATH.source,
            },
          },
          principals: {
            description: 'a non-empty list of IAM role or user ARNs, all of one account',
            type: 'array',
            minItems: 1,
            items: {
              description: 'an IAM role or user ARN such as arn:aws:iam::333333333333:role/Reader',
              type: 'string',
              pattern: '^arn:aws[a-z-]*:iam::\\d{12}:(role|user)/',
            },
          },
          access: {
            description: 'READ, WRITE or READ_WRITE',
            enum: Object.values(AccessLevel),
          },
          prefix: {
            description: 'an object key prefix such as published/ (a folder, ending with /, unless prefixMatch is KEY_NAME)',
            type: 'string',
            minLength: 1,
          },
          prefixMatch: {
            description: 'FOLDER or KEY_NAME',
            enum: Object.values(PrefixMatch),
          },
          note: {
            description: 'free text for people: who the partner is, the ticket that approved it',
            type: 'string',
          },
        },
        oneOf: KINDS.map((k) => ({ required: [k] })),
      },
    },
  };
}

/**
 * One partner of a {@link PartnerRegistry}: who, what it may do, where, and
 * the line of the file it was read from.
 */
export interface PartnerRegistryEntry {
  /** Who: the entry's `account`, `organization`, `organizationPaths` or `principals`. */
  readonly partner: Partner;
  /** What the partner may do (`access`). */
  readonly access: AccessLevel;
  /**
   * The object key prefix the share is limited to (`prefix`); the bucket
   * policy enforces it (a key policy cannot narrow to a prefix).
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /**
   * What `prefix` matches (`prefixMatch`).
   *
   * @default PrefixMatch.FOLDER
   */
  readonly prefixMatch?: PrefixMatch;
  /**
   * The entry's `note`, shown in the access report.
   *
   * @default - no note
   */
  readonly note?: string;
  /** The file the entry was read from (as `PartnerRegistry.source` names it). */
  readonly source: string;
  /** The line of the entry in the file, from 1. */
  readonly line: number;
  /** The entry's index in `partners`, from 0. */
  readonly index: number;
}

/**
 * The partners of a bucket or key, read from a reviewed file instead of typed
 * into code: a JSON or YAML document `{ "partners": [ ... ] }` whose entries
 * each name one partner (`account`, `organization`, `organizationPaths` or
 * `principals`), its `access` (`READ`, `WRITE` or `READ_WRITE`, written
 * exactly so), and optionally a `prefix`, a `prefixMatch` (`FOLDER` or
 * `KEY_NAME`) and a `note`.
 *
 * The file is checked against its JSON Schema (docs/partner-registry.schema.json)
 * and by the `Partner` factories; every bad entry is reported at once, in one
 * error, each with its line and index. The same partner twice under the same
 * prefix is an error too.
 *
 * Give it to `EncryptedBucket.shareWithRegistry` or
 * `CrossAccountSharedKey.grantRegistry`; the access report names the entry
 * (file, line, note) behind each share.
 *
 * @example
 * const registry = PartnerRegistry.fromFile('partners.yaml');
 * new EncryptedBucket(this, 'Exchange').shareWithRegistry(registry);
 */
export class PartnerRegistry {
  /**
   * Reads a registry file: JSON when its name ends with `.json`, YAML when it
   * ends with `.yaml` or `.yml`, otherwise JSON when its text starts with `{`,
   * else YAML.
   *
   * A relative path is read from the working directory (where `cdk synth`
   * runs). Messages and the access report name the file by that relative
   * path, or, for an absolute path under the working directory, by its path
   * relative to it (so reports are the same on every machine).
   *
   * @param filePath the registry file, e.g. `partners.yaml`
   * @throws if the file does not exist or cannot be read, or as `fromJson` and `fromYaml` do
   */
  public static fromFile(filePath: string): PartnerRegistry {
    if (typeof filePath !== 'string' || filePath.length === 0) {
      throwValidationError('InvalidPartnerRegistry', `PartnerRegistry.fromFile(filePath) needs the path of a registry file such as 'partners.yaml', got ${JSON.stringify(filePath) ?? String(filePath)}`);
    }
    const resolved = path.resolve(filePath);
    const relative = path.relative(process.cwd(), resolved);
    const named = (path.isAbsolute(filePath) && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath).split(path.sep).join('/');
    if (!fs.existsSync(resolved)) {
      throwValidationError(
        'InvalidPartnerRegistry',
        `PartnerRegistry.fromFile: there is no file ${JSON.stringify(filePath)} (looked for ${resolved}, from the working directory ${process.cwd()}). ` +
          "Give a path relative to where cdk synth runs, or an absolute one (path.join(__dirname, 'partners.yaml')).",
      );
    }
    let text: string;
    try {
      text = fs.readFileSync(resolved, 'utf8');
    } catch (e) {
      return throwValidationError('InvalidPartnerRegistry', `PartnerRegistry.fromFile: cannot read ${JSON.stringify(filePath)}: ${(e as Error).message}`);
    }
    const ext = path.extname(filePath).toLowerCase();
    const json = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && text.trimStart().startsWith('{'));
    return json ? PartnerRegistry.fromJson(text, named) : PartnerRegistry.fromYaml(text, named);
  }

  /**
   * Reads a registry from JSON text (strict JSON: no comments, no trailing commas).
   *
   * @param text the JSON document `{ "partners": [ ... ] }`
   * @param sourceName what messages and the access report call the text, e.g. the file it came from; `(JSON text)` when not given
   * @throws if the text is not JSON (with the parser's line), if an entry breaks the schema or a `Partner` factory refuses it (every bad entry at once, with its line and index), or if the same partner appears twice under the same prefix
   */
  public static fromJson(text: string, sourceName?: string): PartnerRegistry {
    const source = sourceName ?? '(JSON text)';
    requireText('fromJson', text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      return fail(source, [`${source} line ${lineOfOffset(text, jsonErrorOffset(text))}: not valid JSON: ${message}`]);
    }
    return PartnerRegistry.read(text, source, value);
  }

  /**
   * Reads a registry from YAML text (YAML 1.2; JSON is YAML too). Values are
   * read as written: `account: 012345678901` needs no quotes and keeps its
   * leading zero.
   *
   * @param text the YAML document with a `partners` list
   * @param sourceName what messages and the access report call the text, e.g. the file it came from; `(YAML text)` when not given
   * @throws as `fromJson` does, with the YAML parser's line for malformed YAML
   */
  public static fromYaml(text: string, sourceName?: string): PartnerRegistry {
    const source = sourceName ?? '(YAML text)';
    requireText('fromYaml', text);
    return PartnerRegistry.read(text, source, undefined);
  }

  /**
   * The registry file's JSON Schema (draft-07), as docs/partner-registry.schema.json holds it.
   *
   * @internal
   */
  public static _schema(): Record<string, unknown> {
    return partnerRegistrySchema();
  }

  /**
   * Where an entry is, for messages: `partners.yaml line 7 (partners[2])`.
   *
   * @internal
   */
  public static _where(entry: PartnerRegistryEntry): string {
    return `${entry.source} line ${entry.line} (partners[${entry.index}])`;
  }

  /**
   * The entry as the facts store records it for the access report.
   *
   * @internal
   */
  public static _sourceOf(entry: PartnerRegistryEntry): RegistrySource {
    return { file: entry.source, line: entry.line, index: entry.index, note: entry.note };
  }

  /** Parses (keeping positions), validates and builds the entries: `value` is the JSON.parse result for JSON. */
  private static read(text: string, source: string, jsonValue: unknown): PartnerRegistry {
    const lines = new LineCounter();
    // failsafe for YAML: every scalar is a string as written (an account id keeps its leading zeros)
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, ...(jsonValue === undefined ? { schema: 'failsafe' } : {}) });
    if (doc.errors.length > 0) {
      const where = (offset: number) => lines.linePos(offset).line;
      return fail(
        source,
        doc.errors.map((e) => `${source} line ${where(e.pos[0])}: not valid ${jsonValue === undefined ? 'YAML' : 'JSON'}: ${e.message.split('\n')[0]}`),
      );
    }
    const value = jsonValue === undefined ? doc.toJS() : jsonValue;
    const locate = new Locator(doc.contents, lines);

    const ajv = new Ajv({ allErrors: true, verbose: true, strictRequired: false });
    const validate = ajv.compile(partnerRegistrySchema());
    const problems: Problem[] = [];
    const badEntries = new Set<number>();
    if (!validate(value)) {
      for (const e of validate.errors ?? []) {
        const problem = schemaProblem(e, value, locate);
        if (problem) {
          problems.push(problem);
          const m = /^\/partners\/(\d+)/.exec(e.instancePath);
          if (m) badEntries.add(Number(m[1]));
        }
      }
    }
    const entries: PartnerRegistryEntry[] = [];
    const list: unknown[] = isObject(value) && Array.isArray(value.partners) ? value.partners : [];
    list.forEach((raw, index) => {
      if (badEntries.has(index) || !isObject(raw)) return;
      const entry = buildEntry(raw, index, source, locate, problems);
      if (entry) entries.push(entry);
    });
    problems.push(...duplicateProblems(entries));
    if (problems.length > 0) {
      problems.sort((a, b) => a.line - b.line || a.where.localeCompare(b.where));
      return fail(source, problems.map((p) => `${source} line ${p.line} (${p.where}): ${p.message}`));
    }
    return new PartnerRegistry(source, entries);
  }

  /** The file the registry was read from (see `fromFile`), or the name given with the text. */
  public readonly source: string;
  /** The partners, in the order of the file. */
  public readonly entries: PartnerRegistryEntry[];

  private constructor(source: string, entries: PartnerRegistryEntry[]) {
    this.source = source;
    this.entries = entries;
  }
}

/** One bad value of the file. */
interface Problem {
  readonly line: number;
  /** The value's path, e.g. `partners[2].account`. */
  readonly where: string;
  readonly message: string;
}

/** Finds the line of a value of the parsed document by its path. */
class Locator {
  constructor(
    private readonly root: unknown,
    private readonly lines: LineCounter,
  ) {}

  /** The node at `segments` (keys and indexes), or the deepest one found on the way. */
  public node(segments: Array<string | number>): Node | undefined {
    let node: unknown = this.root;
    for (const s of segments) {
      const next = isMap(node) ? node.get(s, true) : isSeq(node) ? node.get(Number(s), true) : undefined;
      if (next === undefined) break;
      node = next;
    }
    return node as Node | undefined;
  }

  /** The line of the value at `segments`, or of the key `key` in the map there. */
  public line(segments: Array<string | number>, key?: string): number {
    const node = this.node(segments);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      const k = pair?.key as Node | undefined;
      if (k?.range) return this.lines.linePos(k.range[0]).line;
    }
    return node?.range ? this.lines.linePos(node.range[0]).line : 1;
  }
}

/** The path segments of an ajv instance path: `/partners/2/account` → `['partners', 2, 'account']`. */
function segmentsOf(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `['partners', 2, 'account']` → `partners[2].account`. */
function shownPath(segments: Array<string | number>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || 'the document';
}

/** A schema error as people read it, or undefined for those another error says better. */
function schemaProblem(e: ErrorObject, value: unknown, locate: Locator): Problem | undefined {
  const segments = segmentsOf(e.instancePath);
  const where = shownPath(segments);
  const at = (key?: string) => locate.line(segments, key);
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  // the branches of the one-kind rule: said once, by the oneOf error below
  if (e.schemaPath.includes('/oneOf/')) return undefined;
  switch (e.keyword) {
    case 'oneOf': {
      const entry = isObject(e.data) ? e.data : {};
      const given = KINDS.filter((k) => entry[k] !== undefined);
      return {
        line: at(),
        where,
        message:
          given.length === 0
            ? `names no partner: give exactly one of ${KINDS.join(', ')}`
            : `names ${given.length} kinds of partner (${given.join(' and ')}): an entry names exactly one; split it into one entry per kind`,
      };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      if (segments.length === 0 && !isObject(value)) return undefined;
      return {
        line: at(),
        where,
        message:
          missing === 'partners'
            ? 'has no "partners": a registry is { "partners": [ ... ] } (partners: followed by a list, in YAML)'
            : `has no "${missing}": give ${missing}: READ, WRITE or READ_WRITE`,
      };
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      return {
        line: at(key),
        where: shownPath([...segments, key]),
        message: `unknown key "${key}"${suggestion(key, known)}: ${segments.length === 0 ? 'a registry holds only' : 'an entry takes'} ${known.join(', ')}`,
      };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const upper = typeof e.data === 'string' ? e.data.toUpperCase().replace(/[- ]/g, '_') : undefined;
      const hint = upper !== undefined && allowed.includes(upper) ? ` (written exactly so: ${upper})` : '';
      return { line: at(), where, message: `must be one of ${allowed.join(', ')}, got ${shown(e.data)}${hint}` };
    }
    case 'type':
    case 'pattern':
      return {
        line: at(),
        where,
        message: `must be ${description ?? (e.params as { type?: string }).type ?? e.message}, got ${shown(e.data)}${typeof e.data === 'number' ? ` (a string: "${e.data}")` : ''}`,
      };
    case 'minItems':
      return { line: at(), where, message: `must be ${description ?? 'a non-empty list'}, got an empty list` };
    case 'minLength':
      return { line: at(), where, message: `must not be empty${description ? `: ${description}` : ''}` };
    default:
      return { line: at(), where, message: e.message ?? e.keyword };
  }
}

/** The entry of a value the schema accepted, checked by the `Partner` factories and the prefix rules; problems go to `problems`. */
function buildEntry(raw: Record<string, any>, index: number, source: string, locate: Locator, problems: Problem[]): PartnerRegistryEntry | undefined {
  const kind = KINDS.find((k) => raw[k] !== undefined)!;
  const here = ['partners', index];
  let ok = true;
  const attempt = <T>(key: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      ok = false;
      const message = String((e as Error).message ?? e)
        .replace(/^Partner\.\w+\([^)]*\)\s*(:\s*)?/, '')
        .replace(/^prefix /, '')
        .replace(/PrefixMatch\.KEY_NAME/g, 'KEY_NAME');
      problems.push({ line: locate.line([...here, key]), where: shownPath([...here, key]), message });
      return undefined;
    }
  };
  const partner = attempt(kind, () => {
    switch (kind) {
      case 'account':
        return Partner.account(raw.account);
      case 'organization':
        return Partner.organization(raw.organization);
      case 'organizationPaths':
        return Partner.organizationPaths(raw.organizationPaths);
      default:
        return Partner.principals(raw.principals);
    }
  });
  if (raw.prefix !== undefined) {
    attempt('prefix', () => validatePrefix('prefix', raw.prefix, undefined, raw.prefixMatch ?? PrefixMatch.FOLDER, 'prefixMatch'));
  } else if (raw.prefixMatch !== undefined) {
    ok = false;
    problems.push({ line: locate.line([...here, 'prefixMatch']), where: shownPath([...here, 'prefixMatch']), message: 'is given without a prefix: give the prefix it applies to, or remove it' });
  }
  if (!ok || !partner) return undefined;
  return {
    partner,
    access: raw.access as AccessLevel,
    prefix: raw.prefix,
    prefixMatch: raw.prefix !== undefined ? (raw.prefixMatch as PrefixMatch | undefined) : undefined,
    note: raw.note,
    source,
    line: locate.line(here),
    index,
  };
}

/** The same partner twice under the same prefix: with two access levels, or the same one repeated. */
function duplicateProblems(entries: PartnerRegistryEntry[]): Problem[] {
  const first = new Map<string, PartnerRegistryEntry>();
  const problems: Problem[] = [];
  for (const e of entries) {
    const key = JSON.stringify([e.partner._identity(), e.prefix ?? null, e.prefix !== undefined ? e.prefixMatch ?? PrefixMatch.FOLDER : null]);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, e);
      continue;
    }
    const under = e.prefix !== undefined ? `under ${e.prefix}` : 'on the whole bucket';
    problems.push({
      line: e.line,
      where: `partners[${e.index}]`,
      message:
        earlier.access === e.access
          ? `repeats partners[${earlier.index}] (line ${earlier.line}): ${e.partner} with ${e.access} ${under} is already there; remove one of them`
          : `gives ${e.partner} ${e.access} ${under}, and partners[${earlier.index}] (line ${earlier.line}) gives it ${earlier.access}: one entry per partner and prefix; keep one, with the access it needs (READ_WRITE for both)`,
    });
  }
  return problems;
}

/** Close to a known key (one edit, or a case slip): ` (did you mean "x"?)`. */
function suggestion(key: string, known: string[]): string {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
  return near ? ` (did you mean "${near}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function requireText(method: string, text: string): void {
  if (typeof text !== 'string') {
    throwValidationError('InvalidPartnerRegistry', `PartnerRegistry.${method}(text) needs the registry's text as a string, got ${JSON.stringify(text) ?? String(text)}`);
  }
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shown(v: unknown): string {
  return v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : isObject(v) ? 'an object' : JSON.stringify(v);
}

/**
 * Where JSON.parse stopped: the offset of the first character that is not
 * JSON (its own messages do not always give a position).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const stop = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : stop());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) stop();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) stop();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) {stop();}
      }
      i++;
    }
    if (i >= text.length) stop();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') stop();
        string();
        ws();
        if (text[i] !== ':') stop();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else stop();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else stop();
      }
    } else if (c === '"') {
      string();
    } else if (c === 't') {
      literal('true');
    } else if (c === 'f') {
      literal('false');
    } else if (c === 'n') {
      literal('null');
    } else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) stop();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return offset as number;
  }
}

function lineOfOffset(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Throws the one error listing every problem of the registry. */
function fail(source: string, problems: string[]): never {
  return throwValidationError(
    'InvalidPartnerRegistry',
    `The partner registry ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them all'} and synthesize again:\n- ${problems.join('\n- ')}`,
  );
}
