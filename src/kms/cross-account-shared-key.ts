import { Annotations, CfnDeletionPolicy, CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { claimKeyNetworkCheck, keyNetworkConditionProblems } from './key-network';
import { registerKeyOwner } from './key-owners';
import { KeyPolicyDocument, KeyPolicyReader, renderedKey } from './key-policy';
import { describeLockout, keyAdministration, keyPolicyStatements } from '../analysis/key';
import { AccountContext, Statement } from '../analysis/policy';
import { deployedSize } from '../analysis/size';
import { render } from '../analysis/template';
import { promise } from '../checks/guarantees';
import { rethrowWithPrefix, throwValidationError } from '../core/errors';
import { StackFacts } from '../core/facts';
import {
  BUCKET,
  each,
  eachObject,
  GRANTABLE,
  optionalArrayOf,
  optionalBoolean,
  optionalConstruct,
  optionalDuration,
  optionalEnum,
  optionalString,
  POLICY_DOCUMENT,
  PRINCIPAL,
  requireConstruct,
  requireObject,
} from '../core/props';
import { registerStackLimits } from '../core/stack-limits';
import {
  KEY_POLICY_MAX_BYTES,
  PENDING_WINDOW_MAX_DAYS,
  PENDING_WINDOW_MIN_DAYS,
  ROTATION_MAX_DAYS,
  ROTATION_MIN_DAYS,
  checkOnceResolved,
  validateDays,
  validatePolicySize,
} from '../core/validation';
import { ManagedRank, recordManaged } from '../report/report-facts';
import { registerForReport } from '../report/report-registry';
import { grantEnvironment, routeGrant } from '../sharing/grant-routing';
import { AccessLevel, Partner } from '../sharing/partner';
import {
  addMergedPartner,
  bucketArnByName,
  constructSidPart,
  mergedStatementsOf,
  partnerAccounts,
  s3ViaService,
  shortHash,
  validateAccess,
  validatePartner,
  validatePartnerForOwner,
  recheckResolvedShare,
  warnAboutChangedPartnerStatements,
} from '../sharing/partner-policy';
import { PartnerRegistry } from '../sharing/partner-registry';
import { registerRegistrySource, RegistrySource } from '../sharing/shares';
import { allowClientSideKeyUse, allowClientSideKeyUseByIdentity } from '../statements/client-side';
import { allowAccountIamPolicies, allowKeyAdministration, denyGrantsExceptForAwsResources } from '../statements/key-administration';
import { allowPartnerKeyUse } from '../statements/partner-resource';
import { sidClientSideIdentityKeyUse, sidClientSideKeyUse, sidPartnerKeyUse } from '../statements/sids';

/** How to grant principals of the key's own account, for the error refusing them as a partner. */
const SAME_ACCOUNT_FIX = 'Grant principals of the same account with key.grantDecrypt / key.grantEncryptDecrypt (or EncryptedBucket.grantRead/grantWrite) instead.';

/**
 * Options of {@link CrossAccountSharedKey.grantPartner}.
 */
export interface GrantPartnerOptions {
  /**
   * What the partner may do with the key: READ (`kms:Decrypt`,
   * `kms:DescribeKey`), WRITE (`kms:GenerateDataKey`, `kms:Decrypt`,
   * `kms:DescribeKey`) or READ_WRITE.
   */
  readonly access: AccessLevel;

  /**
   * Limit the partner to objects of this bucket (by the encryption context
   * `aws:s3:arn`, matching the bucket ARN and `<bucket ARN>/*`). The bucket
   * must be in the key's stack, or have a physical name.
   *
   * @default - any bucket encrypted under the key that the partner can reach through S3
   * @throws if the bucket is in another stack and has no physical name
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
   */
  readonly bucket?: s3.IBucket;

  /**
   * The service endpoints through which the partner may use the key
   * (`kms:ViaService`), e.g. `sqs.eu-west-1.amazonaws.com`.
   *
   * @default - S3 in the key's Region, e.g. `s3.eu-west-1.amazonaws.com`
   * @throws if empty, if a value is not a service endpoint, or if `bucket` is given without an S3 endpoint
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   */
  readonly viaServices?: string[];
}

/**
 * Options of {@link CrossAccountSharedKey.grantRegistry}: the scope of the
 * grants, the same for every entry (each entry gives its own access).
 */
export interface GrantRegistryOptions {
  /**
   * Limit the partners to objects of this bucket, as `GrantPartnerOptions.bucket` does.
   *
   * @default - any bucket encrypted under the key that the partners can reach through S3
   * @throws as `GrantPartnerOptions.bucket` says
   */
  readonly bucket?: s3.IBucket;

  /**
   * The service endpoints through which the partners may use the key, as `GrantPartnerOptions.viaServices` says.
   *
   * @default - S3 in the key's Region, e.g. `s3.eu-west-1.amazonaws.com`
   * @throws as `GrantPartnerOptions.viaServices` says
   */
  readonly viaServices?: string[];
}

/**
 * A partner and what it may do with a {@link CrossAccountSharedKey}
 * (the `partners` prop).
 */
export interface KeyPartnerGrant extends GrantPartnerOptions {
  /** Who is granted. */
  readonly partner: Partner;
}

/**
 * Options of {@link CrossAccountSharedKey.grantClientSideEncryption} and
 * {@link CrossAccountSharedKey.grantPartnerClientSideEncryption}.
 */
export interface ClientSideEncryptionOptions {
  /**
   * What the grantee does with the S3 Encryption Client: READ (decrypt
   * downloaded objects, `kms:Decrypt`), WRITE (encrypt uploads,
   * `kms:GenerateDataKey`) or READ_WRITE.
   */
  readonly access: AccessLevel;
}

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
   * encrypted under it becomes unreadable for good. KMS keys have no
   * snapshots: `SNAPSHOT` is an error.
   *
   * @default RemovalPolicy.RETAIN
   * @throws if `RemovalPolicy.SNAPSHOT`
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
   * A description of the key, at most 8,192 characters.
   *
   * @default - no description
   * @throws if longer than 8,192 characters (also when a token resolves to such a value at synthesis)
   * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-Description
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
  readonly administrators?: iam.IPrincipal[];

  /**
   * A key policy to start from. It must keep an administrator statement
   * (an unconditioned `Allow` of `kms:PutKeyPolicy`, e.g. through `kms:*` or
   * `kms:Put*`, to this account or named principals of it); the library's
   * own statements are added to it.
   *
   * @default - a key policy built by this library
   * @throws if the policy has no administrator statement, or allows
   * `kms:PutKeyPolicy` to another account or to `*`
   */
  readonly policy?: iam.PolicyDocument;

  /**
   * Partners allowed to use the key through S3, as if
   * {@link CrossAccountSharedKey.grantPartner} were called for each.
   * Partners with the same access and scope share one key-policy statement.
   *
   * @default - no partners
   * @throws as `grantPartner` does
   */
  readonly partners?: KeyPartnerGrant[];
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
    requireObject('props', props, 'an object of CrossAccountSharedKeyProps (or undefined)');
    optionalDuration('rotationPeriod', props.rotationPeriod);
    optionalDuration('pendingWindow', props.pendingWindow);
    optionalEnum('removalPolicy', props.removalPolicy, RemovalPolicy, 'RemovalPolicy');
    optionalString('alias', props.alias, "a string (a key alias such as 'alias/exchange')");
    optionalString('description', props.description);
    validateKeyDescription(props.description, this);
    checkOnceResolved(this, [props.description], ([d]) => validateKeyDescription(d, this));
    optionalBoolean('multiRegion', props.multiRegion);
    optionalArrayOf('administrators', props.administrators, each(PRINCIPAL), 'an array of iam.IPrincipal');
    optionalConstruct('policy', props.policy, POLICY_DOCUMENT);
    optionalArrayOf('partners', props.partners, eachObject('{ partner, access }'), 'an array of { partner, access }');

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
    if (props.removalPolicy === RemovalPolicy.SNAPSHOT) {
      throw new Error(
        'removalPolicy RemovalPolicy.SNAPSHOT does not apply to KMS keys (CloudFormation supports Snapshot only for resources with snapshots; cfn-lint E3035): ' +
          'use RemovalPolicy.RETAIN (default), RETAIN_ON_UPDATE_OR_DELETE or DESTROY.',
      );
    }
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const policy = new KeyPolicyDocument();
    if (props.policy) {
      const given = [].concat(Stack.of(this).resolve(props.policy.toJSON())?.Statement ?? []);
      const problems = [...givenPolicyLockout(this, given), ...new KeyPolicyReader(this).takeoverProblems(this.node.path, given, 'policy')];
      if (problems.length > 0) {
        throw new Error(problems.join(' '));
      }
      for (const statement of props.policy.toJSON()?.Statement ?? []) {
        policy.addStatements(iam.PolicyStatement.fromJson(statement));
      }
    }
    policy.addStatements(allowAccountIamPolicies());
    if (props.administrators && props.administrators.length > 0) {
      policy.addStatements(allowKeyAdministration(props.administrators));
    }
    policy.addStatements(denyGrantsExceptForAwsResources());

    this.key = new GuardedKey(this, 'Key', {
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
    registerKeyOwner(this.key, this);
    recordManaged(this.key, ManagedRank.OWNER, { managedBy: `CrossAccountSharedKey ${this.node.path}`, path: this.node.path });
    claimKeyNetworkCheck(this.key, this);
    registerForReport(this);
    registerStackLimits(this);

    if (this.removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:keyRemovalDestroy',
        `removalPolicy is DESTROY: deleting the stack schedules this key for deletion after ${this.pendingWindow.toDays()} days, after which every object encrypted under it is unreadable for good.`,
      );
    }

    promise(this, 'CrossAccountSharedKey', this.key.node.defaultChild as kms.CfnKey, [
      'DP4',
      'DP9',
      'DP12',
      'DP14',
      { rule: 'DP17', warning: 'cdk-data-protection:organizationIncludesOwnerAccount' },
    ]);
    const facts = StackFacts.of(this);
    facts.addCheck(() => this.validateKeyPolicySize());
    facts.addCheck(() => this.validateFinalKey(), { scope: this });
    facts.addCheck(
      () => {
        warnAboutChangedPartnerStatements(this.key, this, keyPolicyStatements(render(this.key.node.defaultChild as kms.CfnKey)));
        return [];
      },
      { scope: this },
    );

    (props.partners ?? []).forEach((grant, i) => {
      if (!grant || typeof grant !== 'object') {
        throwValidationError('InvalidShareOptions', `partners[${i}] must be { partner, access }, got ${JSON.stringify(grant)}`, this);
      }
      validatePartner(`partners[${i}].partner`, grant.partner, this);
      validateAccess(`partners[${i}].access`, grant.access, this);
      optionalConstruct(`partners[${i}].bucket`, grant.bucket, BUCKET);
      try {
        validatePartnerForOwner('partner', grant.partner, this.key, SAME_ACCOUNT_FIX, this);
        recheckResolvedShare(this.key, this, grant.partner, undefined, undefined, SAME_ACCOUNT_FIX);
        this.grant(grant.partner, grant);
      } catch (e) {
        rethrowWithPrefix(e, `partners[${i}]: `, this);
      }
    });
  }

  /**
   * Allow a partner to use the key through S3 (or the services named), with
   * the KMS actions its access level needs, and nothing else: a key-policy
   * statement with `kms:ViaService`, `kms:CallerAccount` for account
   * partners, `aws:PrincipalArn` for named principals (the statement's
   * principal is their account), `aws:PrincipalOrgID` or
   * `aws:PrincipalOrgPaths` for organizations, and, with `bucket`, the
   * encryption context of that bucket.
   *
   * Partners with the same access and scope share one statement (one Sid,
   * e.g. `PartnerReadAccounts`), so a key policy holds hundreds of partner
   * accounts; synthesis fails if the key policy would exceed 32,768 bytes.
   *
   * A partner also needs an IAM policy of its own (see `CrossAccountConsumerPolicy`)
   * and, for a bucket, the bucket policy (`EncryptedBucket.shareWith` writes both sides).
   *
   * @param partner who is granted
   * @param options access level, bucket scope and services
   * @throws if `partner` or `access` is invalid, if `partner` is the key's own account (or named principals of it) or names principals of another partition, or as documented on `GrantPartnerOptions`
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
   */
  public grantPartner(partner: Partner, options: GrantPartnerOptions): void {
    validatePartner('partner', partner, this);
    validatePartnerForOwner('partner', partner, this.key, SAME_ACCOUNT_FIX, this);
    if (!options || typeof options !== 'object') {
      throwValidationError('InvalidShareOptions', `grantPartner(partner, options): options must be { access, bucket?, viaServices? }, got ${JSON.stringify(options)}`, this);
    }
    optionalConstruct('bucket', options.bucket, BUCKET);
    validateAccess('access', options.access, this);
    recheckResolvedShare(this.key, this, partner, undefined, undefined, SAME_ACCOUNT_FIX);
    this.grant(partner, options);
  }

  /**
   * Allow a principal to use the key directly for client-side encryption
   * (CSE) with the Amazon S3 Encryption Client and a KMS keyring: the client
   * calls KMS itself, so there is no `kms:ViaService`; the grant is scoped to
   * the encryption context the client sends (`aws:x-amz-cek-alg`) instead.
   *
   * A principal of the key's account and Region gets an IAM policy
   * statement (`ClientSide<Access>KeyUseOn<key>`); a principal of another
   * account is granted as `grantPartnerClientSideEncryption` does, as a
   * partner named by its ARN (or its account).
   *
   * @param grantee who encrypts or decrypts
   * @param options the access level
   * @throws if `grantee` is of another Region, or cannot be named as a partner, or `access` is invalid
   * @see https://docs.aws.amazon.com/amazon-s3-encryption-client/latest/developerguide/what-is-s3-encryption-client.html
   */
  public grantClientSideEncryption(grantee: iam.IGrantable, options: ClientSideEncryptionOptions): void {
    requireConstruct('grantee', grantee, GRANTABLE);
    if (!options || typeof options !== 'object') {
      throwValidationError('InvalidShareOptions', `grantClientSideEncryption(grantee, options): options must be { access }, got ${JSON.stringify(options)}`, this);
    }
    validateAccess('access', options.access, this);
    const route = routeGrant(this.key, grantee, 'grantClientSideEncryption');
    if (route.kind === 'partner') {
      this.grantPartnerClientSideEncryption(route.partner, options);
      return;
    }
    if (route.kind === 'otherRegion') {
      throwValidationError(
        'GrantOutsideEnvironment',
        `grantClientSideEncryption(grantee) on ${this.node.path}: ${grantee.grantPrincipal} is in a stack of another Region: the S3 Encryption Client must call KMS in the key's Region (${Stack.of(this).region}). ` +
          'Define the role in a stack of the key\'s Region, or give the client a multi-Region replica key of its own Region.',
        this,
      );
    }
    grantee.grantPrincipal.addToPrincipalPolicy(
      allowClientSideKeyUseByIdentity(this.key.keyArn, options.access, sidClientSideIdentityKeyUse(options.access, constructSidPart(this.key))),
    );
  }

  /**
   * Allow a partner to use the key directly for client-side encryption with
   * the Amazon S3 Encryption Client: a key-policy statement
   * (`ClientSideReadAccounts`, ...) with `kms:GenerateDataKey` (WRITE) or
   * `kms:Decrypt` (READ), `kms:CallerAccount` the partner's account(s), the
   * partner's own conditions (`aws:PrincipalArn`, `aws:PrincipalOrgID`, ...)
   * and `kms:EncryptionContext:aws:x-amz-cek-alg` the client's content
   * encryption algorithm. Partners of one kind and access share one statement.
   *
   * The partner attaches `CrossAccountConsumerPolicy` with
   * `clientSideEncryption: true` on its side.
   *
   * @param partner who is granted
   * @param options the access level
   * @throws if `partner` is the key's own account, or an argument is invalid
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
   */
  public grantPartnerClientSideEncryption(partner: Partner, options: ClientSideEncryptionOptions): void {
    validatePartner('partner', partner, this);
    validatePartnerForOwner('partner', partner, this.key, SAME_ACCOUNT_FIX, this);
    if (!options || typeof options !== 'object') {
      throwValidationError('InvalidShareOptions', `grantPartnerClientSideEncryption(partner, options): options must be { access }, got ${JSON.stringify(options)}`, this);
    }
    validateAccess('access', options.access, this);
    const sid = sidClientSideKeyUse(options.access, partner);
    addMergedPartner(
      this.key,
      sid,
      partner,
      (partners) => allowClientSideKeyUse(partners, options.access, { sid, ownerAccount: this.key.env.account }),
      (statement) => this.key.addToResourcePolicy(statement),
    );
  }

  /**
   * Allow every partner of a registry file to use the key, as if
   * `grantPartner` were called for each entry with its access and `options`.
   * A key policy cannot narrow to an object prefix: entries' prefixes are
   * enforced by the bucket policy (`EncryptedBucket.shareWithRegistry` writes
   * both sides). The access report names the entries behind each statement.
   *
   * @param registry the partners, e.g. `PartnerRegistry.fromFile('partners.yaml')`
   * @param options the bucket and services every grant is scoped to
   * @throws as `grantPartner` does; entries naming the key's own account are all reported in one error, each with its line
   */
  public grantRegistry(registry: PartnerRegistry, options: GrantRegistryOptions = {}): void {
    if (!(registry instanceof PartnerRegistry)) {
      throwValidationError('InvalidPartnerRegistry', `grantRegistry(registry) needs a PartnerRegistry (PartnerRegistry.fromFile, fromJson or fromYaml), got ${JSON.stringify(registry) ?? String(registry)}`, this);
    }
    if (!options || typeof options !== 'object') {
      throwValidationError('InvalidShareOptions', `grantRegistry(registry, options): options must be { bucket?, viaServices? }, got ${JSON.stringify(options)}`, this);
    }
    optionalConstruct('bucket', options.bucket, BUCKET);
    const problems: string[] = [];
    for (const entry of registry.entries) {
      try {
        validatePartnerForOwner('partner', entry.partner, this.key, SAME_ACCOUNT_FIX, this);
      } catch (e) {
        problems.push(`${PartnerRegistry._where(entry)}: ${(e as Error).message}`);
      }
    }
    if (problems.length > 0) {
      throwValidationError('InvalidPartnerRegistry', `grantRegistry(${registry.source}) on ${this.node.path}: ${problems.length} entr${problems.length === 1 ? 'y' : 'ies'} cannot be granted:\n- ${problems.join('\n- ')}`, this);
    }
    for (const entry of registry.entries) {
      this.grant(entry.partner, { access: entry.access, bucket: options.bucket, viaServices: options.viaServices }, PartnerRegistry._sourceOf(entry));
    }
  }

  /**
   * `grantPartner` for `EncryptedBucket.shareWith`, which has checked the
   * partner, the access level and the partner's account against the bucket's.
   * A bucket of another stack may be of another account than the key: then
   * the partner is checked against the key's account too.
   *
   * @internal
   */
  public _grantSharedBucket(partner: Partner, access: AccessLevel, bucket: s3.IBucket, source?: RegistrySource): void {
    if (Stack.of(bucket) !== Stack.of(this.key)) {
      validatePartnerForOwner('partner', partner, this.key, SAME_ACCOUNT_FIX, this);
    }
    this.grant(partner, { access, bucket }, source);
  }

  /** Writes the grant of a checked partner and access level (the options' services are checked here, once); `source` is its registry entry. */
  private grant(partner: Partner, options: GrantPartnerOptions, source?: RegistrySource): void {
    const stack = Stack.of(this);
    const viaServices = options.viaServices ?? [s3ViaService(stack.region, this)];
    validateViaServices(viaServices, options.bucket !== undefined);
    const bucketArn = options.bucket ? this.bucketArnForPolicy(options.bucket) : undefined;
    const scope = options.bucket ? constructSidPart(options.bucket) : undefined;
    const customVia = options.viaServices !== undefined ? `Via${shortHash(viaServices.join(','))}` : '';
    const sid = sidPartnerKeyUse(options.access, partner, scope) + customVia;
    addMergedPartner(
      this.key,
      sid,
      partner,
      (partners) => allowPartnerKeyUse(partners, options.access, { viaServices, bucketArn, sid, ownerAccount: this.key.env.account }),
      (statement) => this.key.addToResourcePolicy(statement),
    );
    if (source) registerRegistrySource(this.key, sid, partner, source);
  }

  /** The bucket's ARN as the key policy can name it without a reference cycle. */
  private bucketArnForPolicy(bucket: s3.IBucket): string {
    const arn = bucketArnByName(bucket, this);
    if (arn === undefined) {
      throw new Error(
        `bucket ${bucket.node.path} has no physical name: the key policy would have to reference the bucket, which references the key for its encryption (a cycle CloudFormation cannot deploy). ` +
          'Give the bucket a bucketName, or use an EncryptedBucket, which always has one.',
      );
    }
    return arn;
  }

  /**
   * The key as it is written to the template, whoever added its statements
   * or overrides: no outsider may rewrite the policy, nothing conditions the
   * path S3 uses to call KMS on the network (case D10), and the deletion
   * policy is one KMS supports. That an administrator remains and the lockout
   * safety check is not bypassed (case D12) is the promise of DP12.
   */
  private validateFinalKey(): string[] {
    const cfn = this.key.node.defaultChild as kms.CfnKey;
    const { statements } = renderedKey(cfn);
    const path = this.node.path;
    const errors = new KeyPolicyReader(cfn).takeoverProblems(path, statements);
    errors.push(...keyNetworkConditionProblems(path, statements));
    if (cfn.cfnOptions.deletionPolicy === CfnDeletionPolicy.SNAPSHOT || cfn.cfnOptions.updateReplacePolicy === CfnDeletionPolicy.SNAPSHOT) {
      errors.push(
        `The key ${path} has removal policy SNAPSHOT (DeletionPolicy ${cfn.cfnOptions.deletionPolicy}, UpdateReplacePolicy ${cfn.cfnOptions.updateReplacePolicy}): KMS keys have no snapshots (cfn-lint E3035). ` +
          'Use RemovalPolicy.RETAIN (default), RETAIN_ON_UPDATE_OR_DELETE or DESTROY.',
      );
    }
    return errors;
  }

  private validateKeyPolicySize(): string[] {
    const accounts = new Set(mergedStatementsOf(this.key).flatMap((s) => partnerAccounts(s.partners)));
    return validatePolicySize(
      `The key policy of ${this.node.path} (${accounts.size} partner account(s) listed; unresolved ARNs counted at realistic length)`,
      deployedSize(this.key, Stack.of(this).resolve(this.policy.toJSON())),
      KEY_POLICY_MAX_BYTES,
      'Share with an organization (Partner.organization or Partner.organizationPaths) instead of listing many accounts, or spread the partners over several keys.',
    );
  }
}

