import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { explanation, reported } from './helpers';
import { AccessLevel, CrossAccountSharedKey, Partner } from '../../src';
import { agnosticStack, producerStack, THIRD } from '../support';

const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' };

describe('DataProtectionChecks', () => {
  describe('DP20 no one outside the key\'s account may rewrite its policy', () => {
    test('Noncompliance 1: kms:PutKeyPolicy, kms:Put* or kms:* to another account, or to any principal of an organization', () => {
      const { app, stack } = producerStack();
      new kms.CfnKey(stack, 'Put', { enableKeyRotation: true, keyPolicy: { Statement: [admin, { Sid: 'Outsider', Effect: 'Allow', Principal: { AWS: THIRD }, Action: 'kms:PutKeyPolicy', Resource: '*' }] } });
      new kms.CfnKey(stack, 'Star', { enableKeyRotation: true, keyPolicy: { Statement: [admin, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${THIRD}:root` }, Action: 'kms:Put*', Resource: '*' }] } });
      new kms.CfnKey(stack, 'Org', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [admin, { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] },
      });
      expect(reported(app, 'DP20')).toEqual(['Producer/Org', 'Producer/Put', 'Producer/Star']);
      expect(explanation(app, 'DP20', 'Producer/Put')).toContain('Key policy statement Outsider grants account 333333333333 kms:PutKeyPolicy on *.');
    });

    test('Compliance: the account and its roles administer; partners only use the key through S3', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key', { administrators: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/KeyAdmin')] });
      key.grantPartner(Partner.account(THIRD), { access: AccessLevel.READ_WRITE });
      new kms.Key(stack, 'Plain', { enableKeyRotation: true });
      expect(reported(app, 'DP20')).toEqual([]);
    });

    test('in a stack whose account is a token, a literal account may be the key\'s own: neither the pack nor the construct calls it an outsider', () => {
      const { app, stack } = agnosticStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.key.addToResourcePolicy(iam.PolicyStatement.fromJson({ Sid: 'Maybe', Effect: 'Allow', Principal: { AWS: THIRD }, Action: 'kms:PutKeyPolicy', Resource: '*' }));
      expect(reported(app, 'DP20')).toEqual([]);
      expect(() => app.synth()).not.toThrow();
    });

    test('the pack and CrossAccountSharedKey agree: the statement DP20 flags, the construct refuses on the final template', () => {
      const { app, stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      key.key.addToResourcePolicy(iam.PolicyStatement.fromJson({ Sid: 'Outsider', Effect: 'Allow', Principal: { AWS: THIRD }, Action: 'kms:PutKeyPolicy', Resource: '*' }));
      expect(reported(app, 'DP20')).toEqual(['Producer/Key/Key/Resource']);
      expect(() => app.synth()).toThrow(/statement Outsider that allows .*kms:PutKeyPolicy.* to account 333333333333/);
    });
  });
});
