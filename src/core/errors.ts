import { Errors, UnscopedValidationError, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The names of the validation errors this library throws (`error.name`).
 * They are stable: a caller may match on them instead of on the message,
 * whose wording may improve.
 */
export const ERROR_NAMES = [
  // Partner factories
  'InvalidPartnerAccount',
  'InvalidPartnerPrincipals',
  'InvalidPartnerOrganization',
  'InvalidPartnerOrganizationPaths',
  'InvalidPartnerOptions',
  'GrantOutsideEnvironment',
  'InvalidKeyDescription',
  // shares and grants
  'InvalidPartner',
  'InvalidAccessLevel',
  'InvalidSharePrefix',
  'InvalidShareOptions',
  'PartnerIsOwnAccount',
  'PartnerInOtherPartition',
  'MixedPartnerKinds',
  'NoPartners',
  'ShareNeedsCustomerManagedKey',
  // the partner registry file
  'InvalidPartnerRegistry',
  // server access logs
  'InvalidAccessLogsBucket',
  'InvalidAccessLogsPrefix',
  'EmptyAccessLogsReason',
  'AccessLogsTargetUsesKms',
  'InvalidServerAccessLogs',
  // VPC endpoints
  'InvalidS3Endpoint',
  'NoBucketAccountAdministrator',
  // key monitoring
  'InvalidMonitoredKeys',
  'MonitoredKeyOutsideEnvironment',
  'InvalidQuotaAlarmThreshold',
  'DuplicateQuotaAlarm',
  'MonitoringTopicOutsideRegion',
  'InvalidEmailAddress',
  // VPC endpoints: exemptRoles
  'InvalidExemptRole',
  // data services (EMR, Redshift)
  'InvalidServiceKey',
  'InvalidEmrCertificates',
  'InvalidRedshiftProps',
  // the rule pack
  'UnknownRuleId',
  // Glue
  'DuplicateDataCatalogEncryption',
  'InvalidGlueSecurityConfigurationProps',
  // streams, delivery streams, client-side encryption
  'DestinationKeyMismatch',
  // Athena
  'InvalidAthenaWorkGroupProps',
  'ResultsBucketMismatch',
  // StackSets
  'InvalidStackSetTarget',
  'InvalidStackSetOptions',
  'InvalidReaderPrincipal',
  'StackSetTemplateTooLarge',
] as const;

/** One of {@link ERROR_NAMES}. */
export type ErrorName = (typeof ERROR_NAMES)[number];

/** aws-cdk-lib's error names are literal strings (a branded type); ours are, from the list above. */
type CdkErrorName = ConstructorParameters<typeof ValidationError>[0];

/**
 * Throws aws-cdk-lib's `ValidationError` named `name`, attached to `scope`
 * (the construct whose input is wrong), or an `UnscopedValidationError` when
 * there is no construct (a value made by a static factory, such as
 * `Partner.account`). The message is kept as given: it names the prop, shows
 * the value and says the fix.
 */
export function throwValidationError(name: ErrorName, message: string, scope?: IConstruct): never {
  const cdkName = name as unknown as CdkErrorName;
  throw scope ? new ValidationError(cdkName, message, scope) : new UnscopedValidationError(cdkName, message);
}

/**
 * Throws `error` again with `prefix` before its message (e.g. `partners[2]: `),
 * keeping its name when it is a validation error of this library.
 */
export function rethrowWithPrefix(error: unknown, prefix: string, scope?: IConstruct): never {
  const message = `${prefix}${(error as Error)?.message ?? String(error)}`;
  if (isLibraryValidationError(error)) {
    throwValidationError(error.name as ErrorName, message, scope);
  }
  throw new Error(message);
}

/** Whether `error` is a validation error this library threw (one of {@link ERROR_NAMES}). */
export function isLibraryValidationError(error: unknown): error is Error {
  return Errors.isValidationError(error) && (ERROR_NAMES as readonly string[]).includes((error as Error).name);
}
