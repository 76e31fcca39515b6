import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fillTemplate, IntrinsicMode, walkIntrinsics } from './intrinsics';
import { render, resourceByLogicalId, withRunCache } from './template';

/** Realistic lengths for values known only at deployment. */
const ACCOUNT = '123456789012';
const REGION = 'ap-southeast-2';
const PARTITION = 'aws';
const UUID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const GENERATED_SUFFIX = 'ABCDEFGH1234';
/** A value known only at deployment whose length is not known either. */
const FILLER = 'x'.repeat(40);

/** A physical name CloudFormation generates: `<stack>-<logical id>-<suffix>`, cut to `max`. */
function generatedName(stackName: string, logicalId: string, max: number, lower = false): string {
  const name = `${stackName}-${logicalId}-${GENERATED_SUFFIX}`.slice(0, max);
  return lower ? name.toLowerCase() : name;
}

/** The `BucketName` a bucket of the stack has in the template (overrides included), when it is a plain string. */
function knownBucketName(bucket: CfnResource): string | undefined {
  const name = render(bucket).props.BucketName;
  return typeof name === 'string' ? name : undefined;
}

/** The value a `Ref` of a resource of the stack is at deployment, at a realistic length. */
function refValue(scope: IConstruct, logicalId: string): string {
  const stackName = Stack.of(scope).stackName;
  const target = resourceByLogicalId(scope, logicalId);
  switch (target?.cfnResourceType) {
    case 'AWS::S3::Bucket':
      // a bucket named in the template is that name once deployed; CloudFormation names the others
      return knownBucketName(target) ?? generatedName(stackName, logicalId, 63, true);
    case 'AWS::KMS::Key':
      return UUID;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
      return generatedName(stackName, logicalId, 64);
    default:
      return FILLER;
  }
}

/** The value of `Fn::GetAtt` at deployment, at a realistic length. */
function getAttValue(scope: IConstruct, logicalId: string, attribute: string): string {
  if (attribute !== 'Arn') {
    return FILLER;
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
  return withRunCache(scope, () => walkIntrinsics(value, sizeMode(scope)));
}

/** `{ Ref: AWS::NoValue }`: dropped from the list or object that holds it. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The length of a walked value as JSON; `AWS::NoValue` has none. */
function jsonLength(value: unknown): number {
  return value === NO_VALUE ? 0 : JSON.stringify(value ?? '').length;
}

/** A walked value as the text it is in a joined string. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every intrinsic replaced by a value of the length it has once deployed; `Fn::If` by its longest option. */
function sizeMode(scope: IConstruct): IntrinsicMode<unknown> {
  return {
    // `${Name}` counts as a reference to Name even when the variable map gives it: sizes have always been counted so
    ignoresSubVariableMap: true,
    literal: (v) => v,
    list: (items) => items.filter((v) => v !== NO_VALUE),
    object: (values) => {
      for (const k of Object.keys(values)) {
        if (values[k] === NO_VALUE) {
          delete values[k];
        }
      }
      return values;
    },
    ref: (name) => (name === 'AWS::NoValue' ? NO_VALUE : (pseudo(scope, name) ?? refValue(scope, name))),
    getAtt: (logicalId, attribute) => getAttValue(scope, logicalId, attribute),
    // a list known only at deployment is counted by its JSON with the separator
    join: (separator, parts) => (Array.isArray(parts) ? parts.map(asText).join(separator) : asText([separator, parts])),
    // `${AWS::NoValue}` is nothing CloudFormation substitutes: counted as an unknown value
    sub: (literals, values) => fillTemplate(literals, values.map((v) => (v === NO_VALUE ? FILLER : String(v)))),
    // the longer option; an option that is AWS::NoValue counts as nothing, and when every one is, the If is dropped too
    if: (_condition, options) =>
      options.length > 0 && options.every((v) => v === NO_VALUE) ? NO_VALUE : options.reduce((a, b) => (jsonLength(b) > jsonLength(a) ? b : a), ''),
    importValue: () => `arn:${PARTITION}:service:${REGION}:${ACCOUNT}:resource/${'x'.repeat(64)}`,
    unknown: () => FILLER,
  };
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
