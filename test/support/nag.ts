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
