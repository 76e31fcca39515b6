/**
 * Collects, from a loaded cloud assembly with every intrinsic resolved, the
 * policies AWS would evaluate: bucket policies, key policies, identity
 * policies of the roles and users the templates define, and VPC endpoint
 * policies.
 */
import { LoadedAssembly, loadAssembly } from './assembly';
import { StackResolver } from '../resolve';

export interface NamedPolicy {
  readonly name: string;
  readonly policy: any;
}

export interface BucketModel {
  readonly stackId: string;
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** The bucket policy, resolved; undefined when the bucket has none. */
  readonly policy?: any;
  /** SSE algorithm of the default encryption: aws:kms, aws:kms:dsse, AES256 or none. */
  readonly algorithm: string;
  /** The full ARN of the default KMS key, when SSE-KMS or DSSE-KMS. */
  readonly keyArn?: string;
  readonly bucketKey: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** An S3 access point (`AWS::S3::AccessPoint`) with its policy, resolved. */
export interface AccessPointModel {
  readonly stackId: string;
  readonly logicalId: string;
  readonly name: string;
  /** `arn:aws:s3:<region>:<account>:accesspoint/<name>`. */
  readonly arn: string;
  /** The name of the bucket it is attached to. */
  readonly bucketName: string;
  readonly account: string;
  readonly region: string;
  readonly policy?: any;
  /** The VPC of its network origin; undefined for Internet. */
  readonly vpcId?: string;
}

export interface KeyModel {
  readonly stackId: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly policy: any;
}

export interface IdentityModel {
  readonly arn: string;
  readonly account: string;
  readonly policies: NamedPolicy[];
}

export interface EndpointModel {
  readonly stackId: string;
  readonly logicalId: string;
  readonly id: string;
  /** `s3`, `kms`... (the last part of the service name). */
  readonly service: string;
  readonly type: string;
  readonly vpcId?: string;
  readonly policy?: any;
}

/** A policy value that may be one item or a list (Statement, Action, Principal.AWS, Roles...), as a list; absent is []. */
export function asList(v: any): any[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

export class World {
  /** Loads an assembly directory. */
  public static fromDirectory(directory: string): World {
    return new World(loadAssembly(directory));
  }

  public readonly buckets = new Map<string, BucketModel>();
  public readonly keys = new Map<string, KeyModel>();
  public readonly identities = new Map<string, IdentityModel>();
  public readonly endpoints: EndpointModel[] = [];
  public readonly accessPoints = new Map<string, AccessPointModel>();
  public readonly resolvers = new Map<string, StackResolver>();

  constructor(public readonly assembly: LoadedAssembly) {
    for (const stack of assembly.stacks) {
      const r = new StackResolver(stack, assembly);
      this.resolvers.set(stack.id, r);
    }
    for (const stack of assembly.stacks) {
      this.collect(stack.id);
    }
  }

  /** The resolver of a stack, by artifact id. */
  public resolver(stackId: string): StackResolver {
    const r = this.resolvers.get(stackId);
    if (!r) throw new Error(`no stack ${stackId}; have ${[...this.resolvers.keys()].join(', ')}`);
    return r;
  }

  /** A bucket by name, ARN, or `<stackId>/<logicalId>`. */
  public bucket(ref: string): BucketModel {
    for (const b of this.buckets.values()) {
      if (b.name === ref || b.arn === ref || `${b.stackId}/${b.logicalId}` === ref) return b;
    }
    throw new Error(`no bucket ${ref}; have ${[...this.buckets.values()].map((b) => `${b.stackId}/${b.logicalId}`).join(', ')}`);
  }

  /** A bucket by the logical id prefix (the L2 id with the hash left off), e.g. `ExchangeBucket`. */
  public bucketByPrefix(prefix: string, stackId?: string): BucketModel {
    const found = [...this.buckets.values()].filter((b) => b.logicalId.startsWith(prefix) && (!stackId || b.stackId === stackId));
    if (found.length !== 1) throw new Error(`${found.length} buckets start with ${prefix}`);
    return found[0];
  }

  public key(arn: string): KeyModel {
    const k = this.keys.get(arn);
    if (!k) throw new Error(`no key ${arn}; have ${[...this.keys.keys()].join(', ')}`);
    return k;
  }

  /** The access points attached to a bucket, in template order. */
  public accessPointsOf(bucket: BucketModel): AccessPointModel[] {
    return [...this.accessPoints.values()].filter((a) => a.bucketName === bucket.name);
  }

  public endpoint(service: string, stackId?: string): EndpointModel | undefined {
    return this.endpoints.find((e) => e.service === service && (!stackId || e.stackId === stackId));
  }

  private collect(stackId: string): void {
    const r = this.resolver(stackId);
    const { stack } = r;
    const resources: Record<string, any> = stack.template.Resources ?? {};
    const res = (v: any) => r.resolve(v);
    const policies = new Map<string, any>();
    for (const x of Object.values<any>(resources)) {
      if (x.Type === 'AWS::S3::BucketPolicy') {
        policies.set(res(x.Properties.Bucket), res(x.Properties.PolicyDocument));
      }
    }
    const identityPolicies = new Map<string, NamedPolicy[]>();
    const attach = (principalArn: string, p: NamedPolicy) => {
      identityPolicies.set(principalArn, [...(identityPolicies.get(principalArn) ?? []), p]);
    };
    const principalArnOfRef = (ref: any, type: 'role' | 'user'): string => {
      const name = res(ref);
      const id = ref?.Ref;
      const path = id && resources[id]?.Properties?.Path ? res(resources[id].Properties.Path) : '/';
      return `arn:${r.partition}:iam::${stack.account}:${type}${path}${name}`;
    };
    const managed = new Map<string, any>();
    for (const [id, x] of Object.entries<any>(resources)) {
      const p = x.Properties ?? {};
      if (x.Type === 'AWS::IAM::Policy' || x.Type === 'AWS::IAM::ManagedPolicy') {
        const doc = res(p.PolicyDocument);
        if (x.Type === 'AWS::IAM::ManagedPolicy') managed.set(r.physicalId(id, x), doc);
        for (const role of asList(p.Roles)) attach(principalArnOfRef(role, 'role'), { name: id, policy: doc });
        for (const user of asList(p.Users)) attach(principalArnOfRef(user, 'user'), { name: id, policy: doc });
      }
    }
    for (const [id, x] of Object.entries<any>(resources)) {
      const p = x.Properties ?? {};
      if (x.Type === 'AWS::S3::Bucket') {
        const name = r.physicalId(id, x);
        const arn = r.getAtt(id, 'Arn');
        const rule = res(p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0] ?? {});
        const bpa = res(p.PublicAccessBlockConfiguration ?? {});
        this.buckets.set(name, {
          stackId,
          logicalId: id,
          name,
          arn,
          account: stack.account,
          region: stack.region,
          policy: policies.get(name),
          algorithm: rule.ServerSideEncryptionByDefault?.SSEAlgorithm ?? 'none',
          keyArn: rule.ServerSideEncryptionByDefault?.KMSMasterKeyID,
          bucketKey: rule.BucketKeyEnabled === true,
          restrictPublicBuckets: bpa.RestrictPublicBuckets === true,
        });
      } else if (x.Type === 'AWS::KMS::Key') {
        const arn = r.getAtt(id, 'Arn');
        this.keys.set(arn, { stackId, logicalId: id, arn, account: stack.account, region: stack.region, policy: res(p.KeyPolicy) });
      } else if (x.Type === 'AWS::IAM::Role' || x.Type === 'AWS::IAM::User') {
        const arn = r.getAtt(id, 'Arn');
        const own: NamedPolicy[] = asList(p.Policies).map((inline: any) => ({ name: `${id}/${res(inline.PolicyName)}`, policy: res(inline.PolicyDocument) }));
        for (const m of asList(res(p.ManagedPolicyArns ?? []))) {
          if (managed.has(m)) own.push({ name: m, policy: managed.get(m) });
        }
        this.identities.set(arn, { arn, account: stack.account, policies: [...own, ...(identityPolicies.get(arn) ?? [])] });
      } else if (x.Type === 'AWS::S3::AccessPoint') {
        const name = res(p.Name);
        const arn = `arn:${r.partition}:s3:${stack.region}:${stack.account}:accesspoint/${name}`;
        this.accessPoints.set(arn, {
          stackId,
          logicalId: id,
          name,
          arn,
          bucketName: res(p.Bucket),
          account: stack.account,
          region: stack.region,
          policy: p.Policy ? res(p.Policy) : undefined,
          vpcId: p.VpcConfiguration?.VpcId ? res(p.VpcConfiguration.VpcId) : undefined,
        });
      } else if (x.Type === 'AWS::EC2::VPCEndpoint') {
        const service = String(res(p.ServiceName)).split('.').pop()!;
        this.endpoints.push({
          stackId,
          logicalId: id,
          id: r.physicalId(id, x),
          service,
          type: p.VpcEndpointType ?? 'Gateway',
          vpcId: p.VpcId ? res(p.VpcId) : undefined,
          policy: p.PolicyDocument ? res(p.PolicyDocument) : undefined,
        });
      }
    }
  }
}
