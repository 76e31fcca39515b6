/**
 * Evaluates composite operations (read an object, write one, list, decrypt
 * directly, manage the bucket or key policy) against the policies of a
 * synthesized assembly, with `@cloud-copilot/iam-simulate` deciding each
 * leg the way AWS does, and says which leg and which statement decided.
 *
 * `@cloud-copilot/iam-simulate` is AGPL: it is a devDependency used from
 * test/ only and must never be imported from src/.
 *
 * What the simulator does not do, and this harness therefore does:
 * - It fills in no request context: every key a real request carries is
 *   passed explicitly (aws:SecureTransport, s3:TlsVersion, aws:Principal*,
 *   aws:SourceVpce, aws:ViaAWSService, kms:ViaService, kms:CallerAccount...).
 *   Leaving one out would silently skip a deny.
 * - It treats `kms:EncryptionContext:aws:s3:arn` as not applicable to KMS
 *   actions (it drops the key from the request and then `...IfExists`
 *   conditions on it always match). So the harness evaluates every
 *   condition on that key itself, before the simulation, with AWS's
 *   semantics (see `encryptionContextHolds`): a statement whose
 *   encryption-context condition holds keeps its other conditions for the
 *   simulator; one whose condition fails is removed (conditions are ANDed,
 *   so it could not apply). The value is what S3 sends: the bucket ARN with
 *   an S3 Bucket Key, the object ARN without one.
 * - It accepts context keys that do not apply to an action, so each leg is
 *   given only the keys that action carries in AWS.
 */
import { getDenialReasons, getGrantReasons, runSimulation, type RequestAnalysis } from '@cloud-copilot/iam-simulate';
import { AccessPointModel, asList, BucketModel, EndpointModel, KeyModel, NamedPolicy, World } from './world';

export const EC_KEY = 'kms:EncryptionContext:aws:s3:arn';

/** Who makes a request. */
export interface Caller {
  /** The IAM role or user ARN (aws:PrincipalArn). */
  readonly arn: string;
  readonly account: string;
  /** aws:PrincipalOrgID, when the caller's account is in an organization. */
  readonly orgId?: string;
  /** aws:PrincipalOrgPaths. */
  readonly orgPaths?: string[];
  /** The caller's identity policies (for an external partner: what it attached). */
  readonly identityPolicies: NamedPolicy[];
  /** A short name for messages. */
  readonly label?: string;
}

/** How a request reaches S3. */
export interface Network {
  /** aws:SecureTransport. */
  readonly tls: boolean;
  /** s3:TlsVersion (only sent over TLS). */
  readonly tlsVersion?: string;
  /** The S3 gateway endpoint the request goes through (aws:SourceVpce), if any. */
  readonly s3Endpoint?: EndpointModel;
  /** The KMS interface endpoint a direct KMS call goes through, if any. */
  readonly kmsEndpoint?: EndpointModel;
  readonly label?: string;
}

export const TLS_12: Network = { tls: true, tlsVersion: '1.2', label: 'TLS 1.2 from the internet' };
export const TLS_13: Network = { tls: true, tlsVersion: '1.3', label: 'TLS 1.3 from the internet' };
export const TLS_11: Network = { tls: true, tlsVersion: '1.1', label: 'TLS 1.1' };
export const HTTP: Network = { tls: false, label: 'plain HTTP' };

/** Through a VPC's S3 gateway endpoint (and its KMS interface endpoint for direct KMS calls). */
export function throughEndpoints(world: World, stackId?: string): Network {
  const s3Endpoint = world.endpoint('s3', stackId);
  if (!s3Endpoint) throw new Error('the assembly has no S3 VPC endpoint');
  return { tls: true, tlsVersion: '1.2', s3Endpoint, kmsEndpoint: world.endpoint('kms', stackId), label: `TLS 1.2 through ${s3Endpoint.id}` };
}

/** `accessPoint`: the access point's policy (and the caller's IAM policy, on the access point's ARN); `s3`: the bucket policy. */
export type LegName = 'endpoint' | 'accessPoint' | 's3' | 'kms';

/** Who decided a leg: a policy and, for statements, their Sid. */
export interface Decision {
  readonly leg: LegName;
  /** `bucket policy`, `key policy`, `identity policy <name>`, `endpoint policy`, `S3 Block Public Access`. */
  readonly policy: string;
  readonly sid?: string;
  /** Allow: granted by it. Deny: an explicit deny. NoAllow: nothing allowed it (implicit deny). */
  readonly effect: 'Allow' | 'Deny' | 'NoAllow';
}

