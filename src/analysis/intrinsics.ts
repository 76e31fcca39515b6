import { isObject } from './template';

/**
 * What one reading of resolved CloudFormation (what `Stack.resolve` returns)
 * makes of each part of it, `T` being what it produces. {@link walkIntrinsics}
 * visits each part once, walks the arguments an intrinsic's hook reads, and
 * hands the hook their results. A mode leaves out the hooks of what it does
 * not read; {@link IntrinsicMode.unknown} then stands for that part, as it
 * does for an intrinsic in a shape CloudFormation does not accept.
 *
 * The modes: `flatten` (a string for matching, `policy.ts`),
 * `substituteIntrinsics` (values of deployed length for the policy size,
 * `size.ts`), `displayJson` (warnings, `display-json.ts`) and the access
 * report's `Display` (`report/display.ts`).
 */
export interface IntrinsicMode<T> {
  /**
   * Whether `${Name}` in a `Fn::Sub` is read as a reference to `Name` even
   * when the variable map gives `Name` a value.
   * @default false - a mapped variable is its walked value
   */
  readonly ignoresSubVariableMap?: boolean;

  /** A part that is neither a list nor an object: a string, number, boolean or null. */
  literal(value: unknown): T;
  /** A list, its items walked. Without this hook a list is `unknown()`. */
  list?(items: T[]): T;
  /** An object that is no intrinsic, its values walked (a new object, the mode's to change). Without this hook it is `unknown()`. */
  object?(values: Record<string, T>): T;
  /** `{ Ref: name }`: a pseudo parameter (`AWS::AccountId`) or a resource or parameter; also `${name}` in a `Fn::Sub`. */
  ref(name: string): T;
  /** `{ Fn::GetAtt: [logicalId, attribute] }` or `'logicalId.attribute'`; also `${logicalId.attribute}` in a `Fn::Sub`. */
  getAtt(logicalId: string, attribute: string): T;
  /**
   * `{ Fn::Join: [separator, parts] }`: the parts walked one by one when they
   * are a list, or the walked value standing for the list (a `Ref` to a list
   * parameter, a `Fn::Split`...).
   */
  join(separator: string, parts: T[] | T): T;
  /**
   * `{ Fn::Sub: template }` or `[template, variables]`, cut like a tagged
   * template: `literals[i]` is the text before `values[i]`, so there is one
   * more literal than values. `${!Literal}` is kept as written.
   */
  sub?(literals: string[], values: T[]): T;
  /** `{ Fn::Select: [index, list] }`, the list walked; `index` as written. */
  select?(index: unknown, list: T): T;
  /** `{ Fn::Split: [separator, source] }`, the source walked. */
  split?(separator: string, source: T): T;
  /** `{ Fn::If: [condition, ifTrue, ifFalse] }`, each option walked. */
  if?(condition: string, options: T[]): T;
  /** `{ Fn::ImportValue: name }`, the name walked. */
  importValue?(name: T): T;
  /**
   * What the mode has no hook for or CloudFormation would not accept: the
   * intrinsic `fn`, or (without `fn`) a list or object when the mode reads none.
   */
  unknown(fn?: string): T;
}

/** `${Name}` and `${Resource.Attribute}` in a `Fn::Sub` template (not `${!Literal}`). */
const SUB_VARIABLE = /\$\{([^}!]+)\}/g;

/**
 * Reads a resolved CloudFormation value with `mode`, visiting each part once:
 * lists, objects, `Ref` (pseudo parameters included), `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If`,
 * `Fn::ImportValue`; any other `Fn::` is `mode.unknown(fn)`.
 */
export function walkIntrinsics<T>(value: unknown, mode: IntrinsicMode<T>): T {
  const walk = (v: unknown): T => {
    if (Array.isArray(v)) {
      return mode.list ? mode.list(v.map(walk)) : mode.unknown();
    }
    if (typeof v !== 'object' || v === null) {
      return mode.literal(v);
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return intrinsic(keys[0], o[keys[0]]);
    }
    if (!mode.object) {
      return mode.unknown();
    }
    const values: Record<string, T> = {};
    for (const k of keys) {
      values[k] = walk(o[k]);
    }
    return mode.object(values);
  };

  const variable = (name: string, variables: Record<string, unknown> | undefined): T => {
    if (variables !== undefined && !mode.ignoresSubVariableMap && Object.prototype.hasOwnProperty.call(variables, name)) {
      return walk(variables[name]);
    }
    const dot = name.indexOf('.');
    return dot < 0 ? mode.ref(name) : mode.getAtt(name.slice(0, dot), name.slice(dot + 1));
  };

  const intrinsic = (fn: string, arg: any): T => {
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? mode.ref(arg) : mode.unknown(fn);
      case 'Fn::GetAtt': {
        const att = getAttArguments(arg);
        return att ? mode.getAtt(att[0], att[1]) : mode.unknown(fn);
      }
      case 'Fn::Join':
        if (Array.isArray(arg) && typeof arg[0] === 'string') {
          return mode.join(arg[0], Array.isArray(arg[1]) ? arg[1].map(walk) : walk(arg[1]));
        }
        break;
      case 'Fn::Sub': {
        const [template, variables] = typeof arg === 'string' ? [arg, undefined] : Array.isArray(arg) ? arg : [];
        if (mode.sub && typeof template === 'string' && (variables === undefined || isObject(variables))) {
          const literals: string[] = [];
          const values: T[] = [];
          let last = 0;
          for (const m of template.matchAll(SUB_VARIABLE)) {
            literals.push(template.slice(last, m.index));
            values.push(variable(m[1], variables));
            last = m.index! + m[0].length;
          }
          literals.push(template.slice(last));
          return mode.sub(literals, values);
        }
        break;
      }
      case 'Fn::Select':
        if (mode.select && Array.isArray(arg)) {
          return mode.select(arg[0], walk(arg[1]));
        }
        break;
      case 'Fn::Split':
        if (mode.split && Array.isArray(arg) && typeof arg[0] === 'string') {
          return mode.split(arg[0], walk(arg[1]));
        }
        break;
      case 'Fn::If':
        if (mode.if && Array.isArray(arg) && typeof arg[0] === 'string') {
          return mode.if(arg[0], arg.slice(1).map(walk));
        }
        break;
      case 'Fn::ImportValue':
        if (mode.importValue) {
          return mode.importValue(walk(arg));
        }
        break;
    }
    return mode.unknown(fn);
  };

  return walk(value);
}

/** The logical id and attribute of a `Fn::GetAtt` argument (`[id, attribute]` or `'id.attribute'`), or undefined. */
function getAttArguments(arg: unknown): [string, string] | undefined {
  if (Array.isArray(arg)) {
    return arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string' ? [arg[0], arg[1]] : undefined;
  }
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : undefined;
  }
  return undefined;
}

/** A `Fn::Sub` template cut by {@link IntrinsicMode.sub} put together again, each value given as text. */
export function fillTemplate(literals: string[], texts: string[]): string {
  let out = literals[0];
  for (let i = 0; i < texts.length; i++) {
    out += texts[i] + literals[i + 1];
  }
  return out;
}
