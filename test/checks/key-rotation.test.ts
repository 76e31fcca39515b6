import * as kms from 'aws-cdk-lib/aws-kms';
import { reported } from './helpers';
import { CrossAccountSharedKey } from '../../src';
import { producerStack } from '../support';

describe('DataProtectionChecks', () => {
  describe('DP4 key rotation', () => {
    test('Noncompliance 1: kms.Key with rotation left off', () => {
      const { app, stack } = producerStack();
      new kms.Key(stack, 'Key');
      expect(reported(app, 'DP4')).toEqual(['Producer/Key/Resource']);
    });

    test('Noncompliance 2: an L1 key with EnableKeyRotation false', () => {
      const { app, stack } = producerStack();
      new kms.CfnKey(stack, 'Key', { enableKeyRotation: false });
      expect(reported(app, 'DP4')).toEqual(['Producer/Key']);
    });

    test('Compliance: rotation on, CrossAccountSharedKey', () => {
      const { app, stack } = producerStack();
      new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new CrossAccountSharedKey(stack, 'Shared');
      expect(reported(app, 'DP4')).toEqual([]);
    });

    test('Not applicable: asymmetric and HMAC keys, imported key material, custom key stores', () => {
      const { app, stack } = producerStack();
      new kms.Key(stack, 'Rsa', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
      new kms.Key(stack, 'Hmac', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
      new kms.CfnKey(stack, 'External', { origin: 'EXTERNAL' });
      new kms.CfnKey(stack, 'Hsm', { origin: 'AWS_CLOUDHSM' });
      expect(reported(app, 'DP4')).toEqual([]);
    });
  });
});
