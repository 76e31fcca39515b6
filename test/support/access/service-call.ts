/**
 * One call to a key (or a workgroup, a stream...) by a principal, directly
 * or through a service, decided by `@cloud-copilot/iam-simulate` against an
 * identity policy and a resource policy: the shared harness of the service
 * access proofs (Glue, Athena, streams, client-side encryption).
 *
 * The simulator fills in no request context and ignores conditions on
 * `kms:EncryptionContext:*` (it accepts them whatever the request holds), so:
 * - every condition on an encryption-context key is decided here first,
 *   with AWS's semantics (`applyConditionKey`): a statement whose condition
 *   fails is removed (its conditions are ANDed), one whose condition holds
 *   keeps its other conditions for the simulator;
 * - the request carries only the keys the caller passes, plus
 *   `kms:CallerAccount` (the principal's account), which KMS sets on every call.
 *
 * `@cloud-copilot/iam-simulate` is AGPL: a devDependency used from test/ only.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { applyConditionKey } from './evaluate';
import { asList } from './world';
import { resolver } from '../resolve';
import { PRODUCER } from '../stack';

/** The request context of one call: condition key to value. */
export type RequestContext = Record<string, string>;

/** A policy document as the template holds it. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: any[];
}

/** An identity policy that allows every action on every resource: what a partner may write on its side. */
export const ALLOW_EVERYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;

/** The policy with every `kms:EncryptionContext:*` condition decided against `context`. */
function withEncryptionContext(policy: PolicyDocument, context: RequestContext): PolicyDocument {
  const keys = new Set<string>();
  for (const statement of asList(policy.Statement)) {
    for (const block of Object.values<any>(statement.Condition ?? {})) {
      Object.keys(block).filter((k) => ENCRYPTION_CONTEXT.test(k)).forEach((k) => keys.add(k));
    }
  }
  let decided: any = { Version: '2012-10-17', ...policy };
  for (const key of keys) {
    const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    decided = applyConditionKey(decided, key, actual, 'policy').policy;
  }
  return decided;
}

/**
 * Whether `principal` may call `action` on `resource` (of the producer's
 * account) under the identity policy and the resource policy, with the
 * request context `context`.
 *
 * @returns the simulator's result: `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`
 */
export async function decideCall(
  principal: string,
  action: string,
  resource: string,
  identity: PolicyDocument | undefined,
  resourcePolicy: PolicyDocument | undefined,
  context: RequestContext,
): Promise<string> {
  const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
  const contextVariables = Object.fromEntries(Object.entries(context).filter(([k]) => !ENCRYPTION_CONTEXT.test(k)));
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: PRODUCER },
        contextVariables: { ...(account ? { 'kms:CallerAccount': account } : {}), ...contextVariables },
      },
      identityPolicies: identity ? [{ name: 'identity', policy: withEncryptionContext(identity, context) }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy ? withEncryptionContext(resourcePolicy, context) : undefined,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') {
    throw new Error(JSON.stringify(result.errors));
  }
  return result.resultType === 'single' ? result.result.analysis.result : result.results[0].analysis.result;
}

/**
 * The resolved policies of a synthesized stack, for the service proofs: its
 * key (logical id starting `Key`), and the policy, role or any resource whose
 * logical id starts with a prefix.
 */
export function synthesizedWorld(stack: Stack) {
  const json = Template.fromStack(stack).toJSON();
  const r = resolver({ template: json });
  const of = (type: string, prefix: string): [string, any] => {
    const found = Object.entries<any>(json.Resources).find(([id, res]) => res.Type === type && id.startsWith(prefix));
    if (!found) throw new Error(`no ${type} whose logical id starts with ${prefix}`);
    return found;
  };
  const [keyId, keyRes] = of('AWS::KMS::Key', 'Key');
  return {
    keyArn: r.getAtt(keyId, 'Arn') as string,
    keyPolicy: r.resolve(keyRes.Properties.KeyPolicy) as PolicyDocument,
    /** The policy document of the first `type` (AWS::IAM::Policy by default) whose logical id starts with `prefix`. */
    policyOf: (prefix: string, type = 'AWS::IAM::Policy'): PolicyDocument => r.resolve(of(type, prefix)[1].Properties.PolicyDocument),
    /** The ARN of the first resource of `type` (a role by default) whose logical id starts with `prefix`. */
    arnOf: (prefix: string, type = 'AWS::IAM::Role'): string => r.getAtt(of(type, prefix)[0], 'Arn'),
  };
}
