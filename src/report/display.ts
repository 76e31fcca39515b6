import { Stack, Token } from 'aws-cdk-lib';

/**
 * Shows resolved CloudFormation the way `cdk diff` does: references become
 * `${LogicalId}` / `${LogicalId.Attribute}`, pseudo parameters `${AWS::Region}`
 * (or their value when the stack's environment is concrete), `Fn::Join` is
 * joined, `Fn::Sub` substituted. The result is itself valid `Fn::Sub` syntax,
 * so a reader (or a test) can resolve it once the values are known. Raw token
 * strings (`${Token[...]}`) never appear.
 */
export class Display {
  private readonly pseudo: Record<string, string>;

  constructor(private readonly stack: Stack) {
    this.pseudo = knownPseudoParameters(stack);
  }

  /** A value (token, string, or resolved fragment) as a display string. */
  public str(value: unknown): string {
    const v = this.json(value);
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  /** A fragment (a policy document...) with every intrinsic shown as a string. */
  public json(value: unknown): unknown {
    const resolved = typeof value === 'string' && !Token.isUnresolved(value) ? value : this.stack.resolve(value);
    return this.walk(resolved);
  }

  private walk(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, any>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], o[keys[0]]);
    }
    return Object.fromEntries(keys.map((k) => [k, this.walk(o[k])]));
  }

  private intrinsic(fn: string, arg: any): unknown {
    switch (fn) {
      case 'Ref':
        return this.pseudo[arg] ?? `\${${arg}}`;
      case 'Fn::GetAtt':
        return `\${${(Array.isArray(arg) ? arg : String(arg).split('.')).join('.')}}`;
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        const shown = this.walk(parts);
        return Array.isArray(shown) ? shown.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(sep) : '${Fn::Join}';
      }
      case 'Fn::Sub': {
        const [template, vars] = Array.isArray(arg) ? arg : [arg, {}];
        return String(template).replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
          if (vars && name in vars) return String(this.walk(vars[name]));
          return this.pseudo[name] ?? whole;
        });
      }
      case 'Fn::Split': {
        const [sep, source] = arg;
        const s = this.walk(source);
        return typeof s === 'string' && !s.includes('${') ? s.split(sep) : { 'Fn::Split': [sep, s] };
      }
      case 'Fn::Select': {
        const [index, list] = arg;
        const l = this.walk(list);
        return Array.isArray(l) && l[Number(index)] !== undefined ? l[Number(index)] : `\${Fn::Select(${index}, ${JSON.stringify(l)})}`;
      }
      case 'Fn::ImportValue':
        return `\${ImportValue:${this.walk(arg)}}`;
      default:
        return `\${${fn}}`;
    }
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
