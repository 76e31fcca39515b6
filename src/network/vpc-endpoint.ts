import { CfnOutput, CfnResource, DefaultStackSynthesizer, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { isObject, referencedLogicalId, render, resourceByLogicalId } from '../analysis/template';
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
