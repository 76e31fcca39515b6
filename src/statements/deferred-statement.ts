import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A policy statement whose JSON is built when the policy is rendered, so it
 * can hold what is known only then (partners added after it was created).
 * It starts as a copy of `initial`, which aws-cdk-lib reads for validation
 * (Sid, effect, principals) before rendering.
 */
export abstract class DeferredPolicyStatement extends iam.PolicyStatement {
  protected constructor(initial: iam.PolicyStatement) {
    super({
      sid: initial.sid,
      effect: initial.effect,
      actions: initial.actions,
      principals: initial.principals,
      resources: initial.resources,
      conditions: initial.conditions,
    });
  }

  /** The statement as it stands now. */
  protected abstract render(): iam.PolicyStatement;

  public toStatementJson(): any {
    return this.render().toStatementJson();
  }
}
