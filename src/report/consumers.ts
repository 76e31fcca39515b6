import { Stack, Stage, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Display } from './display';
import { resourcesOfStack } from '../analysis/template';
import { physicalBucketName } from '../sharing/partner-policy';
import { ConsumerPolicyRecord, consumerPoliciesOf } from '../sharing/shares';

/**
 * The consumer side of the access report (`consumers[]`): the IAM policies
 * of a stack that let its principals use buckets and keys of other
 * accounts, read from the template (so apps without this library's
 * constructs are covered too), with what the other two allows (the
 * bucket's policy, the key's policy) must be and, when the owner's stack is
 * in the same app, where its report shows them.
 */

type Json = any;

/** What the consumer section needs of the report being built. */
export interface ConsumerContext {
  readonly stack: Stack;
  readonly d: Display;
  readonly resources: Record<string, Json>;
  /** The report of another stack of the same app, without its own consumers (they could point back here). */
  readonly reportOf: (stack: Stack) => Json;
}

/** One grant of a consumer policy, as the schema says (README, "Access report"). */
interface Grant {
  bucketArn: string;
  keyArn: string | null;
  access: 'READ' | 'WRITE' | 'READ_WRITE';
  prefix: string | null;
  allows: { identityPolicy: string; bucketPolicy: string; keyPolicy: string };
}

interface GrantAcc {
  readonly bucketArn: string;
  readonly name?: string;
  readonly prefix: string | null;
  /** An account named by the ARN itself (an access point). */
  readonly arnAccount?: string;
  readonly actions: Set<string>;
  readonly sids: string[];
  keyArn: string | null;
  keyAccount?: string;
}

const IDENTITY_POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];
const INLINE_POLICY_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

function asList(v: unknown): any[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** Whether an IAM action pattern (`s3:Get*`, `*`) matches an action. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(action);
}

function accessOf(actions: Iterable<string>, read: string[], write: string[]): 'READ' | 'WRITE' | 'READ_WRITE' {
  const list = [...actions];
  const reads = list.some((a) => read.some((r) => matches(a, r)));
  const writes = list.some((a) => write.some((w) => matches(a, w)));
  return reads && writes ? 'READ_WRITE' : writes ? 'WRITE' : 'READ';
}

const S3_READ = ['s3:GetObject'];
const S3_WRITE = ['s3:PutObject', 's3:DeleteObject'];
const KMS_READ = ['kms:Decrypt'];
const KMS_WRITE = ['kms:GenerateDataKey'];

/** The access level S3 actions give: objects read, written (or deleted), or both; listing alone is reading. */
export function s3AccessOf(actions: Iterable<string>): 'READ' | 'WRITE' | 'READ_WRITE' {
  return accessOf(actions, S3_READ, S3_WRITE);
}

function covers(shared: string, wanted: string): boolean {
  return shared === 'READ_WRITE' || shared === wanted;
}

const S3_BUCKET_ARN = /^(arn:[^:]+:s3:::)([^/]+)(?:\/(.*))?$/;
const S3_ACCESS_POINT_ARN = /^(arn:[^:]+:s3:[^:]*:([^:]*):accesspoint\/[^/]+)(?:\/object\/(.*))?$/;
const KMS_ARN = /^arn:[^:]+:kms:[^:]*:([^:]*):(?:key|alias)\/.+$/;

