import { Fn, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  SID_ALLOW_AMAZON_LINUX_REPOSITORIES,
  SID_ALLOW_CLOUDFORMATION_RESPONSES,
  SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS,
  SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS,
  SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS,
  SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS,
  SID_DENY_OWN_ACCOUNT_OUTSIDE_VPC_ENDPOINTS,
  sidDenyPartnerOutsideVpcEndpoints,
} from './sids';
import { KMS_CRYPTO_ACTIONS, KMS_ENDPOINT_ACTIONS, S3_DATA_ACTIONS } from './vpc-endpoint-perms';
import { Partner } from '../sharing/partner';
import { mergeConditions } from '../sharing/partner-policy';

/**
 * VPC endpoint statements: the bucket-policy denies of access from outside
 * the endpoints, the endpoint policies, and the key-policy deny of direct
 * use from outside the VPCs. Internal builders: they take checked values
 * (endpoint and VPC ids, principal ARNs with at least one administrator)
 * and do not validate.
 */

/** Who a deny of access from outside the endpoints exempts (the facade's `VpcEndpointExemptions`; at least one principal ARN). */
interface Exemptions {
  readonly principalArns: string[];
  readonly accounts?: string[];
  readonly organizationIds?: string[];
  readonly organizationPaths?: string[];
}

/** Bucket policy: deny object and listing access from outside the endpoints, except for the exemptions. */
export function denyDataAccessOutsideVpcEndpoints(
  bucket: s3.IBucket,
  vpcEndpointIds: string[],
  exemptions: Exemptions,
): iam.PolicyStatement {
  const accounts = exemptions.accounts ?? [];
  const orgs = exemptions.organizationIds ?? [];
  const paths = exemptions.organizationPaths ?? [];
  return denyOutsideVpcEndpoints(SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS, bucket, vpcEndpointIds, {
    StringNotEquals: {
      ...(accounts.length > 0 ? { 'aws:PrincipalAccount': [...new Set(accounts)] } : {}),
      ...(orgs.length > 0 ? { 'aws:PrincipalOrgID': [...new Set(orgs)] } : {}),
    },
    ArnNotLike: { 'aws:PrincipalArn': [...new Set(exemptions.principalArns)] },
    ...(paths.length > 0 ? { 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': [...new Set(paths)] } } : {}),
  });
}

/** Bucket policy: deny principals of `account` access from outside the endpoints, except `principalArns`. */
export function denyOwnAccountAccessOutsideVpcEndpoints(
  bucket: s3.IBucket,
  vpcEndpointIds: string[],
  account: string,
  principalArns: string[],
): iam.PolicyStatement {
  return denyOutsideVpcEndpoints(SID_DENY_OWN_ACCOUNT_OUTSIDE_VPC_ENDPOINTS, bucket, vpcEndpointIds, {
    StringEquals: { 'aws:PrincipalAccount': account },
    ArnNotLike: { 'aws:PrincipalArn': [...new Set(principalArns)] },
  });
}

/** Bucket policy: deny a partner access unless it comes through one of its own endpoints. */
export function denyPartnerAccessOutsideVpcEndpoints(bucket: s3.IBucket, partner: Partner, vpcEndpointIds: string[]): iam.PolicyStatement {
  return denyOutsideVpcEndpoints(sidDenyPartnerOutsideVpcEndpoints(partner), bucket, vpcEndpointIds, partner._requestCondition());
}

/** S3 gateway endpoint policy: allow the protected buckets only, for this account's (or organization's) principals. */
export function allowEndpointAccessToBuckets(buckets: s3.IBucket[], account: string, organizationId?: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: buckets.flatMap((b) => [b.bucketArn, b.arnForObjects('*')]),
    conditions: principalsOf(account, organizationId),
  });
}

/** KMS interface endpoint policy: allow cryptographic use and `kms:DescribeKey` of the protected keys only. */
export function allowEndpointAccessToKeys(keys: kms.IKey[], account: string, organizationId?: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: KMS_ENDPOINT_ACTIONS,
    resources: [...new Set(keys.map((k) => k.keyArn))],
    conditions: principalsOf(account, organizationId),
  });
}

/** S3 gateway endpoint policy: let custom resources and wait conditions answer CloudFormation. */
export function allowCloudFormationResponses(region: string, partition: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_CLOUDFORMATION_RESPONSES,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [
      `arn:${partition}:s3:::cloudformation-custom-resource-response-${regionWithoutDashes(region)}/*`,
      `arn:${partition}:s3:::cloudformation-waitcondition-${region}/*`,
    ],
  });
}

/** S3 gateway endpoint policy: let instances read the Amazon Linux 2 and 2023 repositories of the region. */
export function allowAmazonLinuxRepositories(region: string, partition: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_AMAZON_LINUX_REPOSITORIES,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [
      `arn:${partition}:s3:::amazonlinux.${region}.amazonaws.com/*`,
      `arn:${partition}:s3:::amazonlinux-2-repos-${region}/*`,
      `arn:${partition}:s3:::al2023-repos-${region}-de612dc2/*`,
    ],
  });
}

/** Key policy: deny direct cryptographic use of the key from outside the VPCs; calls AWS services make are never affected. */
export function denyDirectKeyUseOutsideVpcs(vpcIds: string[], exemptPrincipalArns: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: KMS_CRYPTO_ACTIONS,
    resources: ['*'],
    conditions: {
      StringNotEquals: { 'aws:SourceVpc': [...new Set(vpcIds)] },
      BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
      Null: { 'kms:ViaService': 'true' },
      ...(exemptPrincipalArns.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': [...new Set(exemptPrincipalArns)] } } : {}),
    },
  });
}

/** Who may use an endpoint: principals of the organization when given, else of the account. */
function principalsOf(account: string, organizationId?: string): Record<string, Record<string, unknown>> {
  return organizationId !== undefined
    ? { StringEquals: { 'aws:PrincipalOrgID': organizationId } }
    : { StringEquals: { 'aws:PrincipalAccount': account } };
}

/**
 * The shape shared by the VPC endpoint denies: deny object and listing access
 * to the bucket unless it comes through one of the endpoints
 * (`aws:SourceVpce`), never for calls AWS services make; `conditions` say
 * whom the deny concerns or exempts.
 */
function denyOutsideVpcEndpoints(
  sid: string,
  bucket: s3.IBucket,
  vpcEndpointIds: string[],
  conditions: Record<string, Record<string, unknown>>,
): iam.PolicyStatement {
  const merged = mergeConditions(
    { StringNotEquals: { 'aws:SourceVpce': [...new Set(vpcEndpointIds)] } },
    { BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    conditions,
  );
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: S3_DATA_ACTIONS,
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: merged,
  });
}

/** `eu-west-1` → `euwest1`, also for a region token (`Fn::Join` of `Fn::Split`). */
export function regionWithoutDashes(region: string): string {
  return Token.isUnresolved(region) ? Fn.join('', Fn.split('-', region)) : region.replace(/-/g, '');
}
