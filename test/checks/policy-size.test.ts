import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { compliantPlainBucket, explanation, reported } from './helpers';
import { EncryptedBucket } from '../../src';
import { producerStack } from '../support';

const account = (i: number) => `${String(100000000000 + i)}`;

describe('DataProtectionChecks', () => {
  describe('DP13 policies over 90 % of their size limit', () => {
    test('Noncompliance 1: a bucket policy listing many accounts one statement each', () => {
      const { app, stack } = producerStack();
      const { bucket } = compliantPlainBucket(stack, 'Data');
      for (let i = 0; i < 120; i++) {
        bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: `Partner${i}`, actions: ['s3:GetObject'], principals: [new iam.AccountPrincipal(account(i))], resources: [bucket.arnForObjects(`p${i}/*`)] }));
      }
      expect(reported(app, 'DP13')).toEqual(['Producer/Data/Policy/Resource']);
      expect(explanation(app, 'DP13', 'Producer/Data/Policy/Resource')).toMatch(/measures about \d+ bytes of its 20480-byte limit/);
    });

    test('Noncompliance 2: a key policy under the threshold as synthesized, over it once ARNs are deployed', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const keys = Array.from({ length: 3 }, (_, i) => new kms.Key(stack, `Other${i}`, { enableKeyRotation: true }));
      for (let i = 0; i < 66; i++) {
        key.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `S${i}`,
            actions: ['kms:Decrypt'],
            principals: [new iam.AccountPrincipal(account(i))],
            resources: ['*'],
            conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, ArnLike: { 'aws:SourceArn': keys.map((k) => k.keyArn) } },
          }),
        );
      }
      const synthesized = Buffer.byteLength(JSON.stringify(stack.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy)));
      expect(synthesized).toBeLessThan(32_768 * 0.9);
      expect(reported(app, 'DP13')).toEqual(['Producer/Key/Resource']);
    });

    test('Compliance: ordinary policies, EncryptedBucket', () => {
      const { app, stack } = producerStack();
      compliantPlainBucket(stack, 'Data');
      new EncryptedBucket(stack, 'Ours');
      expect(reported(app, 'DP13')).toEqual([]);
    });
  });
});
