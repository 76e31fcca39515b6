import * as iam from 'aws-cdk-lib/aws-iam';

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

/** True when the statement lets someone manage the key policy (so the key cannot be locked out). */
export function isAdministratorStatement(json: any): boolean {
  if (json.Effect !== 'Allow' || json.Condition !== undefined) {
    return false;
  }
  const actions = ([] as string[]).concat(json.Action ?? []);
  return actions.some((a) => a === '*' || a === 'kms:*' || a === 'kms:Put*' || a === 'kms:PutKeyPolicy');
}
