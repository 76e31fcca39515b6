import { IConstruct } from 'constructs';
import { fillTemplate, walkIntrinsics } from './intrinsics';
import { UNKNOWN } from './policy';
import { isObject, referencedLogicalId, resourceByLogicalId } from './template';

/**
 * Readers of a resolved `AWS::EC2::VPCEndpoint` and of the references it
 * holds (its VPC, its route tables), for the checks on a VPC endpoint given
 * to a construct of this library.
 */

/** Stands for the Region of the endpoint's stack (`{ Ref: AWS::Region }`) in a flattened service name, when it is not known at synth time. */
export const STACK_REGION = '\u0000region\u0000';

/**
 * A resolved `ServiceName` as text: literal parts kept, `Fn::Join` and
 * `Fn::Sub` put together, `AWS::Region` as `region` (or {@link STACK_REGION}),
 * anything else {@link UNKNOWN}. aws-cdk-lib writes the S3 service as
 * `{ Fn::Join: ['', ['com.amazonaws.', { Ref: AWS::Region }, '.s3']] }`.
 */
export function serviceNameText(value: unknown, region?: string): string {
  return walkIntrinsics<string>(value, {
    literal: (v) => (typeof v === 'string' ? v : UNKNOWN),
    ref: (name) => (name === 'AWS::Region' ? region ?? STACK_REGION : UNKNOWN),
    getAtt: () => UNKNOWN,
    join: (separator, parts) => (Array.isArray(parts) ? parts.join(separator) : UNKNOWN),
    sub: (literals, values) => fillTemplate(literals, values),
    unknown: () => UNKNOWN,
  });
}

/** What a flattened `ServiceName` names. */
export type ServiceNameReading =
  /** The S3 service of `region` (general purpose buckets); `region` is {@link STACK_REGION} or {@link UNKNOWN} when not known. */
  | { readonly kind: 's3'; readonly region: string }
  /** Another service (DynamoDB, S3 Express One Zone, another provider's). */
  | { readonly kind: 'other' }
  /** Not known at synth time. */
  | { readonly kind: 'unknown' };

/**
 * Reads a `ServiceName` flattened by {@link serviceNameText}: the S3 service
 * of a Region is `com.amazonaws.<region>.s3`.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 */
export function readServiceName(text: string): ServiceNameReading {
  const match = /^com\.amazonaws\.([^.]+)\.s3$/.exec(text);
  if (match) {
    return { kind: 's3', region: match[1].includes(UNKNOWN) ? UNKNOWN : match[1] };
  }
  return text.includes(UNKNOWN) ? { kind: 'unknown' } : { kind: 'other' };
}

/** Whether two values name the same thing. */
export type Sameness = 'same' | 'different' | 'unknown';

/**
 * Whether two resolved values of the template of `scope`'s stack name the
 * same thing (a VPC id, a route table id), compared by what they reference:
 * equal values are the same; two literals that differ, two `Ref`s to
 * different resources of one type of the stack, or a `Ref` to a resource of
 * the stack and a `Fn::ImportValue` (another stack's value, which cannot be
 * a resource of this one) are different; anything else (a parameter, a
 * literal against a reference) is unknown.
 */
export function sameReference(scope: IConstruct, a: unknown, b: unknown): Sameness {
  if (JSON.stringify(a) === JSON.stringify(b)) {
    return 'same';
  }
  const [x, y] = [referenceKind(scope, a), referenceKind(scope, b)];
  if (x.kind === 'literal' && y.kind === 'literal') {
    return 'different';
  }
  if (x.kind === 'resource' && y.kind === 'resource') {
    return x.type === y.type ? 'different' : 'unknown';
  }
  if ((x.kind === 'resource' && y.kind === 'import') || (x.kind === 'import' && y.kind === 'resource')) {
    return 'different';
  }
  return 'unknown';
}

type ReferenceKind =
  | { readonly kind: 'literal' }
  | { readonly kind: 'resource'; readonly type: string }
  | { readonly kind: 'import' }
  | { readonly kind: 'other' };

function referenceKind(scope: IConstruct, value: unknown): ReferenceKind {
  if (typeof value === 'string') {
    return { kind: 'literal' };
  }
  const ref = referencedLogicalId(value);
  if (ref && ref.attribute === undefined) {
    const target = resourceByLogicalId(scope, ref.logicalId);
    return target ? { kind: 'resource', type: target.cfnResourceType } : { kind: 'other' };
  }
  if (isObject(value) && Object.keys(value).length === 1 && typeof value['Fn::ImportValue'] === 'string') {
    return { kind: 'import' };
  }
  return { kind: 'other' };
}