/** The `consumers[]` of the report: one entry per consumer-side IAM policy of the stack, in template order. */
export function consumerEntries(ctx: ConsumerContext): Json[] {
  const { stack, d, resources } = ctx;
  const account = d.str(stack.account);
  const records = new Map<string, ConsumerPolicyRecord>();
  for (const r of consumerPoliciesOf(stack)) {
    records.set(stack.resolve((r.policy.node.defaultChild as any).logicalId), r);
  }
  const ownBuckets = new Set<string>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::S3::Bucket') continue;
    ownBuckets.add(id);
    const name = d.json(r.Properties?.BucketName);
    if (typeof name === 'string') ownBuckets.add(name);
  }
  const siblings = siblingBuckets(stack);
  const reports = new Map<Stack, Json>();
  const reportOf = (s: Stack) => {
    if (!reports.has(s)) reports.set(s, ctx.reportOf(s));
    return reports.get(s);
  };

  const out: Json[] = [];
  const policies: Array<{ id: string; doc: Json; attachedTo: string[] }> = [];
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    if (IDENTITY_POLICY_TYPES.includes(r.Type)) {
      const attachedTo = [
        ...asList(p.Roles).map((x) => principalOf(ctx, x, 'AWS::IAM::Role', 'role')),
        ...asList(p.Users).map((x) => principalOf(ctx, x, 'AWS::IAM::User', 'user')),
        ...asList(p.Groups).map((x) => principalOf(ctx, x, 'AWS::IAM::Group', 'group')),
      ];
      policies.push({ id, doc: p.PolicyDocument, attachedTo });
    } else if (INLINE_POLICY_TYPES.includes(r.Type)) {
      for (const inline of asList(p.Policies)) {
        policies.push({ id: `${id}/${d.str(inline.PolicyName)}`, doc: inline.PolicyDocument, attachedTo: [`\${${id}.Arn}`] });
      }
    }
  }

  for (const { id, doc, attachedTo } of policies) {
    const record = records.get(id);
    const fromConstruct = record !== undefined;
    const statements = asList(doc?.Statement).filter((s) => s.Effect === 'Allow');
    const grants: GrantAcc[] = [];
    const sidOf = (s: Json) => (typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : `statement ${asList(doc?.Statement).indexOf(s) + 1}`);
    const grantFor = (bucketArn: string, prefix: string | null, name?: string, arnAccount?: string) => {
      let g = grants.find((x) => x.bucketArn === bucketArn && x.prefix === prefix);
      if (!g) {
        g = { bucketArn, name, prefix, arnAccount, actions: new Set(), sids: [], keyArn: null };
        grants.push(g);
      }
      return g;
    };
    const addSid = (g: GrantAcc, sid: string) => {
      if (!g.sids.includes(sid)) g.sids.push(sid);
    };
    // Bucket-level statements (listing) join the object grants of their bucket, or make one.
    const bucketLevel: Array<{ s: Json; bucketArn: string; name?: string; arnAccount?: string; actions: string[] }> = [];

    for (const s of statements) {
      const actions = asList(s.Action).filter((a) => typeof a === 'string' && (a === '*' || /^s3:/i.test(a)));
      if (actions.length === 0) continue;
      for (const raw of asList(s.Resource)) {
        const r = d.str(raw);
        const parsed = parseS3(r);
        if (!parsed) {
          if (fromConstruct && r !== '*') {
            const [bucketArn, ...rest] = r.split('/');
            const g = rest.length ? grantFor(bucketArn, prefixOf(rest.join('/'))) : undefined;
            if (g) {
              actions.forEach((a) => g.actions.add(a));
              addSid(g, sidOf(s));
            } else {
              bucketLevel.push({ s, bucketArn, actions });
            }
          }
          continue;
        }
        if (parsed.ownStack(ownBuckets)) continue;
        if (parsed.objectPath === undefined) {
          bucketLevel.push({ s, bucketArn: parsed.bucketArn, name: parsed.name, arnAccount: parsed.account, actions });
        } else {
          const g = grantFor(parsed.bucketArn, prefixOf(parsed.objectPath), parsed.name, parsed.account);
          actions.forEach((a) => g.actions.add(a));
          addSid(g, sidOf(s));
        }
      }
    }
    for (const b of bucketLevel) {
      let targets = grants.filter((g) => g.bucketArn === b.bucketArn);
      if (targets.length === 0) {
        const listed = asList(b.s.Condition?.StringLike?.['s3:prefix'] ?? b.s.Condition?.StringEquals?.['s3:prefix']).map((v) => d.str(v));
        targets = [grantFor(b.bucketArn, listed.length === 1 ? prefixOf(listed[0]) : null, b.name, b.arnAccount)];
      }
      for (const g of targets) {
        b.actions.forEach((a) => g.actions.add(a));
        addSid(g, sidOf(b.s));
      }
    }

    // KMS: keys of another account, tied to a bucket by the encryption context when the statement says so.
    const keys: Array<{ arn: string; account?: string; buckets: string[]; actions: string[]; sid: string }> = [];
    for (const s of statements) {
      const actions = asList(s.Action).filter((a) => typeof a === 'string' && (a === '*' || /^kms:/i.test(a)));
      if (actions.length === 0) continue;
      const context: string[] = [];
      for (const op of Object.values(s.Condition ?? {})) {
        for (const [k, v] of Object.entries(op as Record<string, unknown>)) {
          if (/^kms:EncryptionContext:aws:s3:arn$/i.test(k)) context.push(...asList(v).map((x) => d.str(x).split('/')[0]));
        }
      }
      for (const raw of asList(s.Resource)) {
        const r = d.str(raw);
        const m = KMS_ARN.exec(r);
        const keyAccount = m && !m[1].includes('${') ? m[1] : undefined;
        const other = m !== null && ((keyAccount !== undefined && keyAccount !== account) || (fromConstruct && m[1] !== account && m[1] !== '${AWS::AccountId}'));
        if (other) keys.push({ arn: r, account: keyAccount, buckets: [...new Set(context)], actions, sid: sidOf(s) });
      }
    }
    const assigned = new Set<object>();
    for (const g of grants) {
      const key = keys.find((k) => k.buckets.includes(g.bucketArn)) ?? (keys.length === 1 && keys[0].buckets.length === 0 ? keys[0] : undefined);
      if (key) {
        g.keyArn = key.arn;
        g.keyAccount = key.account;
        addSid(g, key.sid);
        assigned.add(key);
      }
    }
    for (const k of keys.filter((x) => !assigned.has(x))) {
      const g = grantFor(k.buckets[0] ?? '*', null);
      g.keyArn = k.arn;
      g.keyAccount = k.account;
      k.actions.forEach((a) => g.actions.add(a));
      addSid(g, k.sid);
    }

    const shown: Grant[] = [];
    const kept: GrantAcc[] = [];
    for (const g of grants) {
      const sibling = g.name !== undefined ? siblings().get(g.name) : undefined;
      if (sibling && d.str(sibling.account) === account && !fromConstruct) continue; // a bucket of this account, in another stack
      kept.push(g);
      const s3Actions = [...g.actions].filter((a) => !/^kms:/i.test(a));
      const kmsOnly = s3Actions.length === 0;
      const access = kmsOnly ? accessOf(g.actions, KMS_READ, KMS_WRITE) : s3AccessOf(s3Actions);
      const owner = sibling ? d.str(sibling.account) : g.arnAccount ?? (record?.ownerAccount !== undefined ? d.str(record.ownerAccount) : undefined);
      const proof = sibling ? proofIn(reportOf(sibling), g.name!, account, access, g.prefix) : undefined;
      shown.push({
        bucketArn: g.bucketArn,
        keyArn: g.keyArn,
        access,
        prefix: g.prefix,
        allows: {
          identityPolicy: `proven here (${g.sids.join(', ')})`,
          bucketPolicy: g.bucketArn === '*'
            ? 'n/a: the key is not tied to one bucket (its key policy still needs the owner)'
            : proof?.bucket ?? heldBy(owner, 'its bucket policy', 'an S3 bucket ARN names no account'),
          keyPolicy: g.keyArn === null
            ? 'no key named by this policy: none needed under SSE-S3; an SSE-KMS bucket also needs a KMS grant'
            : proof?.key ?? heldBy(g.keyAccount ?? owner, 'its key policy', 'the key ARN names no account'),
        },
      });
    }
    if (shown.length === 0 && !fromConstruct) continue;
    out.push({
      policy: id,
      sids: [...new Set(kept.flatMap((g) => g.sids))],
      attachedTo,
      grants: shown,
    });
  }
  return out;
}