export interface LegResult {
  readonly leg: LegName;
  readonly action: string;
  readonly resource: string;
  readonly allowed: boolean;
  readonly result: string;
  readonly decidedBy: Decision[];
  /** What the harness decided itself (the encryption-context condition). */
  readonly notes: string[];
}

export interface OperationResult {
  readonly operation: string;
  readonly principal: string;
  readonly allowed: boolean;
  readonly legs: LegResult[];
  /** The decision that matters: the first denying leg's, or every grant when allowed. */
  readonly decidedBy: Decision[];
  /** One line for test output: `DENIED read s3://b/k by account 333...: s3 leg, bucket policy DenyInsecureTransport (Deny)`. */
  readonly explanation: string;
}

/* ------------------------------------------------------------------------- */
/* The encryption-context condition, evaluated by the harness                 */
/* ------------------------------------------------------------------------- */

function glob(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(value);
}

/**
 * One condition operator on `kms:EncryptionContext:aws:s3:arn`, as AWS
 * evaluates it for a single-valued key: `ForAnyValue:`/`ForAllValues:`
 * prefixes, `IfExists` suffix, negated operators true when the key is
 * absent, `Null`.
 */
export function encryptionContextHolds(operator: string, expected: unknown, actual: string | undefined): boolean {
  let op = operator;
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) {
    set = 'any';
    op = op.slice('ForAnyValue:'.length);
  } else if (op.startsWith('ForAllValues:')) {
    set = 'all';
    op = op.slice('ForAllValues:'.length);
  }
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const values = asList(expected).map(String);
  if (op === 'Null') {
    return (values[0] === 'true') === (actual === undefined);
  }
  const negated = /Not/.test(op);
  if (actual === undefined) {
    if (ifExists || set === 'all') return true;
    if (set === 'any') return false;
    return negated;
  }
  const base = op.replace('Not', '');
  let match: (v: string) => boolean;
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      match = (v) => v === actual;
      break;
    case 'StringEqualsIgnoreCase':
      match = (v) => v.toLowerCase() === actual.toLowerCase();
      break;
    case 'StringLike':
    case 'ArnLike':
      match = (v) => glob(v, actual);
      break;
    default:
      throw new Error(`the harness does not evaluate ${operator} on ${EC_KEY}`);
  }
  const any = values.some(match);
  return negated ? !any : any;
}

/**
 * The policy with every condition on the S3 encryption context evaluated
 * (see the module comment). Returns the policy the simulator gets, and notes.
 */
export function applyEncryptionContext(policy: any, actual: string | undefined, where: string): { policy: any; notes: string[] } {
  return applyConditionKey(policy, EC_KEY, actual, where);
}

/**
 * The policy with every condition on `conditionKey` evaluated by the
 * harness, as {@link applyEncryptionContext} does for the encryption
 * context: for keys the simulator ignores (it drops `s3:DataAccessPointArn`,
 * `s3:DataAccessPointAccount` and `s3:AccessPointNetworkOrigin` from
 * requests, so a delegation to access points would never match).
 */
export function applyConditionKey(policy: any, conditionKey: string, actual: string | undefined, where: string): { policy: any; notes: string[] } {
  if (!policy) return { policy, notes: [] };
  const notes: string[] = [];
  const statements = asList(policy.Statement).flatMap((s: any) => {
    if (!s.Condition) return [s];
    let holds = true;
    let touched = false;
    const condition: Record<string, any> = {};
    for (const [op, keys] of Object.entries<any>(s.Condition)) {
      const rest: Record<string, any> = {};
      for (const [key, value] of Object.entries(keys)) {
        if (key.toLowerCase() === conditionKey.toLowerCase()) {
          touched = true;
          holds = holds && encryptionContextHolds(op, value, actual);
        } else {
          rest[key] = value;
        }
      }
      if (Object.keys(rest).length > 0) condition[op] = rest;
    }
    if (!touched) return [s];
    notes.push(`${where} ${s.Sid ?? '(no Sid)'}: ${conditionKey} ${holds ? 'matches' : 'does not match'} ${actual ?? '(absent)'} (evaluated by the harness)`);
    if (!holds) return [];
    const { Condition: _c, ...bare } = s;
    return [Object.keys(condition).length > 0 ? { ...bare, Condition: condition } : bare];
  });
  return { policy: { ...policy, Statement: statements }, notes };
}

