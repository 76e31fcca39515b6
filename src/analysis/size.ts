import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isObject, resourceByLogicalId, withRunCache } from './template';

/** Realistic lengths for values known only at deployment. */
const ACCOUNT = '123456789012';
const REGION = 'ap-southeast-2';
const PARTITION = 'aws';
const UUID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const GENERATED_SUFFIX = 'ABCDEFGH1234';

/** A physical name CloudFormation generates: `<stack>-<logical id>-<suffix>`, cut to `max`. */
function generatedName(stackName: string, logicalId: string, max: number, lower = false): string {
  const name = `${stackName}-${logicalId}-${GENERATED_SUFFIX}`.slice(0, max);
  return lower ? name.toLowerCase() : name;
}

/** The value a `Ref` of a resource of the stack is at deployment, at a realistic length. */
function refValue(scope: IConstruct, logicalId: string): string {
  const stackName = Stack.of(scope).stackName;
  const target = resourceByLogicalId(scope, logicalId);
  switch (target?.cfnResourceType) {
    case 'AWS::S3::Bucket':
      return generatedName(stackName, logicalId, 63, true);
    case 'AWS::KMS::Key':
      return UUID;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
      return generatedName(stackName, logicalId, 64);
    default:
      return 'x'.repeat(40);
  }
}

/** The value of `Fn::GetAtt` at deployment, at a realistic length. */
function getAttValue(scope: IConstruct, logicalId: string, attribute: string): string {
  if (attribute !== 'Arn') {
    return 'x'.repeat(40);
  }
  const target = resourceByLogicalId(scope, logicalId);
  const partition = pseudo(scope, 'AWS::Partition');
  const region = pseudo(scope, 'AWS::Region');
  const account = pseudo(scope, 'AWS::AccountId');
  const ref = refValue(scope, logicalId);
  switch (target?.cfnResourceType) {
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${ref}`;
    case 'AWS::KMS::Key':
      return `arn:${partition}:kms:${region}:${account}:key/${ref}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${ref}`;
    case 'AWS::IAM::User':
      return `arn:${partition}:iam::${account}:user/${ref}`;
    default:
      return `arn:${partition}:service:${region}:${account}:resource/${'x'.repeat(64)}`;
  }
}

function pseudo(scope: IConstruct, name: string): string | undefined {
  const stack = Stack.of(scope);
  const known = (v: string) => (Token.isUnresolved(v) ? undefined : v);
  switch (name) {
    case 'AWS::AccountId':
      return known(stack.account) ?? ACCOUNT;
    case 'AWS::Partition':
      return known(stack.partition) ?? PARTITION;
    case 'AWS::Region':
      return known(stack.region) ?? REGION;
    case 'AWS::URLSuffix':
      return known(stack.urlSuffix) ?? 'amazonaws.com';
    case 'AWS::StackName':
      return Stack.of(scope).stackName;
    case 'AWS::StackId':
      return `arn:${PARTITION}:cloudformation:${REGION}:${ACCOUNT}:stack/${Stack.of(scope).stackName}/${UUID}`;
    default:
      return undefined;
  }
}

/**
 * A resolved CloudFormation value with every intrinsic replaced by a string
 * of the length it will have once deployed: ARNs of the stack's buckets,
 * keys and roles, account ids, Regions.
 */
export function substituteIntrinsics(scope: IConstruct, value: unknown): unknown {
  // lookups of the stack's resources are remembered for the whole value, not redone per intrinsic
  return withRunCache(() => substitute(scope, value));
}

function substitute(scope: IConstruct, value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => substituteIntrinsics(scope, v)).filter((v) => v !== NO_VALUE);
  }
  if (!isObject(value)) {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return intrinsic(scope, keys[0], value[keys[0]]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const s = substituteIntrinsics(scope, v);
    if (s !== NO_VALUE) {
      out[k] = s;
    }
  }
  return out;
}

const NO_VALUE = Symbol('AWS::NoValue');

function intrinsic(scope: IConstruct, fn: string, arg: any): unknown {
  const text = (v: unknown): string => {
    const s = substituteIntrinsics(scope, v);
    return typeof s === 'string' ? s : JSON.stringify(s);
  };
  switch (fn) {
    case 'Ref':
      if (arg === 'AWS::NoValue') {
        return NO_VALUE;
      }
      return pseudo(scope, String(arg)) ?? refValue(scope, String(arg));
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      return getAttValue(scope, String(logicalId), String(attribute));
    }
    case 'Fn::Join':
      return Array.isArray(arg) && Array.isArray(arg[1]) ? arg[1].map(text).join(String(arg[0])) : text(arg);
    case 'Fn::Sub': {
      const template = Array.isArray(arg) ? String(arg[0]) : String(arg);
      return template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const [id, attribute] = name.split('.');
        return attribute ? getAttValue(scope, id, attribute) : (pseudo(scope, id) ?? refValue(scope, id));
      });
    }
    case 'Fn::If': {
      const options = Array.isArray(arg) ? arg.slice(1).map((v) => substituteIntrinsics(scope, v)) : [];
      return options.reduce((a, b) => (JSON.stringify(b ?? '').length > JSON.stringify(a ?? '').length ? b : a), '');
    }
    case 'Fn::ImportValue':
      return `arn:${PARTITION}:service:${REGION}:${ACCOUNT}:resource/${'x'.repeat(64)}`;
    default:
      return 'x'.repeat(40);
  }
}

/**
 * The size in bytes of a policy document once deployed, without whitespace:
 * the one measure of policy size for the constructs' limits, DP13 and the benchmarks.
 */
export function deployedSize(scope: IConstruct, document: unknown): number {
  const doc = typeof document === 'string' ? safeParse(document) : document;
  return Buffer.byteLength(JSON.stringify(substituteIntrinsics(scope, doc)), 'utf8');
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
