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
import { applyConditionKey } from './evaluate';
import { asList } from './world';
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
