import { Annotations, Arn, ArnFormat, CfnOutput, Lazy, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessPointShare, AccessPointShares } from './access-point-shares';
import { bucketKeyProblems, validateBucketKey } from './bucket-key';
import { addToBucketPolicyOnce, isSameStatement, markCreatedHere } from './bucket-policy';
import { ServerAccessLogs } from './server-access-logs';
import { SharingMode } from './sharing-mode';
import { applyTlsStatements, validateTlsVersion } from './tls';
import { bucketPolicyStatements } from '../analysis/bucket';
import { displayJson } from '../analysis/display-json';
import { keyPolicyStatements } from '../analysis/key';
import { deployedSize } from '../analysis/size';
import { render } from '../analysis/template';
import { promise } from '../checks/guarantees';
import { rethrowWithPrefix, throwValidationError } from '../core/errors';
import { StackFacts } from '../core/facts';
import { acknowledgeNagRule, REPLICATION_REASON } from '../core/nag';
import {
  describeValue,
  eachObject,
  GRANTABLE,
  KEY,
  optionalArrayOf,
  optionalBoolean,
  optionalConstruct,
  optionalEnum,
  optionalObject,
  optionalString,
  requireConstruct,
  requireObject,
  requireString,
  VPC,
} from '../core/props';
import { registerStackLimits } from '../core/stack-limits';
import { BUCKET_POLICY_MAX_BYTES, checkOnceResolved, validateBucketName, validateEncryptionKey, validatePolicySize } from '../core/validation';
import { CrossAccountSharedKey, CrossAccountSharedKeyProps } from '../kms/cross-account-shared-key';
import { keyOwnerOf } from '../kms/key-owners';
import { ManagedRank, recordManaged } from '../report/report-facts';
import { registerForReport } from '../report/report-registry';
import { consumerPolicyDocument } from '../sharing/consumer-policy-document';
import { CrossAccountConsumerPolicy } from '../sharing/cross-account-consumer-policy';
import { GRANT_ACCESS, grantEnvironment, prefixOfPattern, routeGrant } from '../sharing/grant-routing';
import { AccessLevel, Partner, PrefixMatch } from '../sharing/partner';
import {
  accessWord,
  addMergedPartner,
  bucketArnByName,
  constructSidPart,
  generatedBucketName,
  mergedStatementsOf,
  partnerAccounts,
  s3ViaService,
  shortHash,
  validateAccess,
  validatePartner,
  validatePartnerForOwner,
  validatePrefix,
  validatePrefixMatch,
  recheckResolvedShare,
  warnAboutChangedPartnerStatements,
} from '../sharing/partner-policy';
import { PartnerRegistry } from '../sharing/partner-registry';
import { registerRegistrySource, registerShare, RegistrySource } from '../sharing/shares';
import { allowS3AuthorizedKeyUse, delegateToOwnAccessPoints } from '../statements/access-points';
import { denyKmsWithoutKeyId, denyOtherKmsKeys, denySseC, denyUnexpectedEncryption } from '../statements/encryption';
import { ServerSideEncryption, TlsVersion } from '../statements/enums';
import { allowPartnerBucketAccess, allowPartnerKeyUse, allowPartnerPrefixListing } from '../statements/partner-resource';
import { s3ActionsFor } from '../statements/perms';
import { sidPartnerBucketAccess, sidPartnerKeyUse, sidPartnerPrefixListing } from '../statements/sids';

/** How to grant principals of the bucket's own account, for the error refusing them as a partner. */
const SAME_ACCOUNT_FIX = 'Grant principals of the same account with grantRead, grantWrite or grantReadWrite instead.';

/**
 * Options of {@link EncryptedBucket.shareWith}.
 */
export interface ShareOptions {
  /**
   * Limit the share to object keys starting with this prefix, e.g.
   * `incoming/`. Readers may list only under it (`s3:prefix`). The key
   * policy cannot narrow to a prefix (with an S3 Bucket Key the encryption
   * context is the bucket), so the bucket policy enforces it.
   *
   * The prefix is a folder and must end with `/` (`incoming` would also
   * open `incoming-private/…`), unless `prefixMatch` is `PrefixMatch.KEY_NAME`.
   *
   * @default - the whole bucket
   * @throws if empty, starting with `/`, holding `*`, `?`, `${`, quotes or control characters (newlines), or not ending with `/` as a folder
   */
  readonly prefix?: string;

  /**
   * What `prefix` matches: a folder (`PrefixMatch.FOLDER`, the prefix ends
   * with `/`) or every key whose name starts with it (`PrefixMatch.KEY_NAME`).
   * The access report says which.
   *
   * @default PrefixMatch.FOLDER
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
   */
  readonly prefixMatch?: PrefixMatch;
}

/**
 * A partner and what it may do with an {@link EncryptedBucket} (the `partners` prop).
 */
export interface BucketPartnerShare extends ShareOptions {
  /** Who the bucket is shared with. */
  readonly partner: Partner;
  /** What the partner may do. */
  readonly access: AccessLevel;
}

/**
 * Properties of an {@link EncryptedBucket}. Every one is optional: with none,
 * the bucket is SSE-KMS under a new rotating customer-managed key with an S3
 * Bucket Key, TLS 1.2 only, SSE-C blocked, private, versioned and retained.
 */
export interface EncryptedBucketProps {
  /**
   * How objects are encrypted at rest by default.
   *
   * `SSE_S3` gives no key policy control over who decrypts and no per-use
   * audit trail in CloudTrail; choosing it emits the warning
   * `cdk-data-protection:sseS3`.
   *
   * @default ServerSideEncryption.SSE_KMS
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
   */
  readonly encryption?: ServerSideEncryption;

  /**
   * The customer-managed KMS key for SSE-KMS or DSSE-KMS.
   *
   * An imported key must be imported by its full key ARN
   * (`kms.Key.fromKeyArn`): S3 resolves an alias or a bare key id in the
   * caller's account. AWS-managed keys (`alias/aws/s3`) are refused: their
   * key policy cannot be changed.
   *
   * @default - a new `CrossAccountSharedKey` (child id `Key`)
   * @throws if given by alias or bare key id, if AWS-managed, or with `SSE_S3`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Options of the key created when `encryptionKey` is not given.
   *
   * @default - rotation every 365 days, deletion window 30 days, removal policy of the bucket
   * @throws if given together with `encryptionKey`
   */
  readonly encryptionKeyProps?: CrossAccountSharedKeyProps;