function heldBy(account: string | undefined, what: string, why: string): string {
  return account !== undefined ? `must be held by account ${account} (${what})` : `owner unknown: must be held by the account that owns it (${what}; ${why})`;
}

interface ParsedS3 {
  readonly bucketArn: string;
  readonly name?: string;
  readonly account?: string;
  readonly objectPath?: string;
  ownStack(own: Set<string>): boolean;
}

function parseS3(r: string): ParsedS3 | undefined {
  const ap = S3_ACCESS_POINT_ARN.exec(r);
  if (ap) {
    return { bucketArn: ap[1], account: ap[2], objectPath: ap[3], ownStack: () => false };
  }
  const own = /^\$\{([A-Za-z0-9]+)\.Arn\}(?:\/(.*))?$/.exec(r);
  if (own) {
    return { bucketArn: `\${${own[1]}.Arn}`, objectPath: own[2], ownStack: (ids) => ids.has(own[1]) };
  }
  const m = S3_BUCKET_ARN.exec(r);
  if (!m || m[2] === '*') {
    return undefined;
  }
  const ref = /^\$\{([A-Za-z0-9]+)\}$/.exec(m[2]);
  return { bucketArn: m[1] + m[2], name: ref ? undefined : m[2], objectPath: m[3], ownStack: (ids) => ids.has(ref ? ref[1] : m[2]) };
}

