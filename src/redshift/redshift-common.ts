import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { throwValidationError } from '../core/errors';
import { optionalEnum, requireConstruct, VPC } from '../core/props';

/** The parameter that makes Redshift refuse connections without TLS. */
export const REQUIRE_SSL = 'require_ssl';

/** Checks the props both Redshift constructs take; throws naming the prop. */
export function validateRedshiftNetwork(scope: Construct, vpc: ec2.IVpc, removalPolicy: RemovalPolicy | undefined): void {
  requireConstruct('vpc', vpc, VPC);
  optionalEnum('removalPolicy', removalPolicy, RemovalPolicy, 'RemovalPolicy');
  if (removalPolicy === RemovalPolicy.DESTROY) {
    throwValidationError(
      'InvalidRedshiftProps',
      'removalPolicy is RemovalPolicy.DESTROY: removing the construct would delete the warehouse and its data with no final snapshot. ' +
        'Use RemovalPolicy.RETAIN (default) or RemovalPolicy.SNAPSHOT, and delete the warehouse by hand when its data is no longer needed.',
      scope,
    );
  }
}

/** The security groups given, or one of the construct's own that allows no inbound traffic. */
export function securityGroupsFor(
  scope: Construct,
  vpc: ec2.IVpc,
  given: ec2.ISecurityGroup[] | undefined,
  description: string,
): ec2.ISecurityGroup[] {
  if (given && given.length > 0) {
    return given;
  }
  return [new ec2.SecurityGroup(scope, 'SecurityGroup', { vpc, description, allowAllOutbound: false })];
}
