import { Annotations, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import {
  cdkDeploymentRoleArns,
  dataHelpersOf,
  endpointProperties,
  interfaceEndpointProblem,
  knownRegion,
  LazyPolicyStatement,
  principalArnOf,
  readAdministrator,
  s3EndpointProblems,
} from './vpc-endpoint';
import { render } from '../analysis/template';
import { throwValidationError } from '../core/errors';
import { FactKey, StackFacts } from '../core/facts';
import {
  BUCKET,
  each,
  eachObject,
  eachString,
  KEY,
  optionalArrayOf,
  optionalBoolean,
  optionalConstruct,
  optionalObject,
  optionalString,
  POLICY_STATEMENT,
  PRINCIPAL,
  requireConstruct,
  VPC,
  VPC_ENDPOINT,
} from '../core/props';
import { registerStackLimits } from '../core/stack-limits';
import {
  checkOnceResolved,
  isWholeAccountPattern,
  validatePrincipalArnPattern,
  validatePrincipalArnPatterns,
  validateVpcEndpointIds,
  validateVpcIds,
} from '../core/validation';
import { claimKeyNetworkCheck, keyNetworkConditionProblems } from '../kms/key-network';
import { registerForReport } from '../report/report-registry';
import { importedBucketPolicy, isOwnedBucket, registerOnePolicyCheck } from '../s3/bucket-policy';
import { Partner } from '../sharing/partner';
import { sharesOf } from '../sharing/shares';
import {
  allowAmazonLinuxRepositories,
  allowCloudFormationResponses,
  allowEndpointAccessToBuckets,
  allowEndpointAccessToKeys,
  denyDataAccessOutsideVpcEndpoints,
  denyDirectKeyUseOutsideVpcs,
  denyOwnAccountAccessOutsideVpcEndpoints,
  denyPartnerAccessOutsideVpcEndpoints,
} from '../statements/vpc-endpoint';

const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * The VPC endpoints a partner reaches a shared bucket through. Used by
 * {@link VpcEndpointAccessProps.partnerVpcEndpoints}.
 */
export interface PartnerVpcEndpoints {
  /** The partner, as given to `EncryptedBucket.shareWith`. */
  readonly partner: Partner;

  /**
   * The partner's own S3 VPC endpoint ids (`vpce-` and 17 hex digits).
   *
   * @throws if empty or malformed
   */
  readonly vpcEndpointIds: string[];
}

/**
 * Properties of a {@link VpcEndpointAccess}.
 */
export interface VpcEndpointAccessProps {
  /**
   * The VPC whose workloads reach the buckets and keys.
   *
   * For the KMS endpoint's private DNS the VPC needs DNS support and DNS
   * hostnames (the defaults of `ec2.Vpc`).
   *
   * @throws if it is in another known region than the stack
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets whose route tables get the S3 gateway endpoint, and where
   * the KMS interface endpoint places its network interfaces (one per
   * Availability Zone).
   *
   * @default - the VPC's private subnets (with egress and isolated)
   * @throws if the selection holds no subnet, or no subnet with a known route table
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The buckets to protect: `EncryptedBucket.bucket`, any `s3.Bucket` of
   * this app (statements join its one bucket policy), or imported buckets
   * (see `replaceExistingBucketPolicy`). They must be in the VPC's region:
   * a gateway endpoint only serves buckets of its own region.
   *
   * @throws if empty, or a bucket is in another known region than the VPC
   */
  readonly buckets: s3.IBucket[];

  /**
   * More KMS keys callers in the VPC may use through the KMS endpoint,
   * besides the keys of `buckets` (which are always included).
   *
   * @default - the buckets' own keys
   * @throws if a key is in another known region than the VPC
   */
  readonly keys?: kms.IKey[];

  /**
   * An existing S3 gateway endpoint to use instead of creating one.
   *
   * If it is defined in this app, its policy gets this construct's statements
   * (a gateway endpoint without a policy allows everything; with one, only
   * what it allows), and it must be an S3 gateway endpoint of `vpc` routed to
   * the selected subnets: `VpcEndpointType` `Gateway` (or unset), `ServiceName`
   * the S3 service of the VPC's Region (`com.amazonaws.<region>.s3`, however
   * aws-cdk-lib writes it), `VpcId` the VPC's, and `RouteTableIds` holding the
   * route table of every selected subnet (ids compared by the resource they
   * reference, across stacks too; values known only at deployment are not
   * checked). It is checked when given, and again on the final template, after
   * escape hatches, overrides and Aspects.
   *
   * An imported endpoint (`ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId`)
   * cannot be read: it is used as given, with the warning
   * `cdk-data-protection:s3EndpointNotVerified`, and its policy is left alone,
   * with the warning `cdk-data-protection:endpointPolicyNotManaged`.
   *
   * @default - a new gateway endpoint, child id `S3Endpoint`
   * @throws if it is an interface endpoint (an `ec2.InterfaceVpcEndpoint` passed as a gateway endpoint), an endpoint of
   *   another service (DynamoDB, S3 Express One Zone), Region or VPC, or not in the route table of every selected subnet
   *   (`InvalidS3Endpoint`; at synthesis if the final template changed it)
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
   */
  readonly s3Endpoint?: ec2.IGatewayVpcEndpoint;

  /**
   * An existing KMS interface endpoint to use instead of creating one, with
   * the same policy rule as `s3Endpoint`.
   *
   * @default - a new interface endpoint with private DNS, child id `KmsEndpoint`, when there is a key to protect
   */
  readonly kmsEndpoint?: ec2.IInterfaceVpcEndpoint;

  /**
   * The organization whose principals may use the endpoints
   * (`aws:PrincipalOrgID`).
   *
   * @default - principals of the stack's account only (`aws:PrincipalAccount`)
   * @throws if it is not an organization id (`o-` and 10 to 32 lowercase letters or digits)
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
   */
  readonly organizationId?: string;

  /**
   * Administrators who work from outside the VPC (consoles, laptops,
   * pipelines) and are exempt from the bucket-policy deny (and from
   * `restrictDirectKeyUse`): IAM roles, users or `iam.ArnPrincipal`s,
   * matched by ARN (`aws:PrincipalArn`), so a role need not exist yet and
   * recreating it keeps the exemption.
   *
   * While `restrictBucketAccess` is true, `administrators` and
   * `administratorArns` together must name a role or user of each bucket's
   * account: who reads, restores or deletes data by hand from outside the VPC.
   * These do not count: the account's root user (`aws:PrincipalArn`
   * `arn:aws:iam::<account>:root`, what `iam.AccountRootPrincipal` gives,
   * matches the root user only, no role or user of the account), principals
   * of other accounts, and the CDK deployment roles (see
   * `exemptCdkDeploymentRoles`). An administrator whose account is known only
   * at deployment (an ARN built from a parameter, a literal ARN in an
   * environment-agnostic stack) counts; a token that resolves at synthesis
   * (a `Lazy` value) is checked again once resolved.
   *
   * @default - none: name at least one here or in administratorArns while restrictBucketAccess is true
   * @throws if a principal is not an IAM role, user or ARN principal
   * @throws if restrictBucketAccess is true and administrators and administratorArns name no role or user of a bucket's
   *   account: nobody, only its root user, or only principals of other accounts (`NoBucketAccountAdministrator`; at
   *   synthesis for a token that resolves then)
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly administrators?: iam.IPrincipal[];

  /**
   * Administrators by ARN pattern, like `administrators`; wildcards are
   * allowed, e.g. the IAM Identity Center roles of a permission set:
   * `arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*\/AWSReservedSSO_Admin_*`.
   *
   * An ARN that is a token resolving at synthesis (a `Lazy` value, a
   * context lookup) is checked again once resolved: `*` or a wildcard
   * account would exempt everyone and switch the restriction off.
   *
   * @default - none: name at least one here or in administrators while restrictBucketAccess is true
   * @throws if an ARN is not an IAM role, user or root ARN of one account (at synthesis, for a token that resolves then)
   * @throws if no administrator of a bucket's account is named (see `administrators`)
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly administratorArns?: string[];

  /**
   * Roles of workloads that reach the buckets from outside the VPC on
   * purpose, exempt from the bucket-policy deny (and from
   * `restrictDirectKeyUse`) by ARN (`aws:PrincipalArn`) like administrators:
   * e.g. a Firehose delivery role (Firehose writes from its own network) or
   * the role of a Glue job without a VPC connection.
   *
   * They are not administrators and never satisfy the rule of
   * `administrators`: no person reads, restores or deletes data through
   * them. The report lists them among the principals exempt from the
   * endpoint restriction.
   *
   * A role of another account is exempt only in so far as the buckets are
   * shared with that account. A pattern matching every role of an account
   * (`role/*`) warns (`cdk-data-protection:administratorWildcard`).
   *
   * @default - none
   * @throws if a role is not an IAM role, user or ARN principal, or is an account (`iam.AccountPrincipal`, `arn:...:root`: it would exempt the root user only)
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
   */
  readonly exemptRoles?: iam.IPrincipal[];

  /**
   * Whether the deploy role and the CloudFormation execution role of the
   * bucket's stack (`DefaultStackSynthesizer`, `cdk bootstrap`) are exempt
   * from the bucket-policy deny, so deployments keep working from outside
   * the VPC.
   *
   * They are not administrators and never satisfy the rule of
   * `administrators`: the deploy role only starts CloudFormation deployments
   * and the CloudFormation execution role is assumed by CloudFormation alone,
   * so no person reads, restores or deletes data through them. A restricted
   * bucket needs a named administrator of its account with or without them.
   *
   * @default true
   */
  readonly exemptCdkDeploymentRoles?: boolean;

  /**
   * Whether the buckets' policies deny object and listing access that does
   * not come through the endpoint. With false only the endpoints are made
   * (traffic from the VPC stays on the AWS network, but requests from
   * anywhere else are still accepted); this emits the warning
   * `cdk-data-protection:bucketsNotRestricted`.
   *
   * @default true
   * @throws if true and no role or user of a bucket's account is named in administrators or administratorArns
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
   */
  readonly restrictBucketAccess?: boolean;

  /**
   * Other S3 VPC endpoints (in other VPCs) whose requests the buckets accept too.
   *
   * @default - only the endpoint of this construct
   * @throws if an id is not `vpce-` and 17 hex digits
   */
  readonly additionalVpcEndpointIds?: string[];

  /**
   * Partners the buckets are shared with reach them from their own networks
   * and are exempt from the deny. A partner listed here is held to its own
   * VPC endpoints instead.
   *
   * @default - partners are exempt wherever they come from
   * @throws if an entry has no partner or a malformed endpoint id
   */
  readonly partnerVpcEndpoints?: PartnerVpcEndpoints[];

  /**
   * Whether direct calls to the protected keys of this app (calls not made
   * by an AWS service) must come through a VPC endpoint of `vpc`
   * (`aws:SourceVpc`; the KMS endpoint policy narrows to the protected keys,
   * and the key names the VPC rather than the endpoint, which would be a
   * dependency cycle: the endpoint's policy names the key). Calls S3 makes
   * for SSE-KMS are never affected: S3 calls KMS from AWS's own network.
   * Imported keys are not changed; a warning shows the statement their
   * administrators can add.
   *
   * @default false
   * @throws if there is no key to restrict
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   */
  readonly restrictDirectKeyUse?: boolean;

  /**
   * Whether the S3 endpoint lets custom resources and wait conditions in the
   * VPC send their responses to CloudFormation's AWS-owned response buckets
   * of this region. Without it, a custom resource in the VPC never answers
   * and its stack operation hangs until it times out.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html
   */
  readonly allowCloudFormationResponses?: boolean;

  /**
   * Whether the S3 endpoint lets instances read the Amazon Linux 2 and
   * Amazon Linux 2023 package repositories of this region (AWS-owned
   * buckets, `s3:GetObject` only).
   *
   * @default true
   */
  readonly allowAmazonLinuxRepositories?: boolean;

  /**
   * Acknowledge that, for an imported bucket, this creates a new bucket
   * policy that replaces whatever policy the bucket has in AWS (a bucket has
   * one policy; CloudFormation overwrites it). Ignored for buckets of this app.
   *
   * @default false - an imported bucket is an error
   * @throws if a bucket is imported and this is not true
   */
  readonly replaceExistingBucketPolicy?: boolean;
}

/**
 * Keeps S3 and KMS traffic of a VPC on the AWS network, without locking
 * anyone out.
 *
 * - An S3 **gateway** endpoint in the route tables of the selected subnets,
 *   whose policy allows the protected buckets only (for principals of this
 *   account or organization), plus CloudFormation's response buckets and
 *   the Amazon Linux repositories of the region.
 * - A KMS **interface** endpoint with private DNS, whose security group
 *   admits HTTPS from the VPC's CIDR only, and whose policy allows the
 *   protected keys only.
 * - In each bucket's policy, a deny of object and listing access that does
 *   not come through the endpoint, except for calls AWS services make, the
 *   administrators and CDK deployment roles, and partners the bucket is
 *   shared with. The bucket policy itself is never covered.
 * - Nothing on the path S3 uses to call KMS; optionally a deny of direct
 *   key use from outside the KMS endpoint.
 *
 * @example
 * const vpc = new ec2.Vpc(this, 'Vpc', { subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
 * const data = new EncryptedBucket(this, 'Data');
 * new VpcEndpointAccess(this, 'Private', {
 *   vpc,
 *   buckets: [data.bucket],
 *   administratorArns: ['arn:aws:iam::111111111111:role/Admin'],
 * });
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html
 */
export class VpcEndpointAccess extends Construct {
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.IGatewayVpcEndpoint;
  /** The KMS interface endpoint; undefined when there is no key to protect and none was given. */
  public readonly kmsEndpoint?: ec2.IInterfaceVpcEndpoint;
  /** The security group of the KMS endpoint this construct created. */
  public readonly kmsEndpointSecurityGroup?: ec2.ISecurityGroup;
  /** The protected buckets. */
  public readonly buckets: s3.IBucket[];
  /** The protected keys: those of the buckets, and `keys`. */
  public readonly keys: kms.IKey[];
  /** The administrator ARNs (patterns) exempt from the deny, besides each bucket's CDK deployment roles. */
  public readonly administratorArns: string[];
  /** The ARNs of `exemptRoles`: workloads exempt from the deny, not administrators. */
  public readonly exemptRoleArns: string[];
  /** The S3 VPC endpoint ids the buckets accept requests through. */
  public readonly vpcEndpointIds: string[];

  private readonly s3EndpointOwned: boolean;
  private readonly warnedOwnOrganization = new Set<string>();
  private readonly kmsEndpointOwned: boolean;

  constructor(scope: Construct, id: string, props: VpcEndpointAccessProps) {
    super(scope, id);
    registerForReport(this);
    registerStackLimits(this);
    if (!props || !props.vpc) {
      throw new Error(`vpc is required: pass the ec2.IVpc whose workloads reach the buckets, got ${String(props?.vpc)}`);
    }
    validatePropTypes(props);
    const vpc = props.vpc;
    const stack = Stack.of(this);

    // --- buckets and keys --------------------------------------------------
    if (!Array.isArray(props.buckets) || props.buckets.length === 0) {
      throw new Error(
        `buckets needs at least one s3.IBucket to protect (e.g. [encryptedBucket.bucket]), got ${JSON.stringify(props.buckets ?? null)}. ` +
          'To create only the endpoints, list the buckets the VPC\'s workloads use anyway: the S3 endpoint policy allows those buckets only.',
      );
    }
    props.buckets.forEach((b, i) => {
      if (!b || typeof (b as s3.IBucket).bucketArn !== 'string') {
        throw new Error(`buckets[${i}] must be an s3.IBucket, got ${String(b)}`);
      }
      requireConstruct(`buckets[${i}]`, b, BUCKET);
    });
    this.buckets = [...new Set(props.buckets)];
    const keys = [...this.buckets.map((b) => b.encryptionKey).filter((k): k is kms.IKey => k !== undefined), ...(props.keys ?? [])];
    this.keys = [...new Map(keys.map((k) => [k.keyArn, k])).values()];

    if (props.organizationId !== undefined && !Token.isUnresolved(props.organizationId) && !ORG_ID.test(props.organizationId)) {
      throw new Error(`organizationId must be an organization id such as o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits), got ${JSON.stringify(props.organizationId)}`);
    }
    validateVpcEndpointIds('additionalVpcEndpointIds', props.additionalVpcEndpointIds ?? [], true);
    (props.partnerVpcEndpoints ?? []).forEach((p, i) => {
      if (!p || !(p.partner instanceof Partner)) {
        throw new Error(`partnerVpcEndpoints[${i}].partner must be a Partner (Partner.account('222222222222'), ...), got ${String(p?.partner)}`);
      }
      validateVpcEndpointIds(`partnerVpcEndpoints[${i}].vpcEndpointIds`, p.vpcEndpointIds);
    });

    // --- regions ------------------------------------------------------------
    const stackRegion = knownRegion(this);
    const vpcRegion = knownRegion(vpc);
    if (stackRegion && vpcRegion && stackRegion !== vpcRegion) {
      throw new Error(
        `vpc ${vpc.node.path} is in ${vpcRegion}, but the endpoints would be created in the stack's region ${stackRegion}. Create the VpcEndpointAccess in a stack of ${vpcRegion}.`,
      );
    }
    const region = vpcRegion ?? stackRegion;
    if (region) {
      this.buckets.forEach((b, i) => {
        const r = knownRegion(b);
        if (r && r !== region) {
          throw new Error(
            `buckets[${i}] (${b.node.path}) is in ${r}, but the VPC endpoint is in ${region}: a gateway endpoint only serves buckets of its own region, so requests from the VPC would leave the AWS network or fail. ` +
              `Protect it with a VpcEndpointAccess of a VPC in ${r}, or drop it from buckets.`,
          );
        }
      });
      this.keys.forEach((k) => {
        const r = knownRegion(k);
        if (r && r !== region) {
          throw new Error(
            `key ${k.node.path} (of buckets or keys) is in ${r}, but the KMS endpoint is in ${region}: an interface endpoint only serves keys of its own region. Drop it from keys, or use a multi-Region replica key in ${region}.`,
          );
        }
      });
    }

    // --- administrators -----------------------------------------------------
    const admins: Administrator[] = [
      ...(props.administrators ?? []).map((p, i) => ({ label: `administrators[${i}]`, arn: principalArnOf(`administrators[${i}]`, p), principal: p })),
      ...(props.administratorArns ?? []).map((arn, i) => ({ label: `administratorArns[${i}]`, arn })),
    ];
    validatePrincipalArnPatterns('administrators', admins.filter((a) => a.principal !== undefined).map((a) => a.arn));
    validatePrincipalArnPatterns('administratorArns', props.administratorArns ?? []);
    this.administratorArns = [...new Set(admins.map((a) => a.arn))];
    this.administratorArns.forEach((arn) => this.warnIfWholeAccount(arn));
    const workloadArns = (props.exemptRoles ?? []).map((p, i) => principalArnOf(`exemptRoles[${i}]`, p));
    validatePrincipalArnPatterns('exemptRoles', workloadArns);
    workloadArns.forEach((arn, i) => {
      // iam.AccountPrincipal's ARN holds the partition as a token: read the rendered value
      if (/:iam::[^:"]*:root"?$/.test(JSON.stringify(Stack.of(this).resolve(arn)).replace(/"\]\]\}$/, ''))) {
        throwValidationError(
          'InvalidExemptRole',
          `exemptRoles[${i}] is ${Token.isUnresolved(arn) ? (props.exemptRoles![i] as iam.IPrincipal).toString() : arn}, an account: in aws:PrincipalArn it matches that account's root user only, no role or user, so the workload would still be denied. ` +
            'Name the workload\'s role (e.g. deliveryStream.role, or iam.Role.fromRoleArn(this, id, \'arn:aws:iam::<account>:role/<name>\')).',
          this,
        );
      }
      this.warnIfWholeAccount(arn, `exemptRoles[${i}]`);
    });
    this.exemptRoleArns = [...new Set(workloadArns)];
    const restrict = props.restrictBucketAccess ?? true;
    const exemptDeployment = props.exemptCdkDeploymentRoles ?? true;
    const exemptArnsOf = (bucket: s3.IBucket): string[] => [
      ...this.administratorArns,
      ...this.exemptRoleArns,
      ...(exemptDeployment ? cdkDeploymentRoleArns(Stack.of(bucket)) : []),
    ];
    // An ARN that is a token resolving to a string (a Lazy value, a context lookup) is read again once resolved.
    const lazy = admins.filter((a) => isLazyString(this, a.arn));
    lazy.forEach((a) =>
      checkOnceResolved(this, [a.arn], ([arn]) => {
        validatePrincipalArnPattern(a.label, arn!);
        this.warnIfWholeAccount(arn!);
      }),
    );
    if (restrict) {
      this.buckets.forEach((bucket, i) => {
        const problem = accountAdministratorProblem(i, bucket, admins, new Set(lazy.map((a) => a.arn)), exemptDeployment);
        if (problem !== undefined) {
          throwValidationError('NoBucketAccountAdministrator', problem, this);
        }
        const known = admins.filter((a) => !lazy.includes(a));
        if (lazy.length > 0 && accountAdministratorProblem(i, bucket, known, new Set(), exemptDeployment) !== undefined) {
          // only the tokens may name an administrator of the bucket's account: check them once resolved
          checkOnceResolved(this, lazy.map((a) => a.arn), (resolved) => {
            const values = lazy.map((a, j) => ({ ...a, arn: resolved[j]! }));
            if (values.some((a) => !isValidPrincipalArnPattern(a.arn))) {
              return; // refused by the check of the value itself
            }
            const again = accountAdministratorProblem(i, bucket, [...known, ...values], new Set(), exemptDeployment);
            if (again !== undefined) {
              throwValidationError('NoBucketAccountAdministrator', again, this);
            }
          });
        }
      });
    }

    // --- subnets and endpoints -------------------------------------------------
    const selection = props.subnets ?? defaultSubnets(vpc);
    if (props.s3Endpoint) {
      this.s3Endpoint = props.s3Endpoint;
      this.checkS3Endpoint(props.s3Endpoint, vpc, selection, region, props.subnets !== undefined);
    } else {
      const selected = selectSubnets(vpc, selection);
      if (!selected.isPendingLookup) {
        if (selected.subnets.length === 0) {
          throw new Error(`subnets selects no subnet of vpc ${vpc.node.path}: pass a selection that holds the subnets of the workloads, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }`);
        }
        const routeTables = selected.subnets.map(routeTableOf).filter((r): r is string => r !== undefined);
        if (routeTables.length === 0) {
          throw new Error(
            `subnets (${selected.subnetIds.join(', ')}) have no route table to attach the S3 gateway endpoint to: the VPC was imported without route table ids. ` +
              'Import it with privateSubnetRouteTableIds / isolatedSubnetRouteTableIds (ec2.Vpc.fromVpcAttributes), or pass an existing s3Endpoint.',
          );
        }
      }
      this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', {
        vpc,
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [selection],
      });
    }
    this.s3EndpointOwned = Resource.isOwnedResource(this.s3Endpoint);

    if (props.kmsEndpoint) {
      this.kmsEndpoint = props.kmsEndpoint;
    } else if (this.keys.length > 0) {
      if (vpc instanceof ec2.Vpc && (!vpc.dnsHostnamesEnabled || !vpc.dnsSupportEnabled)) {
        throw new Error(
          `vpc ${vpc.node.path} has enableDnsHostnames ${vpc.dnsHostnamesEnabled} and enableDnsSupport ${vpc.dnsSupportEnabled}: the KMS endpoint's private DNS needs both true, or KMS calls from the VPC would go to the public endpoint. Turn both on, or pass an existing kmsEndpoint.`,
        );
      }
      let cidr: string;
      try {
        cidr = literalCidrOf(vpc) ?? vpc.vpcCidrBlock;
      } catch {
        throw new Error(`vpc ${vpc.node.path} has no known CIDR block, which the KMS endpoint's security group admits HTTPS from. Import the VPC with vpcCidrBlock, or pass an existing kmsEndpoint.`);
      }
      const sg = new ec2.SecurityGroup(this, 'KmsEndpointSecurityGroup', {
        vpc,
        description: 'KMS interface endpoint: HTTPS from the VPC only',
        allowAllOutbound: false,
      });
      sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS to KMS from the VPC');
      this.kmsEndpointSecurityGroup = sg;
      this.kmsEndpoint = new ec2.InterfaceVpcEndpoint(this, 'KmsEndpoint', {
        vpc,
        service: ec2.InterfaceVpcEndpointAwsService.KMS,
        subnets: selection,
        privateDnsEnabled: true,
        securityGroups: [sg],
        open: false,
      });
    }
    this.kmsEndpointOwned = this.kmsEndpoint !== undefined && Resource.isOwnedResource(this.kmsEndpoint);

    // --- endpoint policies ------------------------------------------------------
    const partition = stack.partition;
    const s3Statements = [allowEndpointAccessToBuckets(this.buckets, stack.account, props.organizationId)];
    if (props.allowCloudFormationResponses ?? true) {
      s3Statements.push(allowCloudFormationResponses(stack.region, partition));
    }
    if (props.allowAmazonLinuxRepositories ?? true) {
      s3Statements.push(allowAmazonLinuxRepositories(stack.region, partition));
    }
    s3Statements.forEach((s) => this.addToS3EndpointPolicy(s));
    if (this.kmsEndpoint && this.keys.length > 0) {
      this.addToKmsEndpointPolicy(allowEndpointAccessToKeys(this.keys, stack.account, props.organizationId));
    }

    // --- bucket policies -----------------------------------------------------------
    this.vpcEndpointIds = [this.s3Endpoint.vpcEndpointId, ...(props.additionalVpcEndpointIds ?? [])];
    if (restrict) {
      // the id of an imported s3Endpoint is checked here, where the denies start naming it
      validateVpcEndpointIds('vpcEndpointIds', this.vpcEndpointIds);
      this.buckets.forEach((bucket, i) => {
        claim(bucket, this, `buckets[${i}] (${bucket.node.path})`);
        const ownAccount = bucket instanceof Resource ? bucket.env.account : Stack.of(bucket).account;
        // The roles of aws-cdk-lib's helpers that write into the bucket from outside any VPC
        // (BucketDeployment, auto-delete-objects), found on the final tree when the policy is rendered.
        const helperRoles = (rendering: boolean): string[] =>
          rendering ? distinct(dataHelpersOf(bucket).map((h) => h.roleArn).filter((r) => r !== undefined)).map((r) => (typeof r === 'string' ? r : Token.asString(r))) : [];
        const statements: iam.PolicyStatement[] = [
          new LazyPolicyStatement((rendering) => {
            const partners = sharesOf(bucket).map((s) => s.partner._vpcEndpointExemption());
            return denyDataAccessOutsideVpcEndpoints(bucket, this.vpcEndpointIds, {
              principalArns: [...exemptArnsOf(bucket), ...helperRoles(rendering), ...partners.flatMap((p) => p.principalArns ?? [])],
              accounts: partners.flatMap((p) => p.accounts ?? []),
              organizationIds: partners.flatMap((p) => p.organizationIds ?? []),
              organizationPaths: partners.flatMap((p) => p.organizationPaths ?? []),
            });
          }),
          // A partner organization (or organizational unit) may hold this account:
          // its principals are never exempt through a partner exemption.
          new LazyPolicyStatement((rendering) =>
            denyOwnAccountAccessOutsideVpcEndpoints(bucket, this.vpcEndpointIds, ownAccount, [...exemptArnsOf(bucket), ...helperRoles(rendering)]),
          ),
          ...(props.partnerVpcEndpoints ?? []).map((p) =>
            denyPartnerAccessOutsideVpcEndpoints(bucket, p.partner, p.vpcEndpointIds),
          ),
        ];
        this.addToBucketPolicy(bucket, statements, props.replaceExistingBucketPolicy === true);
      });
    } else {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:bucketsNotRestricted',
        'restrictBucketAccess is false: the endpoints keep traffic from the VPC on the AWS network, but the buckets still accept requests from anywhere else (the internet, other VPCs).',
      );
    }

    // --- keys --------------------------------------------------------------------------
    if (props.restrictDirectKeyUse) {
      if (!this.kmsEndpoint || this.keys.length === 0) {
        throw new Error('restrictDirectKeyUse is true, but there is no KMS key to restrict: the buckets use SSE-S3 and keys is empty. Drop restrictDirectKeyUse, or list the keys in keys.');
      }
      validateVpcIds('vpcIds', [vpc.vpcId]);
      const deny = denyDirectKeyUseOutsideVpcs([vpc.vpcId], [...this.administratorArns, ...this.exemptRoleArns]);
      for (const key of this.keys) {
        if (Resource.isOwnedResource(key)) {
          claim(key, this, `key ${key.node.path}`);
          key.addToResourcePolicy(deny);
        } else {
          Annotations.of(this).addWarningV2(
            'cdk-data-protection:importedKeyNotRestricted',
            `restrictDirectKeyUse: the key ${key.keyArn} is imported, so its key policy is not changed. Its administrators can add: ${JSON.stringify(stack.resolve(deny.toStatementJson()))}`,
          );
        }
      }
    }

    const facts = StackFacts.of(this);
    facts.addCheck(() => this.validateKeys(), { scope: this });
    if (restrict) {
      facts.addCheck(() => this.validateDataHelpers(), { scope: this });
    }
    if (restrict && props.organizationId !== undefined && !Token.isUnresolved(props.organizationId)) {
      const organizationId = props.organizationId;
      facts.addCheck(
        () => {
          this.warnAboutOwnOrganizationPartners(organizationId);
          return [];
        },
        { scope: this },
      );
    }
  }

  /** Warns about an administrator ARN that matches every role or user of its account. */
  private warnIfWholeAccount(arn: string, prop = 'administratorArns'): void {
    if (isWholeAccountPattern(arn)) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:administratorWildcard',
        `${prop} has ${arn}, which matches every role or user of the account: all of them are exempt from the VPC endpoint restriction and reach the data from anywhere. Name the administrator and deployment roles (or a narrower pattern such as arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*).`,
      );
    }
  }

  /**
   * A given `s3Endpoint` must be an S3 gateway endpoint of `vpc`, routed to
   * the route tables of the selected subnets: read on its L1 now, and again
   * on the final template (after escape hatches, overrides and Aspects). An
   * imported endpoint cannot be read: it is used as given, with a warning.
   */
  private checkS3Endpoint(
    endpoint: ec2.IGatewayVpcEndpoint,
    vpc: ec2.IVpc,
    selection: ec2.SubnetSelection,
    region: string | undefined,
    subnetsGiven: boolean,
  ): void {
    const cfn = endpoint.node.defaultChild;
    if (!(cfn instanceof ec2.CfnVPCEndpoint)) {
      if ((endpoint as Partial<ec2.IInterfaceVpcEndpoint>).connections instanceof ec2.Connections) {
        throwValidationError('InvalidS3Endpoint', interfaceEndpointProblem(endpoint.node.path, 'an imported ec2.IInterfaceVpcEndpoint, with security groups'), this);
      }
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:s3EndpointNotVerified',
        `s3Endpoint ${endpoint.node.path} (${endpoint.vpcEndpointId}) is imported, so it is used as given: whether it is an S3 gateway endpoint (com.amazonaws.<region>.s3) of vpc ${vpc.node.path}, in the route tables of the selected subnets, cannot be read at synthesis. ` +
          'If it is not, the workloads\' requests do not come through it and the buckets deny them. Check with aws ec2 describe-vpc-endpoints (VpcEndpointType, ServiceName, VpcId, RouteTableIds), or leave s3Endpoint unset to have one created.',
      );
      return;
    }
    const selected = selectSubnets(vpc, selection);
    const routeTables = selected.isPendingLookup
      ? []
      : selected.subnets
        .map((subnet) => ({ subnet: subnet.node.path, routeTableId: routeTableOf(subnet) }))
        .filter((rt): rt is { subnet: string; routeTableId: string } => rt.routeTableId !== undefined);
    const expectation = {
      vpc,
      region,
      routeTables,
      subnetsHint: subnetsGiven ? 'subnets: [the selection given as subnets]' : 'subnets: [{ subnets: [...vpc.privateSubnets, ...vpc.isolatedSubnets] }]',
    };
    const problems = s3EndpointProblems(cfn, endpointProperties(cfn), expectation);
    if (problems.length > 0) {
      throwValidationError('InvalidS3Endpoint', problems.join(' '), this);
    }
    StackFacts.of(this).addCheck(
      () => s3EndpointProblems(cfn, render(cfn).props, expectation).map((p) => `On the final template (after escape hatches, overrides and Aspects): ${p}`),
      { scope: this },
    );
  }

  /**
   * Adds a statement to the S3 endpoint's policy, e.g. to let instances reach
   * the ECR layer bucket or the SSM agent's buckets of the region.
   *
   * @param statement the statement (its principal is usually `iam.AnyPrincipal`)
   * @returns whether it was added (false for an imported endpoint, whose policy this app does not own)
   */
  public addToS3EndpointPolicy(statement: iam.PolicyStatement): boolean {
    requireConstruct('statement', statement, POLICY_STATEMENT);
    return this.addToEndpointPolicy(this.s3Endpoint, this.s3EndpointOwned, statement, 's3Endpoint');
  }

  /**
   * Adds a statement to the KMS endpoint's policy.
   *
   * @param statement the statement
   * @returns whether it was added (false without a KMS endpoint, or for an imported one)
   */
  public addToKmsEndpointPolicy(statement: iam.PolicyStatement): boolean {
    requireConstruct('statement', statement, POLICY_STATEMENT);
    if (!this.kmsEndpoint) {
      return false;
    }
    return this.addToEndpointPolicy(this.kmsEndpoint, this.kmsEndpointOwned, statement, 'kmsEndpoint');
  }

  private addToEndpointPolicy(endpoint: IConstruct, owned: boolean, statement: iam.PolicyStatement, prop: string): boolean {
    if (owned && endpoint instanceof ec2.VpcEndpoint) {
      endpoint.addToPolicy(statement);
      return true;
    }
    Annotations.of(this).addWarningV2(
      'cdk-data-protection:endpointPolicyNotManaged',
      `${prop} ${endpoint.node.path} is imported, so its endpoint policy is not changed. Its owners should add: ${JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()))}`,
    );
    return false;
  }

  private addToBucketPolicy(bucket: s3.IBucket, statements: iam.PolicyStatement[], replaceAcknowledged: boolean): void {
    if (isOwnedBucket(bucket)) {
      statements.forEach((s) => bucket.addToResourcePolicy(s));
      registerOnePolicyCheck(bucket);
      return;
    }
    // An imported bucket: join the bucket policy this app already made for it
    // (a TlsOnlyBucketPolicy, or the user's s3.BucketPolicy), or make the one
    // policy, pointed to by bucket.policy so later statements join it too.
    const { policy, created } = importedBucketPolicy(
      bucket,
      replaceAcknowledged,
      `bucket ${bucket.node.path} is imported, so a new bucket policy would replace the policy it has in AWS (CloudFormation keeps one policy per bucket), dropping its statements. ` +
        'Set replaceExistingBucketPolicy: true to acknowledge that, or add the statements of DataProtectionStatements.denyDataAccessOutsideVpcEndpoints to the policy where it is defined.',
      () => new s3.BucketPolicy(this, `${bucket.node.id}Policy`, { bucket }),
    );
    const present = new Set((policy.document.toJSON()?.Statement ?? []).map((json: any) => json.Sid).filter((sid: unknown) => sid !== undefined));
    policy.document.addStatements(...statements.filter((st) => st.sid === undefined || !present.has(st.sid)));
    if (created) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:replacesBucketPolicy',
        `This creates the bucket policy of the imported bucket ${bucket.node.path}: any policy it has in AWS is replaced.`,
      );
    }
  }

  /**
   * A partner organization equal to `organizationId` (this account's own
   * organization) would exempt the organization's principals from the deny;
   * the principals of this account stay restricted
   * (`DenyOwnAccountOutsideVpcEndpoints`), but every other account of the
   * organization reaches the data from anywhere.
   */
  private warnAboutOwnOrganizationPartners(organizationId: string): void {
    for (const bucket of this.buckets) {
      for (const { partner } of sharesOf(bucket)) {
        const id = `${bucket.node.path} ${partner}`;
        if (!partner._isInOrganization(organizationId) || this.warnedOwnOrganization.has(id)) {
          continue;
        }
        this.warnedOwnOrganization.add(id);
        Annotations.of(this).addWarningV2(
          'cdk-data-protection:partnerIsOwnOrganization',
          `${bucket.node.path} is shared with ${partner}, which is this VpcEndpointAccess's own organization (organizationId ${organizationId}): every account of the organization is exempt from the VPC endpoint restriction and reaches the data from its own networks (principals of this account stay restricted). ` +
            'Share with the accounts that need it (Partner.account) or a narrower organizational unit, or hold the partner to its endpoints with partnerVpcEndpoints.',
        );
      }
    }
  }

  /**
   * Every helper of aws-cdk-lib that writes into a restricted bucket from
   * outside the VPC (`BucketDeployment`, auto-delete-objects) is exempt from
   * the deny by its role: one whose role the bucket's policy cannot name
   * would fail at deploy time, so it fails synthesis instead.
   */
  private validateDataHelpers(): string[] {
    return this.buckets.flatMap((bucket, i) =>
      dataHelpersOf(bucket)
        .filter((h) => h.problem !== undefined)
        .map(
          (h) =>
            `${h.path} writes into buckets[${i}] (${bucket.node.path}) from outside the VPC: it is ${h.what}, and ${h.problem}. ` +
            'Its requests would be denied by DenyDataAccessOutsideVpcEndpoints and the deployment would fail. ' +
            `Create it in the bucket's stack ${Stack.of(bucket).stackName}, or give it an existing role by ARN (role: iam.Role.fromRoleArn(this, 'DeployRole', 'arn:aws:iam::<account>:role/<name>')), which is then exempt.`,
        ),
    );
  }

  /** No network condition on the path S3 uses to call KMS, in any protected key of this app (case D10). */
  private validateKeys(): string[] {
    const errors: string[] = [];
    for (const key of this.keys) {
      const cfn = key.node.defaultChild;
      if (!Resource.isOwnedResource(key) || !(cfn instanceof kms.CfnKey) || !claimKeyNetworkCheck(key, this)) {
        continue; // not ours, or reported by the CrossAccountSharedKey or EncryptedBucket that uses it
      }
      const statements = Stack.of(key).resolve(cfn.keyPolicy)?.Statement ?? [];
      errors.push(...keyNetworkConditionProblems(key.node.path, statements));
    }
    return errors;
  }
}

