/**
 * The one intrinsic resolver of the tests.
 *
 * Resolves the CloudFormation intrinsics of a synthesized template into the
 * concrete values AWS would see, for a fixed test account and Region:
 * `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`,
 * `Fn::GetAZs`, `Fn::If` (with the template's Conditions), `Fn::ImportValue`
 * (from the exports of the other stacks) and the pseudo parameters.
 *
 * Physical ids that CloudFormation would generate are made up
 * deterministically from the stack and logical id (a bucket without a
 * `BucketName` is called `<stack>-<logicalid>`, a key gets a UUID-shaped id
 * hashed from its logical id...), so the same template always resolves to
 * the same ARNs, and the access report's `${LogicalId.Arn}` placeholders
 * resolve to exactly the ARNs the policies name. A test that needs given
 * physical ids (a bucket called `data-bucket`, a known key id) passes
 * `physicalId`; a test that only folds what it can (`partial`) keeps the
 * intrinsics it cannot resolve as they are.
 *
 * {@link resolver} makes one for a template (or none) of a test's own stack;
 * the access proofs make one per stack of a synthesized assembly.
 */
import { createHash } from 'crypto';
import { LoadedAssembly, LoadedStack } from './access/assembly';
import { PRODUCER, REGION } from './stack';

export class UnresolvableError extends Error {}

