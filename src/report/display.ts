import { Stack, Token } from 'aws-cdk-lib';
import { fillTemplate, IntrinsicMode, walkIntrinsics } from '../analysis/intrinsics';

/**
 * Shows resolved CloudFormation the way `cdk diff` does: references become
 * `${LogicalId}` / `${LogicalId.Attribute}`, pseudo parameters `${AWS::Region}`
 * (or their value when the stack's environment is concrete), `Fn::Join` is
 * joined, `Fn::Sub` substituted. The result is itself valid `Fn::Sub` syntax,
 * so a reader (or a test) can resolve it once the values are known. Raw token
 * strings (`${Token[...]}`) never appear.
 */
export class Display {
  private readonly mode: IntrinsicMode<unknown>;
  /** What each string shown so far showed as (see {@link Display.json}). */
  private readonly shownStrings = new Map<string, string>();

  constructor(private readonly stack: Stack) {
    const pseudo = knownPseudoParameters(stack);
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    this.mode = {
      literal: (v) => v,
      list: (items) => items,
      object: (values) => values,
      ref: (name) => pseudo[name] ?? `\${${name}}`,
      getAtt: (logicalId, attribute) => `\${${logicalId}.${attribute}}`,
      join: (separator, parts) => (Array.isArray(parts) ? parts.map(text).join(separator) : '${Fn::Join}'),
      sub: (literals, values) => fillTemplate(literals, values.map(String)),
      split: (separator, source) => (typeof source === 'string' && !source.includes('${') ? source.split(separator) : { 'Fn::Split': [separator, source] }),
      select: (index, list) =>
        Array.isArray(list) && list[Number(index)] !== undefined ? list[Number(index)] : `\${Fn::Select(${index}, ${JSON.stringify(list)})}`,
      importValue: (name) => `\${ImportValue:${name}}`,
      unknown: (fn) => `\${${fn}}`,
    };
  }

  /** A value (token, string, or resolved fragment) as a display string. */
  public str(value: unknown): string {
    const v = this.json(value);
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  /** A fragment (a policy document...) with every intrinsic shown as a string. */
  public json(value: unknown): unknown {
    if (typeof value !== 'string') {
      return this.jsonNow(value);
    }
    // The same ARNs and accounts are shown for every share of a bucket and every grant of a key:
    // a string (token or literal) is shown once per Display, when it shows as a string.
    if (this.shownStrings.has(value)) {
      return this.shownStrings.get(value);
    }
    const shown = this.jsonNow(value);
    if (typeof shown === 'string') {
      this.shownStrings.set(value, shown);
    }
    return shown;
  }

  private jsonNow(value: unknown): unknown {
    const resolved = typeof value === 'string' && !Token.isUnresolved(value) ? value : this.stack.resolve(value);
    return walkIntrinsics(resolved, this.mode);
  }
}

/** The pseudo parameters whose values are known at synthesis (a stack with a concrete environment). */
export function knownPseudoParameters(stack: Stack): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Token.isUnresolved(stack.account)) out['AWS::AccountId'] = stack.account;
  if (!Token.isUnresolved(stack.region)) {
    const r = stack.region;
    out['AWS::Region'] = r;
    out['AWS::Partition'] = r.startsWith('cn-') ? 'aws-cn' : r.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    out['AWS::URLSuffix'] = r.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  }
  return out;
}