/** The VpcEndpointAccess restricting each bucket and key, in the stack of the bucket or key. */
const RESTRICTED_BY = new FactKey<Map<IConstruct, VpcEndpointAccess>>('network.restrictedBy', () => new Map());

/** One VpcEndpointAccess per bucket or key: two would write statements with the same Sid into one policy. */
function claim(target: IConstruct, owner: VpcEndpointAccess, what: string): void {
  const restricted = StackFacts.of(target).get(RESTRICTED_BY);
  const other = restricted.get(target);
  if (other && other !== owner) {
    throw new Error(
      `${what} is already restricted by VpcEndpointAccess ${other.node.path}. Protect it with one VpcEndpointAccess, listing the other endpoints in additionalVpcEndpointIds.`,
    );
  }
  restricted.set(target, owner);
}

/** The values without repeats, comparing resolved intrinsics (plain objects) by their JSON. */
function distinct(values: unknown[]): unknown[] {
  return [...new Map(values.map((v) => [typeof v === 'string' ? v : JSON.stringify(v), v])).values()];
}

/** An administrator as given: the prop naming it, its ARN (pattern) and the principal construct it came from. */
interface Administrator {
  /** `administrators[0]`, `administratorArns[1]`. */
  readonly label: string;
  readonly arn: string;
  readonly principal?: iam.IPrincipal;
}

