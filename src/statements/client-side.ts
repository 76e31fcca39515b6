import * as iam from 'aws-cdk-lib/aws-iam';
import { dataKeyActionsFor } from './perms';
import { sidClientSideKeyUse } from './sids';
import { CSE_CONTENT_ALGORITHMS, CSE_CONTEXT_KEY } from '../analysis/client-side';
import { AccessLevel, Partner } from '../sharing/partner';
import { listOrOne, mergeConditions, partnerAccounts, partnerConditions, partnerPrincipals } from '../sharing/partner-policy';

/**
 * Statements of client-side encryption (CSE) with the Amazon S3 Encryption
 * Client and a KMS key: the client calls KMS itself (no AWS service in
 * between, so no `kms:ViaService`) to generate the data key of each object
 * it uploads and to decrypt it when it downloads. Internal builders: they
 * take checked values and do not validate.
 */

/**
 * Key policy: let partners call KMS directly for the S3 Encryption Client:
 * only with the encryption context the client sends (`aws:x-amz-cek-alg`,
 * one of `algorithms`), only from the partners' accounts
 * (`kms:CallerAccount`, plus the partner's own conditions).
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
 */
export function allowClientSideKeyUse(
  partners: Partner[],
  access: AccessLevel,
  options: { readonly sid?: string; readonly ownerAccount?: string; readonly algorithms?: string[] } = {},
): iam.PolicyStatement {
  const accounts = partnerAccounts(partners);
  const conditions = mergeConditions(
    {
      StringEquals: {
        [`kms:EncryptionContext:${CSE_CONTEXT_KEY}`]: listOrOne(options.algorithms ?? [...CSE_CONTENT_ALGORITHMS]),
        ...(accounts.length > 0 ? { 'kms:CallerAccount': listOrOne(accounts) } : {}),
      },
    },
    partnerConditions(partners, options.ownerAccount),
  );
  return new iam.PolicyStatement({
    sid: options.sid ?? sidClientSideKeyUse(access, partners[0]),
    effect: iam.Effect.ALLOW,
    principals: partnerPrincipals(partners),
    actions: dataKeyActionsFor(access),
    resources: ['*'],
    conditions,
  });
}

/**
 * Identity policy (the partner's side, or a role of the key's account): use
 * the key directly for the S3 Encryption Client, with its encryption context only.
 */
export function allowClientSideKeyUseByIdentity(keyArn: string, access: AccessLevel, sid: string, algorithms?: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.ALLOW,
    actions: dataKeyActionsFor(access),
    resources: [keyArn],
    conditions: { StringEquals: { [`kms:EncryptionContext:${CSE_CONTEXT_KEY}`]: listOrOne(algorithms ?? [...CSE_CONTENT_ALGORITHMS]) } },
  });
}
