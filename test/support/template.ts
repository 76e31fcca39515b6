import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

/** `{ 'Fn::Join': ['', parts] }`, as aws-cdk-lib writes a string with tokens in it. */
export function join(...parts: unknown[]): { 'Fn::Join': [string, unknown[]] } {
  return { 'Fn::Join': ['', parts] };
}

/** The template form of the root principal of `account`: `arn:${AWS::Partition}:iam::<account>:root`. */
export function root(account: string) {
  return join('arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`);
}

/** The template form of an S3 ARN of a named bucket (or `bucket/key`): `arn:${AWS::Partition}:s3:::<resource>`. */
export function s3Arn(resource: string) {
  return join('arn:', { Ref: 'AWS::Partition' }, `:s3:::${resource}`);
}

/** The statements of the first resource of `type` whose logical id starts with `logicalIdPrefix`. */
export function policyStatements(template: Template, type: string, logicalIdPrefix: string, property = 'PolicyDocument'): any[] {
  const resources = template.findResources(type);
  const id = Object.keys(resources).find((k) => k.startsWith(logicalIdPrefix));
  if (!id) {
    throw new Error(`no ${type} starting with ${logicalIdPrefix}; have ${Object.keys(resources).join(', ')}`);
  }
  return resources[id].Properties[property].Statement;
}

/** Statements by Sid. */
export function bySid(statements: any[], sid: string): any[] {
  return statements.filter((s) => s.Sid === sid);
}

/** The warning messages the stack carries. */
export function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((w) => String(w.entry.data));
}

/** The warning ids (cdk-data-protection:...) the stack carries. */
export function warningIds(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((w) => String(w.entry.data))
    .map((m) => /\[ack: ([^\]]+)\]/.exec(m)?.[1] ?? m)
    .sort();
}

/** Every `<rule id> <construct path>` acknowledged with Validations.acknowledge under `scope`, with its reason. */
export function acknowledgedRules(scope: IConstruct): string[] {
  const out: string[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const id of Object.keys(m.data ?? {})) {
          out.push(`${id.replace(/^annotation::/i, '')} ${c.node.path}`);
        }
      }
    }
  }
  return [...new Set(out)].sort();
}
