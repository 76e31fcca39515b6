import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { readTemplate } from './assembly';
import { byKey, Finding, ScanResult, StackTemplate } from './types';

/**
 * AWS Control Tower proactive controls, run offline by the cfn-guard binary
 * and rules bundled in `@cdklabs/cdk-validator-cfnguard` (its validation
 * plugin, called directly with the template paths).
 *
 * A finding is acknowledged when the resource's `Metadata.guard.SuppressedRules`
 * (the AWS Guard rules registry convention) lists the control id (`CT.S3.PR.9`)
 * or the guard rule name (`s3_bucket_object_lock_enabled_check`); the reason is
 * read from `Metadata.guard.Reasons`, which cdk-data-protection writes beside it.
 */
export function scanControlTower(templates: StackTemplate[]): ScanResult {
  const scanner = 'Control Tower proactive controls (cfn-guard)';
  if (templates.length === 0) return { scanner, acknowledged: [], unacknowledged: [] };
  const report = new CfnGuardValidator({}).validate({ templatePaths: templates.map((t) => t.templatePath) });
  const byPath = new Map(templates.map((t) => [t.templatePath, { stack: t, template: readTemplate(t) }]));
  const seen = new Set<string>();
  const acknowledged: Finding[] = [];
  const unacknowledged: Finding[] = [];
  for (const v of report.violations) {
    const control = /^\[([A-Z0-9.]+)\]/.exec(v.description)?.[1] ?? v.ruleName;
    for (const r of v.violatingResources as any[]) {
      const source = byPath.get(r.templatePath);
      // Some rules report only locations (`/Resources/<logical id>/...`).
      const logicalId: string | undefined = r.resourceLogicalId ?? /^\/Resources\/([^/]+)/.exec(r.locations?.[0] ?? '')?.[1];
      if (!logicalId) {
        // A clause that traversed nothing (e.g. "no statement denies ..."): it names no resource, and
        // the same control reports the resource itself in another entry. Count it only if it does not.
        const named = (v.violatingResources as any[]).some((o) => o.templatePath === r.templatePath && (o.resourceLogicalId || /^\/Resources\//.test(o.locations?.[0] ?? '')));
        if (named) continue;
      }
      const resource = `${source?.stack.artifactId ?? r.templatePath}/${logicalId ?? '(template)'}`;
      if (seen.has(`${control} ${resource}`)) continue;
      seen.add(`${control} ${resource}`);
      const guard = (logicalId ? source?.template.Resources?.[logicalId]?.Metadata : undefined)?.guard ?? {};
      const suppressed: string[] = Array.isArray(guard.SuppressedRules) ? guard.SuppressedRules.map(String) : [];
      const finding = { rule: control, resource, message: `${v.ruleName}: ${v.description}` };
      if (suppressed.includes(control) || suppressed.includes(v.ruleName)) {
        acknowledged.push({ ...finding, reason: guard.Reasons?.[control] ?? guard.Reasons?.[v.ruleName] ?? '' });
      } else {
        unacknowledged.push(finding);
      }
    }
  }
  return { scanner, acknowledged: acknowledged.sort(byKey), unacknowledged: unacknowledged.sort(byKey) };
}