/** The share prefix an object resource names: `incoming/*` → `incoming/`, `*` → null. */
function prefixOf(objectPath: string): string | null {
  const p = objectPath.endsWith('*') ? objectPath.slice(0, -1) : objectPath;
  return p === '' ? null : p;
}

/** The physical names of the buckets of the other stacks of the app (or stage), with their stacks; computed on first use. */
function siblingBuckets(stack: Stack): () => Map<string, Stack> {
  let names: Map<string, Stack> | undefined;
  return () => {
    if (names) return names;
    names = new Map();
    const stage = Stage.of(stack);
    if (!stage) return names;
    for (const other of stage.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c !== stack && Stage.of(c) === stage)) {
      for (const cfn of resourcesOfStack(other, 'AWS::S3::Bucket') as s3.CfnBucket[]) {
        const name = physicalBucketName(cfn);
        if (name !== undefined && !Token.isUnresolved(name)) names.set(name, other);
      }
    }
    return names;
  };
}

/** Where the owner's report (a stack of the same app) shows the share a grant needs, or says it shows none. */
function proofIn(report: Json, name: string, account: string, access: string, prefix: string | null): { bucket: string; key?: string } | undefined {
  const bucket = (report.buckets ?? []).find((b: Json) => b.name === name);
  if (!bucket) return undefined;
  const accountsOf = (label: string): string[] => (report.partners ?? []).find((p: Json) => p.partner === label)?.accounts ?? [];
  const share = (bucket.partners ?? []).find(
    (p: Json) =>
      p.kind === 'ACCOUNT' &&
      accountsOf(p.partner).includes(account) &&
      covers(p.access, access) &&
      (p.prefix === null || (prefix !== null && prefix.startsWith(p.prefix))) &&
      p.bucketPolicySids.length > 0,
  );
  const stackName = report.stack.name;
  if (!share) {
    return {
      bucket: `not granted in stack ${stackName}: its report shows no share of ${bucket.path} with account ${account} for ${access}${prefix ? ` under ${prefix}` : ''} (its bucket policy must allow it)`,
      key: `not granted in stack ${stackName} (no share of ${bucket.path} with account ${account})`,
    };
  }
  return {
    bucket: `proven in stack ${stackName} (Sid ${share.bucketPolicySids.join(', ')})`,
    key: share.keyPolicyManagedHere && share.keyPolicySid
      ? `proven in stack ${stackName} (Sid ${share.keyPolicySid})`
      : undefined,
  };
}

function principalOf(ctx: ConsumerContext, ref: unknown, type: string, kind: string): string {
  const id = (ref as any)?.Ref;
  if (typeof id === 'string' && ctx.resources[id]?.Type === type) {
    return `\${${id}.Arn}`;
  }
  const name = ctx.d.str(ref);
  return name.startsWith('arn:') ? name : `arn:${ctx.d.str(ctx.stack.partition)}:iam::${ctx.d.str(ctx.stack.account)}:${kind}/${name}`;
}