/** Whether `value` is a token that resolves to a string now (a `Lazy` value): what it is is known only at synthesis. */
function isLazyString(scope: IConstruct, value: string): boolean {
  if (!Token.isUnresolved(value)) {
    return false;
  }
  try {
    return typeof Stack.of(scope).resolve(value) === 'string';
  } catch {
    return true;
  }
}

function isValidPrincipalArnPattern(arn: string): boolean {
  try {
    validatePrincipalArnPattern('arn', arn);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why restricting `bucket` would leave its account without an administrator
 * who works from outside the VPC; undefined when there is one. The CDK
 * deployment roles do not count, the account's root user does not either,
 * nor principals of other accounts. An administrator whose account is not
 * known at synthesis (a token, a literal ARN in an environment-agnostic
 * stack) is given the benefit of the doubt; so are the ARNs in `lazy`,
 * checked again once resolved.
 */
function accountAdministratorProblem(
  index: number,
  bucket: s3.IBucket,
  admins: Administrator[],
  lazy: Set<string>,
  exemptDeployment: boolean,
): string | undefined {
  const readings = admins.map((a) => ({ admin: a, reading: lazy.has(a.arn) ? { kind: 'unknown' as const } : readAdministrator(bucket, a.arn, a.principal) }));
  if (readings.some(({ reading }) => reading.kind === 'account' || reading.kind === 'unknown')) {
    return undefined;
  }
  const stack = Stack.of(bucket);
  const own = stack.resolve(bucket instanceof Resource ? bucket.env.account : stack.account);
  const account = typeof own === 'string' ? own : '<account>';
  const shown = (a: Administrator) => JSON.stringify(stack.resolve(a.arn));
  const what =
    readings.length === 0
      ? 'administrators and administratorArns are empty'
      : `administrators and administratorArns name only ${readings
        .map(({ admin, reading }) =>
          reading.kind === 'root'
            ? `${shown(admin)} (${admin.label}: the root user of the bucket's account; aws:PrincipalArn arn:aws:iam::${account}:root matches the root user only, no role or user of the account)`
            : `${shown(admin)} (${admin.label}: a principal of account ${reading.account ?? 'another account'}, not of the bucket's account ${account})`,
        )
        .join(', ')}`;
  const synthesizer = stack.synthesizer.constructor.name;
  const deployment = !exemptDeployment
    ? 'exemptCdkDeploymentRoles is false'
    : cdkDeploymentRoleArns(stack).length === 0
      ? `the stack's synthesizer (${synthesizer}) names no CDK deployment roles`
      : 'the CDK deployment roles, exempt so that deployments keep working, do not count: the deploy role only starts CloudFormation deployments and the CloudFormation execution role is assumed by CloudFormation alone, so no person reaches the data through them';
  return (
    `Restricting buckets[${index}] (${bucket.node.path}) to the VPC endpoint would exempt no administrator: ${what}, and ${deployment}. ` +
    `Without an administrator of the bucket's account (${account}) other than its root user, nobody could read, restore or delete the data from outside the VPC (a console, a laptop, an incident responder; the bucket policy itself stays editable). ` +
    `Name a role of the bucket's account, e.g. the role your operators assume (administratorArns: ['arn:aws:iam::${account}:role/Admin'] or administrators: [role]), or set restrictBucketAccess: false.`
  );
}

function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  const subnets = [...vpc.privateSubnets, ...vpc.isolatedSubnets];
  if (subnets.length === 0) {
    throw new Error(
      `vpc ${vpc.node.path} has no private subnets (with egress or isolated), where the endpoints go by default. Pass subnets, e.g. { subnetType: ec2.SubnetType.PUBLIC }.`,
    );
  }
  return { subnets };
}

