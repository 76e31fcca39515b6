import { Stack } from 'aws-cdk-lib';

/**
 * A readable rendering of a resolved fragment for warnings: pseudo
 * parameters are replaced by the values given, other intrinsics by
 * `<placeholder>`s naming what they stand for.
 */
export function displayJson(value: unknown, stack: Stack, pseudoValues: Record<string, string>): unknown {
  const resolved = stack.resolve(value);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, any>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'Ref') {
      return pseudoValues[o.Ref] ?? `<${o.Ref}>`;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      return `<${[].concat(o['Fn::GetAtt']).join('.')}>`;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = o['Fn::Join'];
      return (parts as unknown[]).map((p) => String(walk(p))).join(sep);
    }
    if (keys.length === 1 && keys[0].startsWith('Fn::')) {
      return `<${keys[0]}>`;
    }
    return Object.fromEntries(keys.map((k) => [k, walk(o[k])]));
  };
  return walk(resolved);
}
