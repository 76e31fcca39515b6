import * as iam from 'aws-cdk-lib/aws-iam';
import { SID_ALLOW_REDSHIFT_KEY_USE, SID_ALLOW_REDSHIFT_SERVERLESS_KEY_USE } from './sids';

/**
 * Amazon Redshift statements (key policy). Internal builders: they take
 * checked values and do not validate.
 *
 * Redshift acts for the principal that creates or modifies the cluster or
 * namespace: it calls `kms:CreateGrant` and `kms:DescribeKey` through
 * `redshift.<region>.amazonaws.com` (`redshift-serverless.<region>.amazonaws.com`
 * for a namespace), then uses the key through the grant. The managed admin
 * password is a Secrets Manager secret under the same key, which Secrets
 * Manager encrypts through `secretsmanager.<region>.amazonaws.com`.
 * `kms:CreateGrant` stays limited to grants for AWS resources by
 * `DenyGrantsExceptForAwsResources`. No encryption context is named: the
 * grant is created before the cluster's ARN is part of any request.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-kms-customer-managed-key.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */

/** What Redshift calls for the principal creating the cluster, and Secrets Manager for its admin secret. */
export const REDSHIFT_KEY_ACTIONS = ['kms:CreateGrant', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'];

function allowVia(sid: string, account: string, viaServices: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AccountPrincipal(account)],
    actions: REDSHIFT_KEY_ACTIONS,
    resources: ['*'],
    conditions: { StringEquals: { 'kms:ViaService': viaServices, 'kms:CallerAccount': account } },
  });
}

/** Key policy: principals of `account` may use the key for a provisioned cluster through Redshift and Secrets Manager only. */
export function allowRedshiftKeyUse(account: string, redshiftViaService: string, secretsViaService: string): iam.PolicyStatement {
  return allowVia(SID_ALLOW_REDSHIFT_KEY_USE, account, [redshiftViaService, secretsViaService]);
}

/** Key policy: principals of `account` may use the key for a namespace through Redshift Serverless and Secrets Manager only. */
export function allowRedshiftServerlessKeyUse(account: string, serverlessViaService: string, secretsViaService: string): iam.PolicyStatement {
  return allowVia(SID_ALLOW_REDSHIFT_SERVERLESS_KEY_USE, account, [serverlessViaService, secretsViaService]);
}
