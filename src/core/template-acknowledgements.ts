import { Aspects } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WriteAcknowledgementsToTemplate } from './nag';
import { CONSTRUCT, requireConstruct } from './props';

/**
 * Writes the acknowledgements made on constructs of an app into the
 * CloudFormation `Metadata` of their resources, where scanners that read only
 * templates find them: cdk-nag ids as `cdk_nag.rules_to_suppress`,
 * `cdk-validator-cfnguard::<control>` as `guard.SuppressedRules`,
 * `checkov::<check>` as `checkov.skip`, `cfn-lint::<rule>` as
 * `cfn-lint.config.ignore_checks`, each with its reason.
 *
 * The library's own constructs write theirs already; this is for the
 * acknowledgements an app makes on constructs of its own (a `Vpc`, say),
 * without depending on cdk-nag's `WriteNagSuppressionsToCloudFormationAspect`.
 *
 * @example
 * Validations.of(vpc).acknowledge({ id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', reason: 'Nothing uses it.' });
 * TemplateAcknowledgements.write(vpc);
 *
 * @see https://github.com/cdklabs/cdk-nag#suppressing-a-rule
 * @see https://www.checkov.io/2.Basics/Suppressions.html
 * @see https://github.com/aws-cloudformation/cfn-lint#metadata
 */
export class TemplateAcknowledgements {
  /**
   * Writes, at synthesis, the acknowledgements made on `scope` or above it
   * into the `Metadata` of every CloudFormation resource under `scope`.
   *
   * @param scope any construct; every resource under it (itself included) carries the acknowledgements that apply to it
   */
  public static write(scope: IConstruct): void {
    requireConstruct('scope', scope, CONSTRUCT);
    Aspects.of(scope).add(new WriteAcknowledgementsToTemplate(scope, true));
  }

  private constructor() {}
}
