import { Token } from 'aws-cdk-lib';
import { BoundConsumerTarget } from './bound-target';
import { throwValidationError } from '../core/errors';
import { describeValue } from '../core/props';

/**
 * An organizational unit id (`ou-` and two groups of letters and digits) or
 * an organization root id (`r-...`), as AWS CloudFormation accepts it in a
 * StackSet's `OrganizationalUnitIds`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-deploymenttargets.html
 */
const OU_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
/** An AWS account id: 12 digits (`Accounts` pattern `^[0-9]{12}$`). */
const ACCOUNT_ID = /^[0-9]{12}$/;
/** A Region code such as `eu-west-1` or `us-gov-west-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Where a {@link ConsumerPolicyStackSet} deploys its stacks: accounts of an
 * organization, reached through their organizational units (OUs), in the
 * Regions given.
 *
 * A service-managed StackSet deploys to OUs: `Accounts` alone is refused at
 * creation, so individual accounts are always chosen within OUs, with the
 * `AccountFilterType` of AWS CloudFormation (`INTERSECTION`: only those
 * accounts; `DIFFERENCE`: the OUs without them). The organization's
 * management account never gets a stack instance, even when it is in a
 * target OU.
 *
 * IAM is global: the consumer policy is the same in every Region, so one
 * Region is enough (more Regions deploy copies of it; named resources would
 * collide and are refused with more than one Region).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-deploymenttargets.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html
 */
export abstract class ConsumerTarget {
  /**
   * Every account of the organizational units (and their child OUs), now and
   * as they join (with auto-deployment).
   *
   * @param organizationalUnitIds OU ids (`ou-abcd-12345678`) or the organization root id (`r-abcd`)
   * @param regions Region codes, e.g. `['eu-west-1']`
   * @throws if an id or Region is malformed, or a list is empty
   */
  public static organizationalUnits(organizationalUnitIds: string[], regions: string[]): ConsumerTarget {
    return new OuTarget('organizationalUnits', organizationalUnitIds, regions, 'NONE', []);
  }

  /**
   * Only the accounts given, within the organizational units given
   * (`AccountFilterType: INTERSECTION`).
   *
   * @param accounts 12-digit account ids, each in one of the OUs
   * @param organizationalUnitIds the OUs (or the root) the accounts are in
   * @param regions Region codes, e.g. `['eu-west-1']`
   * @throws if an id or Region is malformed, or a list is empty
   */
  public static accounts(accounts: string[], organizationalUnitIds: string[], regions: string[]): ConsumerTarget {
    return new OuTarget('accounts', organizationalUnitIds, regions, 'INTERSECTION', accounts);
  }

  /**
   * Every account of the organizational units except the accounts given
   * (`AccountFilterType: DIFFERENCE`), e.g. to leave out a suspended account.
   *
   * @param organizationalUnitIds OU ids or the organization root id
   * @param excludedAccounts 12-digit account ids left out
   * @param regions Region codes, e.g. `['eu-west-1']`
   * @throws if an id or Region is malformed, or a list is empty
   */
  public static organizationalUnitsExcept(organizationalUnitIds: string[], excludedAccounts: string[], regions: string[]): ConsumerTarget {
    return new OuTarget('organizationalUnitsExcept', organizationalUnitIds, regions, 'DIFFERENCE', excludedAccounts);
  }

  /** @internal */
  public abstract _bind(): BoundConsumerTarget;
}

class OuTarget extends ConsumerTarget {
  private readonly values: BoundConsumerTarget['values'] = [];

  constructor(
    private readonly factory: string,
    private readonly organizationalUnitIds: string[],
    private readonly regions: string[],
    private readonly filter: 'NONE' | 'INTERSECTION' | 'DIFFERENCE',
    private readonly accountIds: string[],
  ) {
    super();
    const accountsArg = factory === 'accounts' ? 'accounts' : 'excludedAccounts';
    this.list('organizationalUnitIds', organizationalUnitIds, (prop, v) => checkOuId(`${factory}: ${prop}`, v));
    if (filter !== 'NONE') {
      this.list(accountsArg, accountIds, (prop, v) => checkAccountId(`${factory}: ${prop}`, v));
    }
    this.list('regions', regions, (prop, v) => checkRegion(`${factory}: ${prop}`, v));
  }

  public _bind(): BoundConsumerTarget {
    return {
      group: {
        deploymentTargets: {
          organizationalUnitIds: this.organizationalUnitIds,
          ...(this.filter !== 'NONE' ? { accounts: this.accountIds, accountFilterType: this.filter } : {}),
        },
        regions: this.regions,
      },
      regions: this.regions,
      values: this.values,
    };
  }

  /** Checks a non-empty list of strings; tokens are kept for a check once resolved. */
  private list(prop: string, value: unknown, check: (prop: string, v: string) => void): void {
    if (!Array.isArray(value) || (!Token.isUnresolved(value) && value.length === 0)) {
      throwValidationError(
        'InvalidStackSetTarget',
        `ConsumerTarget.${this.factory}: ${prop} must be a non-empty array of strings, got ${describeValue(value)}. Wrap a single value in [ ].`,
      );
    }
    if (Token.isUnresolved(value)) {
      throwValidationError('InvalidStackSetTarget', `ConsumerTarget.${this.factory}: ${prop} must be a literal array (a list token cannot be checked or rendered into the StackSet), got a token.`);
    }
    const seen = new Set<string>();
    value.forEach((v, i) => {
      const label = `${prop}[${i}]`;
      if (typeof v !== 'string') {
        throwValidationError('InvalidStackSetTarget', `ConsumerTarget.${this.factory}: ${label} must be a string, got ${describeValue(v)}.`);
      }
      if (Token.isUnresolved(v)) {
        this.values.push({ value: v, check: (resolved) => check(label, resolved) });
        return;
      }
      check(label, v);
      if (seen.has(v)) {
        throwValidationError('InvalidStackSetTarget', `ConsumerTarget.${this.factory}: ${label} "${v}" is given twice. Give each value once.`);
      }
      seen.add(v);
    });
  }
}

function checkOuId(label: string, v: string): void {
  if (!OU_ID.test(v)) {
    throwValidationError(
      'InvalidStackSetTarget',
      `${label} must be an organizational unit id (ou- and two groups of lowercase letters and digits, e.g. ou-ab12-34cd56ef) or the organization root id (r-ab12), got ${JSON.stringify(v)}. ` +
        'Copy it from `aws organizations list-organizational-units-for-parent` (Id), not the OU\'s name or ARN.',
    );
  }
}

function checkAccountId(label: string, v: string): void {
  if (!ACCOUNT_ID.test(v)) {
    throwValidationError('InvalidStackSetTarget', `${label} must be a 12-digit AWS account id (e.g. 222222222222), got ${JSON.stringify(v)}.`);
  }
}

function checkRegion(label: string, v: string): void {
  if (!REGION.test(v)) {
    throwValidationError('InvalidStackSetTarget', `${label} must be a Region code such as eu-west-1, got ${JSON.stringify(v)}.`);
  }
}
