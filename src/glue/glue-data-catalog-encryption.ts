import { Annotations, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { StackFacts } from '../core/facts';
import { GRANTABLE, requireConstruct, requireObject } from '../core/props';
import { addServiceKeyStatement, validateServiceKey } from '../core/service-key';
import { grantEnvironment } from '../sharing/grant-routing';
import { AccessLevel, Partner } from '../sharing/partner';
import { addMergedPartner, recheckResolvedShare, validateAccess, validatePartner, validatePartnerForOwner } from '../sharing/partner-policy';
import { allowGlueCatalogKeyUse, allowPartnerGlueCatalogKeyUse, glueCatalogKeyUse } from '../statements/glue';
import { viaServiceOf } from '../statements/perms';
import { SID_SCOPE_GLUE_DATA_CATALOG, sidPartnerKeyUse } from '../statements/sids';

/** The CloudFormation type of the account's Data Catalog encryption settings. */
const SETTINGS_TYPE = 'AWS::Glue::DataCatalogEncryptionSettings';

/** How to grant principals of the catalog's own account, for the error refusing them as a partner. */
const SAME_ACCOUNT_FIX = 'Grant principals of the same account with grantRead / grantReadWrite instead.';

/** What to do about a second catalog encryption in one environment. */
const ONE_PER_ENVIRONMENT_FIX =
  'A Data Catalog has one set of encryption settings per account and Region: keep one GlueDataCatalogEncryption per environment ' +
  '(in one stack) and share it (pass the construct, or its encryptionKey, to the stacks that need it).';

/**
 * Properties of a {@link GlueDataCatalogEncryption}.
 */
export interface GlueDataCatalogEncryptionProps {
  /**
   * The customer-managed KMS key of this account and Region that encrypts
   * the Data Catalog at rest (`SSE-KMS`) and the connection passwords, e.g.
   * `sharedKey.key` of a `CrossAccountSharedKey`. AWS-managed keys
   * (`alias/aws/glue`) are refused: their key policy cannot let another
   * account read the catalog.
   *
   * When the key is defined in this app, its key policy gets the statement
   * `AllowGlueDataCatalogKeyUse` (principals of this account may use the key
   * through AWS Glue of this Region only). An imported key's policy is not
   * changed: a warning names the statement to add by hand
   * (`DataProtectionStatements.allowGlueCatalogKeyUse`).
   *
   * @throws if AWS-managed, an alias, of another Region or of another account (also when a token resolves to one at synthesis)
   * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
   */
  readonly encryptionKey: kms.IKey;
}

/**
 * The encryption settings of this account's AWS Glue Data Catalog in this
 * Region: metadata encrypted at rest under a customer-managed key
 * (`EncryptionAtRest` `SSE-KMS`, `SseAwsKmsKeyId` the key's ARN) and
 * connection passwords encrypted under the same key
 * (`ConnectionPasswordEncryption` with `ReturnConnectionPasswordEncrypted`
 * true, so `GetConnection` returns them encrypted).
 *
 * There is one set of settings per account and Region (`CatalogId` is the
 * account): a second `GlueDataCatalogEncryption`, or a second
 * `AWS::Glue::DataCatalogEncryptionSettings`, for the same environment is an
 * error. The settings hold no data: deleting the stack does not turn
 * encryption off, and the key is retained by its own construct. Objects
 * written before encryption was turned on stay unencrypted.
 *
 * The construct promises DataProtection-DP27 on the final template (and
 * DP14, a retained key, when the key is a key of this app).
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-glue-datacatalogencryptionsettings-encryptionatrest.html
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key');
 * const catalog = new GlueDataCatalogEncryption(this, 'Catalog', { encryptionKey: key.key });
 * declare const analyst: iam.Role;
 * catalog.grantRead(analyst);
 * catalog.shareWith(Partner.account('222222222222'));
 */
export class GlueDataCatalogEncryption extends Construct {
  /** The Data Catalog encryption settings (child id `Resource`). */
  public readonly settings: glue.CfnDataCatalogEncryptionSettings;
  /** The key that encrypts the catalog and the connection passwords. */
  public readonly encryptionKey: kms.IKey;
  /** The id of the catalog: the stack's account. */
  public readonly catalogId: string;

  constructor(scope: Construct, id: string, props: GlueDataCatalogEncryptionProps) {
    super(scope, id);
    requireObject('props', props, 'an object of GlueDataCatalogEncryptionProps with encryptionKey');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'AWS Glue');
    claimEnvironment(this);

    const stack = Stack.of(this);
    const keyArn = props.encryptionKey.keyArn;
    this.encryptionKey = props.encryptionKey;
    this.catalogId = stack.account;
    this.settings = new glue.CfnDataCatalogEncryptionSettings(this, 'Resource', {
      catalogId: stack.account,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: keyArn },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: keyArn },
      },
    });

    addServiceKeyStatement(
      props.encryptionKey,
      allowGlueCatalogKeyUse(stack.account, viaServiceOf('glue', stack.region, stack.urlSuffix)),
      this,
      'cdk-data-protection:glueCatalogKeyPolicy',
    );
    promise(this, 'GlueDataCatalogEncryption', this.settings, ['DP27']);
    const key = props.encryptionKey.node.defaultChild;
    if (key instanceof kms.CfnKey) {
      // the key of the catalog: at least as durable as the metadata it encrypts
      promise(this, 'GlueDataCatalogEncryption', key, ['DP14']);
    }
    // a raw AWS::Glue::DataCatalogEncryptionSettings of the same environment is found on the final tree
    StackFacts.of(this).addCheck(() => duplicateSettings(this), { scope: this });
  }

  /**
   * Grant a principal of the catalog's account and Region what it needs on
   * the key to read the encrypted catalog: `kms:Decrypt` on the key, through
   * AWS Glue of the Region only (`kms:ViaService`) and by this account only
   * (`kms:CallerAccount`). The Glue actions on databases and tables
   * (`glue:GetTable`, ...) are not granted: what a principal may see of the
   * catalog is its Glue permissions' business (IAM, the catalog's resource
   * policy, Lake Formation).
   *
   * @param grantee the reader
   * @throws if the grantee is of another account or Region
   * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
   */
  public grantRead(grantee: iam.IGrantable): void {
    this.grantAccess('grantRead', grantee, AccessLevel.READ);
  }

  /**
   * Grant a principal of the catalog's account and Region what it needs on
   * the key to read and write the encrypted catalog (and create connections
   * with encrypted passwords): `kms:Decrypt`, `kms:Encrypt` and
   * `kms:GenerateDataKey` on the key, through AWS Glue of the Region only.
   * The Glue actions themselves are not granted.
   *
   * @param grantee the reader and writer
   * @throws if the grantee is of another account or Region
   * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
   * @see https://docs.aws.amazon.com/glue/latest/webapi/API_ConnectionPasswordEncryption.html
   */
  public grantReadWrite(grantee: iam.IGrantable): void {
    this.grantAccess('grantReadWrite', grantee, AccessLevel.READ_WRITE);
  }

  /**
   * Let a partner account (or principals, or an organization) read this
   * catalog's encrypted objects: the key policy gets the partner statement
   * `Partner<Access><Kind>OnGlueDataCatalog`, which allows `kms:Decrypt`
   * (and for WRITE or READ_WRITE `kms:Encrypt` and `kms:GenerateDataKey`)
   * through AWS Glue of this Region only (`kms:ViaService`), for the
   * partner's account only (`kms:CallerAccount`). Partners with the same
   * access share one statement.
   *
   * This is the key side only. The partner also needs the Data Catalog's
   * resource policy (`glue:PutResourcePolicy`, or Lake Formation grants),
   * which this construct does not write, and an IAM policy of its own with
   * the Glue actions and the key
   * (`DataProtectionStatements.glueCatalogKeyUse(keyArn, region, partnerAccount, access)`).
   *
   * @param partner who is granted
   * @param access what the partner may do with catalog objects; AccessLevel.READ when omitted
   * @throws if `partner` or `access` is invalid, or if the partner is this account (or principals of it)
   * @see https://docs.aws.amazon.com/glue/latest/dg/cross-account-access.html
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
   */
  public shareWith(partner: Partner, access: AccessLevel = AccessLevel.READ): void {
    validatePartner('partner', partner, this);
    validateAccess('access', access, this);
    validatePartnerForOwner('partner', partner, this, SAME_ACCOUNT_FIX, this);
    recheckResolvedShare(this, this, partner, undefined, undefined, SAME_ACCOUNT_FIX);
    const stack = Stack.of(this);
    const viaService = viaServiceOf('glue', stack.region, stack.urlSuffix);
    const sid = sidPartnerKeyUse(access, partner, SID_SCOPE_GLUE_DATA_CATALOG);
    addMergedPartner(
      this.encryptionKey,
      sid,
      partner,
      (partners) => allowPartnerGlueCatalogKeyUse(partners, access, { viaService, sid, ownerAccount: stack.account }),
      (statement) => addServiceKeyStatement(this.encryptionKey, statement, this, 'cdk-data-protection:glueCatalogKeyPolicy'),
    );
  }

  private grantAccess(method: string, grantee: iam.IGrantable, access: AccessLevel): void {
    requireConstruct('grantee', grantee, GRANTABLE);
    const where = grantEnvironment(this, grantee);
    if (where.kind !== 'same') {
      throwValidationError(
        'GrantOutsideEnvironment',
        `${method}(grantee) on ${this.node.path}: the grantee ${grantee.grantPrincipal} is ${where.kind === 'otherAccount' ? `of account ${where.account}` : `in a stack of Region ${where.region}`}, ` +
          'outside the catalog\'s account and Region. GlueDataCatalogEncryption grants principals of its own environment only; ' +
          'let another account read the catalog with shareWith(Partner.account(...)) (and the catalog\'s resource policy).',
        this,
      );
    }
    const stack = Stack.of(this);
    const viaService = viaServiceOf('glue', stack.region, stack.urlSuffix);
    grantee.grantPrincipal.addToPrincipalPolicy(glueCatalogKeyUse(this.encryptionKey.keyArn, viaService, stack.account, access));
  }
}