/**
 * The CIDR block of a VPC of this app as a literal (`10.0.0.0/16`), so the
 * security group's rule is readable by reviewers and compliance checks
 * (rather than `Fn::GetAtt Vpc.CidrBlock`); undefined when not known.
 */
function literalCidrOf(vpc: ec2.IVpc): string | undefined {
  const cfn = vpc.node.defaultChild;
  const cidr = cfn instanceof ec2.CfnVPC ? cfn.cidrBlock : undefined;
  return cidr !== undefined && !Token.isUnresolved(cidr) ? cidr : undefined;
}

function routeTableOf(subnet: ec2.ISubnet): string | undefined {
  try {
    const id = subnet.routeTable?.routeTableId;
    return id === undefined || id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/** The type of each prop, before any is used (the values are checked where they are used). */
function validatePropTypes(props: VpcEndpointAccessProps): void {
  requireConstruct('vpc', props.vpc, VPC);
  optionalObject('subnets', props.subnets, 'an ec2.SubnetSelection object');
  optionalArrayOf('keys', props.keys, each(KEY), 'an array of kms.IKey');
  optionalConstruct('s3Endpoint', props.s3Endpoint, VPC_ENDPOINT);
  optionalConstruct('kmsEndpoint', props.kmsEndpoint, VPC_ENDPOINT);
  optionalString('organizationId', props.organizationId, "a string (an organization id such as 'o-a1b2c3d4e5')");
  optionalArrayOf('administrators', props.administrators, each(PRINCIPAL), 'an array of iam.IPrincipal');
  optionalArrayOf('administratorArns', props.administratorArns, eachString, 'an array of IAM principal ARNs');
  optionalArrayOf('exemptRoles', props.exemptRoles, each(PRINCIPAL), 'an array of iam.IPrincipal (IAM roles)');
  optionalArrayOf('additionalVpcEndpointIds', props.additionalVpcEndpointIds, eachString, 'an array of VPC endpoint ids');
  optionalArrayOf('partnerVpcEndpoints', props.partnerVpcEndpoints, eachObject('{ partner, vpcEndpointIds }'), 'an array of { partner, vpcEndpointIds }');
  optionalBoolean('exemptCdkDeploymentRoles', props.exemptCdkDeploymentRoles);
  optionalBoolean('restrictBucketAccess', props.restrictBucketAccess);
  optionalBoolean('restrictDirectKeyUse', props.restrictDirectKeyUse);
  optionalBoolean('allowCloudFormationResponses', props.allowCloudFormationResponses);
  optionalBoolean('allowAmazonLinuxRepositories', props.allowAmazonLinuxRepositories);
  optionalBoolean('replaceExistingBucketPolicy', props.replaceExistingBucketPolicy);
}

/** `vpc.selectSubnets`, whose refusal of the selection (no such subnet group) names the prop. */
function selectSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection): ec2.SelectedSubnets {
  try {
    return vpc.selectSubnets(selection);
  } catch (e) {
    throw new Error(
      `subnets cannot be selected in vpc ${vpc.node.path}: ${(e as Error).message}. Pass a selection that holds the subnets of the workloads, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, or leave subnets unset.`,
    );
  }
}