/**
 * The key of a `CrossAccountSharedKey`: aws-cdk-lib's `kms.Key`, whose
 * `grant*` methods refuse a principal of another account (aws-cdk-lib
 * would write a key-policy statement letting that account use the key
 * directly, through any service) and a role of another Region (aws-cdk-lib
 * would give it the actions on every key, `Resource: "*"`), naming the
 * route that scopes them. Grants through `key.grants` are still checked on
 * the final template (DP9).
 */
class GuardedKey extends kms.Key {
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    refuseOutsideGrant(this, grantee, 'grant');
    return super.grant(grantee, ...actions);
  }

  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    refuseOutsideGrant(this, grantee, 'grantDecrypt');
    return super.grantDecrypt(grantee);
  }

  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    refuseOutsideGrant(this, grantee, 'grantEncrypt');
    return super.grantEncrypt(grantee);
  }

  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    refuseOutsideGrant(this, grantee, 'grantEncryptDecrypt');
    return super.grantEncryptDecrypt(grantee);
  }
}

/** Throws for a grantee of another account or Region (see `GuardedKey`). */
function refuseOutsideGrant(key: kms.Key, grantee: iam.IGrantable, method: string): void {
  const where = grantEnvironment(key, grantee);
  const who = grantee.grantPrincipal instanceof Construct ? grantee.grantPrincipal.node.path : grantee.grantPrincipal.toString();
  const stack = Stack.of(key);
  if (where.kind === 'otherAccount') {
    throwValidationError(
      'GrantOutsideEnvironment',
      `${method}(grantee) on ${key.node.path}: ${who} is of account ${where.account}, not the key's (${stack.account}). aws-cdk-lib would write a key-policy statement letting that account use the key directly, from anywhere and through any service. ` +
        `Share the data through S3 instead: EncryptedBucket.shareWith(Partner.account('${where.account}') or Partner.principals([...]), access) for a bucket, ` +
        'or CrossAccountSharedKey.grantPartner(partner, { access, bucket }) (kms:ViaService, kms:CallerAccount, the bucket\'s encryption context).',
      key,
    );
  }
  if (where.kind === 'otherRegion') {
    throwValidationError(
      'GrantOutsideEnvironment',
      `${method}(grantee) on ${key.node.path}: ${who} is in a stack of Region ${where.region}, the key in ${stack.region}. No reference reaches across Regions, so aws-cdk-lib would grant it on every KMS key of the account (Resource "*"). ` +
        'Grant through the bucket (EncryptedBucket.grantRead/grantWrite write a policy naming the key\'s Region, S3 and the bucket), or attach a CrossAccountConsumerPolicy to the role.',
      key,
    );
  }
}

