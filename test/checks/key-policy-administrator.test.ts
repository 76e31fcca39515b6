import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { CrossAccountSharedKey } from '../../src';
import { agnosticStack, PARTNER, PRODUCER, producerStack } from '../support';

const ROLE = `arn:aws:iam::${PRODUCER}:role/app`;
const ROOT = `arn:aws:iam::${PRODUCER}:root`;
/** The account's administrator statement, as the default key policy writes it. */
const ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

/** A raw key `Producer/Key` with these key-policy statements (and properties). */
function rawKey(statements: unknown[], props: Partial<kms.CfnKeyProps> = {}) {
  const { app, stack } = producerStack();
  new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Statement: statements }, ...props });
  return app;
}

describe('DataProtectionChecks', () => {
  describe('DP12 key policy with an administrator statement', () => {
    test('Noncompliance 1: the key policy only lets a role use the key', () => {
      const { app, stack } = producerStack();
      new kms.CfnKey(stack, 'Key', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'], Resource: '*' }] },
      });
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
    });

    test('Noncompliance 2: administration only from a VPC endpoint', () => {
      const { app, stack } = producerStack();
      new kms.CfnKey(stack, 'Key', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }] },
      });
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
    });

    test('Noncompliance 3: only a service may manage the key', () => {
      const { app, stack } = producerStack();
      new kms.CfnKey(stack, 'Key', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:*', Resource: '*' }] },
      });
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
    });

    test('Noncompliance 4: the administrator statement is kept, but a Deny of kms:* to * takes kms:PutKeyPolicy from it', () => {
      const app = rawKey([ADMIN, { Sid: 'DenyAll', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }]);
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
      expect(explanation(app, 'DP12', 'Producer/Key')).toContain(
        'The key policy denies kms:PutKeyPolicy to every administrator (Deny statement(s) DenyAll override the administrator statement(s) Admin).',
      );
    });

    test('Noncompliance 5: BypassPolicyLockoutSafetyCheck is true, even with the administrator statement kept', () => {
      const app = rawKey([ADMIN], { bypassPolicyLockoutSafetyCheck: true });
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
      expect(explanation(app, 'DP12', 'Producer/Key')).toContain('The key sets BypassPolicyLockoutSafetyCheck to true');
    });

    test.each([
      ['another account', `arn:aws:iam::${PARTNER}:root`, `only to account ${PARTNER}, not to this account`],
      ['*', '*', 'only to *, not to this account'],
    ])('Noncompliance 6: the only administrator is %s', (_, principal, why) => {
      const app = rawKey([{ ...ADMIN, Principal: { AWS: principal } }]);
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
      expect(explanation(app, 'DP12', 'Producer/Key')).toContain(`Statement Admin allows kms:PutKeyPolicy ${why}`);
    });

    test('Noncompliance 7: the only administrator statement requires MFA, which the deployment role and a break-glass administrator may not have', () => {
      const app = rawKey([{ ...ADMIN, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]);
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
      expect(explanation(app, 'DP12', 'Producer/Key')).toContain('Statement Admin allows kms:PutKeyPolicy only under a condition on aws:MultiFactorAuthPresent');
    });

    test('Noncompliance 8: the only administrator statement names another key as its Resource', () => {
      const other = `arn:aws:kms:eu-west-1:${PRODUCER}:key/other`;
      const app = rawKey([{ ...ADMIN, Resource: other }]);
      expect(reported(app, 'DP12')).toEqual(['Producer/Key']);
      expect(explanation(app, 'DP12', 'Producer/Key')).toContain(`Statement Admin allows kms:PutKeyPolicy on Resource "${other}", not on the key itself`);
    });

    test('Compliance: a Deny that exempts the administrator, or takes only other actions; an administrator alongside a partner', () => {
      const { app, stack } = producerStack();
      const exempting = { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': ROLE } } };
      new kms.CfnKey(stack, 'Exempt', { enableKeyRotation: true, keyPolicy: { Statement: [{ ...ADMIN, Principal: { AWS: ROLE } }, exempting] } });
      const deletion = { Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' };
      new kms.CfnKey(stack, 'OtherAction', { enableKeyRotation: true, keyPolicy: { Statement: [ADMIN, deletion] } });
      const partner = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 'kms:Decrypt', Resource: '*' };
      new kms.CfnKey(stack, 'Shared', { enableKeyRotation: true, keyPolicy: { Statement: [partner, ADMIN] }, bypassPolicyLockoutSafetyCheck: false });
      expect(reported(app, 'DP12')).toEqual([]);
    });

    test('Compliance: in a stack of unknown account, a literal account id may be the key\'s own: not reported', () => {
      const { app, stack } = agnosticStack();
      new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Statement: [{ ...ADMIN, Principal: { AWS: PRODUCER } }] } });
      expect(reported(app, 'DP12')).toEqual([]);
    });

    test('Compliance: kms.Key default policy, no KeyPolicy at all, a role allowed kms:Put*, CrossAccountSharedKey', () => {
      const { app, stack } = producerStack();
      new kms.Key(stack, 'Default', { enableKeyRotation: true });
      new kms.CfnKey(stack, 'NoPolicy', { enableKeyRotation: true });
      new kms.CfnKey(stack, 'Admins', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:Describe*', 'kms:Put*'], Resource: '*' }] },
      });
      new CrossAccountSharedKey(stack, 'Ours');
      expect(reported(app, 'DP12')).toEqual([]);
    });
  });
});