/** Whether two stacks are known to be the same environment: the same stack, or the same concrete account and Region. */
function sameEnvironment(a: Stack, b: Stack): boolean {
  if (a === b) {
    return true;
  }
  const known = (s: Stack) => !Token.isUnresolved(s.account) && !Token.isUnresolved(s.region);
  return known(a) && known(b) && a.account === b.account && a.region === b.region;
}

function environmentOf(stack: Stack): string {
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region) ? `the environment of stack ${stack.node.path}` : `account ${stack.account}, Region ${stack.region}`;
}

/**
 * Throws if another GlueDataCatalogEncryption of the app is for the same
 * environment; warns (`catalogEncryptionPerEnvironment`) if one is in another
 * stack whose environment is not known at synthesis, which may be the same.
 */
function claimEnvironment(self: GlueDataCatalogEncryption): void {
  const stack = Stack.of(self);
  const known = (s: Stack) => !Token.isUnresolved(s.account) && !Token.isUnresolved(s.region);
  for (const other of self.node.root.node.findAll()) {
    if (other === self || !(other instanceof GlueDataCatalogEncryption)) {
      continue;
    }
    if (!sameEnvironment(Stack.of(other), stack)) {
      if (!known(stack) || !known(Stack.of(other))) {
        Annotations.of(self).addWarningV2(
          'cdk-data-protection:catalogEncryptionPerEnvironment',
          `${other.node.path} is a GlueDataCatalogEncryption too, in a stack whose account or Region is known only at deployment: if both deploy to one account and Region, ` +
            `the last deployed replaces the other's settings. ${ONE_PER_ENVIRONMENT_FIX} Give the stacks an env, or acknowledge this warning if they never share one.`,
        );
      }
      continue;
    }
    throwValidationError(
      'DuplicateDataCatalogEncryption',
      `GlueDataCatalogEncryption ${self.node.path} is a second Data Catalog encryption for ${environmentOf(stack)}: ${other.node.path} already encrypts that catalog. ` +
        ONE_PER_ENVIRONMENT_FIX,
      self,
    );
  }
}

/** The problem of every other `AWS::Glue::DataCatalogEncryptionSettings` of the app in the construct's environment, on the final tree. */
function duplicateSettings(self: GlueDataCatalogEncryption): string[] {
  const stack = Stack.of(self);
  return self.node.root.node
    .findAll()
    .filter((c: IConstruct): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === SETTINGS_TYPE && c !== self.settings)
    .filter((c) => sameEnvironment(Stack.of(c), stack))
    .map(
      (other) =>
        `${other.node.path} is a second AWS::Glue::DataCatalogEncryptionSettings for ${environmentOf(stack)}, which GlueDataCatalogEncryption ${self.node.path} already encrypts: ` +
        `the last one deployed would replace the other's settings. Remove ${other.node.path}. ${ONE_PER_ENVIRONMENT_FIX}`,
    );
}