/** KMS's limit on a key description (CreateKey `Description`). */
const KEY_DESCRIPTION_MAX_CHARS = 8192;

function validateKeyDescription(description: string | undefined, scope: Construct): void {
  if (description !== undefined && !Token.isUnresolved(description) && description.length > KEY_DESCRIPTION_MAX_CHARS) {
    throwValidationError(
      'InvalidKeyDescription',
      `description is ${description.length} characters, over the ${KEY_DESCRIPTION_MAX_CHARS} KMS accepts (CreateKey Description): "${description.slice(0, 40)}…". Shorten it.`,
      scope,
    );
  }
}

/**
 * Why a `policy` prop would lock the key out (case D12), read by DP12's own
 * analysis: the same verdict the rule gives the final template, said at the
 * call. Empty when an administrator is kept, or cannot be known yet.
 */
function givenPolicyLockout(scope: Construct, statements: Statement[]): string[] {
  const lockout = describeLockout(keyAdministration(new AccountContext(scope as CfnResource), statements));
  if (!lockout) {
    return [];
  }
  const fix =
    lockout.kind === 'noAdministrator'
      ? 'Keep a statement that lets your account or named administrators manage the key, or leave policy unset.'
      : 'Narrow the Deny (exempt the administrators with ArnNotLike aws:PrincipalArn, or leave kms:PutKeyPolicy out of its actions).';
  return [`policy ${lockout.head}: the key could never be managed again (KMS lockout).`, ...lockout.reasons.map((r) => `${r}.`), fix];
}

const VIA_SERVICE = /^[a-z0-9-]+\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

function validateViaServices(viaServices: string[], scopedToBucket: boolean): void {
  if (!Array.isArray(viaServices) || viaServices.length === 0) {
    throw new Error(`viaServices must list at least one service endpoint such as s3.eu-west-1.amazonaws.com, got ${JSON.stringify(viaServices)}: partners must never call KMS directly`);
  }
  for (const v of viaServices) {
    if (typeof v !== 'string' || (!Token.isUnresolved(v) && !VIA_SERVICE.test(v))) {
      throw new Error(`viaServices has ${JSON.stringify(v)}, which is not a service endpoint: expected <service>.<region>.amazonaws.com, e.g. s3.eu-west-1.amazonaws.com`);
    }
  }
  if (scopedToBucket && !viaServices.some((v) => Token.isUnresolved(v) || v.startsWith('s3.'))) {
    throw new Error(`bucket was given but viaServices (${viaServices.join(', ')}) has no S3 endpoint: the bucket's encryption context is only sent by S3. Add s3.<region>.amazonaws.com or drop bucket.`);
  }
}
