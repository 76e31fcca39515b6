import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AccessLevel, Partner, PrefixMatch } from './partner';
import { FactKey, StackFacts } from '../core/facts';

/** One partner share of one bucket. */
export interface ShareRecord {
  readonly partner: Partner;
  readonly access: AccessLevel;
  /** Object key prefix the share is limited to, e.g. `incoming/`; undefined for the whole bucket. */
  readonly prefix?: string;
  /** What the prefix matches (a folder, or a raw key-name prefix); undefined without a prefix. */
  readonly prefixMatch?: PrefixMatch;
  /** The access point the share was written to (`SharingMode.ACCESS_POINTS`); undefined when in the bucket policy. */
  readonly accessPoint?: SharedAccessPoint;
}

/** An S3 access point whose policy holds partner shares. */
export interface SharedAccessPoint {
  readonly resource: s3.CfnAccessPoint;
  /** Its name. */
  readonly name: string;
  /** Its ARN, built from the name. */
  readonly arn: string;
}

/** The partner shares of each bucket, in the bucket's stack, with the keys of those recorded (the same share twice is one). */
const SHARES = new FactKey<Map<s3.IBucket, { records: ShareRecord[]; seen: Set<string> }>>('sharing.shares', () => new Map());

/** Records a share, so other constructs (VpcEndpointAccess, the access report) can read it lazily; a share already recorded is not recorded again. */
export function registerShare(bucket: s3.IBucket, share: ShareRecord): void {
  const shares = StackFacts.of(bucket).get(SHARES);
  const match = share.prefix !== undefined ? share.prefixMatch ?? PrefixMatch.FOLDER : undefined;
  const key = JSON.stringify([share.partner._identity(), share.access, share.prefix, match]);
  // appended in place: copying the list on every share made n shares cost n² copies
  let recorded = shares.get(bucket);
  if (!recorded) {
    recorded = { records: [], seen: new Set() };
    shares.set(bucket, recorded);
  }
  if (!recorded.seen.has(key)) {
    recorded.seen.add(key);
    recorded.records.push(share);
  }
}

/** The shares recorded for a bucket so far. Read it lazily (at synth), as shares may be added later. */
export function sharesOf(bucket: s3.IBucket): ShareRecord[] {
  return [...(StackFacts.of(bucket).get(SHARES).get(bucket)?.records ?? [])];
}

/** What a `CrossAccountConsumerPolicy` says of the grant its managed policy holds (read by the access report). */
export interface ConsumerPolicyRecord {
  /** The managed policy it made. */
  readonly policy: iam.ManagedPolicy;
  /** The account that owns the shared bucket, when the ARNs or references tell (a token or undefined otherwise). */
  readonly ownerAccount?: string;
}

/** The consumer policies of each stack, in the order they were made. */
const CONSUMER_POLICIES = new FactKey<ConsumerPolicyRecord[]>('sharing.consumerPolicies', () => []);

/** Records a `CrossAccountConsumerPolicy`'s managed policy, so the access report lists it among the stack's consumer policies. */
export function registerConsumerPolicy(record: ConsumerPolicyRecord): void {
  StackFacts.of(record.policy).get(CONSUMER_POLICIES).push(record);
}

/** The consumer policies recorded in the stack of `scope`. */
export function consumerPoliciesOf(scope: IConstruct): ConsumerPolicyRecord[] {
  return [...StackFacts.of(scope).get(CONSUMER_POLICIES)];
}

/** The registry entry a share or grant was read from (`PartnerRegistry`), as the access report shows it. */
export interface RegistrySource {
  /** The registry file as given to `PartnerRegistry.fromFile` (relative to the working directory), or the name given with the text. */
  readonly file: string;
  /** The line of the entry in the file, from 1. */
  readonly line: number;
  /** The entry's index in `partners`, from 0. */
  readonly index: number;
  /** The entry's note, if it has one. */
  readonly note?: string;
}

/** The registry entries behind each statement (by Sid) of each bucket or key, with the partner of each. */
const REGISTRY_SOURCES = new FactKey<Map<IConstruct, Map<string, Array<{ identity: string; source: RegistrySource }>>>>('sharing.registrySources', () => new Map());

/** Records that the statement `sid` of `resource` (a bucket or key) holds `partner` because of a registry entry. */
export function registerRegistrySource(resource: IConstruct, sid: string, partner: Partner, source: RegistrySource): void {
  const byResource = StackFacts.of(resource).get(REGISTRY_SOURCES);
  let bySid = byResource.get(resource);
  if (!bySid) {
    bySid = new Map();
    byResource.set(resource, bySid);
  }
  const list = bySid.get(sid) ?? [];
  const identity = partner._identity();
  if (!list.some((x) => x.identity === identity && x.source.file === source.file && x.source.index === source.index)) {
    list.push({ identity, source });
  }
  bySid.set(sid, list);
}

/** The registry entries behind the statement `sid` of `resource`, for `partner` only when given. */
export function registrySourcesOf(resource: IConstruct, sid: string, partner?: Partner): RegistrySource[] {
  const list = StackFacts.of(resource).get(REGISTRY_SOURCES).get(resource)?.get(sid) ?? [];
  const identity = partner?._identity();
  return list.filter((x) => identity === undefined || x.identity === identity).map((x) => x.source);
}
