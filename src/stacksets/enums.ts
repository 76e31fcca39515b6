/**
 * Whether the StackSet is managed from the organization's management
 * account or from a delegated administrator account.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
 */
export enum StackSetCallAs {
  /** From the organization's management account. */
  SELF = 'SELF',
  /** From an account registered as a delegated administrator of StackSets. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/**
 * How a StackSet operation goes through the Regions.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-operationpreferences.html
 */
export enum RegionConcurrency {
  /** One Region after the other: a failure stops the operation before the next Region. */
  SEQUENTIAL = 'SEQUENTIAL',
  /** All Regions at once. */
  PARALLEL = 'PARALLEL',
}
