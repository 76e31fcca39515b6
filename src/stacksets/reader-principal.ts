import { Token } from 'aws-cdk-lib';
import { throwValidationError } from '../core/errors';
import { describeValue } from '../core/props';

/** A role, user or account root ARN of one account, as a role's trust policy names it (no wildcards). */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]+)$/;

/**
 * Who may assume the reader role a {@link ConsumerPolicyStackSet} deploys
 * in each target account: the principal of its trust policy.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export abstract class ReaderPrincipal {
  /**
   * The target account itself (its root: every principal of the account that
   * an identity policy allows `sts:AssumeRole`), resolved in each target
   * account by the stack instance (`arn:${AWS::Partition}:iam::${AWS::AccountId}:root`).
   */
  public static targetAccount(): ReaderPrincipal {
    return new Rendered({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }, []);
  }

  /**
   * A role, user or account root of one account, by ARN, e.g.
   * `arn:aws:iam::222222222222:role/analytics`. The role or user must exist
   * when the stack instance is created: IAM refuses a trust policy naming a
   * principal that does not exist.
   *
   * @param principalArn the ARN (no wildcards: a trust policy's `Principal` takes none)
   * @throws if it is not a role, user or root ARN of a 12-digit account
   */
  public static arn(principalArn: string): ReaderPrincipal {
    if (typeof principalArn !== 'string') {
      throwValidationError('InvalidReaderPrincipal', `ReaderPrincipal.arn: principalArn must be a string, got ${describeValue(principalArn)}.`);
    }
    if (!Token.isUnresolved(principalArn)) {
      checkPrincipalArn(principalArn);
      return new Rendered(principalArn, []);
    }
    return new Rendered(principalArn, [principalArn]);
  }

  /** @internal the `Principal.AWS` value in the stack instance's template */
  public abstract readonly _principal: unknown;
  /** @internal tokens to check once resolved */
  public abstract readonly _tokens: string[];
}

class Rendered extends ReaderPrincipal {
  constructor(public readonly _principal: unknown, public readonly _tokens: string[]) {
    super();
  }
}

/** Throws unless `arn` is a role, user or root ARN of one account. */
function checkPrincipalArn(arn: string): void {
  if (!PRINCIPAL_ARN.test(arn)) {
    throwValidationError(
      'InvalidReaderPrincipal',
      `ReaderPrincipal.arn: principalArn must be an IAM role, user or account root ARN of one account, such as arn:aws:iam::222222222222:role/analytics, got ${JSON.stringify(arn)}. ` +
        'A trust policy takes no wildcards; for every principal of each target account use ReaderPrincipal.targetAccount().',
    );
  }
}
