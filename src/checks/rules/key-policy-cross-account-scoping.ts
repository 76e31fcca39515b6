import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { isClientSideScoped } from '../../analysis/client-side';
import { isBoundToOneBucketThroughS3, keyPolicyStatements } from '../../analysis/key';
import { AccountContext, coversAction, describeWho, isAllow, requiredValues, Statement } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { grantText } from '../statement-text';

/** Actions that use a key, rather than manage it. */
const USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:CreateGrant'];

/** The other accounts (or everyone) an unscoped statement lets use the key. */
function unscoped(node: CfnResource): string[] | undefined {
  if (node.cfnResourceType !== KEY) {
    return undefined;
  }
  const statements = keyPolicyStatements(render(node));
  if (statements === undefined) {
    return undefined;
  }
  const ctx = new AccountContext(node);
  const found: string[] = [];
  statements.forEach((s, i) => {
    if (!isAllow(s) || !USE_ACTIONS.some((a) => coversAction(s, a) === true)) {
      return;
    }
    const scoped = isScoped(s);
    for (const who of ctx.principalsOf(s)) {
      if (who.kind === 'any') {
        if (scoped && isBoundToOneBucketThroughS3(s)) {
          continue; // S3 decides who, for one bucket (its bucket and access point policies): SharingMode.ACCESS_POINTS
        }
        // through a service or not, "*" not narrowed to accounts or an organization is every AWS account
        found.push(
          `${grantText(s, 'any principal', i)} ${scoped ? 'narrowed by kms:ViaService to a path, not to who (missing: kms:CallerAccount or aws:PrincipalOrgID)' : 'with no condition on who or how (missing: kms:ViaService, kms:CallerAccount)'}`,
        );
      } else if (!scoped && (who.kind === 'account' || who.kind === 'organization')) {
        found.push(`${grantText(s, describeWho(who), i)} with no kms:ViaService condition (missing: kms:ViaService)`);
      }
    }
  });
  return found;
}

/**
 * Scoped to use through a service: `kms:ViaService` required to be a
 * service (`kms:CallerAccount` alone still lets the partner call KMS
 * directly; `IfExists`, `StringNotEquals`, `Null` or `*` require nothing), or
 * a client-side encryption grant: direct use by design, but only with the S3
 * Encryption Client's encryption context, from the partner's account, and
 * only `kms:GenerateDataKey` / `kms:Decrypt` (`isClientSideScoped`).
 */
function isScoped(s: Statement): boolean {
  return requiredValues(s, 'kms:ViaService') !== undefined || isClientSideScoped(s);
}

/**
 * DP9: a key-policy statement that lets another account use the key without
 * `kms:ViaService` scoping.
 */
export const KeyPolicyCrossAccountScoping: RuleDefinition = {
  id: 'DP9',
  level: RuleLevel.WARNING,
  info: 'A key-policy statement lets another account use the KMS key without kms:ViaService scoping.',
  explanation:
    'Unscoped, the partner can call KMS directly with the key (decrypt anything encrypted under it, from anywhere, through any service), not only through the service the data was shared by. ' +
    'Fix: add Condition StringEquals kms:ViaService s3.<region>.amazonaws.com (the service that uses the key for the partner) and kms:CallerAccount <partner account>; ' +
    'CrossAccountSharedKey.grantPartner() and EncryptedBucket.shareWith() write both. ' +
    'Any principal is accepted only when bound to one bucket through S3 (kms:ViaService of S3 and kms:EncryptionContext:aws:s3:arn required, without IfExists, to be that bucket\'s): ' +
    'S3 then decides who, by the bucket and access point policies (EncryptedBucket sharingMode SharingMode.ACCESS_POINTS).',
  check(node: CfnResource): RuleCompliance {
    const found = unscoped(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = unscoped(node);
    return found && found.length > 0 ? `Key policy ${found.join('; ')}.` : undefined;
  },
};
