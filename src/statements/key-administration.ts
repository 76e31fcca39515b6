import * as iam from 'aws-cdk-lib/aws-iam';
import { KMS_ADMIN_ACTIONS } from './perms';
import { SID_ALLOW_ACCOUNT_IAM_POLICIES, SID_ALLOW_KEY_ADMINISTRATION, SID_DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES } from './sids';

/**
 * Key administration statements (key policy): the account administrator that
 * prevents a lockout, named administrators, no grants except for AWS
 * resources. Internal builders: they take checked values and do not validate.
 */

/** Let IAM policies of the key's own account grant use and management of the key. */
export function allowAccountIamPolicies(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_ACCOUNT_IAM_POLICIES,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AccountRootPrincipal()],
    actions: ['kms:*'],
    resources: ['*'],
  });
}

/** Let `administrators` manage the key without using it for cryptography. */
export function allowKeyAdministration(administrators: iam.IPrincipal[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_ALLOW_KEY_ADMINISTRATION,
    effect: iam.Effect.ALLOW,
    principals: administrators,
    actions: KMS_ADMIN_ACTIONS,
    resources: ['*'],
  });
}

/** Deny `kms:CreateGrant` unless the grant is for an AWS resource or the caller is an AWS service (CT.KMS.PR.3). */
export function denyGrantsExceptForAwsResources(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SID_DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
    },
  });
}
