import { Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { FactKey, StackFacts } from './facts';
import { IntrinsicMode, walkIntrinsics } from '../analysis/intrinsics';

/** The compliance packs of cdk-nag this library keeps clean, by rule-id prefix. */
const PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
/** Rule-id prefixes of the cdk-nag packs whose acknowledgements are written into templates. */
const NAG_PREFIXES = [...PACKS, 'DataProtection'].map((p) => `${p}-`);

/**
 * Acknowledges a cdk-nag rule, in every pack that has it, on one construct,
 * with a reason reviewers can read. Used only where the finding is a choice
 * the user makes (replication) or a limit of AWS (log target encryption).
 *
 * The same choice is acknowledged, with the same reason, for the other
 * scanners that check it ({@link COMPANIONS}): AWS Control Tower's proactive
 * controls (cdk-validator-cfnguard) and checkov. Each acknowledgement is
 * written where its tool reads it (see {@link WriteAcknowledgementsToTemplate}).
 */
export function acknowledgeNagRule(scope: IConstruct, rule: string, reason: string, packs: string[] = PACKS): void {
  for (const pack of packs) {
    Validations.of(scope).acknowledge({ id: `${pack}-${rule}`, reason });
  }
  const companions = (COMPANIONS[rule] ?? []).filter((c) => !c.onlyWithReason || c.onlyWithReason === reason);
  const acks = StackFacts.of(scope).get(COMPANION_ACKS);
  const firstOnScope = !acks.has(scope);
  const made = companions.map((c) => ({ ...c, reason: c.reason ?? reason }));
  acks.set(scope, [...(acks.get(scope) ?? []), ...made]);
  for (const ack of made) {
    if (ack.scanner === 'cfn-guard' && pluginAcknowledgementsArePathScoped()) {
      Validations.of(scope).acknowledge({ id: `${CFN_GUARD_PLUGIN}::${ack.rule}`, reason: ack.reason });
    }
  }
  if (firstOnScope) {
    Aspects.of(scope).add(new WriteAcknowledgementsToTemplate(scope, false));
  }
}

export const REPLICATION_REASON =
  'Cross-Region replication is a retention and DR choice (cost, a second Region) left to the user: add replicationRules.';
export const LOG_TARGET_SSE_S3_REASON =
  'Server access log target: AWS does not support SSE-KMS on a log target bucket, so it uses SSE-S3.';
export const OBJECT_LOCK_REASON =
  'Object Lock is an irreversible retention choice left to the user: set objectLockEnabled and a default retention.';
export const LIFECYCLE_REASON =
  'How long versions are kept is a retention choice; every version is kept until the user sets lifecycleRules.';
export const EVENT_NOTIFICATIONS_REASON =
  "Event notifications protect no data; their consumer is the user's choice (addEventNotification).";
export const LOG_TARGET_NOT_LOGGED_REASON =
  'This is the server access log target; logging it would log its own log deliveries without end.';

/** The name `@cdklabs/cdk-validator-cfnguard`'s plugin reports under, the namespace of its acknowledgement ids. */
const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

/**
 * Whether aws-cdk-lib applies an acknowledgement of a validation plugin's
 * rule (`<plugin>::<rule>`) only to the resources under the construct that
 * made it. From aws-cdk-lib 2.271 it does; before, one acknowledgement
 * removed the rule's violations for the whole app, so the library makes none
 * there (the Control Tower controls then read `Metadata.guard`).
 */
function pluginAcknowledgementsArePathScoped(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const [major, minor] = (require('aws-cdk-lib/package.json').version as string).split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 271);
}

/** A scanner other than cdk-nag whose findings the library acknowledges. */
type Scanner = 'cfn-guard' | 'checkov';

