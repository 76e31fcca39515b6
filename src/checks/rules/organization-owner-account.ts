import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, KEY } from '../../analysis/bucket';
import { keyPolicyStatements } from '../../analysis/key';
import { AccountContext, conditionEntries, flatten, isAllow, restrictedValues, Statement } from '../../analysis/policy';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { grantText, principalsText } from '../statement-text';

/** The resource policy of a bucket or key; undefined for other resources or when it cannot be read. */
function policyOf(node: CfnResource): Statement[] | undefined {
  if (node.cfnResourceType === BUCKET) {
    return bucketPolicyStatements(node);
  }
  if (node.cfnResourceType === KEY) {
    return keyPolicyStatements(render(node));
  }
  return undefined;
}

/**
 * The statements that allow a whole organization (or organizational units
 * of it) without leaving the owner account out; undefined when not applicable.
 */
function sharesIncludingOwner(node: CfnResource): { organizationShares: number; including: string[] } | undefined {
  const statements = policyOf(node);
  if (statements === undefined) {
    return undefined;
  }
  const ctx = new AccountContext(node);
  let organizationShares = 0;
  const including: string[] = [];
  statements.forEach((s, i) => {
    if (!isAllow(s) || !isOrganizationWide(s, ctx)) {
      return;
    }
    organizationShares++;
    const excludesOwner = conditionEntries(s).some(
      (e) => e.operator === 'stringnotequals' && e.key === 'aws:principalaccount' && e.values.some((v) => ctx.accountOf(flatten(v)).kind === 'self'),
    );
    if (!excludesOwner) {
      including.push(grantText(s, organizationText(ctx, s), i));
    }
  });
  return { organizationShares, including };
}

/** Who an organization-wide statement names: its organizations, or the organizational-unit paths it is narrowed to. */
function organizationText(ctx: AccountContext, s: Statement): string {
  const paths = restrictedValues(s, 'aws:PrincipalOrgPaths');
  return paths ? `the organizational units ${paths.join(', ')} (aws:PrincipalOrgPaths)` : principalsText(ctx, s);
}

/** A statement for any principal narrowed only to an organization or organizational unit paths (not to accounts or named principals). */
function isOrganizationWide(s: Statement, ctx: AccountContext): boolean {
  const who = ctx.principalsOf(s);
  if (who.some((w) => w.kind === 'organization')) {
    return true;
  }
  return who.some((w) => w.kind === 'any') && restrictedValues(s, 'aws:PrincipalOrgPaths') !== undefined;
}

/**
 * DP17: a bucket or key policy that shares with an organization (or
 * organizational units) leaves the owner account out
 * (`StringNotEquals aws:PrincipalAccount` the own account). In its own
 * account a resource policy alone grants access, so without it every role
 * and user of the owner account reaches the data with no IAM policy of its own.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export const OrganizationOwnerAccount: RuleDefinition = {
  id: 'DP17',
  level: RuleLevel.WARNING,
  info: 'A bucket or key policy shares with an organization without leaving the owner account out.',
  explanation:
    'The organization contains the owner account, and in its own account a resource policy alone grants access: every role and user of the owner account can use this share without an IAM policy of its own, which no review of IAM policies would show. ' +
    'Fix: add Condition StringNotEquals aws:PrincipalAccount <owner account> (Partner.organization and Partner.organizationPaths write it unless includeOwnerAccount is true), ' +
    'and grant the owner account\'s principals with their own IAM policies (grantRead, grantWrite).',
  check(node: CfnResource): RuleCompliance {
    const found = sharesIncludingOwner(node);
    if (found === undefined || found.organizationShares === 0) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.including.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = sharesIncludingOwner(node);
    return found && found.including.length > 0
      ? `${node.cfnResourceType === KEY ? 'Key' : 'Bucket'} policy ${found.including.join('; ')}, the owner account included (missing: Condition StringNotEquals aws:PrincipalAccount <owner account>).`
      : undefined;
  },
};
