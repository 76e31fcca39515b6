import { DefaultStackSynthesizer, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { DeferredPolicyStatement } from '../statements/deferred-statement';

/**
 * Helpers of `VpcEndpointAccess` and of the statements it uses. Nothing here
 * is re-exported. This module must not import `../statements` (which imports it).
 */

/** A VPC endpoint id: `vpce-` and 17 hexadecimal digits. */
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/;

/**
 * An IAM principal ARN (pattern) as `aws:PrincipalArn` holds it: a role, a
 * user or the account root of one account (12 digits: a wildcard account
 * would match principals of every AWS account), wildcards allowed in the
 * name. A role session (`arn:aws:sts::<account>:assumed-role/...`) is never
 * what `aws:PrincipalArn` holds, so it is refused.
 */
const PRINCIPAL_ARN = /^arn:(aws[a-z-]*|\*):iam::\d{12}:(root|role\/.+|user\/.+|\*)$/;

/**
 * An ARN pattern that matches every role, every user, or every principal of
 * an account (`role/*`, `user/*`, `*`, `role/?*`, ...).
 */
const WHOLE_ACCOUNT_PATTERN = /^arn:[^:]+:iam::\d{12}:((role|user)\/[*?/]*|[*?]+)$/;

/** Whether an ARN pattern matches every role or user of an account. */
export function isWholeAccountPattern(arn: string): boolean {
  return typeof arn === 'string' && !Token.isUnresolved(arn) && WHOLE_ACCOUNT_PATTERN.test(arn);
}

/**
 * Throws unless every literal id is `vpce-` and 17 hex digits.
 */
export function validateVpcEndpointIds(prop: string, ids: string[], allowEmpty = false): void {
  if (!Array.isArray(ids) || (!allowEmpty && ids.length === 0)) {
    throw new Error(`${prop} needs at least one VPC endpoint id (vpce- and 17 hex digits, e.g. vpce-0123456789abcdef0), got ${JSON.stringify(ids)}`);
  }
  ids.forEach((id, i) => {
    if (Token.isUnresolved(id)) {
      return;
    }
    if (typeof id !== 'string' || !VPC_ENDPOINT_ID.test(id)) {
      throw new Error(
        `${prop}[${i}] must be a VPC endpoint id: vpce- followed by 17 lowercase hex digits, e.g. vpce-0123456789abcdef0, got ${JSON.stringify(id)}. ` +
          'Copy the id from `aws ec2 describe-vpc-endpoints` (VpcEndpointId), not the endpoint\'s ARN or DNS name.',
      );
    }
  });
}

/**
 * Throws unless there is at least one id and every literal one is `vpc-` and 8 or 17 hex digits.
 */
export function validateVpcIds(prop: string, ids: string[]): void {
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new Error(`${prop} needs at least one VPC id (vpc- and 17 hex digits, e.g. vpc-0123456789abcdef0), got ${JSON.stringify(ids)}`);
  }
  ids.forEach((id, i) => {
    if (!Token.isUnresolved(id) && (typeof id !== 'string' || !/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id))) {
      throw new Error(`${prop}[${i}] must be a VPC id (vpc- and 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0), got ${JSON.stringify(id)}`);
    }
  });
}

/**
 * Throws unless every literal value is an IAM role, user or root ARN (pattern)
 * that `aws:PrincipalArn` can match.
 */
export function validatePrincipalArnPatterns(prop: string, arns: string[]): void {
  arns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) {
      return;
    }
    if (typeof arn !== 'string' || !PRINCIPAL_ARN.test(arn)) {
      const hint = typeof arn === 'string' && arn.includes(':assumed-role/')
        ? ' aws:PrincipalArn holds the role ARN (arn:aws:iam::<account>:role/<name>), never the session ARN.'
        : typeof arn === 'string' && (arn === '*' || /^arn:[^:]*:iam::[^:]*[*?][^:]*:/.test(arn))
          ? ' The account must be a 12-digit account id: a wildcard account (or "*") would exempt principals of every AWS account.'
          : '';
      throw new Error(
        `${prop}[${i}] must be an IAM role, user or root ARN of one account such as arn:aws:iam::111111111111:role/Admin (wildcards allowed in the name, e.g. arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*), got ${JSON.stringify(arn)}.${hint}`,
      );
    }
  });
}

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
 * The role of aws-cdk-lib's auto-delete-objects provider, when the bucket
 * has `autoDeleteObjects: true`: it empties the bucket from outside any VPC
 * when the stack is deleted.
 */
export function autoDeleteObjectsRoleArn(bucket: s3.IBucket): string | undefined {
  if (!bucket.node.tryFindChild('AutoDeleteObjectsCustomResource')) {
    return undefined;
  }
  const provider = Stack.of(bucket).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider') as { roleArn?: string } | undefined;
  return provider?.roleArn;
}

/** The region of a construct, when it is known at synth time. */
export function knownRegion(c: IConstruct): string | undefined {
  const region = c instanceof Resource ? c.env.region : Stack.of(c).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/** `eu-west-1` → `euwest1`, also for a region token (`Fn::Join` of `Fn::Split`). */
export function regionWithoutDashes(region: string): string {
  return Token.isUnresolved(region) ? Fn.join('', Fn.split('-', region)) : region.replace(/-/g, '');
}

/**
 * A statement rendered at synthesis by `build`, so it can include what is
 * known only then (partners a bucket is shared with after the construct was
 * created).
 */
export class LazyPolicyStatement extends DeferredPolicyStatement {
  constructor(private readonly build: () => iam.PolicyStatement) {
    super(build());
  }

  protected render(): iam.PolicyStatement {
    return this.build();
  }
}
