import { CfnOutput, CfnResource, DefaultStackSynthesizer, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { readServiceName, sameReference, serviceNameText, STACK_REGION } from '../analysis/endpoint';
import { flatten, iamArnAccount, SELF_ACCOUNT, UNKNOWN } from '../analysis/policy';
import { isObject, knownStackAccount, referencedLogicalId, render, resourceByLogicalId } from '../analysis/template';
import { DeferredPolicyStatement } from '../statements/deferred-statement';

/**
 * Helpers of `VpcEndpointAccess` and of the statements it uses. Nothing here
 * is re-exported. This module must not import `../statements` (which imports it).
 */

/**
 * The ARN of an IAM principal as `aws:PrincipalArn` would hold it.
 * @throws if the principal is not a single IAM ARN (a service, an organization, a federated principal)
 */
export function principalArnOf(prop: string, principal: iam.IPrincipal): string {
  const json = principal.policyFragment.principalJson;
  const aws = json.AWS ?? [];
  const list: string[] = Array.isArray(aws) ? aws : [aws];
  const others = Object.keys(json).filter((k) => k !== 'AWS');
  if (list.length !== 1 || others.length > 0) {
    throw new Error(
      `${prop} must be IAM roles, users or accounts (an iam.IRole, iam.IUser or iam.ArnPrincipal), got ${principal.toString()} (${JSON.stringify(json)}). ` +
        'Service principals need no exemption: calls AWS services make are always exempt (aws:PrincipalIsAWSService, aws:ViaAWSService).',
    );
  }
  return list[0];
}

/**
 * The ARNs of the deploy role and the CloudFormation execution role that
 * `DefaultStackSynthesizer` (and its subclasses) deploys the stack with, as
 * template values (`Fn::Sub` resolves `${AWS::AccountId}` style
 * placeholders); none for other synthesizers.
 */
export function cdkDeploymentRoleArns(stack: Stack): string[] {
  const synthesizer = stack.synthesizer;
  if (!(synthesizer instanceof DefaultStackSynthesizer)) {
    return [];
  }
  const arns: string[] = [];
  for (const read of [() => synthesizer.deployRoleArn, () => synthesizer.cloudFormationExecutionRoleArn]) {
    let arn: string | undefined;
    try {
      arn = read();
    } catch {
      arn = undefined;
    }
    if (arn) {
      arns.push(arn.includes('${') ? Fn.sub(arn) : arn);
    }
  }
  return [...new Set(arns)];
}

/**
 * The custom resources of aws-cdk-lib that read, write or delete objects of
 * a bucket from outside any VPC, by resource type, with the property that
 * names the bucket. Their function's role must be exempt from a deny of data
 * access from outside the VPC endpoints, or the deployment fails.
 *
 * `Custom::S3BucketNotifications` (bucket notifications) is not here: it only
 * calls `s3:PutBucketNotification`, bucket configuration, which the deny never
 * covers (`S3_DATA_ACTIONS`).
 */
const DATA_HELPERS: Readonly<Record<string, { readonly bucketProperty: string; readonly what: string }>> = Object.freeze({
  'Custom::CDKBucketDeployment': { bucketProperty: 'DestinationBucketName', what: 'BucketDeployment (aws-s3-deployment), which copies objects into the bucket' },
  'Custom::S3AutoDeleteObjects': { bucketProperty: 'BucketName', what: 'the auto-delete-objects provider (autoDeleteObjects: true), which empties the bucket when the stack is deleted' },
});

/** A custom resource of aws-cdk-lib that writes into a bucket, found on the final tree, and its function's role. */
export interface DataHelper {
  /** The construct path of the custom resource. */
  readonly path: string;
  /** What it is and does. */
  readonly what: string;
  /** Its function's role ARN, as a value of the bucket's template; undefined when it cannot be named there (see `problem`). */
  readonly roleArn?: unknown;
  /** Why the role cannot be exempted in the bucket's policy. */
  readonly problem?: string;
}

/**
 * The custom resources of aws-cdk-lib anywhere in the app that write into
 * `bucket` from outside any VPC ({@link DATA_HELPERS}), read on the resolved
 * template: the bucket by the resolved property naming it (in another stack:
 * the `Fn::ImportValue` of the bucket stack's export, or the same literal
 * name), the role through the custom resource's `ServiceToken` to its
 * function's `Role`. So escape hatches and a user-given role are followed.
 * Call it when the tree is final (at synthesis).
 */
export function dataHelpersOf(bucket: s3.IBucket): DataHelper[] {
  const bucketStack = Stack.of(bucket);
  const name = JSON.stringify(bucketStack.resolve(bucket.bucketName));
  const helpers: DataHelper[] = [];
  for (const c of bucketStack.node.root.node.findAll()) {
    const helper = CfnResource.isCfnResource(c) ? DATA_HELPERS[c.cfnResourceType] : undefined;
    if (helper === undefined) {
      continue;
    }
    const cr = c as CfnResource;
    const sameStack = Stack.of(cr) === bucketStack;
    const props = render(cr).props;
    const target = props[helper.bucketProperty];
    if (JSON.stringify(target) !== name && !(!sameStack && exportedValue(bucketStack, target) === name)) {
      continue;
    }
    const path = cr.node.scope?.node.path ?? cr.node.path;
    const role = functionRoleOf(cr, props.ServiceToken);
    if (role === undefined) {
      helpers.push({
        path,
        what: helper.what,
        problem: `its ServiceToken ${JSON.stringify(props.ServiceToken)} is not a Lambda function of its stack, so the role it writes with is unknown`,
      });
    } else if (sameStack || typeof role === 'string') {
      helpers.push({ path, what: helper.what, roleArn: role });
    } else {
      helpers.push({
        path,
        what: helper.what,
        problem: `its function's role (${JSON.stringify(role)}) is in stack ${Stack.of(cr).stackName}, not in the bucket's stack ${bucketStack.stackName}, so the bucket policy cannot name it (the stacks would depend on each other)`,
      });
    }
  }
  return helpers;
}

/** The `Role` of the Lambda function `serviceToken` (`Fn::GetAtt [fn, Arn]`) points at, in the custom resource's stack. */
function functionRoleOf(cr: CfnResource, serviceToken: unknown): unknown {
  const ref = referencedLogicalId(serviceToken);
  const fn = ref && ref.attribute === 'Arn' ? resourceByLogicalId(cr, ref.logicalId) : undefined;
  if (!fn || fn.cfnResourceType !== 'AWS::Lambda::Function') {
    return undefined;
  }
  return render(fn).props.Role;
}

/** The resolved value (as JSON) that stack `producer` exports under the name `{ Fn::ImportValue: name }` reads. */
function exportedValue(producer: Stack, value: unknown): string | undefined {
  const imported = isObject(value) && Object.keys(value).length === 1 ? value['Fn::ImportValue'] : undefined;
  if (typeof imported !== 'string') {
    return undefined;
  }
  for (const c of producer.node.findAll()) {
    if (c instanceof CfnOutput && Stack.of(c) === producer && producer.resolve(c.exportName) === imported) {
      return JSON.stringify(producer.resolve(c.value));
    }
  }
  return undefined;
}

/** The region of a construct, when it is known at synth time. */
export function knownRegion(c: IConstruct): string | undefined {
  const region = c instanceof Resource ? c.env.region : Stack.of(c).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/**
 * A statement rendered at synthesis by `build`, so it can include what is
 * known only then (partners a bucket is shared with after the construct was
 * created).
 */
export class LazyPolicyStatement extends DeferredPolicyStatement {
  /** @param build makes the statement; `rendering` is false for the first copy, made when the construct is created (the tree is not final yet) */
  constructor(private readonly build: (rendering: boolean) => iam.PolicyStatement) {
    super(build(false));
  }

  protected render(): iam.PolicyStatement {
    return this.build(true);
  }
}

/** A route table the S3 gateway endpoint must be in: of a selected subnet. */
export interface ExpectedRouteTable {
  /** The subnet, as messages name it (its path, or its id when imported). */
  readonly subnet: string;
  /** Its route table id, as the subnet gives it (a token or a literal). */
  readonly routeTableId: string;
}

/** What an S3 gateway endpoint given to `VpcEndpointAccess` must be. */
export interface S3EndpointExpectation {
  /** The VPC of the workloads. */
  readonly vpc: ec2.IVpc;
  /** The Region of the VPC, when known. */
  readonly region?: string;
  /** The route tables of the selected subnets (those known); empty when unknown (a VPC lookup not done yet). */
  readonly routeTables: ExpectedRouteTable[];
  /** The fix for an endpoint not routed to the selected subnets, e.g. `subnets: [{ subnetType: ... }]`. */
  readonly subnetsHint: string;
}

/** The properties of an `AWS::EC2::VPCEndpoint` the check reads, resolved, in CloudFormation's case. */
export interface EndpointProperties {
  readonly VpcEndpointType?: unknown;
  readonly ServiceName?: unknown;
  readonly VpcId?: unknown;
  readonly RouteTableIds?: unknown;
}

/** The resolved properties of the L1 endpoint as the L2 set them (not the escape-hatch overrides, which `render` reads at synthesis). */
export function endpointProperties(cfn: ec2.CfnVPCEndpoint): EndpointProperties {
  const stack = Stack.of(cfn);
  return {
    VpcEndpointType: stack.resolve(cfn.vpcEndpointType),
    ServiceName: stack.resolve(cfn.serviceName),
    VpcId: stack.resolve(cfn.vpcId),
    RouteTableIds: stack.resolve(cfn.routeTableIds),
  };
}

const GATEWAY_FIX = "Pass an S3 gateway endpoint of the VPC (vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 })), or leave s3Endpoint unset to have one created";

/**
 * What makes the endpoint `cfn` (with properties `props`) no S3 gateway
 * endpoint of `expected.vpc` routed to the route tables of the selected
 * subnets: one sentence per problem, naming `s3Endpoint`, the value found and
 * the fix. Values known only at deployment are not problems.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
 */
export function s3EndpointProblems(cfn: ec2.CfnVPCEndpoint, props: EndpointProperties, expected: S3EndpointExpectation): string[] {
  const stack = Stack.of(cfn);
  const path = cfn.node.scope?.node.path ?? cfn.node.path;
  const problems: string[] = [];
  const type = props.VpcEndpointType;
  if (type !== undefined && type !== 'Gateway' && typeof type === 'string') {
    problems.push(
      type === 'Interface'
        ? interfaceEndpointProblem(path, 'VpcEndpointType "Interface"')
        : `s3Endpoint ${path} has VpcEndpointType ${JSON.stringify(type)}, but an S3 gateway endpoint (VpcEndpointType "Gateway") is expected. ${GATEWAY_FIX}.`,
    );
    return problems; // its routes and service follow from what it is
  }
  const endpointRegion = knownRegionOf(cfn);
  const service = readServiceName(serviceNameText(props.ServiceName, endpointRegion));
  const region = expected.region ?? endpointRegion;
  const wanted = `com.amazonaws.${region ?? '<region>'}.s3`;
  if (service.kind === 'other' || (service.kind === 's3' && region !== undefined && service.region !== region && service.region !== STACK_REGION && service.region !== UNKNOWN)) {
    problems.push(
      `s3Endpoint ${path} has ServiceName ${JSON.stringify(props.ServiceName)}, which is not the S3 service of ${region ?? "the stack's Region"} (${wanted}): ` +
        'a gateway endpoint of another service or Region never carries requests to the buckets, so the buckets would deny them. ' +
        'Create it with service: ec2.GatewayVpcEndpointAwsService.S3 (S3_EXPRESS is for directory buckets), or leave s3Endpoint unset.',
    );
  }
  const vpcId = stack.resolve(expected.vpc.vpcId);
  if (props.VpcId !== undefined && sameReference(cfn, props.VpcId, vpcId) === 'different') {
    problems.push(
      `s3Endpoint ${path} is in the VPC ${JSON.stringify(props.VpcId)}, not in vpc ${expected.vpc.node.path} (${JSON.stringify(vpcId)}): a gateway endpoint serves only the VPC it is in, so the workloads' requests would not come through it and the buckets would deny them. ` +
        'Create the endpoint in vpc (vpc.addGatewayEndpoint), or pass the VPC it is in as vpc.',
    );
  }
  const routeTables = props.RouteTableIds === undefined ? [] : props.RouteTableIds;
  if (Array.isArray(routeTables)) {
    const missing = expected.routeTables.filter((rt) => {
      const id = stack.resolve(rt.routeTableId);
      return routeTables.every((found) => sameReference(cfn, found, id) === 'different');
    });
    if (missing.length > 0) {
      problems.push(
        `s3Endpoint ${path} is not routed to every selected subnet: its RouteTableIds ${JSON.stringify(routeTables)} lack the route table ${missing
          .map((rt) => `${JSON.stringify(stack.resolve(rt.routeTableId))} (of ${rt.subnet})`)
          .join(', ')}. Workloads in those subnets would reach S3 another way (a NAT or internet gateway, or not at all), not through the endpoint, and the buckets would deny their requests. ` +
          `Create the endpoint with the subnets of the workloads (vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, ${expected.subnetsHint} })), select the subnets it serves with subnets, or leave s3Endpoint unset.`,
      );
    }
  }
  return problems;
}

/** The problem of an interface endpoint given as `s3Endpoint`; `found` says how it was recognized. */
export function interfaceEndpointProblem(path: string, found: string): string {
  return (
    `s3Endpoint ${path} is an interface endpoint (${found}), but an S3 gateway endpoint is expected: a gateway endpoint is a route in the subnets' route tables, so all their S3 traffic goes through it, ` +
    "while an interface endpoint carries only requests sent to its own DNS names, so the workloads' other requests would not come through it and the buckets would deny them. " +
    `${GATEWAY_FIX}; to accept requests through an S3 interface endpoint as well, list its id in additionalVpcEndpointIds.`
  );
}

function knownRegionOf(cfn: CfnResource): string | undefined {
  const region = Stack.of(cfn).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/**
 * Whom an administrator ARN exempts, relative to a bucket's account: a role
 * or user of the account (`account`, wildcard patterns such as `role/*` and
 * `*` included), the account's root user only (`root`: `aws:PrincipalArn`
 * `arn:aws:iam::<account>:root` matches the root user, no role or user),
 * a principal of another account (`otherAccount`), or not known at synth
 * time (`unknown`).
 */
export type AdministratorKind = 'account' | 'root' | 'otherAccount' | 'unknown';

/** An administrator's kind, with its account when known. */
export interface AdministratorReading {
  readonly kind: AdministratorKind;
  /** The administrator's account, when it is a literal id. */
  readonly account?: string;
}

/**
 * Reads whom `arn` (an administrator ARN pattern as given, maybe a token)
 * exempts in `bucket`'s policy: resolved in the bucket's stack, roles and
 * users of that stack (`Fn::GetAtt [role, Arn]`) and `${AWS::AccountId}`
 * being of the stack's account. `principal`, when the administrator was
 * given as a role or user construct, gives its account (`env.account`).
 */
export function readAdministrator(bucket: s3.IBucket, arn: string, principal?: iam.IPrincipal): AdministratorReading {
  const stack = Stack.of(bucket);
  const own = stack.resolve(bucket instanceof Resource ? bucket.env.account : stack.account);
  const stackAccount = knownStackAccount(bucket);
  const ownIsStackAccount = isObject(own) ? own.Ref === 'AWS::AccountId' : own === stackAccount;
  const accountKind = (account: unknown): AdministratorReading => {
    if (account === SELF_ACCOUNT || (isObject(account) && account.Ref === 'AWS::AccountId')) {
      return ownIsStackAccount ? { kind: 'account' } : typeof own === 'string' && stackAccount !== undefined ? { kind: 'otherAccount', account: stackAccount } : { kind: 'unknown' };
    }
    if (typeof account === 'string' && /^\d{12}$/.test(account)) {
      return typeof own === 'string' ? { kind: account === own ? 'account' : 'otherAccount', account } : { kind: 'unknown', account };
    }
    return { kind: 'unknown' };
  };
  if (principal instanceof Resource) {
    // a role or user construct: never a root user, of the account of its environment
    return accountKind(stack.resolve(principal.env.account));
  }
  const text = flatten(stack.resolve(arn), (logicalId, attribute) => {
    const target = resourceByLogicalId(bucket, logicalId);
    return target && attribute === 'Arn' && ['AWS::IAM::Role', 'AWS::IAM::User'].includes(target.cfnResourceType)
      ? `arn:aws:iam::${SELF_ACCOUNT}:${target.cfnResourceType === 'AWS::IAM::Role' ? 'role' : 'user'}/${logicalId}`
      : undefined;
  });
  const account = iamArnAccount(text);
  const reading = accountKind(account);
  if (reading.kind !== 'account') {
    return reading;
  }
  const name = /^arn:[^:]*:(?:iam|sts)::[^:]*:(.*)$/.exec(text)?.[1] ?? UNKNOWN;
  if (name === 'root') {
    return { kind: 'root', account: reading.account };
  }
  return /^(role|user)\//.test(name) || /^[*?]+$/.test(name) ? reading : { kind: 'unknown', account: reading.account };
}