  /**
   * Whether S3 uses an S3 Bucket Key for SSE-KMS, cutting the requests S3
   * makes to KMS (and their cost) by up to 99 %. SSE-KMS requests count
   * against the KMS request quota of the account and Region, so without a
   * Bucket Key busy buckets get throttled. Turning it off emits the warning
   * `cdk-data-protection:bucketKeyDisabled`.
   *
   * @default true for SSE-KMS; Bucket Keys do not apply to DSSE-KMS and SSE-S3
   * @throws if true with DSSE-KMS or SSE-S3
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
   */
  readonly bucketKeyEnabled?: boolean;

  /**
   * The oldest TLS version requests may use. Requests without TLS are always denied.
   *
   * @default TlsVersion.TLS_1_2
   */
  readonly minimumTlsVersion?: TlsVersion;

  /**
   * Allow uploads with customer-provided keys (SSE-C). By default the
   * encryption rule blocks SSE-C (`BlockedEncryptionTypes`) and the bucket
   * policy denies requests carrying SSE-C headers. Allowing it emits the
   * warning `cdk-data-protection:sseCAllowed`.
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html
   */
  readonly allowSseC?: boolean;

  /**
   * Where S3 server access logs go.
   *
   * @default ServerAccessLogs.toNewBucket() - a dedicated SSE-S3 log bucket (compliance packs require access logs)
   */
  readonly serverAccessLogs?: ServerAccessLogs;

  /**
   * The bucket's name.
   *
   * The bucket always has a physical name: a key-policy statement scoped to
   * the bucket (see `shareWith`) must name the bucket's ARN, and cannot refer
   * to the bucket resource, which itself refers to the key.
   *
   * @default - `<stack and construct path, up to 30 characters>-<account>-<region>`, lowercase
   * @throws if it breaks the S3 naming rules
   */
  readonly bucketName?: string;

  /**
   * What happens to the bucket (and the key this construct creates) when it
   * leaves the stack. Only `RETAIN`, `RETAIN_ON_UPDATE_OR_DELETE` and `DESTROY`
   * apply to buckets.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Empty the bucket when it is deleted. Only with `RemovalPolicy.DESTROY`.
   *
   * @default false
   * @throws if true without `RemovalPolicy.DESTROY`
   */
  readonly autoDeleteObjects?: boolean;

  /**
   * Lifecycle rules of the bucket.
   *
   * @default - none
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * Partner accounts, principals or organizations the bucket is shared
   * with, as if {@link EncryptedBucket.shareWith} were called for each.
   *
   * @default - not shared
   * @throws as `shareWith` does
   */
  readonly partners?: BucketPartnerShare[];

  /**
   * Whether `shareWith` emits, per access level and prefix, the IAM policy
   * partners attach on their side as a stack output
   * (`ConsumerPolicy<Access><prefix hash>`). A CloudFormation template holds
   * at most 200 outputs, and a bucket shared under many prefixes emits one
   * output each: turn them off and give partners
   * `CrossAccountConsumerPolicy.policyJson` instead.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
   */
  readonly consumerPolicyOutputs?: boolean;

  /**
   * Where partner shares are written. `SharingMode.ACCESS_POINTS` shares
   * beyond the bucket policy's 20 KB (about 550 partner accounts): each
   * group of partners with the same access and prefix (up to 250 partners
   * each) gets an S3 access point (child id `AccessPoint<Access>[<prefix hash>]<n>`)
   * whose policy names them; the bucket policy delegates to the access points
   * of its own account with one statement (`DelegateToOwnAccountAccessPoints`,
   * limited to the actions shares grant); the key policy lets S3 use the key
   * for this bucket's objects only, for whomever S3 authorized
   * (`S3Authorized<Access>On<bucket>`). Partners then address the access
   * point (ARN or alias; the consumer policy names it), never the bucket.
   *
   * Any access point of the bucket's account can then grant what the
   * delegation allows: who may create access points in the account
   * (`s3:CreateAccessPoint`) decides who reaches the data.
   *
   * @default SharingMode.BUCKET_POLICY
   * @throws with SSE-S3, or with an `encryptionKey` this app does not define (its key policy cannot be changed here)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control
   */
  readonly sharingMode?: SharingMode;

  /**
   * The VPC every access point of `SharingMode.ACCESS_POINTS` accepts
   * requests from (network origin VPC): requests from anywhere else, the
   * internet included, are refused by S3. Cannot be changed on an existing
   * access point (CloudFormation replaces it).
   *
   * @default - network origin Internet (still TLS only, and only the named partners)
   * @throws if given without `sharingMode: SharingMode.ACCESS_POINTS`
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html
   */
  readonly accessPointVpc?: ec2.IVpc;
}

/**
 * An S3 bucket encrypted at rest under a customer-managed KMS key, reachable
 * only over TLS, private, versioned and retained.
 *
 * With no props: SSE-KMS under a new `CrossAccountSharedKey` (rotation every
 * 365 days), S3 Bucket Key on, TLS 1.2 minimum, SSE-C blocked, uploads that ask
 * for another encryption type or key denied, Block Public Access on all four
 * settings, Object Ownership `BucketOwnerEnforced`, versioning on, server
 * access logs to a dedicated log bucket.
 *
 * @example
 * const bucket = new EncryptedBucket(this, 'Data');
 * bucket.grantRead(myRole);
 */
