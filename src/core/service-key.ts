import { Annotations, Arn, ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { throwValidationError } from './errors';
import { FactKey, StackFacts } from './facts';
import { KEY, requireConstruct } from './props';
import { checkOnceResolved } from './validation';
import { viaServiceOf } from '../statements/perms';

/**
 * The key a data service (EMR, Redshift, Kinesis Data Streams, Firehose)
 * encrypts with: a customer-managed key of the construct's account and
 * Region, named by its full ARN. Checked at the
 * construct (`validateServiceKey`) and again once a token ARN resolves.
 */

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Throws unless `key` is a customer-managed KMS key of `scope`'s Region,
 * given as a key (not an alias) or by full key ARN.
 *
 * @param prop the prop, e.g. `encryptionKey`
 * @param service the service as the message names it, e.g. `Amazon EMR`
 */
export function validateServiceKey(prop: string, key: kms.IKey, scope: IConstruct, service: string): void {
  requireConstruct(prop, key, KEY);
  const alias = (key as Partial<kms.IAlias>).aliasName;
  if (alias !== undefined) {
    // an alias of this app names itself in its CfnAlias; an imported one by its name
    const own = (key.node.defaultChild as kms.CfnAlias | undefined)?.aliasName;
    const name = !Token.isUnresolved(alias) ? alias : own !== undefined && !Token.isUnresolved(own) ? own : `<alias ${key.node.path}>`;
    throwValidationError('InvalidServiceKey', aliasMessage(prop, name, service), scope);
  }
  const keyRegion = key instanceof Resource && !Token.isUnresolved(key.env.region) ? key.env.region : undefined;
  const keyAccountId = key instanceof Resource && !Token.isUnresolved(key.env.account) ? key.env.account : undefined;
  checkArn(prop, key.keyArn, keyRegion, keyAccountId, scope, service);
  checkOnceResolved(scope, [key.keyArn], ([arn]) => checkArn(prop, arn!, undefined, undefined, scope, service));
}

function aliasMessage(prop: string, name: string, service: string): string {
  if (name.startsWith('alias/aws/')) {
    return (
      `${prop} is the AWS-managed key ${name}: its key policy cannot be changed, so ${service} could not be allowed through its kms:ViaService only, and the data could never be shared. ` +
      'Pass a customer-managed key: CrossAccountSharedKey.key, or a kms.Key of this account.'
    );
  }
  return (
    `${prop} must be a KMS key, got the alias "${name}": an alias can be pointed at another key after deployment, and ${service} resolves it in the caller's account. ` +
    'Pass the key itself (alias.aliasTargetKey), or import it with kms.Key.fromKeyArn(this, id, "arn:aws:kms:<region>:<account>:key/<key-id>").'
  );
}

function checkArn(
  prop: string, arn: string, keyRegion: string | undefined, keyAccountId: string | undefined, scope: IConstruct, service: string,
): void {
  const stackRegion = Stack.of(scope).region;
  const stackAccount = Stack.of(scope).account;
  if (!Token.isUnresolved(arn)) {
    if (/(^|:)alias\//.test(arn)) {
      throwValidationError('InvalidServiceKey', aliasMessage(prop, arn.replace(/^.*:(alias\/)/, '$1'), service), scope);
    }
    const match = KEY_ARN.exec(arn);
    if (!match) {
      throwValidationError(
        'InvalidServiceKey',
        `${prop} must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>), got "${arn}": a bare key id is resolved in the caller's account. ` +
          'Import the key with kms.Key.fromKeyArn(this, id, "<full key ARN>").',
        scope,
      );
    }
    keyRegion = match[1];
    keyAccountId = match[2];
  }
  if (keyAccountId !== undefined && !Token.isUnresolved(stackAccount) && keyAccountId !== stackAccount) {
    throwValidationError(
      'InvalidServiceKey',
      `${prop} ${Token.isUnresolved(arn) ? '' : `${arn} `}is a key of account ${keyAccountId}, but ${scope.node.path} is in ${stackAccount}: the key must be of the app's own account, whose key policy this library writes. ` +
        'Use a CrossAccountSharedKey of this account, and share it with partners (grantPartner).',
      scope,
    );
  }
  if (keyRegion !== undefined && !Token.isUnresolved(stackRegion) && keyRegion !== stackRegion) {
    throwValidationError(
      'InvalidServiceKey',
      `${prop} ${Token.isUnresolved(arn) ? '' : `${arn} `}is in Region ${keyRegion}, but ${scope.node.path} is in ${stackRegion}: ${service} encrypts only under a key of its own Region. ` +
        `Use a key in ${stackRegion} (a CrossAccountSharedKey of this stack, or a multi-Region replica key in ${stackRegion}).`,
      scope,
    );
  }
}

/** `<service>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China), the value of `kms:ViaService` for calls `service` makes in `scope`'s Region. */
export function viaService(service: string, scope: IConstruct): string {
  const stack = Stack.of(scope);
  return viaServiceOf(service, stack.region, stack.urlSuffix);
}

/** The key's account when known (its ARN's, or the stack's). */
export function keyAccount(key: kms.IKey): string {
  if (!Token.isUnresolved(key.keyArn)) {
    return Arn.split(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME).account ?? Stack.of(key).account;
  }
  return key instanceof Resource ? key.env.account : Stack.of(key).account;
}

/** The key-policy statements already added, per key, by Sid (one per key, whichever construct asks first). */
const ADDED = new FactKey<Map<kms.IKey, Set<string>>>('serviceKey.added', () => new Map());

/**
 * Adds a service's key-policy statement to `key` once (several constructs
 * encrypting under one key share it). When the key's policy is not this
 * app's (an imported key), warns `warningId` on `owner` with the statement
 * to add by hand.
 */
export function addServiceKeyStatement(key: kms.IKey, statement: iam.PolicyStatement, owner: IConstruct, warningId: string): void {
  const added = StackFacts.of(key).get(ADDED);
  const sids = added.get(key) ?? new Set<string>();
  added.set(key, sids);
  if (sids.has(statement.sid!)) {
    return;
  }
  sids.add(statement.sid!);
  if (!key.addToResourcePolicy(statement).statementAdded) {
    Annotations.of(owner).addWarningV2(
      warningId,
      `The key ${Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn} is imported, so this app cannot change its key policy: ask its administrators to add the statement ${statement.sid} ` +
        `(${JSON.stringify(Stack.of(owner).resolve(statement.toStatementJson()))}), or the service's calls to KMS fail with AccessDenied.`,
    );
  }
}
