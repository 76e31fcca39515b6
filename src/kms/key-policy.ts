import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { PUT_KEY_POLICY } from '../analysis/key';
import {
  AccountContext,
  coversAction,
  describeWho,
  flatten,
  hasExemption,
  hasNetworkCondition,
  isAllow,
  isDeny,
  isOtherAccount,
  PRINCIPAL_EXEMPTION_KEYS,
  SELF_ACCOUNT,
  Statement,
  statementsOf,
  Who,
} from '../analysis/policy';
import { asList, isObject, knownStackAccount, render } from '../analysis/template';

/**
 * The key policy document of a {@link CrossAccountSharedKey}.
 *
 * aws-cdk-lib's `kms.Key` adds its own un-named "account root gets kms:*"
 * statement, or a legacy variant, depending on the app's feature flags. This
 * library always writes that administrator statement itself, with a `Sid`, so
 * the template is the same whatever the flags; this document drops the
 * un-named copy aws-cdk-lib adds.
 */
export class KeyPolicyDocument extends iam.PolicyDocument {
  public addStatements(...statements: iam.PolicyStatement[]): void {
    super.addStatements(...statements.filter((s) => !isUnnamedRootAdmin(s)));
  }
}

function isUnnamedRootAdmin(s: iam.PolicyStatement): boolean {
  if (s.sid !== undefined || s.effect !== iam.Effect.ALLOW || Object.keys(s.conditions ?? {}).length > 0) {
    return false;
  }
  const json = s.toStatementJson();
  const actions = ([] as string[]).concat(json.Action ?? []);
  const resources = ([] as string[]).concat(json.Resource ?? []);
  const isRoot = s.principals.length === 1 && s.principals[0] instanceof iam.AccountRootPrincipal;
  return isRoot && resources.length === 1 && resources[0] === '*' && (actions.includes('kms:*') || actions.includes('kms:Create*'));
}

/**
 * An administrator of a key: a principal of the key's own account that an
 * unconditioned Allow lets call `kms:PutKeyPolicy`.
 */
interface Administrator {
  /** The principal's value as written in the template, as JSON. */
  readonly id: string;
  /** The Sid of the statement that makes it an administrator. */
  readonly sid?: string;
}

/** Reads a key policy relative to the key's account. */
export class KeyPolicyReader {
  private readonly ctx: AccountContext;
  private readonly accountKnown: boolean;

  /** @param node the `AWS::KMS::Key` resource (or any construct of its stack) */
  constructor(node: IConstruct) {
    this.ctx = new AccountContext(node as CfnResource);
    this.accountKnown = knownStackAccount(node) !== undefined;
  }

  /**
   * Who an `AWS` principal value is. A literal account id cannot be told
   * apart from the key's own when the stack's account is a token: it is
   * `unknown` then, never "another account".
   */
  public who(value: unknown): Who {
    const who = this.ctx.awsPrincipal(value);
    return who.kind === 'account' && !this.accountKnown ? { kind: 'unknown' } : who;
  }

  /** Every principal a statement names, relative to the key's account (wildcards narrowed by conditions). */
  public principalsOf(statement: Statement): Who[] {
    return this.ctx.principalsOf(statement).map((w) => (w.kind === 'account' && !this.accountKnown ? { kind: 'unknown' as const } : w));
  }

  /**
   * The administrators an Allow makes: none unless it has no condition, no
   * `NotPrincipal` or `NotResource`, applies to the key (`Resource` `*`) and
   * covers `kms:PutKeyPolicy` (`kms:*`, `kms:Put*`, `KMS:PutKeyPolicy`, `*`,
   * or a `NotAction` that leaves it in). Only principals of the key's own
   * account count (or ones that cannot be told apart from it at synth), never
   * `*`, another account or a service.
   */
  public administratorsOf(statement: Statement): Administrator[] {
    if (!isAllow(statement) || statement.Condition !== undefined || statement.NotPrincipal !== undefined || statement.NotResource !== undefined) {
      return [];
    }
    if (!asList(statement.Resource).some((r) => r === '*' || typeof r !== 'string')) {
      return [];
    }
    if (coversAction(statement, PUT_KEY_POLICY) !== true || !isObject(statement.Principal)) {
      return [];
    }
    const admins: Administrator[] = [];
    for (const value of asList(statement.Principal.AWS)) {
      const who = this.who(value);
      const text = flatten(value);
      if (who.kind === 'self' || (who.kind === 'unknown' && text !== '*')) {
        admins.push({ id: JSON.stringify(value), sid: statement.Sid });
      }
    }
    return admins;
  }

