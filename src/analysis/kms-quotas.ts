import { Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * The default AWS KMS quota "Cryptographic operations (symmetric) request
 * rate": requests per second, shared by every symmetric key (and HMAC key)
 * of one account in one Region, counting the requests AWS services such as
 * S3 make on the account's behalf. The quota is adjustable: the value
 * applied to an account may be higher (Service Quotas shows it).
 *
 * As the AWS KMS Developer Guide states it (read 2026-12-03, "Request quotas
 * for each AWS KMS API operation"): "10,000 (shared)"; "20,000 (shared) in the
 * following Regions: US East (Ohio), us-east-2; Asia Pacific (Singapore),
 * ap-southeast-1; Asia Pacific (Sydney), ap-southeast-2; Asia Pacific (Tokyo),
 * ap-northeast-1; Europe (Frankfurt), eu-central-1; Europe (London),
 * eu-west-2"; "100,000 (shared) in the following Regions: US East (N.
 * Virginia), us-east-1; US West (Oregon), us-west-2; Europe (Ireland),
 * eu-west-1".
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html
 */
export const SYMMETRIC_REQUEST_QUOTA_NAME = 'Cryptographic operations (symmetric) request rate';

/** Where the values below were read, and when. */
export const KMS_REQUEST_QUOTAS_URL = 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html';
export const KMS_REQUEST_QUOTAS_READ = '2026-12-03';

/** The Regions AWS names with a higher default than the general 10,000. */
const NAMED_REGIONS: Readonly<Record<string, number>> = {
  'us-east-2': 20_000,
  'ap-southeast-1': 20_000,
  'ap-southeast-2': 20_000,
  'ap-northeast-1': 20_000,
  'eu-central-1': 20_000,
  'eu-west-2': 20_000,
  'us-east-1': 100_000,
  'us-west-2': 100_000,
  'eu-west-1': 100_000,
};

/** The general default, for the Regions of the `aws` partition the page does not name. */
const OTHER_REGIONS = 10_000;

/** A Region's documented default, and where it comes from (`null` when AWS's page does not state one for it). */
export interface SymmetricRequestQuota {
  /** Requests per second, or null when the documentation gives no value for this Region (or the Region is a token). */
  readonly perSecond: number | null;
  /** The source as people read it: the page and the line it rests on, or why there is no value. */
  readonly source: string;
}

/**
 * The documented default of the shared symmetric request quota in `region`.
 *
 * A Region AWS's page names gets its stated value; any other Region of the
 * `aws` partition that aws-cdk-lib's RegionInfo knows gets the page's general
 * "10,000 (shared)". China, GovCloud, ISO and sovereign partitions, Regions
 * unknown to RegionInfo and tokens give null: the page's list was written for
 * the commercial Regions, so the applied quota is to be read in Service Quotas.
 */
export function symmetricRequestQuota(region: string): SymmetricRequestQuota {
  const seeServiceQuotas = `see Service Quotas ("${SYMMETRIC_REQUEST_QUOTA_NAME}", AWS KMS) for the applied value`;
  if (Token.isUnresolved(region)) {
    return { perSecond: null, source: `Region known only at deployment: ${seeServiceQuotas}` };
  }
  const named = NAMED_REGIONS[region];
  const page = `${KMS_REQUEST_QUOTAS_URL} (read ${KMS_REQUEST_QUOTAS_READ})`;
  if (named !== undefined) {
    return { perSecond: named, source: `default for ${region}, named in ${page}; the applied quota may be higher` };
  }
  const known = RegionInfo.regions.find((r) => r.name === region);
  if (known?.partition === 'aws') {
    return { perSecond: OTHER_REGIONS, source: `general default (${region} is not among the Regions named with a higher one), ${page}; the applied quota may be higher` };
  }
  return { perSecond: null, source: `no default stated for ${region} in ${page}: ${seeServiceQuotas}` };
}
