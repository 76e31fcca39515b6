import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Policy sizes as AWS sees them. A synthesized policy still holds
 * CloudFormation intrinsics (`Fn::GetAtt`, `Fn::Join`, `Ref`) where AWS will
 * see ARNs and names, so each intrinsic is replaced by a value of realistic
 * (generous) length before measuring the compact JSON.
 */

/** Length of a stand-in for an ARN CloudFormation resolves (a KMS key ARN in the longest common Region is 80 characters). */
export const ARN_ESTIMATE = 80;
/** Length of a stand-in for a name CloudFormation generates (S3 bucket names are at most 63 characters). */
export const NAME_ESTIMATE = 63;

/** The compact JSON size of a policy document, in bytes, with realistic stand-ins for unresolved values. */
export function policyBytes(scope: IConstruct, document: unknown): number {
  const stack = Stack.of(scope);
  const resolved = stack.resolve(document);
  return Buffer.byteLength(JSON.stringify(realistic(resolved, stack)), 'utf8');
}

/** Replaces every intrinsic of a resolved template fragment with a string of realistic length. */
export function realistic(value: unknown, stack: Stack): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => realistic(v, stack));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const keys = Object.keys(value as object);
  const v = value as Record<string, any>;
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const [fn] = keys;
    const arg = v[fn];
    switch (fn) {
      case 'Ref':
        return pseudo(String(arg), stack) ?? 'n'.repeat(NAME_ESTIMATE);
      case 'Fn::GetAtt':
        return String(Array.isArray(arg) ? arg[1] : String(arg).split('.')[1]).endsWith('Arn') ? 'a'.repeat(ARN_ESTIMATE) : 'n'.repeat(NAME_ESTIMATE);
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (realistic(parts, stack) as unknown[]).map(String).join(sep);
      }
      default:
        return 'a'.repeat(ARN_ESTIMATE);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    out[k] = realistic(v[k], stack);
  }
  return out;
}

function pseudo(name: string, stack: Stack): string | undefined {
  const known = (s: string) => (Token.isUnresolved(s) ? undefined : s);
  switch (name) {
    case 'AWS::Partition':
      return known(stack.partition) ?? 'aws';
    case 'AWS::Region':
      return known(stack.region) ?? 'ap-southeast-2';
    case 'AWS::AccountId':
      return known(stack.account) ?? '111111111111';
    case 'AWS::URLSuffix':
      return known(stack.urlSuffix) ?? 'amazonaws.com';
    case 'AWS::StackName':
      return known(stack.stackName) ?? 'n'.repeat(NAME_ESTIMATE);
    default:
      return name.startsWith('AWS::') ? 'n'.repeat(NAME_ESTIMATE) : undefined;
  }
}

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
