import { Annotations, CfnOutput, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackFacts } from './facts';
import { substituteIntrinsics } from '../analysis/size';

/**
 * CloudFormation limits on a template's outputs, checked at synthesis for
 * every stack that uses a construct of this library (`EncryptedBucket.shareWith`
 * emits one output per access level and prefix).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */

/** The most outputs one template may declare. */
export const MAX_OUTPUTS = 200;
/**
 * The largest output value this library expects CloudFormation to accept, in
 * bytes. The CloudFormation quotas page lists no limit on output values, but
 * larger values have been reported to fail, so going over it is a warning
 * (`cdk-data-protection:outputValueSize`), not an error.
 */
export const MAX_OUTPUT_VALUE_BYTES = 4_096;


/** Adds the output checks to the stack of `construct`, once per stack. */
export function registerStackLimits(construct: IConstruct): void {
  StackFacts.of(construct).addCheck((stack) => {
    for (const warning of outputValueWarnings(stack)) {
      Annotations.of(warning.output).addWarningV2('cdk-data-protection:outputValueSize', warning.message);
    }
    return outputProblems(stack);
  }, { name: 'core.stackLimits' });
}

function outputsOf(stack: Stack): CfnOutput[] {
  return stack.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput && Stack.of(c) === stack);
}

/** Problems of the stack's outputs: too many of them. */
export function outputProblems(stack: Stack): string[] {
  const outputs = outputsOf(stack);
  const problems: string[] = [];
  if (outputs.length > MAX_OUTPUTS) {
    const ours = outputs.filter((o) => /^(ConsumerPolicy|KeyPolicyStatement)/.test(o.node.id)).length;
    problems.push(
      `Stack ${stack.stackName} has ${outputs.length} outputs, over the CloudFormation limit of ${MAX_OUTPUTS} per template (${ours} of them are cdk-data-protection's ConsumerPolicy*/KeyPolicyStatement* outputs), so its deployment would fail. ` +
        'Set consumerPolicyOutputs: false on EncryptedBucket and give partners CrossAccountConsumerPolicy.policyJson(...) instead, share fewer prefixes per bucket, or spread the buckets over several stacks.',
    );
  }
  return problems;
}

/** Outputs whose value is larger than CloudFormation is known to accept safely. */
export function outputValueWarnings(stack: Stack): { output: CfnOutput; message: string }[] {
  const warnings: { output: CfnOutput; message: string }[] = [];
  for (const output of outputsOf(stack)) {
    const value = stack.resolve(output.value);
    const text = typeof value === 'string' ? value : JSON.stringify(substituteIntrinsics(output, value));
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_OUTPUT_VALUE_BYTES) {
      const fix = output.node.id.startsWith('ConsumerPolicy')
        ? 'Set consumerPolicyOutputs: false on the EncryptedBucket and give partners CrossAccountConsumerPolicy.policyJson(...) instead.'
        : output.node.id.startsWith('KeyPolicyStatement')
          ? 'Share with an organization (Partner.organization) instead of many accounts, or have the key administrators take the statement from the cdk-data-protection:importedKeyPolicy warning.'
          : 'Shorten the value, or publish it elsewhere (an SSM parameter or an S3 object).';
      warnings.push({
        output,
        message:
        `Output ${output.node.path} of stack ${stack.stackName} has a value of about ${bytes} bytes (unresolved ARNs counted at realistic length), over the ${MAX_OUTPUT_VALUE_BYTES} bytes an output value is known to hold safely, so its deployment may fail. ${fix}`,
      });
    }
  }
  return warnings;
}
