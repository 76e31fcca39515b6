import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { isAdministratorStatement, KeyPolicyDocument } from './private/key-policy';
import {
  KEY_POLICY_MAX_BYTES,
  PENDING_WINDOW_MAX_DAYS,
  PENDING_WINDOW_MIN_DAYS,
  ROTATION_MAX_DAYS,
  ROTATION_MIN_DAYS,
  validateDays,
  validatePolicySize,
} from './private/validation';
import { DataProtectionStatements } from './statements';

/**
 * Properties of a {@link CrossAccountSharedKey}.
 */
export interface CrossAccountSharedKeyProps {
  /**
   * How often AWS KMS rotates the key material, in days (90 to 2560).
   *
   * @default Duration.days(365)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
   */
  readonly rotationPeriod?: Duration;

  /**
   * How long a key scheduled for deletion waits before it is deleted, in days (7 to 30).
   *
   * @default Duration.days(30)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html#deleting-keys-scheduling-key-deletion
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key when it is removed from the stack or the stack is deleted.
   *
   * `DESTROY` schedules the key for deletion after `pendingWindow`: every object
   * encrypted under it becomes unreadable for good.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * An alias for the key, e.g. `alias/partner-exchange`. For people and
   * consoles only: templates of this library always refer to the key by ARN.
   *
   * @default - no alias
   */
  readonly alias?: string;

  /**
   * A description of the key.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the key is a multi-Region primary key.
   *
   * @default false
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
   */
  readonly multiRegion?: boolean;

  /**
   * Principals allowed to manage the key (key policy, rotation, tags,
   * scheduling deletion) but not to use it for encryption or decryption.
   *
   * The key's own account always keeps an administrator statement as well
   * (`AllowAccountIamPolicies`), so the key can never be locked out.
   *
   * @default - no named administrators; the account administers the key through IAM
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
   */
  readonly admins?: iam.IPrincipal[];

  /**
   * A key policy to start from. It must keep an administrator statement
   * (an `Allow` of `kms:*` or `kms:PutKeyPolicy`); the library's own
   * statements are added to it.
   *
   * @default - a key policy built by this library
   * @throws if the policy has no administrator statement
   */
  readonly policy?: iam.PolicyDocument;
}

/**
 * A customer-managed KMS key with rotation on, retained on stack deletion,
 * whose key policy always keeps an administrator and can be shared with
 * partner accounts.
 *
 * Use it wherever a `kms.IKey` is expected, through `key`.
 *
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key', { alias: 'alias/partner-exchange' });
 * new EncryptedBucket(this, 'Exchange', { encryptionKey: key.key });
 */
export class CrossAccountSharedKey extends Construct {
  /** The KMS key. */
  public readonly key: kms.Key;
  /** The key's full ARN. */
  public readonly keyArn: string;
  /** How often the key material rotates. */
  public readonly rotationPeriod: Duration;
  /** How long a key scheduled for deletion waits before deletion. */
  public readonly pendingWindow: Duration;
  /** What happens to the key when it leaves the stack. */
  public readonly removalPolicy: RemovalPolicy;
  /** The key policy. */
  public readonly policy: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: CrossAccountSharedKeyProps = {}) {
    super(scope, id);

    validateDays('rotationPeriod', props.rotationPeriod, ROTATION_MIN_DAYS, ROTATION_MAX_DAYS, 'AWS KMS limit');
    validateDays('pendingWindow', props.pendingWindow, PENDING_WINDOW_MIN_DAYS, PENDING_WINDOW_MAX_DAYS, 'AWS KMS limit');
    if (props.alias !== undefined && !Token.isUnresolved(props.alias)) {
      const name = props.alias.startsWith('alias/') ? props.alias : `alias/${props.alias}`;
      if (name.startsWith('alias/aws/') || !/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(name)) {
        throw new Error(
          `alias must be 1 to 250 letters, digits, '/', '_' or '-' after 'alias/', and must not start with 'alias/aws/' (reserved for AWS-managed keys), got "${props.alias}"`,
        );
      }
    }

    this.rotationPeriod = props.rotationPeriod ?? Duration.days(365);
    this.pendingWindow = props.pendingWindow ?? Duration.days(30);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const policy = new KeyPolicyDocument();
    if (props.policy) {
      const given = Stack.of(this).resolve(props.policy.toJSON())?.Statement ?? [];
      if (!given.some(isAdministratorStatement)) {
        throw new Error(
          `policy has no administrator statement (${given.length} statement(s), none allowing kms:* or kms:PutKeyPolicy without conditions): ` +
            'the key could never be managed again (KMS lockout). Keep a statement that lets your account or named administrators manage the key, or leave policy unset.',
        );
      }
      for (const statement of props.policy.toJSON()?.Statement ?? []) {
        policy.addStatements(iam.PolicyStatement.fromJson(statement));
      }
    }
    policy.addStatements(DataProtectionStatements.allowAccountIamPolicies());
    if (props.admins && props.admins.length > 0) {
      policy.addStatements(DataProtectionStatements.allowKeyAdministration(props.admins));
    }

    this.key = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: this.rotationPeriod,
      pendingWindow: this.pendingWindow,
      removalPolicy: this.removalPolicy,
      multiRegion: props.multiRegion,
      policy,
      alias: props.alias,
      // Same-account grants go to identity policies whatever the app's feature
      // flags (aws-cdk-lib still reads this prop when
      // @aws-cdk/aws-kms:defaultKeyPolicies is off). aws-cdk-lib then adds its
      // own un-named copy of the account administrator statement;
      // KeyPolicyDocument drops it in favour of ours.
      ...({ trustAccountIdentities: true } as Record<string, unknown>),
    });
    this.policy = policy;
    this.keyArn = this.key.keyArn;

    if (this.removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:keyRemovalDestroy',
        `removalPolicy is DESTROY: deleting the stack schedules this key for deletion after ${this.pendingWindow.toDays()} days, after which every object encrypted under it is unreadable for good.`,
      );
    }

    this.node.addValidation({
      validate: () =>
        validatePolicySize(
          `The key policy of ${this.node.path}`,
          Stack.of(this).resolve(this.policy.toJSON()),
          KEY_POLICY_MAX_BYTES,
          'Share with an organization (Partner.organization) instead of listing many accounts.',
        ),
    });
  }
}
