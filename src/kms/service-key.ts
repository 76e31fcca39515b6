import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { throwValidationError } from '../core/errors';
import { KEY, requireConstruct } from '../core/props';
import { checkOnceResolved } from '../core/validation';

/**
 * The key a service resource is encrypted under (`EncryptedStream`,
 * `EncryptedDeliveryStream`): a customer-managed key of the stack's account
 * and Region. Checked at the call, and again once a token resolves.
 *
 * @param prop the prop, e.g. `encryptionKey`
 * @param key the key given
 * @param scope the construct taking it
 * @param service how the messages name the service, e.g. `Kinesis Data Streams`
 * @param managedAlias the AWS-managed alias of the service, e.g. `alias/aws/kinesis`
 */
export function validateServiceKey(prop: string, key: kms.IKey, scope: IConstruct, service: string, managedAlias: string): void {
  requireConstruct(prop, key, KEY);
  const stack = Stack.of(scope);
  const check = (arn: string, region: string | undefined, account: string | undefined) => {
    if (/(^|:)alias\/aws\//.test(arn) || (key as Partial<kms.IAlias>).aliasName?.startsWith?.('alias/aws/')) {
      throwValidationError(
        'InvalidServiceKey',
        `${prop} is an AWS-managed key (${arn.replace(/\$\{Token\[[^\]]*\]\}/g, '<partition>')}, like ${managedAlias}): its key policy cannot be changed, so it can never be shared, and no statement of this library can scope it. ` +
          `Pass a customer-managed key: a CrossAccountSharedKey's key (sharedKey.key) or a kms.Key of this account for ${service}.`,
        scope,
      );
    }
    if (region !== undefined && !Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region !== stack.region) {
      throwValidationError(
        'InvalidServiceKey',
        `${prop} is a key of Region ${region} (${arn}), but ${scope.node.path} is in ${stack.region}: ${service} uses only keys of its own Region. ` +
          `Create the key in ${stack.region} (a CrossAccountSharedKey in this stack), or a multi-Region replica there.`,
        scope,
      );
    }
    if (account !== undefined && !Token.isUnresolved(account) && !Token.isUnresolved(stack.account) && account !== stack.account) {
      throwValidationError(
        'InvalidServiceKey',
        `${prop} is a key of account ${account} (${arn}), but ${scope.node.path} is in ${stack.account}: the key must be of the app's own account, whose key policy this library writes. ` +
          'Use a CrossAccountSharedKey of this account, and share it with partners (grantPartner).',
        scope,
      );
    }
  };
  const arnParts = (arn: string) => {
    const m = /^arn:[^:]+:kms:([^:]*):([^:]*):/.exec(arn);
    return m ? { region: m[1] || undefined, account: m[2] || undefined } : { region: undefined, account: undefined };
  };
  const keyArn = key.keyArn;
  if (!Token.isUnresolved(keyArn)) {
    const parts = arnParts(keyArn);
    check(keyArn, parts.region, parts.account);
  } else {
    check(keyArn, key.env?.region, key.env?.account);
    checkOnceResolved(scope, [keyArn], ([arn]) => {
      const parts = arnParts(arn!);
      check(arn!, parts.region, parts.account);
    });
  }
}
