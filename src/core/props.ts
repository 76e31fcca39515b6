import { Token } from 'aws-cdk-lib';

/**
 * Checks of the type of each prop, for callers that bypass the TypeScript
 * types (JavaScript, and every jsii language: Python passes anything).
 *
 * Each check throws an `Error` that names the prop, shows the value received
 * and says what to pass instead, e.g.
 * `allowSseC must be a boolean (true or false), got "false" (a string)`.
 * `undefined` is "not given" for the optional checks; `null` is refused
 * (omit the prop to get its default). Unresolved tokens are skipped.
 */

/** How a value is shown in an error message: the value, then what it is. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return `${JSON.stringify(clip(value))} (a string)`;
    case 'number':
    case 'bigint':
      return `${String(value)} (a number)`;
    case 'boolean':
      return `${value} (a boolean)`;
    case 'symbol':
      return `${String(value)} (a symbol)`;
    case 'function':
      return `a function${(value as Function).name ? ` (${(value as Function).name})` : ''}`;
    default:
      break;
  }
  if (Array.isArray(value)) {
    return `${safeJson(value) ?? `[${value.length} items]`} (an array)`;
  }
  const ctor = Object.getPrototypeOf(value)?.constructor?.name;
  if (ctor && ctor !== 'Object') {
    const path = (value as { node?: { path?: unknown } }).node?.path;
    return `an object of class ${ctor}${typeof path === 'string' ? ` (${path})` : ''}`;
  }
  return `${safeJson(value) ?? '{...}'} (a plain object)`;
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function safeJson(value: unknown): string | undefined {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : clip(json);
  } catch {
    return undefined;
  }
}

function fail(prop: string, expected: string, value: unknown, fix?: string): never {
  throw new Error(`${prop} must be ${expected}, got ${describeValue(value)}${fix ? `. ${fix}` : ''}`);
}

/** `null` for an optional prop: say to omit it. */
function refuseNull(prop: string, value: unknown, expected: string): void {
  if (value === null) {
    fail(prop, expected, value, 'Omit the prop (undefined) for its default');
  }
}

/** Throws unless `value` is an object (not null, not an array). */
export function requireObject(prop: string, value: unknown, shape: string = 'an object'): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(prop, shape, value);
  }
}

/** Like {@link requireObject}, and `undefined` is allowed. */
export function optionalObject(prop: string, value: unknown, shape: string = 'an object'): void {
  refuseNull(prop, value, shape);
  if (value !== undefined) requireObject(prop, value, shape);
}

/** Throws unless `value` is `undefined`, `true`, `false` or a token. */
export function optionalBoolean(prop: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean' || Token.isUnresolved(value)) return;
  fail(prop, 'a boolean (true or false)', value, value === null ? 'Omit the prop (undefined) for its default' : undefined);
}

/** Throws unless `value` is a string (a token is a string). */
export function requireString(prop: string, value: unknown, what: string = 'a string'): void {
  if (typeof value !== 'string') {
    fail(prop, what, value);
  }
}

/** Like {@link requireString}, and `undefined` is allowed. */
export function optionalString(prop: string, value: unknown, what: string = 'a string'): void {
  refuseNull(prop, value, what);
  if (value !== undefined) requireString(prop, value, what);
}

/**
 * Throws unless `value` is an array; then checks each element with
 * `check(<prop>[<i>], element)`. An encoded list token is skipped.
 */
export function requireArrayOf(prop: string, value: unknown, check: (itemProp: string, item: unknown) => void, what: string = 'an array'): void {
  if (!Array.isArray(value)) {
    fail(prop, what, value, 'Wrap a single value in [ ].');
  }
  if (Token.isUnresolved(value)) return;
  value.forEach((item, i) => check(`${prop}[${i}]`, item));
}

/** Like {@link requireArrayOf}, and `undefined` is allowed. */
export function optionalArrayOf(prop: string, value: unknown, check: (itemProp: string, item: unknown) => void, what: string = 'an array'): void {
  refuseNull(prop, value, what);
  if (value !== undefined) requireArrayOf(prop, value, check, what);
}

/** Throws unless `value` is a `Duration` (`Duration.days(n)`), or `undefined`. */
export function optionalDuration(prop: string, value: unknown): void {
  if (value === undefined) return;
  refuseNull(prop, value, 'a Duration');
  const d = value as { toDays?: unknown; toHumanString?: unknown; toMilliseconds?: unknown } | null;
  if (d === null || typeof d !== 'object' || typeof d.toDays !== 'function' || typeof d.toHumanString !== 'function' || typeof d.toMilliseconds !== 'function') {
    fail(prop, 'a Duration', value, 'Use Duration.days(n).');
  }
}

/** Throws unless `value` is one of the values of the enum `enumObject`, or `undefined`. */
export function optionalEnum(prop: string, value: unknown, enumObject: Record<string, unknown>, enumName: string): void {
  if (value === null) fail(prop, `a ${enumName}`, value, 'Omit the prop (undefined) for its default');
  if (value !== undefined) requireEnum(prop, value, enumObject, enumName);
}

