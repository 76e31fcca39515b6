import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackFacts } from '../core/facts';
import { DataProtectionReport } from './data-protection-report';

/**
 * The per-stack hook behind the access report (`DataProtectionReport`).
 *
 * Every construct of this library calls {@link registerForReport} in its
 * constructor. The first call in a stack adds the report to the stack's one
 * pass at synthesis (`StackFacts`); it runs during `app.synth()`, after
 * aspects and `prepare` (so every share, grant and policy statement is in
 * place) and before the templates are written. It writes
 * `<stack>.data-protection.json` and `<stack>.data-protection.md` into
 * `Stage.of(stack).outdir`, the directory the templates go to.
 *
 * Why a validation: aws-cdk-lib 2.257 offers no public hook for a plain
 * construct to add files to the cloud assembly (`attachCustomSynthesis` is
 * reserved for AWS's own libraries and not exposed through jsii). An aspect
 * would run before `prepare`, and before aspects added later (cdk-nag), so
 * it could miss statements; a validation sees the final tree, and the
 * output directory is known from the moment the `App` (or `Stage`) exists.
 * The check never fails synthesis: if the report cannot be written, the
 * stack gets the warning `cdk-data-protection:reportNotWritten`.
 *
 * Users turn the files off with the context value
 * `cdk-data-protection:report` = `false`.
 */

/** Context key that turns the report files off (`false`). */
export const REPORT_CONTEXT_KEY = 'cdk-data-protection:report';

/** Makes sure the stack of `construct` writes its report at synthesis. */
export function registerForReport(construct: IConstruct): void {
  StackFacts.of(construct).addCheck((stack) => writeReport(stack), { name: 'report' });
}

function writeReport(stack: Stack): string[] {
  const enabled = stack.node.tryGetContext(REPORT_CONTEXT_KEY);
  if (enabled === false || enabled === 'false') {
    return [];
  }
  try {
    DataProtectionReport.of(stack).writeTo();
  } catch (e) {
    Annotations.of(stack).addWarningV2(
      'cdk-data-protection:reportNotWritten',
      `The data protection report of ${stack.stackName} could not be written: ${(e as Error).message}`,
    );
  }
  return [];
}