function hash(s: string, n: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

export interface ResolveOptions {
  /**
   * The physical id (what `Ref` returns) of a resource, when the test names
   * it; `undefined` keeps the made-up one. ARNs are built from it.
   */
  readonly physicalId?: (logicalId: string, resource: any) => string | undefined;
  /**
   * Keep an intrinsic that cannot be resolved (a `Ref` to a resource the
   * template does not hold, an `Fn::Join` of such a value) as it is, with
   * what it holds resolved, instead of throwing.
   * @default false
   */
  readonly partial?: boolean;
}

export class StackResolver {
  private readonly resources: Record<string, any>;
  private readonly conditions: Record<string, boolean> = {};

  constructor(
    public readonly stack: LoadedStack,
    private readonly assembly?: LoadedAssembly,
    private readonly options: ResolveOptions = {},
  ) {
    this.resources = stack.template.Resources ?? {};
  }

  get partition(): string {
    return partitionOf(this.stack.region);
  }

  /** Resolves a template fragment completely; throws UnresolvableError for what it cannot resolve. */
  public resolve(value: any): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      if (!this.options.partial) {
        return this.intrinsic(keys[0], value[keys[0]]);
      }
      try {
        return this.intrinsic(keys[0], value[keys[0]]);
      } catch (e) {
        if (!(e instanceof UnresolvableError)) throw e;
        return { [keys[0]]: this.resolve(value[keys[0]]) };
      }
    }
    const out: Record<string, any> = {};
    for (const k of keys) {
      const v = this.resolve(value[k]);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  /** Resolves `${X}` / `${X.Attr}` placeholders (Fn::Sub syntax, which is also the access report's display syntax). */
  public sub(template: string, vars: Record<string, any> = {}): string {
    return template.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return '${' + name.slice(1) + '}';
      if (name in vars) return String(this.resolve(vars[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, ...attr] = name.split('.');
        return String(this.getAtt(id, attr.join('.')));
      }
      if (name.startsWith('ImportValue:')) return String(this.importValue(name.slice('ImportValue:'.length)));
      return String(this.ref(name));
    });
  }

  /** Resolves every string of a JSON value written with `${...}` placeholders (an access report fragment). */
  public subAll(value: any): any {
    if (typeof value === 'string') return this.sub(value);
    if (Array.isArray(value)) return value.map((v) => this.subAll(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.subAll(v)]));
    return value;
  }

  private intrinsic(fn: string, arg: any): any {
    switch (fn) {
      case 'Ref':
        return this.ref(arg);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
        return this.getAtt(id, this.resolve(attr));
      }
      case 'Fn::Join': {
        const [sep, parts] = arg;
        const resolved = this.resolve(parts) as any[];
        if (this.options.partial && resolved.some((p) => p !== null && typeof p === 'object')) {
          throw new UnresolvableError(`Fn::Join of unresolved parts ${JSON.stringify(resolved)}`);
        }
        return resolved.map(String).join(sep);
      }
      case 'Fn::Sub': {
        const [template, vars] = Array.isArray(arg) ? arg : [arg, {}];
        return this.sub(template, vars);
      }
      case 'Fn::Select': {
        const [index, list] = arg;
        const l = this.resolve(list);
        const v = l[Number(this.resolve(index))];
        if (v === undefined) throw new UnresolvableError(`Fn::Select ${index} out of range of ${JSON.stringify(l)}`);
        return v;
      }
      case 'Fn::Split': {
        const [sep, source] = arg;
        return String(this.resolve(source)).split(sep);
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${this.stack.region}${z}`);
      case 'Fn::If': {
        const [cond, yes, no] = arg;
        return this.resolve(this.condition(cond) ? yes : no);
      }
      case 'Fn::Equals': {
        const [a, b] = arg;
        return JSON.stringify(this.resolve(a)) === JSON.stringify(this.resolve(b));
      }
      case 'Fn::Not':
        return !this.resolve(arg[0]);
      case 'Fn::And':
        return (arg as any[]).every((c) => this.resolve(c));
      case 'Fn::Or':
        return (arg as any[]).some((c) => this.resolve(c));
      case 'Condition':
        return this.condition(arg);
      case 'Fn::ImportValue':
        return this.importValue(this.resolve(arg));
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(arg))).toString('base64');
      default:
        throw new UnresolvableError(`${fn} is not supported by the test resolver`);
    }
  }

  private condition(name: string): boolean {
    if (!(name in this.conditions)) {
      const def = this.stack.template.Conditions?.[name];
      if (def === undefined) throw new UnresolvableError(`unknown condition ${name}`);
      this.conditions[name] = !!this.resolve(def);
    }
    return this.conditions[name];
  }

  private importValue(name: string): any {
    for (const other of this.assembly?.stacks ?? []) {
      for (const output of Object.values<any>(other.template.Outputs ?? {})) {
        if (output.Export && new StackResolver(other, this.assembly).resolve(output.Export.Name) === name) {
          return new StackResolver(other, this.assembly).resolve(output.Value);
        }
      }
    }
    throw new UnresolvableError(`no stack exports ${name}`);
  }

  public ref(name: string): any {
    switch (name) {
      case 'AWS::AccountId':
        return this.stack.account;
      case 'AWS::Region':
        return this.stack.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName':
        return this.stack.stackName;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${this.stack.region}:${this.stack.account}:stack/${this.stack.stackName}/${hash(this.stack.stackName, 8)}`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.stack.template.Parameters?.[name];
    if (parameter) {
      return parameter.Default ?? `${name}-value`;
    }
    const resource = this.resources[name];
    if (!resource) {
      throw new UnresolvableError(`Ref to unknown ${name} in ${this.stack.id}`);
    }
    return this.physicalId(name, resource);
  }

  /** The physical id (what `Ref` returns) of a resource. */
  public physicalId(id: string, resource: any = this.resources[id]): string {
    const given = this.options.physicalId?.(id, resource);
    if (given !== undefined) {
      return given;
    }
    const p = resource.Properties ?? {};
    const generated = `${this.stack.stackName}-${id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return p.BucketName !== undefined ? this.resolve(p.BucketName) : generated;
      case 'AWS::KMS::Key': {
        const h = hash(`${this.stack.id}/${id}`, 32);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      }
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        return p.RoleName ?? p.UserName ?? p.GroupName ? this.resolve(p.RoleName ?? p.UserName ?? p.GroupName) : `${this.stack.stackName}-${id}`.slice(0, 64);
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${this.partition}:iam::${this.stack.account}:policy/${p.ManagedPolicyName ? this.resolve(p.ManagedPolicyName) : `${this.stack.stackName}-${id}`}`;
      case 'AWS::EC2::VPCEndpoint':
        return `vpce-${hash(`${this.stack.id}/${id}`, 17)}`;
      case 'AWS::EC2::VPC':
        return `vpc-${hash(`${this.stack.id}/${id}`, 17)}`;
      case 'AWS::EC2::Subnet':
        return `subnet-${hash(`${this.stack.id}/${id}`, 17)}`;
      case 'AWS::EC2::RouteTable':
        return `rtb-${hash(`${this.stack.id}/${id}`, 17)}`;
      case 'AWS::EC2::SecurityGroup':
        return `sg-${hash(`${this.stack.id}/${id}`, 17)}`;
      default:
        return `${id}-${hash(`${this.stack.id}/${id}`, 8)}`;
    }
  }

  public getAtt(id: string, attr: string): any {
    const resource = this.resources[id];
    if (!resource) {
      throw new UnresolvableError(`GetAtt of unknown ${id}.${attr} in ${this.stack.id}`);
    }
    const physical = this.physicalId(id, resource);
    const { partition } = this;
    const { account, region } = this.stack;
    switch (`${resource.Type}.${attr}`) {
      case 'AWS::S3::Bucket.Arn':
        return `arn:${partition}:s3:::${physical}`;
      case 'AWS::S3::Bucket.DomainName':
        return `${physical}.s3.amazonaws.com`;
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${physical}.s3.${region}.amazonaws.com`;
      case 'AWS::KMS::Key.Arn':
        return `arn:${partition}:kms:${region}:${account}:key/${physical}`;
      case 'AWS::KMS::Key.KeyId':
        return physical;
      case 'AWS::IAM::Role.Arn':
        return `arn:${partition}:iam::${account}:role${resource.Properties?.Path ?? '/'}${physical}`;
      case 'AWS::IAM::User.Arn':
        return `arn:${partition}:iam::${account}:user${resource.Properties?.Path ?? '/'}${physical}`;
      case 'AWS::IAM::Group.Arn':
        return `arn:${partition}:iam::${account}:group/${physical}`;
      case 'AWS::IAM::Role.RoleId':
        return `AROA${hash(physical, 17).toUpperCase()}`;
      case 'AWS::Lambda::Function.Arn':
        return `arn:${partition}:lambda:${region}:${account}:function:${physical}`;
      case 'AWS::EC2::VPC.CidrBlock':
        return this.resolve(resource.Properties?.CidrBlock);
      case 'AWS::EC2::SecurityGroup.GroupId':
        return physical;
      default:
        return `${physical}.${attr}`;
    }
  }
}

/** Marker for `AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolverOptions extends ResolveOptions {
  /** The synthesized template (`Template.toJSON()`) whose resources `Ref` and `Fn::GetAtt` name. @default - no resources */
  readonly template?: any;
  /** @default PRODUCER */
  readonly account?: string;
  /** @default REGION */
  readonly region?: string;
  /** @default 'Producer' */
  readonly stackName?: string;
}

/**
 * A resolver for a stack of the test itself (111111111111 / eu-west-1 unless
 * told), over its template: `resolver({ template: template.toJSON() }).resolve(statements)`.
 */
export function resolver(options: ResolverOptions = {}): StackResolver {
  const { template = {}, account = PRODUCER, region = REGION, stackName = 'Producer', ...resolve } = options;
  const stack: LoadedStack = { id: stackName, stackName, account, region, concreteEnvironment: true, template, directory: '' };
  return new StackResolver(stack, undefined, resolve);
}
