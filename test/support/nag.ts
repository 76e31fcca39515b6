import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** One unacknowledged cdk-nag finding: `<rule id> <construct path>`. */
export type Finding = string;

/**
 * Runs the four compliance packs over a construct tree and returns their
 * unacknowledged findings, sorted. aws-cdk-lib 2.257 does not hand the
 * construct tree to validation plugins, so the packs are run directly.
 */
export function nagFindings(scope: IConstruct, extra: NagPack[] = []): Finding[] {
  const packs: NagPack[] = [
    new AwsSolutionsChecks(scope),
    new NIST80053R5Checks(scope),
    new HIPAASecurityChecks(scope),
    new PCIDSS321Checks(scope),
    ...extra,
  ];
  const findings: Finding[] = [];
  for (const pack of packs) {
    for (const v of pack.validateScope(scope).violations) {
      for (const r of v.violatingResources) {
        findings.push(`${v.ruleName} ${r.constructPath}`);
      }
    }
  }
  return findings.sort();
}

/**
 * Synthesizes `app` with its validation plugins, telling whether validation failed: aws-cdk-lib throws,
 * or sets the process exit code (2.257, and later versions outside tests), and prints the report
 * (returned as `printed`, not shown). The exit code is restored.
 */
export function synthesizeWithValidation(app: { synth(): unknown }): { failed: boolean; thrown?: Error; printed: string } {
  const printed: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  const exitCode = process.exitCode;
  let thrown: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    thrown = e as Error;
  } finally {
    error.mockRestore();
  }
  const failed = thrown !== undefined || process.exitCode === 1;
  process.exitCode = exitCode;
  return { failed, thrown, printed: printed.join('\n') };
}