/* ------------------------------------------------------------------------- */
/* One leg                                                                    */
/* ------------------------------------------------------------------------- */

interface LegInput {
  readonly leg: LegName;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly resourcePolicy?: any;
  readonly resourcePolicyName: string;
  readonly context: Record<string, string | string[]>;
  readonly endpointPolicy?: any;
  readonly restrictPublicBuckets?: boolean;
  /** Value of the S3 encryption context, for KMS legs. */
  readonly encryptionContext?: string;
  readonly kms?: boolean;
  /** Condition keys the harness evaluates in the resource policy itself (the simulator ignores them). */
  readonly harnessKeys?: Record<string, string>;
}

/**
 * The simulator only accepts `"Principal": "*"` in endpoint policies; AWS
 * treats `{"AWS": "*"}` the same way there, so it is rewritten.
 */
function normalizeEndpointPolicy(policy: any): any {
  return {
    ...policy,
    Statement: asList(policy.Statement).map((s: any) => (s.Principal && s.Principal !== '*' && asList(s.Principal.AWS).includes('*') ? { ...s, Principal: '*' } : s)),
  };
}

let simulations = 0;

/** How many simulations ran in this process (for throughput figures). */
export function simulationCount(): number {
  return simulations;
}

function principalContext(caller: Caller): Record<string, string | string[]> {
  return {
    'aws:PrincipalArn': caller.arn,
    'aws:PrincipalAccount': caller.account,
    'aws:PrincipalIsAWSService': 'false',
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': `AROAEXAMPLE:${caller.label ?? 'session'}`,
    ...(caller.orgId ? { 'aws:PrincipalOrgID': caller.orgId } : {}),
    ...(caller.orgPaths ? { 'aws:PrincipalOrgPaths': caller.orgPaths } : {}),
  };
}

