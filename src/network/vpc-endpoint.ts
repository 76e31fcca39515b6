import { DefaultStackSynthesizer, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
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