/** A rule of another scanner acknowledged together with a cdk-nag rule. */
interface Companion {
  readonly scanner: Scanner;
  /** What the tool reports: a Control Tower control id (`CT.S3.PR.9`), a checkov check id (`CKV_AWS_18`). */
  readonly id: string;
  /** For cfn-guard, the guard rule's name, the rule name the plugin reports (`s3_bucket_object_lock_enabled_check`). */
  readonly rule?: string;
  /** The resource type the rule reports on: only those resources carry the acknowledgement. */
  readonly resourceType: string;
  /** Its own reason; default the reason of the cdk-nag acknowledgement. */
  readonly reason?: string;
  /** Only when the cdk-nag rule is acknowledged with this reason. */
  readonly onlyWithReason?: string;
}

const BUCKET = 'AWS::S3::Bucket';

/**
 * The rules of other scanners acknowledged with a cdk-nag rule, by its name:
 * the same check (encryption, logging), or, with the replication choice that
 * the library leaves to the user on every bucket it makes, the other
 * data-lifecycle choices it leaves to the user.
 *
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/s3-rules.html
 * @see https://www.checkov.io/5.Policy%20Index/cloudformation.html
 */
const COMPANIONS: Record<string, Companion[]> = {
  S3DefaultEncryptionKMS: [
    { scanner: 'cfn-guard', id: 'CT.S3.PR.10', rule: 's3_bucket_default_encryption_kms_check', resourceType: BUCKET },
    {
      scanner: 'cfn-guard',
      id: 'CT.S3.PR.2',
      rule: 's3_bucket_logging_enabled_check',
      resourceType: BUCKET,
      reason: LOG_TARGET_NOT_LOGGED_REASON,
      onlyWithReason: LOG_TARGET_SSE_S3_REASON,
    },
    { scanner: 'checkov', id: 'CKV_AWS_18', resourceType: BUCKET, reason: LOG_TARGET_NOT_LOGGED_REASON, onlyWithReason: LOG_TARGET_SSE_S3_REASON },
  ],
  S3BucketLoggingEnabled: [
    { scanner: 'cfn-guard', id: 'CT.S3.PR.2', rule: 's3_bucket_logging_enabled_check', resourceType: BUCKET },
    { scanner: 'checkov', id: 'CKV_AWS_18', resourceType: BUCKET },
  ],
  S3BucketReplicationEnabled: [
    { scanner: 'cfn-guard', id: 'CT.S3.PR.9', rule: 's3_bucket_object_lock_enabled_check', resourceType: BUCKET, reason: OBJECT_LOCK_REASON },
    { scanner: 'cfn-guard', id: 'CT.S3.PR.3', rule: 's3_version_lifecycle_policy_check', resourceType: BUCKET, reason: LIFECYCLE_REASON },
    { scanner: 'cfn-guard', id: 'CT.S3.PR.6', rule: 's3_lifecycle_policy_check', resourceType: BUCKET, reason: LIFECYCLE_REASON },
    { scanner: 'cfn-guard', id: 'CT.S3.PR.4', rule: 's3_event_notifications_enabled_check', resourceType: BUCKET, reason: EVENT_NOTIFICATIONS_REASON },
  ],
};

/** A companion acknowledged on a construct, with its reason. */
interface CompanionAck extends Companion {
  readonly reason: string;
}

/** The companion acknowledgements made on each construct of a stack, written into templates by an aspect. */
const COMPANION_ACKS = new FactKey<Map<IConstruct, CompanionAck[]>>('core.companionAcks', () => new Map());

/**
 * Writes acknowledgements into the CloudFormation `Metadata` of resources,
 * where the tools that read only templates find them:
 *
 * - `cdk_nag.rules_to_suppress: [{ id, reason }]` (cdk-nag v2, and cdk-nag 3's
 *   `writeSuppressionsToCloudFormation`), for cdk-nag rule ids (`AwsSolutions-S1`);
 * - `guard.SuppressedRules: [id]` (the convention of the AWS Guard rules
 *   registry) with `guard.Reasons: { id: reason }`, for Control Tower controls;
 * - `checkov.skip: [{ id, comment }]`, checkov's own;
 * - `cfn-lint.config.ignore_checks: [id]`, cfn-lint's own.
 *
 * What is written: the acknowledgements made with `Validations.acknowledge`
 * on the resource or any construct above it (a cdk-nag id, or
 * `cdk-validator-cfnguard::<control or guard rule>`, `checkov::<check>`,
 * `cfn-lint::<rule>`), and the companions of {@link acknowledgeNagRule}.
 *
 * With `everyResource` false (the library's own acknowledgements) only the
 * construct itself or its default child (the `CfnBucket` of a `Bucket`)
 * carries them; a construct without one writes to every resource under it.
 */
