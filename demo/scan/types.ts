/** One finding of a scanner: a rule on a resource (`<stack artifact id>/<logical id>`). */
export interface Finding {
  /** The rule, as the scanner names it (`AwsSolutions-S1`, `CT.S3.PR.9`, `W3005`). */
  readonly rule: string;
  /** `<stack artifact id>/<logical id>` (or the template file when there is no resource). */
  readonly resource: string;
  /** What the scanner says. */
  readonly message: string;
  /** Why it is acknowledged; undefined for an unacknowledged finding. */
  readonly reason?: string;
}

/** What one scanner found over every template of a cloud assembly. */
export interface ScanResult {
  /** Display name, e.g. `cdk-nag AwsSolutions`. */
  readonly scanner: string;
  /** Findings acknowledged with a reason. */
  readonly acknowledged: Finding[];
  /** Findings nobody acknowledged: each one fails `npm run demo`. */
  readonly unacknowledged: Finding[];
}

export type { StackTemplate } from '../../src/cli/assembly';

/** `rule resource`, the form the pinned lists use. */
export function key(f: Finding): string {
  return `${f.rule} ${f.resource}`;
}

export function byKey(a: Finding, b: Finding): number {
  return key(a).localeCompare(key(b));
}
