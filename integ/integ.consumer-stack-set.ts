/**
 * The consumer side of a share rolled out to an organizational unit: a
 * service-managed StackSet whose stack instances hold the consumer policy
 * and a reader role trusted by each target account.
 *
 * Synthesized only: deploying it needs an organization's management account
 * (or a delegated administrator) with trusted access for StackSets, and an
 * OU of its own; the snapshot holds the StackSet as it would deploy.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { AccessLevel, ConsumerPolicyStackSet, ConsumerTarget, ReaderPrincipal } from '../src';

const app = new App();
const stack = new Stack(app, 'ConsumerStackSetInteg');
new ConsumerPolicyStackSet(stack, 'PartnerReaders', {
  bucketArn: 'arn:aws:s3:::producer-exchange',
  keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  access: AccessLevel.READ,
  prefix: 'published/',
  targets: [ConsumerTarget.organizationalUnits(['ou-ab12-34cd56ef'], ['eu-west-1'])],
  readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount()] },
});

new IntegTest(app, 'ConsumerStackSetTest', { testCases: [stack] });