export class WriteAcknowledgementsToTemplate implements IAspect {
  constructor(private readonly scope: IConstruct, private readonly everyResource: boolean) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const target = CfnResource.isCfnResource(this.scope) ? this.scope : this.scope.node.defaultChild;
    if (!this.everyResource && target && node !== target) return;
    const found: Record<'nag' | Scanner | 'cfn-lint', Map<string, string>> = { 'nag': new Map(), 'cfn-guard': new Map(), 'checkov': new Map(), 'cfn-lint': new Map() };
    const add = (kind: keyof typeof found, id: string, why: string) => {
      if (!found[kind].has(id)) found[kind].set(id, why);
    };
    const acks = StackFacts.of(node).get(COMPANION_ACKS);
    for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
      for (const entry of c.node.metadata) {
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
          for (const [qualified, why] of Object.entries(entry.data as Record<string, string>)) {
            const namespace = ACK_NAMESPACES.find((n) => qualified.toLowerCase().startsWith(`${n.toLowerCase()}::`));
            const rule = namespace ? qualified.slice(namespace.length + 2) : qualified;
            if ((namespace === undefined || namespace === 'annotation') && isNagRuleId(rule)) add('nag', rule, why);
            else if (namespace === CFN_GUARD_PLUGIN) add('cfn-guard', controlOf(rule), why);
            else if (namespace === 'checkov' || namespace === 'cfn-lint') add(namespace, rule, why);
          }
        }
      }
      for (const ack of acks.get(c) ?? []) {
        if (ack.resourceType === node.cfnResourceType) add(ack.scanner, ack.id, ack.reason);
      }
    }
    for (const [id, why] of found.nag) writeNagAcknowledgment(node, id, why);
    const sorted = (m: Map<string, string>) => [...m.keys()].sort();
    if (found['cfn-guard'].size > 0) {
      const ids = sorted(found['cfn-guard']);
      node.addMetadata('guard', { SuppressedRules: ids, Reasons: Object.fromEntries(ids.map((id) => [id, found['cfn-guard'].get(id)])) });
    }
    if (found.checkov.size > 0) {
      node.addMetadata('checkov', { skip: sorted(found.checkov).map((id) => ({ id, comment: found.checkov.get(id) })) });
    }
    if (found['cfn-lint'].size > 0) {
      node.addMetadata('cfn-lint', { config: { ignore_checks: sorted(found['cfn-lint']) } });
    }
  }
}

/**
 * The namespaces of acknowledgement ids (`<namespace>::<rule>`) the writer reads:
 * aws-cdk-lib's own for annotations (a plain id such as a cdk-nag rule id is
 * recorded under it from aws-cdk-lib 2.271), then the scanners'.
 */
const ACK_NAMESPACES = ['annotation', CFN_GUARD_PLUGIN, 'checkov', 'cfn-lint'] as const;

/** Whether `id` has the shape of a cdk-nag rule id, `<Pack>-<Rule>` (`AwsSolutions-S1`, `NIST.800.53.R5-S3BucketLoggingEnabled`). */
function isNagRuleId(id: string): boolean {
  return NAG_PREFIXES.some((p) => id.startsWith(p)) || (!id.includes(':') && /^[A-Za-z][\w.]*-[A-Za-z0-9]/.test(id));
}

