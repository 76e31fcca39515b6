/**
 * The formats of the values that identify a partner, shared by the `Partner`
 * factories and the JSON Schema of the partner registry file, so both accept
 * exactly the same values.
 */

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * An AWS Organizations id: `o-` and 10 to 32 lowercase letters or digits.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
 */
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * An organizational unit path as `aws:PrincipalOrgPaths` takes it:
 * `o-xxxxxxxxxx/r-xxxx/ou-xxxx-xxxxxxxx/`, optionally ending with `*`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
 */
export const ORG_PATH = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*\/(\*|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/\*?)?$/;