/** Throws unless `value` is one of the values of the enum `enumObject`. */
export function requireEnum(prop: string, value: unknown, enumObject: Record<string, unknown>, enumName: string): void {
  if (typeof value === 'string' && Token.isUnresolved(value)) return;
  const members = Object.entries(enumObject).filter(([k]) => !/^\d+$/.test(k));
  if (!members.some(([, v]) => v === value)) {
    fail(prop, `one of ${members.map(([k]) => `${enumName}.${k}`).join(', ')}`, value);
  }
}

/** The shape of an interface of aws-cdk-lib, checked by its members (duck-typed, so copies of aws-cdk-lib and jsii proxies pass). */
export interface Shape {
  /** What to call it in messages, e.g. `an s3.IBucket`. */
  readonly name: string;
  /** Members and their `typeof`. */
  readonly members: Record<string, 'string' | 'function' | 'object'>;
  /** How to get one, appended to the message. */
  readonly fix?: string;
}

export const BUCKET: Shape = {
  name: 'an s3.IBucket',
  members: { bucketArn: 'string', bucketName: 'string', arnForObjects: 'function', node: 'object' },
  fix: 'Pass a bucket construct, or import one with s3.Bucket.fromBucketName / fromBucketArn.',
};
export const KEY: Shape = {
  name: 'a kms.IKey',
  members: { keyArn: 'string', node: 'object' },
  fix: 'Pass a key construct, or import one with kms.Key.fromKeyArn.',
};
export const PRINCIPAL: Shape = {
  name: 'an iam.IPrincipal',
  members: { addToPrincipalPolicy: 'function', grantPrincipal: 'object' },
  fix: 'Pass e.g. new iam.ArnPrincipal(arn), new iam.AccountRootPrincipal() or a role.',
};
export const GRANTABLE: Shape = {
  name: 'an iam.IGrantable (a role, user, group or principal)',
  members: { grantPrincipal: 'object' },
};
export const ROLE: Shape = { name: 'an iam.IRole', members: { roleArn: 'string', roleName: 'string', node: 'object' }, fix: 'Import one with iam.Role.fromRoleArn.' };
export const USER: Shape = { name: 'an iam.IUser', members: { userArn: 'string', userName: 'string', node: 'object' }, fix: 'Import one with iam.User.fromUserName.' };
export const GROUP: Shape = { name: 'an iam.IGroup', members: { groupArn: 'string', groupName: 'string', node: 'object' }, fix: 'Import one with iam.Group.fromGroupName.' };
export const VPC: Shape = { name: 'an ec2.IVpc', members: { vpcId: 'string', node: 'object' }, fix: 'Import one with ec2.Vpc.fromLookup.' };
export const VPC_ENDPOINT: Shape = { name: 'an ec2.IVpcEndpoint', members: { vpcEndpointId: 'string', node: 'object' } };
export const CONSTRUCT: Shape = { name: 'a construct', members: { node: 'object' } };
export const POLICY_DOCUMENT: Shape = {
  name: 'an iam.PolicyDocument',
  members: { toJSON: 'function', addStatements: 'function', resolve: 'function' },
  fix: 'Use new iam.PolicyDocument({ statements }) or iam.PolicyDocument.fromJson(json).',
};
export const POLICY_STATEMENT: Shape = {
  name: 'an iam.PolicyStatement',
  members: { toStatementJson: 'function', addActions: 'function' },
  fix: 'Use new iam.PolicyStatement({ ... }) or iam.PolicyStatement.fromJson(json).',
};

function hasShape(value: unknown, shape: Shape): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(shape.members).every(([member, type]) => {
    const v = (value as Record<string, unknown>)[member];
    return type === 'object' ? v !== null && typeof v === 'object' : typeof v === type;
  });
}

/** Throws unless `value` has the members of `shape`. */
export function requireConstruct(prop: string, value: unknown, shape: Shape): void {
  if (!hasShape(value, shape)) {
    fail(prop, shape.name, value, shape.fix);
  }
}

/** Like {@link requireConstruct}, and `undefined` is allowed. */
export function optionalConstruct(prop: string, value: unknown, shape: Shape): void {
  refuseNull(prop, value, shape.name);
  if (value !== undefined) requireConstruct(prop, value, shape);
}

/** An element check for {@link requireArrayOf}. */
export function each(shape: Shape): (itemProp: string, item: unknown) => void {
  return (itemProp, item) => requireConstruct(itemProp, item, shape);
}

/** An element check for {@link requireArrayOf}: a string. */
export function eachString(itemProp: string, item: unknown): void {
  requireString(itemProp, item);
}

/** An element check for {@link requireArrayOf}: an object. */
export function eachObject(shape: string): (itemProp: string, item: unknown) => void {
  return (itemProp, item) => requireObject(itemProp, item, shape);
}