async function runLeg(input: LegInput): Promise<LegResult[]> {
  const notes: string[] = [];
  let resourcePolicy = input.resourcePolicy;
  let identityPolicies = input.caller.identityPolicies;
  for (const [key, value] of Object.entries(input.harnessKeys ?? {})) {
    const r = applyConditionKey(resourcePolicy, key, value, input.resourcePolicyName);
    resourcePolicy = r.policy;
    notes.push(...r.notes);
  }
  if (input.kms) {
    const r = applyEncryptionContext(resourcePolicy, input.encryptionContext, input.resourcePolicyName);
    resourcePolicy = r.policy;
    notes.push(...r.notes);
    identityPolicies = identityPolicies.map((p) => {
      const x = applyEncryptionContext(p.policy, input.encryptionContext, `identity policy ${p.name}`);
      notes.push(...x.notes);
      return { name: p.name, policy: x.policy };
    });
  }
  simulations++;
  const result = await runSimulation(
    {
      request: {
        principal: input.caller.arn,
        action: input.action,
        resource: { resource: input.resource, accountId: input.resourceAccount },
        contextVariables: input.context,
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      vpcEndpointPolicies: input.endpointPolicy ? [{ name: 'endpoint', policy: normalizeEndpointPolicy(input.endpointPolicy) }] : undefined,
      additionalSettings: input.restrictPublicBuckets !== undefined ? { s3: { blockPublicAccess: input.restrictPublicBuckets } } : undefined,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') {
    throw new Error(`simulation of ${input.action} on ${input.resource} failed: ${JSON.stringify(result.errors)}`);
  }
  const analysis: RequestAnalysis = result.resultType === 'single' ? result.result.analysis : result.results[0].analysis;
  const ignored = result.resultType === 'single' ? result.result.ignoredContextKeys ?? [] : [];
  for (const k of ignored) {
    if (k.toLowerCase() !== EC_KEY.toLowerCase()) notes.push(`the simulator ignored context key ${k}`);
  }
  const name = (policyType: string, id?: string): { leg: LegName; policy: string } => {
    switch (policyType) {
      case 'resource':
        return { leg: input.leg, policy: input.resourcePolicyName };
      case 'vpce':
        return { leg: 'endpoint', policy: 'endpoint policy' };
      case 's3-bpa':
        return { leg: input.leg, policy: 'S3 Block Public Access' };
      case 'identity':
        return { leg: input.leg, policy: `identity policy${id ? ' ' + id : ''}` };
      default:
        return { leg: input.leg, policy: `${policyType}${id ? ' ' + id : ''}` };
    }
  };
  const allowed = analysis.result === 'Allowed';
  const decisions: Decision[] = allowed
    ? getGrantReasons(analysis).map((g: any) => ({ ...name(g.policyType, g.policyIdentifier), sid: g.statementId, effect: 'Allow' as const }))
    : getDenialReasons(analysis).map((d: any) =>
      d.denialType === 'Explicit'
        ? { ...name(d.policyType, d.policyIdentifier), sid: d.statementId ?? `#${d.statementIndex}`, effect: 'Deny' as const }
        : { ...name(d.policyType, d.identifier), effect: 'NoAllow' as const },
    );
  if (!allowed && decisions.length === 0) {
    decisions.push({ leg: input.leg, policy: input.resourcePolicyName, effect: 'NoAllow' });
  }
  // Split the endpoint policy's verdict into a leg of its own.
  const legs: LegResult[] = [];
  if (input.endpointPolicy) {
    const ep = analysis.endpointAnalysis;
    const epAllowed = ep?.result === 'Allowed';
    const epDecisions = decisions.filter((d) => d.leg === 'endpoint');
    legs.push({
      leg: 'endpoint',
      action: input.action,
      resource: input.resource,
      allowed: epAllowed,
      result: ep?.result ?? 'NotEvaluated',
      decidedBy: epDecisions.length > 0 ? epDecisions : [{ leg: 'endpoint', policy: 'endpoint policy', effect: epAllowed ? 'Allow' : 'NoAllow' }],
      notes: [],
    });
  }
  const own = decisions.filter((d) => d.leg !== 'endpoint');
  const legAllowed = allowed || (input.endpointPolicy !== undefined && own.length === 0 && analysis.blockedBy?.every((b) => b === 'vpce') === true);
  legs.push({ leg: input.leg, action: input.action, resource: input.resource, allowed: legAllowed, result: legAllowed ? 'Allowed' : analysis.result, decidedBy: own, notes });
  return legs;
}

/* ------------------------------------------------------------------------- */
/* Composite operations                                                        */
/* ------------------------------------------------------------------------- */

export class AccessSimulator {
  private readonly external = new Map<string, KeyModel>();

  constructor(public readonly world: World) {}

  private s3Context(caller: Caller, net: Network, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
    return {
      ...principalContext(caller),
      'aws:SecureTransport': net.tls ? 'true' : 'false',
      ...(net.tls && net.tlsVersion ? { 's3:TlsVersion': net.tlsVersion } : {}),
      'aws:ViaAWSService': 'false',
      ...(net.s3Endpoint ? { 'aws:SourceVpce': net.s3Endpoint.id, ...(net.s3Endpoint.vpcId ? { 'aws:SourceVpc': net.s3Endpoint.vpcId } : {}) } : {}),
      ...extra,
    };
  }

  private s3Leg(
    caller: Caller,
    bucket: BucketModel,
    action: string,
    resource: string,
    net: Network,
    extra: Record<string, string | string[]> = {},
    harnessKeys?: Record<string, string>,
  ): Promise<LegResult[]> {
    return runLeg({
      harnessKeys,
      leg: 's3',
      caller,
      action,
      resource,
      resourceAccount: bucket.account,
      resourcePolicy: bucket.policy,
      resourcePolicyName: 'bucket policy',
      context: this.s3Context(caller, net, extra),
      endpointPolicy: net.s3Endpoint ? net.s3Endpoint.policy ?? FULL_ACCESS : undefined,
      // A statement whose s3:DataAccessPoint* condition the harness evaluated looks public to the
      // simulator once the condition is gone; S3 does not count a fixed s3:DataAccessPointAccount as
      // public ("The meaning of public"), so Block Public Access is not modelled on such a leg.
      restrictPublicBuckets: harnessKeys ? undefined : bucket.restrictPublicBuckets,
    });
  }

  /** The KMS call S3 makes on the caller's behalf (forward access: kms:ViaService, aws:ViaAWSService). */
  private kmsViaS3Leg(caller: Caller, bucket: BucketModel, action: string, objectArn: string): Promise<LegResult[]> {
    const key = this.keyOf(bucket);
    return runLeg({
      leg: 'kms',
      caller,
      action,
      resource: key.arn,
      resourceAccount: key.account,
      resourcePolicy: key.policy,
      resourcePolicyName: 'key policy',
      context: {
        ...principalContext(caller),
        'aws:SecureTransport': 'true',
        'aws:ViaAWSService': 'true',
        'kms:ViaService': `s3.${bucket.region}.amazonaws.com`,
        'kms:CallerAccount': caller.account,
      },
      kms: true,
      // What S3 puts in the encryption context: the bucket ARN with an S3 Bucket Key, the object ARN without.
      encryptionContext: bucket.bucketKey ? bucket.arn : objectArn,
    });
  }

  private keyOf(bucket: BucketModel): KeyModel {
    if (!bucket.keyArn) throw new Error(`bucket ${bucket.name} has no KMS key`);
    return this.external.get(bucket.keyArn) ?? this.world.key(bucket.keyArn);
  }

  /** Adds a key that is not in the assembly (an imported key), with the key policy its owners gave it. */
  public addExternalKey(arn: string, policy: any): void {
    const [, , , region, account] = arn.split(':');
    this.external.set(arn, { stackId: '(external)', logicalId: '(external)', arn, account, region, policy });
  }

  private finish(operation: string, caller: Caller, legs: LegResult[]): OperationResult {
    const order: LegName[] = ['endpoint', 'accessPoint', 's3', 'kms'];
    const denied = order.flatMap((l) => legs.filter((x) => x.leg === l && !x.allowed));
    const allowed = denied.length === 0;
    const decidedBy = allowed ? legs.flatMap((l) => l.decidedBy) : denied[0].decidedBy;
    const d = decidedBy[0];
    const who = caller.label ?? caller.arn;
    const explanation = allowed
      ? `ALLOWED ${operation} for ${who}: ${legs.map((l) => `${l.leg} ${l.action} by ${l.decidedBy.map((x) => `${x.policy}${x.sid ? ' ' + x.sid : ''}`).join(' + ')}`).join('; ')}`
      : `DENIED ${operation} for ${who}: ${denied[0].leg} leg (${denied[0].action}), ${d ? `${d.policy}${d.sid ? ' ' + d.sid : ''} (${d.effect === 'NoAllow' ? 'no statement allows it' : 'explicit deny'})` : 'no decision'}${denied[0].notes.length ? ' [' + denied[0].notes.join('; ') + ']' : ''}`;
    return { operation, principal: caller.arn, allowed, legs, decidedBy, explanation };
  }

  /** GetObject: the S3 leg (and endpoint leg) and, for SSE-KMS/DSSE-KMS, kms:Decrypt through S3. */
  public async readObject(caller: Caller, bucket: BucketModel, objectKey: string, net: Network = TLS_12): Promise<OperationResult> {
    const objectArn = `${bucket.arn}/${objectKey}`;
    const legs = [...(await this.s3Leg(caller, bucket, 's3:GetObject', objectArn, net))];
    if (bucket.keyArn) legs.push(...(await this.kmsViaS3Leg(caller, bucket, 'kms:Decrypt', objectArn)));
    return this.finish(`read s3://${bucket.name}/${objectKey} over ${net.label ?? 'network'}`, caller, legs);
  }

  /**
   * PutObject: the S3 leg and kms:GenerateDataKey through S3; a multipart
   * upload also needs kms:Decrypt (S3 decrypts the data key for each part).
   * `headers` are the encryption headers sent, as S3 condition keys.
   */
  public async writeObject(
    caller: Caller,
    bucket: BucketModel,
    objectKey: string,
    net: Network = TLS_12,
    options: { multipart?: boolean; headers?: Record<string, string> } = {},
  ): Promise<OperationResult> {
    const objectArn = `${bucket.arn}/${objectKey}`;
    const legs = [...(await this.s3Leg(caller, bucket, 's3:PutObject', objectArn, net, options.headers ?? {}))];
    const sseC = options.headers?.['s3:x-amz-server-side-encryption-customer-algorithm'] !== undefined;
    if (bucket.keyArn && !sseC) {
      legs.push(...(await this.kmsViaS3Leg(caller, bucket, 'kms:GenerateDataKey', objectArn)));
      if (options.multipart) legs.push(...(await this.kmsViaS3Leg(caller, bucket, 'kms:Decrypt', objectArn)));
    }
    return this.finish(`${options.multipart ? 'multipart ' : ''}write s3://${bucket.name}/${objectKey} over ${net.label ?? 'network'}`, caller, legs);
  }

  /**
   * GetObject through an S3 access point: S3 authorizes it twice, against
   * the access point (its policy, and the caller's IAM policy on the access
   * point's ARN) and against the bucket (its policy, with the
   * `s3:DataAccessPoint*` keys of the access point); then kms:Decrypt
   * through S3, with the bucket's encryption context. The bucket leg is
   * given an identity policy allowing everything: the caller's IAM policy
   * is decided on the access point leg, where AWS evaluates it.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
   */
  public async readThroughAccessPoint(caller: Caller, ap: AccessPointModel, objectKey: string, net: Network = TLS_12): Promise<OperationResult> {
    const bucket = this.world.bucket(ap.bucketName);
    const context = {
      's3:DataAccessPointArn': ap.arn,
      's3:DataAccessPointAccount': ap.account,
      's3:AccessPointNetworkOrigin': ap.vpcId ? 'VPC' : 'Internet',
    };
    const legs = [
      ...(await runLeg({
        leg: 'accessPoint',
        caller,
        action: 's3:GetObject',
        resource: `${ap.arn}/object/${objectKey}`,
        resourceAccount: ap.account,
        resourcePolicy: ap.policy,
        resourcePolicyName: 'access point policy',
        context: this.s3Context(caller, net, context),
        harnessKeys: context,
      })),
      ...(await this.s3Leg({ ...caller, identityPolicies: [{ name: 'AdministratorAccess', policy: ALLOW_ALL }] }, bucket, 's3:GetObject', `${bucket.arn}/${objectKey}`, net, context, context)),
    ];
    if (bucket.keyArn) legs.push(...(await this.kmsViaS3Leg(caller, bucket, 'kms:Decrypt', `${bucket.arn}/${objectKey}`)));
    return this.finish(`read ${ap.arn}/object/${objectKey} over ${net.label ?? 'network'}`, caller, legs);
  }

  /** ListBucket (optionally with `s3:prefix`). */
  public async list(caller: Caller, bucket: BucketModel, net: Network = TLS_12, prefix?: string): Promise<OperationResult> {
    const legs = await this.s3Leg(caller, bucket, 's3:ListBucket', bucket.arn, net, prefix !== undefined ? { 's3:prefix': prefix } : {});
    return this.finish(`list s3://${bucket.name}/${prefix ?? ''} over ${net.label ?? 'network'}`, caller, legs);
  }

  /**
   * The KMS leg alone of a read: the kms:Decrypt S3 makes on the caller's
   * behalf (kms:ViaService, kms:CallerAccount, the bucket's encryption
   * context), as if the bucket policy had let the caller in. Proves what the
   * key policy allows on its own.
   */
  public async decryptThroughS3(caller: Caller, bucket: BucketModel, objectKey: string): Promise<OperationResult> {
    const legs = await this.kmsViaS3Leg(caller, bucket, 'kms:Decrypt', `${bucket.arn}/${objectKey}`);
    return this.finish(`decrypt s3://${bucket.name}/${objectKey} through S3`, caller, legs);
  }

  /**
   * kms:Decrypt called directly (not through S3), with the bucket's
   * encryption context forged by the caller (the worst case): only
   * conditions such as kms:ViaService stop it. Through the KMS endpoint
   * when `net.kmsEndpoint` is set.
   */
  public async directDecrypt(caller: Caller, keyArn: string, encryptionContext: string | undefined, net: Network = TLS_12): Promise<OperationResult> {
    const key = this.external.get(keyArn) ?? this.world.key(keyArn);
    const legs = await runLeg({
      leg: 'kms',
      caller,
      action: 'kms:Decrypt',
      resource: key.arn,
      resourceAccount: key.account,
      resourcePolicy: key.policy,
      resourcePolicyName: 'key policy',
      context: {
        ...principalContext(caller),
        'aws:SecureTransport': 'true',
        'aws:ViaAWSService': 'false',
        'kms:CallerAccount': caller.account,
        ...(net.kmsEndpoint ? { 'aws:SourceVpce': net.kmsEndpoint.id, ...(net.kmsEndpoint.vpcId ? { 'aws:SourceVpc': net.kmsEndpoint.vpcId } : {}) } : {}),
      },
      endpointPolicy: net.kmsEndpoint ? net.kmsEndpoint.policy ?? FULL_ACCESS : undefined,
      kms: true,
      encryptionContext,
    });
    return this.finish(`decrypt directly with ${keyArn}${net.kmsEndpoint ? ' through the KMS endpoint' : ''}`, caller, legs);
  }

  /** Get, put and delete the bucket policy (each a leg); allowed only if all three are. */
  public async manageBucketPolicy(caller: Caller, bucket: BucketModel, net: Network = TLS_12): Promise<OperationResult> {
    const legs: LegResult[] = [];
    for (const action of ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']) {
      legs.push(...(await this.s3Leg(caller, bucket, action, bucket.arn, net)));
    }
    return this.finish(`manage the bucket policy of ${bucket.name} over ${net.label ?? 'network'}`, caller, legs);
  }

  /** Get and put the key policy (KMS key-policy trust rules apply: IAM counts only if the key policy delegates to the account). */
  public async manageKeyPolicy(caller: Caller, keyArn: string): Promise<OperationResult> {
    const key = this.external.get(keyArn) ?? this.world.key(keyArn);
    const legs: LegResult[] = [];
    for (const action of ['kms:GetKeyPolicy', 'kms:PutKeyPolicy']) {
      legs.push(
        ...(await runLeg({
          leg: 'kms',
          caller,
          action,
          resource: key.arn,
          resourceAccount: key.account,
          resourcePolicy: key.policy,
          resourcePolicyName: 'key policy',
          context: { ...principalContext(caller), 'aws:SecureTransport': 'true', 'aws:ViaAWSService': 'false', 'kms:CallerAccount': caller.account },
          kms: true,
        })),
      );
    }
    return this.finish(`manage the key policy of ${keyArn}`, caller, legs);
  }

  /**
   * Lockout detection: can anyone still change the key policy? Tries the
   * key account's administrator (an IAM role allowed everything by its
   * identity policy) and every principal the key policy names in an
   * administrator-looking statement (allowed nothing by IAM).
   */
  public async keyLockout(keyArn: string): Promise<{ lockedOut: boolean; managers: string[]; results: OperationResult[] }> {
    const key = this.external.get(keyArn) ?? this.world.key(keyArn);
    const candidates: Caller[] = [administrator(key.account)];
    for (const s of asList(key.policy?.Statement)) {
      for (const p of asList(s.Principal?.AWS)) {
        const m = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/.+$/.exec(String(p));
        if (m) candidates.push({ arn: String(p), account: m[1], identityPolicies: [], label: String(p) });
      }
    }
    const results = await Promise.all(candidates.map((c) => this.manageKeyPolicy(c, keyArn)));
    const managers = results.filter((r) => r.allowed).map((r) => r.principal);
    return { lockedOut: managers.length === 0, managers, results };
  }
}

/* ------------------------------------------------------------------------- */
/* Principals                                                                  */
/* ------------------------------------------------------------------------- */

export const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** An administrator of `account`: an IAM role whose identity policy allows everything. */
export function administrator(account: string, name = 'Administrator'): Caller {
  return { arn: `arn:aws:iam::${account}:role/${name}`, account, identityPolicies: [{ name: 'AdministratorAccess', policy: ALLOW_ALL }], label: `${name} of ${account}` };
}

/**
 * A principal of another account whose own administrators allow it
 * everything (so only the producer's resource policies decide), optionally
 * in an organization.
 */
export function outsider(account: string, role = 'reader', org?: { orgId: string; orgPaths?: string[] }): Caller {
  return {
    arn: `arn:aws:iam::${account}:role/${role}`,
    account,
    orgId: org?.orgId,
    orgPaths: org?.orgPaths,
    identityPolicies: [{ name: 'AdministratorAccess', policy: ALLOW_ALL }],
    label: `role/${role} of ${account}`,
  };
}

/** A principal of another account with exactly the identity policy given (e.g. the one the access report says to attach). */
export function partnerWithPolicy(arn: string, policy: any, org?: { orgId: string; orgPaths?: string[] }): Caller {
  const account = arn.split(':')[4];
  return { arn, account, orgId: org?.orgId, orgPaths: org?.orgPaths, identityPolicies: [{ name: 'partner-policy', policy }], label: arn.split(':').slice(4).join(':') };
}

/** A role or user defined in the assembly, with the identity policies the templates attach to it. */
export function definedPrincipal(world: World, arn: string): Caller {
  const identity = world.identities.get(arn);
  if (!identity) throw new Error(`no role or user ${arn} in the assembly; have ${[...world.identities.keys()].join(', ')}`);
  return { arn, account: identity.account, identityPolicies: identity.policies, label: arn.split(':').slice(5).join(':') };
}