export class EncryptedBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The KMS key objects are encrypted under; undefined only for SSE-S3. */
  public readonly encryptionKey?: kms.IKey;
  /** The key this construct created, when `encryptionKey` was not given. */
  public readonly sharedKey?: CrossAccountSharedKey;
  /** How objects are encrypted at rest. */
  public readonly encryption: ServerSideEncryption;
  /** Whether an S3 Bucket Key is used. */
  public readonly bucketKeyEnabled: boolean;
  /** The oldest TLS version accepted. */
  public readonly minimumTlsVersion: TlsVersion;
  /** Whether SSE-C uploads are blocked. */
  public readonly sseCBlocked: boolean;
  /** The server access log bucket, when logging is on. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The server access log object key prefix, when logging is on. */
  public readonly accessLogsPrefix?: string;

  /** Where partner shares are written. */
  public readonly sharingMode: SharingMode;

  private readonly consumerPolicyOutputs: boolean;
  private readonly accessPoints?: AccessPointShares;
  private readonly s3AuthorizedKeyUse = new Set<AccessLevel>();

  constructor(scope: Construct, id: string, props: EncryptedBucketProps = {}) {
    super(scope, id);
    validatePropTypes(props);
    registerForReport(this);
    registerStackLimits(this);

    const encryption = props.encryption ?? ServerSideEncryption.SSE_KMS; // its type was checked above
    const usesKms = encryption !== ServerSideEncryption.SSE_S3;
    const minimumTlsVersion = validateTlsVersion('minimumTlsVersion', props.minimumTlsVersion);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy === RemovalPolicy.SNAPSHOT) {
      throw new Error('removalPolicy RemovalPolicy.SNAPSHOT does not apply to S3 buckets; use RETAIN (default), RETAIN_ON_UPDATE_OR_DELETE or DESTROY');
    }
    if (props.autoDeleteObjects && removalPolicy !== RemovalPolicy.DESTROY) {
      throw new Error(
        `autoDeleteObjects: true requires removalPolicy: RemovalPolicy.DESTROY, got removalPolicy ${removalPolicy}: objects must not be deleted from a bucket that is kept`,
      );
    }
    validateBucketName('bucketName', props.bucketName);
    checkOnceResolved(this, [props.bucketName], ([name]) => validateBucketName('bucketName', name));

    if (props.encryptionKey && props.encryptionKeyProps) {
      throw new Error('encryptionKey and encryptionKeyProps were both given: encryptionKeyProps configures the key this construct creates. Configure your own key instead, or drop encryptionKey.');
    }
    if (!usesKms && (props.encryptionKey || props.encryptionKeyProps)) {
      throw new Error(
        'encryptionKey/encryptionKeyProps were given with encryption SSE_S3, which uses no KMS key. Use ServerSideEncryption.SSE_KMS (the default) to encrypt under your key.',
      );
    }
    if (props.bucketKeyEnabled === true && encryption !== ServerSideEncryption.SSE_KMS) {
      throw new Error(
        `bucketKeyEnabled: true with encryption ${encryptionName(encryption)}: S3 Bucket Keys apply only to SSE-KMS. Drop bucketKeyEnabled, or use ServerSideEncryption.SSE_KMS.`,
      );
    }
    if (props.encryptionKey) {
      validateEncryptionKey('encryptionKey', props.encryptionKey);
      validateBucketKey('encryptionKey', props.encryptionKey, this);
    }

    this.encryption = encryption;
    this.minimumTlsVersion = minimumTlsVersion;
    this.bucketKeyEnabled = encryption === ServerSideEncryption.SSE_KMS && (props.bucketKeyEnabled ?? true);
    this.sseCBlocked = !props.allowSseC;
    this.consumerPolicyOutputs = props.consumerPolicyOutputs ?? true;
    this.sharingMode = props.sharingMode ?? SharingMode.BUCKET_POLICY;
    validateSharingMode(props, this.sharingMode, encryption);

    if (usesKms) {
      if (props.encryptionKey) {
        this.encryptionKey = props.encryptionKey;
      } else {
        try {
          this.sharedKey = new CrossAccountSharedKey(this, 'Key', {
            removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
            description: `Encrypts the objects of ${this.node.path}`,
            ...props.encryptionKeyProps,
          });
        } catch (e) {
          // the key validates its own props; name them as the user gave them
          rethrowWithPrefix(e, 'encryptionKeyProps.', this);
        }
        this.encryptionKey = this.sharedKey.key;
      }
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: bucketEncryption(encryption),
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: encryption === ServerSideEncryption.SSE_KMS ? this.bucketKeyEnabled : undefined,
      blockedEncryptionTypes: this.sseCBlocked ? [s3.BlockedEncryptionType.SSE_C] : undefined,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      enforceSSL: false, // the TLS statements are this library's own (DenyInsecureTransport, DenyTlsBelowNN)
      removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
      lifecycleRules: props.lifecycleRules,
    });
    markCreatedHere(this.bucket);

    if (props.bucketName === undefined) {
      // Named from the start, deterministically: a key-policy statement scoped to
      // this bucket (shareWith) must name its ARN without referencing the bucket,
      // which references the key (a cycle). Naming it only once it is shared
      // would make CloudFormation replace an already deployed bucket.
      (this.bucket.node.defaultChild as s3.CfnBucket).bucketName = generatedBucketName(this.bucket);
    }

    acknowledgeNagRule(this.bucket, 'S3BucketReplicationEnabled', REPLICATION_REASON, ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);
    if (encryption === ServerSideEncryption.SSE_S3) {
      acknowledgeNagRule(this.bucket, 'S3DefaultEncryptionKMS', 'SSE-S3 was chosen on purpose (encryption: ServerSideEncryption.SSE_S3); the construct warns about it with cdk-data-protection:sseS3.', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);
    }
    applyTlsStatements(this.bucket, minimumTlsVersion);
    if (this.sseCBlocked) {
      const deny = denySseC(this.bucket);
      addToBucketPolicyOnce(this.bucket, deny, isSameStatement(deny));
    } else {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:sseCAllowed',
        'allowSseC is true: uploads may bring their own key (SSE-C). Those objects are not under any key policy, KMS does not log their use, and whoever loses the key loses the data.',
      );
    }
    const denyOtherTypes = denyUnexpectedEncryption(this.bucket, encryption);
    addToBucketPolicyOnce(this.bucket, denyOtherTypes, isSameStatement(denyOtherTypes));
    if (this.encryptionKey) {
      const denyOtherKeys = denyOtherKmsKeys(this.bucket, this.encryptionKey);
      addToBucketPolicyOnce(this.bucket, denyOtherKeys, isSameStatement(denyOtherKeys));
      // aws:kms (or aws:kms:dsse) without a key id: S3 would use the AWS-managed aws/s3 key.
      const denyNoKeyId = denyKmsWithoutKeyId(this.bucket);
      addToBucketPolicyOnce(this.bucket, denyNoKeyId, isSameStatement(denyNoKeyId));
    }

    if (this.sharingMode === SharingMode.ACCESS_POINTS) {
      this.accessPoints = new AccessPointShares(this, this.bucket, props.accessPointVpc);
      const delegate = delegateToOwnAccessPoints(this.bucket);
      addToBucketPolicyOnce(this.bucket, delegate, isSameStatement(delegate));
    }

    if (encryption === ServerSideEncryption.SSE_S3) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:sseS3',
        'encryption is SSE_S3: S3 manages the keys, so no key policy controls who can decrypt, CloudTrail records no per-use key events, and the bucket cannot be shared with a partner account under a key you control. Prefer ServerSideEncryption.SSE_KMS.',
      );
    }
    if (encryption === ServerSideEncryption.SSE_KMS && !this.bucketKeyEnabled) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:bucketKeyDisabled',
        'bucketKeyEnabled is false: S3 calls KMS for every object request. Each call is billed, and SSE-KMS requests count against the KMS request quota of the account and Region, so busy buckets get throttled (ThrottlingException). Keep the S3 Bucket Key on unless you need the object ARN as encryption context.',
      );
    }

    const logs = (props.serverAccessLogs ?? ServerAccessLogs.toNewBucket())._bind(this, {
      bucket: this.bucket,
      removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });
    this.accessLogsBucket = logs.bucket;
    this.accessLogsPrefix = logs.prefix;

    recordManaged(this.bucket, ManagedRank.OWNER, { managedBy: `EncryptedBucket ${this.node.path}`, encryptionKey: this.encryptionKey });
    if (this.accessLogsBucket) {
      recordManaged(this.accessLogsBucket, ManagedRank.USER, { managedBy: `server access logs of ${this.node.path}` });
    }
    this.promiseFinalTemplate(encryption);
    const facts = StackFacts.of(this);
    facts.addCheck(() => bucketKeyProblems('encryptionKey', this.bucket, this.encryptionKey, this), { scope: this });
    facts.addCheck(() => this.validateBucketPolicySize());
    facts.addCheck(
      () => {
        warnAboutChangedPartnerStatements(this.bucket, this, bucketPolicyStatements(this.bucket.node.defaultChild as s3.CfnBucket));
        const key = this.encryptionKey;
        if (key && !this.sharedKey && !keyOwnerOf(key) && key.node.defaultChild instanceof kms.CfnKey) {
          warnAboutChangedPartnerStatements(key, this, keyPolicyStatements(render(key.node.defaultChild)));
        }
        return [];
      },
      { scope: this },
    );
    (props.partners ?? []).forEach((share, i) => {
      if (!share || typeof share !== 'object') {
        throwValidationError('InvalidShareOptions', `partners[${i}] must be { partner, access, prefix? }, got ${JSON.stringify(share)}`, this);
      }
      validatePartner(`partners[${i}].partner`, share.partner, this);
      validateAccess(`partners[${i}].access`, share.access, this);
      validatePrefixMatch(`partners[${i}].prefixMatch`, share.prefixMatch, this);
      validatePrefix(`partners[${i}].prefix`, share.prefix, this, share.prefixMatch, `partners[${i}].prefixMatch`);
      try {
        validatePartnerForOwner('partner', share.partner, this.bucket, SAME_ACCOUNT_FIX, this);
        this.share(share.partner, share.access, share.prefix, share.prefixMatch);
      } catch (e) {
        rethrowWithPrefix(e, `partners[${i}]: `, this);
      }
    });
  }

  /**
   * What this bucket promises, checked on the final template at synthesis
   * with the pack's rules; the choices its props weakened on purpose (and
   * warned about) are not promised.
   */
  private promiseFinalTemplate(encryption: ServerSideEncryption): void {
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
    promise(this, 'EncryptedBucket', cfn, [
      ...(encryption === ServerSideEncryption.SSE_S3 ? [] : ['DP1']),
      'DP2',
      'DP3',
      'DP5',
      'DP6',
      ...(this.bucketKeyEnabled ? ['DP7'] : []),
      ...(this.sseCBlocked ? ['DP8'] : []),
      { rule: 'DP15', warning: 'cdk-data-protection:partnerObjectOwnership' },
      { rule: 'DP17', warning: 'cdk-data-protection:organizationIncludesOwnerAccount' },
      { rule: 'DP19', warning: 'cdk-data-protection:partnerDestructiveAccess' },
    ]);
    const key = this.encryptionKey?.node.defaultChild;
    if (key instanceof kms.CfnKey && !this.sharedKey) {
      // a key of the app the user gave: at least as durable as this bucket
      promise(this, 'EncryptedBucket', key, ['DP14']);
    }
  }

  /**
   * Grant read access to the bucket's objects, and decrypt access to its key.
   *
   * A principal of the bucket's own account and Region gets aws-cdk-lib's
   * grant. A principal of another account gets what `shareWith` writes for
   * it instead (never aws-cdk-lib's unscoped cross-account statements):
   * the bucket- and key-policy statements of a partner share, named by its
   * ARN through `aws:PrincipalArn` (or the account, for an account
   * principal), the consumer policy as a stack output, the report entry,
   * and, for a role, user or group this app defines, that IAM policy
   * attached to it. A role, user or group of the same account in a stack
   * of another Region gets that IAM policy only (its key statement names
   * the key's Region and the bucket's encryption context, never
   * `Resource: "*"`).
   *
   * @param grantee the principal to grant
   * @param objectsKeyPattern which objects, e.g. `reports/*`; for another account a prefix followed by `*`
   * @returns aws-cdk-lib's grant; for another account or Region a grant without aws-cdk-lib statements (`success` is false): the share's statements are written instead
   * @throws as `shareWith` does for a principal of another account, or if it has no name the policies could match (give the role a `roleName`), or if the pattern is not a prefix followed by `*`
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
   */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantAccess('grantRead', grantee, objectsKeyPattern, () => this.bucket.grantRead(grantee, objectsKeyPattern));
  }

  /**
   * Grant write access to the bucket's objects, and the key actions uploads
   * need. Principals of another account or Region are granted as
   * `grantRead` says.
   *
   * @param grantee the principal to grant
   * @param objectsKeyPattern which objects, e.g. `incoming/*`
   * @returns as `grantRead` does
   * @throws as `grantRead` does
   */
  public grantWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantAccess('grantWrite', grantee, objectsKeyPattern, () => this.bucket.grantWrite(grantee, objectsKeyPattern));
  }

  /**
   * Grant read and write access to the bucket's objects, and the key
   * actions both need. Principals of another account or Region are granted
   * as `grantRead` says.
   *
   * @param grantee the principal to grant
   * @param objectsKeyPattern which objects
   * @returns as `grantRead` does
   * @throws as `grantRead` does
   */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantAccess('grantReadWrite', grantee, objectsKeyPattern, () => this.bucket.grantReadWrite(grantee, objectsKeyPattern));
  }

  /**
   * Grant putting objects (not reading them back), and the key actions
   * uploads need. Principals of another account or Region are granted as
   * `grantWrite` says (a partner share with WRITE access).
   *
   * @param grantee the principal to grant
   * @param objectsKeyPattern which objects, e.g. `incoming/*`
   * @returns as `grantRead` does
   * @throws as `grantRead` does
   */
  public grantPut(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantAccess('grantWrite', grantee, objectsKeyPattern, () => this.bucket.grantPut(grantee, objectsKeyPattern));
  }

  /**
   * Grant deleting objects, to principals of the bucket's own account and
   * Region (aws-cdk-lib's grant). The bucket is versioned: a delete leaves a
   * delete marker, and deleting versions removes data for good.
   *
   * @param grantee the principal to grant
   * @param objectsKeyPattern which objects
   * @throws if the grantee is of another account or Region: partner shares never include deletion (write the statement yourself with `bucket.addToResourcePolicy` if it is meant)
   */
  public grantDelete(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    requireConstruct('grantee', grantee, GRANTABLE);
    requireString('objectsKeyPattern', objectsKeyPattern, "an object key pattern such as 'reports/*'");
    const where = grantEnvironment(this.bucket, grantee);
    if (where.kind !== 'same') {
      throwValidationError(
        'GrantOutsideEnvironment',
        `grantDelete(grantee): the grantee ${grantee.grantPrincipal} is ${where.kind === 'otherAccount' ? `of account ${where.account}` : `in a stack of Region ${where.region}`}, outside ${this.node.path}'s account and Region: ` +
          'a partner share (shareWith) reads or writes, never deletes, and aws-cdk-lib would allow the deletion of every object version for the whole account. ' +
          'If that is meant, add the statement yourself with bucket.addToResourcePolicy, naming the principal and the prefix.',
        this,
      );
    }
    return this.bucket.grantDelete(grantee, objectsKeyPattern);
  }

  /** A `grant*` call, routed by where the grantee is (see `grantRead`). */
  private grantAccess(method: keyof typeof GRANT_ACCESS, grantee: iam.IGrantable, objectsKeyPattern: string, cdkGrant: () => iam.Grant): iam.Grant {
    requireConstruct('grantee', grantee, GRANTABLE);
    requireString('objectsKeyPattern', objectsKeyPattern, "an object key pattern such as 'reports/*'");
    const route = routeGrant(this.bucket, grantee, method);
    if (route.kind === 'same') {
      const grant = cdkGrant();
      this.warnAboutImportedKey(grantee, GRANT_ACCESS[method]);
      return grant;
    }
    const access = GRANT_ACCESS[method];
    const { prefix, prefixMatch } = prefixOfPattern(this, objectsKeyPattern, method);
    if (route.kind === 'partner') {
      try {
        validatePartnerForOwner('grantee', route.partner, this.bucket, SAME_ACCOUNT_FIX, this);
        validatePrefix('objectsKeyPattern', prefix, this, prefixMatch);
        this.share(route.partner, access, prefix, prefixMatch);
      } catch (e) {
        rethrowWithPrefix(e, `${method}(${route.partner}) is written as shareWith, which refused it: `, this);
      }
    } else if (!this.encryptionKey) {
      // SSE-S3, a role of another environment: its own policy, naming the bucket by name (no reference reaches it)
      const arn = bucketArnByName(this.bucket, route.identity.construct)!;
      return iam.Grant.addToPrincipal({
        grantee,
        actions: s3ActionsFor(access, prefix !== undefined),
        resourceArns: [arn, `${arn}/${prefix ?? ''}*`],
      });
    }
    if (route.identity) {
      const id = `${method.replace('grant', 'Shared')}${constructSidPart(this.bucket)}${prefix !== undefined ? shortHash(prefix) : ''}`;
      if (!route.identity.construct.node.tryFindChild(id)) {
        new CrossAccountConsumerPolicy(route.identity.construct, id, {
          bucketArn: this.bucket.bucketArn,
          accessPointArn: route.kind === 'partner' ? this.accessPoints?.find(route.partner, access, prefix)?.arn : undefined,
          keyArn: this.encryptionKey!.keyArn,
          access,
          prefix,
          prefixMatch,
          roles: route.identity.role ? [route.identity.role] : undefined,
          users: route.identity.user ? [route.identity.user] : undefined,
          groups: route.identity.group ? [route.identity.group] : undefined,
        });
      }
    }
    return iam.Grant.drop(grantee, `${method} on ${this.node.path}, written as a partner share`);
  }

  /**
   * Share the bucket with a partner account, named principals of one, or an
   * organization: one call writes the bucket-policy statement and the
   * key-policy statement scoped to this bucket, and emits the IAM policy the
   * partner attaches on its side as a stack output (`ConsumerPolicy<Access>`,
   * the JSON of `CrossAccountConsumerPolicy.policyJson`).
   *
   * - READ: get objects and versions, list the bucket, get its location;
   *   `kms:Decrypt`, `kms:DescribeKey` through S3.
   * - WRITE: put objects, multipart uploads; `kms:GenerateDataKey`,
   *   `kms:Decrypt` (multipart uploads need both), `kms:DescribeKey` through S3.
   * - READ_WRITE: both.
   *
   * Partners with the same access and prefix share one statement per
   * policy. When the key is imported, its policy cannot be changed here: the
   * bucket side is applied, and the key-policy statement its administrators
   * must add is emitted as the warning `cdk-data-protection:importedKeyPolicy`
   * and as a stack output. A WRITE partner of a bucket whose Object Ownership
   * is not `BucketOwnerEnforced` gets the warning
   * `cdk-data-protection:partnerObjectOwnership`.
   *
   * @param partner who the bucket is shared with
   * @param access what the partner may do
   * @param options an object key prefix
   * @throws if the bucket uses SSE-S3 or an AWS-managed key, if `partner` is the bucket's own account (or named principals of it) or names principals of another partition, or if an argument is invalid
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
   */
  public shareWith(partner: Partner, access: AccessLevel, options: ShareOptions = {}): void {
    validatePartner('partner', partner, this);
    validateAccess('access', access, this);
    validatePartnerForOwner('partner', partner, this.bucket, SAME_ACCOUNT_FIX, this);
    if (!options || typeof options !== 'object') {
      throwValidationError('InvalidShareOptions', `shareWith(partner, access, options): options must be { prefix?, prefixMatch? }, got ${JSON.stringify(options)}`, this);
    }
    validatePrefixMatch('prefixMatch', options.prefixMatch, this);
    validatePrefix('prefix', options.prefix, this, options.prefixMatch);
    this.share(partner, access, options.prefix, options.prefixMatch);
  }

  /**
   * Share the bucket with every partner of a registry file, as if `shareWith`
   * were called for each entry with its access, prefix and prefixMatch:
   * entries with the same access and prefix share one statement per policy,
   * as shares typed into code do (and with them). The access report names
   * the entry (file, line, note) behind each share.
   *
   * @param registry the partners, e.g. `PartnerRegistry.fromFile('partners.yaml')`
   * @throws as `shareWith` does; entries naming the bucket's own account are all reported in one error, each with its line
   */
  public shareWithRegistry(registry: PartnerRegistry): void {
    if (!(registry instanceof PartnerRegistry)) {
      throwValidationError('InvalidPartnerRegistry', `shareWithRegistry(registry) needs a PartnerRegistry (PartnerRegistry.fromFile, fromJson or fromYaml), got ${describeValue(registry)}`, this);
    }
    const problems: string[] = [];
    for (const entry of registry.entries) {
      try {
        validatePartnerForOwner('partner', entry.partner, this.bucket, SAME_ACCOUNT_FIX, this);
      } catch (e) {
        problems.push(`${PartnerRegistry._where(entry)}: ${(e as Error).message}`);
      }
    }
    if (problems.length > 0) {
      throwValidationError('InvalidPartnerRegistry', `shareWithRegistry(${registry.source}) on ${this.node.path}: ${problems.length} entr${problems.length === 1 ? 'y' : 'ies'} cannot be shared:\n- ${problems.join('\n- ')}`, this);
    }
    for (const entry of registry.entries) {
      this.share(entry.partner, entry.access, entry.prefix, entry.prefixMatch, PartnerRegistry._sourceOf(entry));
    }
  }

  /**
   * Shares the bucket with a partner whose arguments the public entry
   * (`shareWith`, the `partners` prop) has checked: a `Partner` of another
   * account, an `AccessLevel` and a valid prefix. Checks only what depends on
   * the bucket (its encryption), once.
   */
  private share(
    partner: Partner,
    access: AccessLevel,
    prefix: string | undefined,
    prefixMatch: PrefixMatch = PrefixMatch.FOLDER,
    source?: RegistrySource,
  ): void {
    const key = this.encryptionKey;
    if (this.encryption === ServerSideEncryption.SSE_S3 || !key) {
      throwValidationError(
        'ShareNeedsCustomerManagedKey',
        `shareWith(${partner}): ${this.node.path} uses encryption ServerSideEncryption.SSE_S3, whose keys S3 owns: there is no key policy in which a partner's decryption could be granted, limited to this bucket or audited, so it cannot be shared under this library's guarantees. ` +
          'Use a customer-managed key: encryption ServerSideEncryption.SSE_KMS (the default, which creates a CrossAccountSharedKey) or encryptionKey.',
        this,
      );
    }

    if (this.accessPoints) {
      this.shareThroughAccessPoint(this.accessPoints, partner, access, prefix, prefixMatch, key);
      return;
    }
    const bucketSid = sidPartnerBucketAccess(access, partner, prefix);
    const addToBucket = (statement: iam.PolicyStatement) => {
      this.bucket.addToResourcePolicy(statement);
    };
    const buildBucketStatement = (ps: Partner[]) => allowPartnerBucketAccess(this.bucket, ps, access, { prefix });
    addMergedPartner(this.bucket, bucketSid, partner, buildBucketStatement, addToBucket);
    if (source) registerRegistrySource(this.bucket, bucketSid, partner, source);
    if (prefix !== undefined && access !== AccessLevel.WRITE) {
      const listing = (ps: Partner[]) => allowPartnerPrefixListing(this.bucket, ps, access, prefix);
      addMergedPartner(this.bucket, sidPartnerPrefixListing(access, partner, prefix), partner, listing, addToBucket);
    }
    this.grantPartnerOnKey(partner, access, key, source);
    this.addConsumerPolicyOutput(access, prefix, key);
    registerShare(this.bucket, { partner, access, prefix, prefixMatch });
    recheckResolvedShare(this.bucket, this, partner, prefix, prefixMatch, SAME_ACCOUNT_FIX);
  }

  /** `SharingMode.ACCESS_POINTS`: the partner in an access point policy, the key statement bound to this bucket through S3 once per access level. */
  private shareThroughAccessPoint(
    accessPoints: AccessPointShares,
    partner: Partner,
    access: AccessLevel,
    prefix: string | undefined,
    prefixMatch: PrefixMatch,
    key: kms.IKey,
  ): void {
    const point = accessPoints.add(partner, access, prefix);
    if (!this.s3AuthorizedKeyUse.has(access)) {
      this.s3AuthorizedKeyUse.add(access);
      // validateSharingMode made sure the key's policy is this app's
      const via = s3ViaService(key.env.region, this);
      key.addToResourcePolicy(allowS3AuthorizedKeyUse(access, via, bucketArnByName(this.bucket, this)!, constructSidPart(this.bucket)));
    }
    this.addAccessPointOutputs(point, key);
    const accessPoint = { resource: point.accessPoint, name: point.name, arn: point.arn };
    registerShare(this.bucket, { partner, access, prefix, prefixMatch, accessPoint });
    recheckResolvedShare(this.bucket, this, partner, prefix, prefixMatch, SAME_ACCOUNT_FIX);
  }

  /** The consumer policy (naming the access point) and the access point's alias, as stack outputs, once per access point. */
  private addAccessPointOutputs(point: AccessPointShare, key: kms.IKey): void {
    const id = `ConsumerPolicy${point.accessPoint.node.id}`;
    if (!this.consumerPolicyOutputs || this.node.tryFindChild(id)) {
      return;
    }
    const via = s3ViaService(key.env.region, this);
    const document = consumerPolicyDocument(this.bucket.bucketArn, key.keyArn, point.access, point.prefix, via, undefined, undefined, point.arn);
    const what = `${point.access}${point.prefix !== undefined ? ` to ${point.prefix}` : ''}`;
    new CfnOutput(this, id, {
      description: `IAM policy partners of access point ${point.name} (${what}) attach to their roles (cdk-data-protection CrossAccountConsumerPolicy)`,
      value: Stack.of(this).toJsonString(document),
    });
    new CfnOutput(this, `${point.accessPoint.node.id}Alias`, {
      description: `Alias of access point ${point.name}: partners use it where a bucket name is asked for, or its ARN ${point.arn}`,
      value: point.accessPoint.attrAlias,
    });
  }

  /**
   * The access point a partner share was written to, in
   * `SharingMode.ACCESS_POINTS`; undefined in `SharingMode.BUCKET_POLICY`
   * or for a partner not shared with that access and prefix.
   *
   * @param partner the partner, as given to `shareWith`
   * @param access the access level it was shared with
   * @param options the prefix it was shared under
   */
  public accessPointFor(partner: Partner, access: AccessLevel, options: ShareOptions = {}): s3.CfnAccessPoint | undefined {
    validatePartner('partner', partner, this);
    validateAccess('access', access, this);
    return this.accessPoints?.find(partner, access, options.prefix)?.accessPoint;
  }

  private grantPartnerOnKey(partner: Partner, access: AccessLevel, key: kms.IKey, source?: RegistrySource): void {
    const owner = keyOwnerOf(key);
    if (owner) {
      owner._grantSharedBucket(partner, access, this.bucket, source);
      return;
    }
    const viaServices = [s3ViaService(key.env.region, this)];
    const sid = sidPartnerKeyUse(access, partner, constructSidPart(this.bucket));
    const bucketArn = bucketArnByName(this.bucket, this)!;
    const build = (ps: Partner[]) => allowPartnerKeyUse(ps, access, { viaServices, bucketArn, sid, ownerAccount: key.env.account });
    if (source) registerRegistrySource(key, sid, partner, source);
    if (Resource.isOwnedResource(key)) {
      addMergedPartner(key, sid, partner, build, (statement) => key.addToResourcePolicy(statement));
      return;
    }
    // An imported key: its policy is not ours. Say exactly what to add.
    const outputId = `KeyPolicyStatement${sid}`;
    const merged = addMergedPartner(key, sid, partner, build, () => undefined);
    if (!this.node.tryFindChild(outputId)) {
      new CfnOutput(this, outputId, {
        description: `Statement the administrators of the imported key must add to its key policy so partners with ${access} access can use it (cdk-data-protection)`,
        value: Lazy.string({ produce: () => Stack.of(this).toJsonString(merged.toStatementJson()) }),
      });
    }
    const stack = Stack.of(this);
    const parts = Token.isUnresolved(key.keyArn) ? undefined : Arn.split(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME);
    const pseudo: Record<string, string> = {};
    for (const [name, value] of Object.entries({
      'AWS::Partition': parts?.partition ?? stack.partition,
      'AWS::Region': parts?.region ?? stack.region,
      'AWS::AccountId': stack.account,
      'AWS::URLSuffix': (parts?.region ?? '').startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com',
    })) {
      if (!Token.isUnresolved(value)) pseudo[name] = value;
    }
    const json = JSON.stringify(displayJson(build([partner]).toStatementJson(), stack, pseudo));
    Annotations.of(this).addWarningV2(
      'cdk-data-protection:importedKeyPolicy',
      `encryptionKey is imported (${Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn}), so this app cannot change its key policy: ${partner} can reach the bucket, but every read or write of an object fails with AccessDenied from KMS until the key's administrators add this statement to the key policy ` +
        `(stack output ${outputId} holds it with every ARN resolved, for all partners with ${access} access): ${json}`,
    );
  }

  /**
   * A same-account grant on a bucket under an imported key of another
   * account: aws-cdk-lib writes the grantee's IAM statement, but the key
   * policy, which is the other account's, must allow the grantee too.
   */
  private warnAboutImportedKey(grantee: iam.IGrantable, access: AccessLevel): void {
    const key = this.encryptionKey;
    if (!key || Resource.isOwnedResource(key) || keyOwnerOf(key) || Token.isUnresolved(key.keyArn)) {
      return;
    }
    const keyAccount = Arn.split(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME).account;
    const bucketAccount = Stack.of(this).account;
    if (!keyAccount || Token.isUnresolved(bucketAccount) || keyAccount === bucketAccount) {
      return;
    }
    const aws = grantee.grantPrincipal.policyFragment.principalJson.AWS ?? [];
    const arn = aws.length === 1 ? aws[0] : undefined;
    const named = typeof arn === 'string' && !Token.isUnresolved(arn) && /^arn:[^:]+:iam::\d{12}:(role|user)\//.test(arn) ? arn : undefined;
    const who = named ? Partner.principals([named]) : Partner.account(bucketAccount);
    const statement = allowPartnerKeyUse([who], access, {
      viaServices: [s3ViaService(key.env.region, this)],
      bucketArn: bucketArnByName(this.bucket, this)!,
      sid: `${accessWord(access)}From${bucketAccount}`,
      ownerAccount: keyAccount,
    });
    const json = JSON.stringify(displayJson(Stack.of(this).resolve(statement.toStatementJson()), Stack.of(this), { 'AWS::Partition': Arn.split(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME).partition! }));
    Annotations.of(this).addWarningV2(
      'cdk-data-protection:importedKeyPolicy',
      `encryptionKey ${key.keyArn} belongs to account ${keyAccount}, and its key policy is not this app's: the grant to ${named ?? grantee.grantPrincipal.toString()} writes only this account's IAM statement, and every read or write of an object fails with AccessDenied from KMS ` +
        `until the key's administrators allow account ${bucketAccount} in the key policy, e.g. with this statement: ${json}`,
    );
  }

  private addConsumerPolicyOutput(access: AccessLevel, prefix: string | undefined, key: kms.IKey): void {
    const id = `ConsumerPolicy${accessWord(access)}${prefix !== undefined ? shortHash(prefix) : ''}`;
    if (!this.consumerPolicyOutputs || this.node.tryFindChild(id)) {
      return;
    }
    const document = consumerPolicyDocument(this.bucket.bucketArn, key.keyArn, access, prefix, s3ViaService(key.env.region, this));
    new CfnOutput(this, id, {
      description: `IAM policy partners with ${access} access${prefix !== undefined ? ` to ${prefix}` : ''} attach to their roles (cdk-data-protection CrossAccountConsumerPolicy)`,
      value: Stack.of(this).toJsonString(document),
    });
  }

  private validateBucketPolicySize(): string[] {
    const document = this.bucket.policy?.document;
    if (!document) {
      return [];
    }
    const accounts = new Set(mergedStatementsOf(this.bucket).flatMap((s) => partnerAccounts(s.partners)));
    return validatePolicySize(
      `The bucket policy of ${this.bucket.node.path} (${accounts.size} partner account(s) listed; unresolved ARNs counted at realistic length)`,
      deployedSize(this.bucket.policy!, Stack.of(this).resolve(document.toJSON())),
      BUCKET_POLICY_MAX_BYTES,
      'Share with an organization (Partner.organization or Partner.organizationPaths) instead of listing many accounts, or set sharingMode: SharingMode.ACCESS_POINTS on the EncryptedBucket, ' +
        'which gives groups of partners S3 access points whose policies name them (the bucket policy then delegates to the access points in one statement), or spread the partners over several buckets.',
    );
  }
}

