import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { keyPolicyTakeovers } from '../analysis/key';
import { AccountContext, describeWho, Statement, statementsOf } from '../analysis/policy';
import { render } from '../analysis/template';

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
 * Reads a key policy relative to the key's account, for the takeover check.
 * Whether an administrator remains (case D12) is `keyAdministration`'s
 * (src/analysis/key.ts), the analysis of rule DP12.
 */
export class KeyPolicyReader {
  private readonly ctx: AccountContext;

  /** @param node the `AWS::KMS::Key` resource (or any construct of its stack) */
  constructor(node: IConstruct) {
    this.ctx = new AccountContext(node as CfnResource);
  }

  /**
   * Allows that let a principal outside the key's account, or anyone, call
   * `kms:PutKeyPolicy`: that partner could take the key over.
   */
  public takeoverProblems(keyPath: string, statements: Statement[], what: string = 'The key policy of ' + keyPath): string[] {
    const problems: string[] = [];
    for (const { statement: s, outsiders } of keyPolicyTakeovers(this.ctx, statements)) {
      const actions = JSON.stringify(s.Action ?? { NotAction: s.NotAction });
      problems.push(
        `${what} has ${s.Sid ? `statement ${s.Sid}` : 'a statement'} that allows ${actions} (which includes kms:PutKeyPolicy) to ${outsiders.map((w) => (w.kind === 'any' ? '*' : describeWho(w))).join(', ')}: ` +
          'that principal could rewrite the key policy and take the key over. Grant partners only the actions they use (CrossAccountSharedKey.grantPartner), and keep kms:PutKeyPolicy to this account.',
      );
    }
    return problems;
  }
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
