import * as fs from 'fs';
import * as path from 'path';
import { Annotations, attachCustomSynthesis, ISynthesisSession, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { DataProtectionReport } from './data-protection-report';
import { StackFacts } from '../core/facts';

/**
 * The per-stack hook behind the access report (`DataProtectionReport`).
 *
 * Every construct of this library calls {@link registerForReport} in its
 * constructor. The first call in a stack adds the report to the stack's one
 * pass at synthesis (`StackFacts`). That pass runs after aspects and
 * `prepare`, so every share, grant and policy statement is in place; it
 * hands the stack to the report writer of its stage (one per `App` or
 * `Stage`, a construct added as the stage's last child). aws-cdk-lib
 * synthesizes the tree children first, so the writer runs after every
 * template of the stage is written: it reads each stack's template from the
 * cloud assembly, exactly as it will deploy, and writes
 * `<stack>.data-protection.json` and `<stack>.data-protection.md` beside it.
 * The stack is not rendered a second time for the report.
 *
 * The writer never fails synthesis: if a report cannot be written, it says
 * so on standard error (`cdk-data-protection:reportNotWritten`), as the
 * stack's annotations are already written by then.
 *
 * Each reported stack gets one info annotation naming its files, which the
 * CDK CLI prints at synthesis.
 *
 * Users turn the files (and the line) off with the context value
 * `cdk-data-protection:report` = `false`.
 */

/** Context key that turns the report files off (`false`). */
export const REPORT_CONTEXT_KEY = 'cdk-data-protection:report';

/** The id of the report writer under its stage. */
const REPORT_WRITER_ID = 'cdk-data-protection.ReportWriter';
/** Where a stage keeps its report writer (a symbol of this module: two copies of the library keep apart). */
const REPORT_WRITER = Symbol('cdk-data-protection.ReportWriter');

/** Makes sure the stack of `construct` writes its report at synthesis. */
export function registerForReport(construct: IConstruct): void {
  StackFacts.of(construct).addCheck((stack) => scheduleReport(stack), { name: 'report' });
}

function scheduleReport(stack: Stack): string[] {
  const enabled = stack.node.tryGetContext(REPORT_CONTEXT_KEY);
  const stage = Stage.of(stack);
  if (enabled === false || enabled === 'false' || !stage) {
    return [];
  }
  ReportWriter.of(stage).add(stack);
  // One line per stack under `cdk synth`, naming the files (the writer runs after annotations are collected).
  const report = DataProtectionReport.of(stack);
  Annotations.of(stack).addInfo(
    `cdk-data-protection: the access report of ${stack.stackName} is written to ${report.jsonFileName} and ${report.markdownFileName} ` +
      `in the cloud assembly (npx cdk-data-protection report writes the HTML; turn the files off with the context value ${REPORT_CONTEXT_KEY}=false).`,
  );
  return [];
}

/** Writes the reports of a stage's stacks once their templates are written. */
class ReportWriter extends Construct {
  /** The writer of `stage`, added as its last child the first time a stack of it is reported. */
  public static of(stage: Stage): ReportWriter {
    const existing = (stage as any)[REPORT_WRITER] as ReportWriter | undefined;
    if (existing) {
      return existing;
    }
    let id = REPORT_WRITER_ID;
    for (let i = 2; stage.node.tryFindChild(id); i++) {
      id = `${REPORT_WRITER_ID}${i}`; // another copy of the library in the same process has its own writer
    }
    const writer = new ReportWriter(stage, id);
    Object.defineProperty(stage, REPORT_WRITER, { value: writer, enumerable: false });
    return writer;
  }

  /** Each reported stack, with the time its synthesis' validation asked for the report. */
  private readonly stacks = new Map<Stack, number>();

  private constructor(scope: Stage, id: string) {
    super(scope, id);
    // aws-cdk-lib's hook for a construct to add files to the cloud assembly; not exposed through jsii,
    // which only matters for our public API (this class is private).
    attachCustomSynthesis(this, { onSynthesize: (session) => this.write(session) });
  }

  public add(stack: Stack): void {
    this.stacks.set(stack, Date.now());
  }

  private write(session: ISynthesisSession): void {
    for (const [stack, askedAt] of this.stacks) {
      const report = DataProtectionReport.of(stack);
      try {
        const file = path.join(session.outdir, stack.templateFile);
        // A stack added to the stage after the writer is synthesized after it: its template on disk,
        // if any, is the previous synthesis', so render the stack instead.
        if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= askedAt) {
          report._writeFromTemplate(session.outdir, JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {});
        } else {
          report.writeTo(session.outdir); // not written yet, or elsewhere (another synthesizer): render it
        }
      } catch (e) {
        process.stderr.write(
          `[Warning at /${stack.node.path}] The data protection report of ${stack.stackName} could not be written: ${(e as Error).message} [ack: cdk-data-protection:reportNotWritten]\n`,
        );
      }
    }
  }
}
