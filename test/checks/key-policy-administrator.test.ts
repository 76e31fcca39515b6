import * as kms from 'aws-cdk-lib/aws-kms';
import { reported } from './helpers';
import { CrossAccountSharedKey } from '../../src';
import { PRODUCER, producerStack } from '../support';

const ROLE = `arn:aws:iam::${PRODUCER}:role/app`;

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