/** The type of each prop, before any is used. */
function validatePropTypes(props: EncryptedBucketProps): void {
  requireObject('props', props, 'an object of EncryptedBucketProps (or undefined)');
  optionalEnum('encryption', props.encryption, ServerSideEncryption, 'ServerSideEncryption');
  optionalConstruct('encryptionKey', props.encryptionKey, KEY);
  optionalObject('encryptionKeyProps', props.encryptionKeyProps, 'an object of CrossAccountSharedKeyProps');
  optionalBoolean('bucketKeyEnabled', props.bucketKeyEnabled);
  optionalBoolean('allowSseC', props.allowSseC);
  if (props.serverAccessLogs !== undefined && !(props.serverAccessLogs instanceof ServerAccessLogs)) {
    throw new Error(
      `serverAccessLogs must be a ServerAccessLogs, got ${describeValue(props.serverAccessLogs)}. Use ServerAccessLogs.toNewBucket(), ServerAccessLogs.toBucket(bucket) or ServerAccessLogs.disabled(reason).`,
    );
  }
  optionalString('bucketName', props.bucketName, 'a string (an S3 bucket name)');
  optionalEnum('removalPolicy', props.removalPolicy, RemovalPolicy, 'RemovalPolicy');
  optionalBoolean('autoDeleteObjects', props.autoDeleteObjects);
  optionalArrayOf('lifecycleRules', props.lifecycleRules, lifecycleRule, 'an array of s3.LifecycleRule');
  optionalArrayOf('partners', props.partners, eachObject('{ partner, access, prefix? }'), 'an array of { partner, access, prefix? }');
  optionalBoolean('consumerPolicyOutputs', props.consumerPolicyOutputs);
  optionalEnum('sharingMode', props.sharingMode, SharingMode, 'SharingMode');
  optionalConstruct('accessPointVpc', props.accessPointVpc, VPC);
}

