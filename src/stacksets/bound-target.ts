import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';

/** (Internal, not exported from the library: the contract of `ConsumerTarget._bind`.) What a target gives the StackSet: one `StackInstancesGroup`, and the values to check again once resolved. */
export interface BoundConsumerTarget {
  readonly group: CfnStackSet.StackInstancesProperty;
  readonly regions: string[];
  /** Each value with its check (throws this class' error), for `checkOnceResolved`. */
  readonly values: Array<{ readonly value: string; readonly check: (resolved: string) => void }>;
}