  /**
   * Whether a Deny takes `kms:PutKeyPolicy` away from an administrator.
   * Conditions make a Deny apply only sometimes; it counts only when it has
   * none, or only network conditions with no principal exemption (an
   * administrator outside the network could not repair the policy).
   */
  public deniesAdministration(statement: Statement, admin: Administrator): boolean {
    if (!isDeny(statement) || statement.NotPrincipal !== undefined || coversAction(statement, PUT_KEY_POLICY) !== true) {
      return false;
    }
    if (statement.Condition !== undefined && !(hasNetworkCondition(statement) && !hasExemption(statement, PRINCIPAL_EXEMPTION_KEYS))) {
      return false;
    }
    if (statement.Principal === '*') {
      return true;
    }
    if (!isObject(statement.Principal)) {
      return false;
    }
    return asList(statement.Principal.AWS).some((value) => {
      const text = flatten(value);
      const who = this.who(value);
      return text === '*' || JSON.stringify(value) === admin.id || (who.kind === 'self' && isAccountRoot(text));
    });
  }

  /**
   * Problems that would lock the key's administrators out (case D12): no
   * administrator statement, or Denies of `kms:PutKeyPolicy` covering every
   * administrator.
   */
  public lockoutProblems(keyPath: string, statements: Statement[]): string[] {
    const admins = statements.flatMap((s) => this.administratorsOf(s));
    if (admins.length === 0) {
      return [
        `The key policy of ${keyPath} has no administrator statement (${statements.length} statement(s), none an unconditioned Allow of kms:PutKeyPolicy, kms:* or kms:Put* to this account or its named principals): ` +
          'the key could never be managed again (KMS lockout). Keep DataProtectionStatements.allowAccountIamPolicies() in the key policy, or an Allow of kms:* to an administrator role of this account.',
      ];
    }
    const denies = statements.filter((s) => isDeny(s) && coversAction(s, PUT_KEY_POLICY) === true);
    const remaining = admins.filter((a) => !denies.some((d) => this.deniesAdministration(d, a)));
    if (remaining.length === 0) {
      const sids = denies.filter((d) => admins.some((a) => this.deniesAdministration(d, a))).map((d) => d.Sid ?? '(no Sid)');
      return [
        `The key policy of ${keyPath} denies kms:PutKeyPolicy to every administrator (Deny statement(s) ${sids.join(', ')} override the administrator statement(s) ${[...new Set(admins.map((a) => a.sid ?? '(no Sid)'))].join(', ')}): ` +
          'the key could never be managed again (KMS lockout). Narrow the Deny (exempt the administrators with ArnNotLike aws:PrincipalArn, or leave kms:PutKeyPolicy out of its actions).',
      ];
    }
    return [];
  }

  /**
   * Allows that let a principal outside the key's account, or anyone, call
   * `kms:PutKeyPolicy`: that partner could take the key over.
   */
  public takeoverProblems(keyPath: string, statements: Statement[], what: string = 'The key policy of ' + keyPath): string[] {
    const problems: string[] = [];
    for (const s of statements) {
      if (!isAllow(s) || coversAction(s, PUT_KEY_POLICY) !== true) {
        continue;
      }
      const outsiders = this.principalsOf(s).filter((w) => w.kind === 'any' || isOtherAccount(w));
      if (outsiders.length > 0) {
        const actions = JSON.stringify(s.Action ?? { NotAction: s.NotAction });
        problems.push(
          `${what} has ${s.Sid ? `statement ${s.Sid}` : 'a statement'} that allows ${actions} (which includes kms:PutKeyPolicy) to ${outsiders.map((w) => (w.kind === 'any' ? '*' : describeWho(w))).join(', ')}: ` +
            'that principal could rewrite the key policy and take the key over. Grant partners only the actions they use (CrossAccountSharedKey.grantPartner), and keep kms:PutKeyPolicy to this account.',
        );
      }
    }
    return problems;
  }
}

function isAccountRoot(text: string): boolean {
  return /^arn:[^:]*:iam::[^:]*:root$/.test(text) || text === SELF_ACCOUNT || /^\d{12}$/.test(text);
}

/**
 * The properties of an `AWS::KMS::Key` as written to the template (escape
 * hatch overrides applied), and its policy's statements.
 */
export function renderedKey(cfnKey: kms.CfnKey): { props: any; statements: Statement[] } {
  const rendered = render(cfnKey);
  let document = rendered.props.KeyPolicy;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      document = undefined;
    }
  }
  return { props: rendered.props, statements: statementsOf(document) ?? [] };
}

/**
 * The `AWS::KMS::Key` behind a key of this app: its default child
 * (`new kms.Key`), or the resource a `kms.Key.fromCfnKey` key wraps;
 * undefined for imported keys.
 */
export function cfnKeyOf(key: kms.IKey): kms.CfnKey | undefined {
  const child = key.node.defaultChild;
  if (child instanceof kms.CfnKey) {
    return child;
  }
  const scope = key.node.scope;
  return scope instanceof kms.CfnKey ? scope : undefined;
}