/** The combinations `sharingMode` cannot take. */
function validateSharingMode(props: EncryptedBucketProps, mode: SharingMode, encryption: ServerSideEncryption): void {
  if (props.accessPointVpc && mode !== SharingMode.ACCESS_POINTS) {
    throw new Error(
      `accessPointVpc (${props.accessPointVpc.node.path}) was given with sharingMode ${mode}: only access points have a network origin. Set sharingMode: SharingMode.ACCESS_POINTS, or drop accessPointVpc.`,
    );
  }
  if (mode !== SharingMode.ACCESS_POINTS) {
    return;
  }
  if (encryption === ServerSideEncryption.SSE_S3) {
    throw new Error(
      'sharingMode SharingMode.ACCESS_POINTS with encryption ServerSideEncryption.SSE_S3: shares need a key policy that binds decryption to this bucket, and S3-owned keys have none. Use ServerSideEncryption.SSE_KMS (the default).',
    );
  }
  const key = props.encryptionKey;
  if (key && !Resource.isOwnedResource(key)) {
    throw new Error(
      `sharingMode SharingMode.ACCESS_POINTS with encryptionKey ${Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn}, a key this app does not define: the key policy must let S3 use the key for this bucket on behalf of every partner of its access points, and an imported key's policy cannot be changed here. ` +
        'Let the bucket create its key (drop encryptionKey), pass a key defined in this app (a CrossAccountSharedKey\'s key), or use SharingMode.BUCKET_POLICY.',
    );
  }
}

