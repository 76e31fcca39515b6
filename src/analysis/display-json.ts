import { Stack } from 'aws-cdk-lib';
import { walkIntrinsics } from './intrinsics';

/**
 * A readable rendering of a resolved fragment for warnings: pseudo
 * parameters are replaced by the values given, other intrinsics by
 * `<placeholder>`s naming what they stand for.
 */
export function displayJson(value: unknown, stack: Stack, pseudoValues: Record<string, string>): unknown {
  return walkIntrinsics(stack.resolve(value), {
    literal: (v) => v,
    list: (items) => items,
    object: (values) => values,
    ref: (name) => pseudoValues[name] ?? `<${name}>`,
    getAtt: (logicalId, attribute) => `<${logicalId}.${attribute}>`,
    join: (separator, parts) => (Array.isArray(parts) ? parts.map((p) => String(p)).join(separator) : '<Fn::Join>'),
    unknown: (fn) => `<${fn}>`,
  });
}
