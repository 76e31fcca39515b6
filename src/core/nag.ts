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
 * The acknowledgement is also written into the CloudFormation `Metadata` of
 * every resource under `scope` (see {@link WriteAcknowledgementsToTemplate}),
 * so scanners that only see templates honour it too, and so are the AWS
 * Control Tower controls that check the same choice ({@link CONTROL_TOWER_COMPANIONS}).
 */
export function acknowledgeNagRule(scope: IConstruct, rule: string, reason: string, packs: string[] = PACKS): void {
  for (const pack of packs) {
    Validations.of(scope).acknowledge({ id: `${pack}-${rule}`, reason });
  }
  const companions = (CONTROL_TOWER_COMPANIONS[rule] ?? []).filter((c) => !c.onlyWithReason || c.onlyWithReason === reason);
  const acks = StackFacts.of(scope).get(CONTROL_TOWER_ACKS);
  const firstOnScope = !acks.has(scope);
  acks.set(scope, [...(acks.get(scope) ?? []), ...companions.map((c) => ({ id: c.id, reason: c.reason ?? reason, resourceType: c.resourceType }))]);
  if (firstOnScope) {
    Aspects.of(scope).add(new WriteAcknowledgementsToTemplate(scope));
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

/**
 * An AWS Control Tower proactive control (checked by `@cdklabs/cdk-validator-cfnguard`)
 * acknowledged together with a cdk-nag rule.
 */
interface ControlTowerCompanion {
  /** Control Tower control id, e.g. `CT.S3.PR.9`. */
  readonly id: string;
  /** The resource type the control reports on: only those resources carry the acknowledgement. */
  readonly resourceType: string;
  /** Its own reason; default the reason of the cdk-nag acknowledgement. */
  readonly reason?: string;
  /** Only when the cdk-nag rule is acknowledged with this reason. */
  readonly onlyWithReason?: string;
}

/**
 * The Control Tower controls acknowledged with a cdk-nag rule, by rule name:
 * the same check (encryption, logging), or, with the replication choice that
 * the library leaves to the user on every bucket it makes, the other
 * data-lifecycle choices it leaves to the user.
 */
const CONTROL_TOWER_COMPANIONS: Record<string, ControlTowerCompanion[]> = {
  S3DefaultEncryptionKMS: [
    { id: 'CT.S3.PR.10', resourceType: 'AWS::S3::Bucket' },
    { id: 'CT.S3.PR.2', resourceType: 'AWS::S3::Bucket', reason: LOG_TARGET_NOT_LOGGED_REASON, onlyWithReason: LOG_TARGET_SSE_S3_REASON },
  ],
  S3BucketLoggingEnabled: [{ id: 'CT.S3.PR.2', resourceType: 'AWS::S3::Bucket' }],
  S3BucketReplicationEnabled: [
    { id: 'CT.S3.PR.9', resourceType: 'AWS::S3::Bucket', reason: OBJECT_LOCK_REASON },
    { id: 'CT.S3.PR.3', resourceType: 'AWS::S3::Bucket', reason: LIFECYCLE_REASON },
    { id: 'CT.S3.PR.6', resourceType: 'AWS::S3::Bucket', reason: LIFECYCLE_REASON },
    { id: 'CT.S3.PR.4', resourceType: 'AWS::S3::Bucket', reason: EVENT_NOTIFICATIONS_REASON },
  ],
};

/** A Control Tower control acknowledged on a construct, for the resources of one type under it. */
interface ControlTowerAck {
  readonly id: string;
  readonly reason: string;
  readonly resourceType: string;
}

/** The Control Tower acknowledgements made on each construct of a stack, written into templates by an aspect. */
const CONTROL_TOWER_ACKS = new FactKey<Map<IConstruct, ControlTowerAck[]>>('core.controlTowerAcks', () => new Map());

/**
 * Writes the acknowledgements that apply to the resource of an acknowledging
 * construct (made on it or on any construct above it) into its CloudFormation
 * `Metadata`, where tools that read only templates find them:
 *
 * - `cdk_nag.rules_to_suppress: [{ id, reason }]`, the format of cdk-nag v2
 *   (and of cdk-nag 3's `writeSuppressionsToCloudFormation`);
 * - `guard.SuppressedRules: [id]`, the convention of the AWS Guard rules
 *   registry, with `guard.Reasons: { id: reason }` beside it.
 *
 * The resource is the construct itself or its default child (the `CfnBucket`
 * of a `Bucket`); a construct without one writes to every resource under it.
 */
class WriteAcknowledgementsToTemplate implements IAspect {
  constructor(private readonly scope: IConstruct) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const target = CfnResource.isCfnResource(this.scope) ? this.scope : this.scope.node.defaultChild;
    if (target && node !== target) return;
    const nag = new Map<string, string>();
    const guard = new Map<string, string>();
    const acks = StackFacts.of(node).get(CONTROL_TOWER_ACKS);
    for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
      for (const entry of c.node.metadata) {
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
          for (const [qualified, why] of Object.entries(entry.data as Record<string, string>)) {
            const id = qualified.replace(/^annotation::/i, '');
            if (NAG_PREFIXES.some((p) => id.startsWith(p)) && !nag.has(id)) nag.set(id, why);
          }
        }
      }
      for (const ack of acks.get(c) ?? []) {
        if (ack.resourceType === node.cfnResourceType && !guard.has(ack.id)) guard.set(ack.id, ack.reason);
      }
    }
    for (const [id, why] of nag) writeNagAcknowledgment(node, id, why);
    if (guard.size > 0) {
      const ids = [...guard.keys()].sort();
      node.addMetadata('guard', { SuppressedRules: ids, Reasons: Object.fromEntries(ids.map((id) => [id, guard.get(id)])) });
    }
  }
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