/** The actions of a lifecycle rule: S3 (and aws-cdk-lib) refuse a rule with none. */
const LIFECYCLE_ACTIONS = [
  'abortIncompleteMultipartUploadAfter',
  'expiration',
  'expirationDate',
  'expiredObjectDeleteMarker',
  'noncurrentVersionExpiration',
  'noncurrentVersionsToRetain',
  'noncurrentVersionTransitions',
  'transitions',
];

function lifecycleRule(prop: string, rule: unknown): void {
  requireObject(prop, rule, 'an s3.LifecycleRule object');
  if (!LIFECYCLE_ACTIONS.some((action) => (rule as Record<string, unknown>)[action] !== undefined)) {
    throw new Error(`${prop} must have at least one action (${LIFECYCLE_ACTIONS.join(', ')}), got ${describeValue(rule)}. Add e.g. noncurrentVersionExpiration: Duration.days(90).`);
  }
}

function encryptionName(encryption: ServerSideEncryption): string {
  return Object.entries(ServerSideEncryption).find(([, v]) => v === encryption)?.[0] ?? String(encryption);
}

function bucketEncryption(encryption: ServerSideEncryption): s3.BucketEncryption {
  switch (encryption) {
    case ServerSideEncryption.DSSE_KMS:
      return s3.BucketEncryption.DSSE;
    case ServerSideEncryption.SSE_S3:
      return s3.BucketEncryption.S3_MANAGED;
    default:
      return s3.BucketEncryption.KMS;
  }
}