/** The Control Tower control id of a guard rule name of {@link COMPANIONS} (`s3_bucket_logging_enabled_check` is `CT.S3.PR.2`), or the name as given. */
function controlOf(rule: string): string {
  for (const companions of Object.values(COMPANIONS)) {
    const c = companions.find((x) => x.rule === rule);
    if (c) return c.id;
  }
  return rule;
}


/**
 * Acknowledges AwsSolutions-IAM5 for each wildcard resource of a policy
 * document this library generated, by the exact finding id cdk-nag reports
 * (`AwsSolutions-IAM5[Resource::<flattened ARN>]`), so that a wildcard added
 * to the same policy by anyone else is still reported.
 */
export function acknowledgeWildcardResources(scope: IConstruct, document: iam.PolicyDocument, reason: string): void {
  const resolved = Stack.of(scope).resolve(document.toJSON()) ?? {};
  for (const statement of resolved.Statement ?? []) {
    for (const resource of [].concat(statement.Resource ?? [])) {
      const flat = walkIntrinsics(resource, FINDING_TEXT);
      if (flat.includes('*')) {
        recordAcknowledgment(scope, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
      }
    }
  }
}

/** `${Name}` of a `Fn::Sub` template as cdk-nag writes it in a finding id, `<Name>`. */
const angleBrackets = (text: string): string => text.replace(/\$\{/g, '<').replace(/\}/g, '>');

/**
 * A resolved CloudFormation value as cdk-nag writes it into the ids of its
 * findings (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`): a `Ref` as
 * `<Name>`, a `Fn::GetAtt` as `<Id.Attribute>`, a `Fn::Join` joined, a
 * `Fn::Sub` with its variables in angle brackets. An acknowledgement must
 * name the finding exactly; a value in a form not listed here gets an id
 * that matches nothing, so the finding is reported, never hidden.
 *
 * @see https://github.com/cdklabs/cdk-nag#suppressing-a-rule
 */
const FINDING_TEXT: IntrinsicMode<string> = {
  literal: (value) => (typeof value === 'string' ? angleBrackets(value) : JSON.stringify(value)),
  ref: (name) => `<${name}>`,
  getAtt: (logicalId, attribute) => `<${logicalId}.${attribute}>`,
  join: (separator, parts) => (Array.isArray(parts) ? parts.join(separator) : parts),
  sub: (literals, values) => literals.map((l, i) => angleBrackets(l) + (values[i] ?? '')).join(''),
  importValue: (name) => name,
  unknown: (fn) => `<unreadable ${fn ?? 'value'}>`,
};

/**
 * Records an acknowledgement in the construct metadata cdk-nag reads, as
 * `Validations.acknowledge` does. Used for finding ids that hold `::` more
 * than once (an ARN with `<AWS::Partition>`), which `Validations.acknowledge`
 * refuses as malformed.
 */
function recordAcknowledgment(scope: IConstruct, id: string, reason: string): void {
  const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  const entries = scope.node.metadata.filter((m) => m.type === key);
  const acknowledged = { ...(entries.length > 0 ? entries[entries.length - 1].data : {}), [id]: reason };
  scope.node.addMetadata(key, acknowledged);
  // Recorded during validation, after aspects ran, but before templates are written: write it there too.
  const resource = CfnResource.isCfnResource(scope) ? scope : scope.node.defaultChild;
  if (resource && CfnResource.isCfnResource(resource)) writeNagAcknowledgment(resource, id, reason);
}

/** Adds `{ id, reason }` to the resource's `Metadata.cdk_nag.rules_to_suppress`, sorted by id, once. */
function writeNagAcknowledgment(resource: CfnResource, id: string, reason: string): void {
  const rules: { id: string; reason: string }[] = [...(resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [])];
  if (rules.some((r) => r.id === id)) return;
  rules.push({ id, reason });
  rules.sort((a, b) => a.id.localeCompare(b.id));
  resource.addMetadata('cdk_nag', { rules_to_suppress: rules });
}
