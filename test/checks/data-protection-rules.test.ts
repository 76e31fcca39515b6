import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataProtectionRules, EncryptedBucket, RuleCompliance, RuleLevel, ServerSideEncryption } from '../../src';
import { producerStack } from '../support';

describe('DataProtectionRules', () => {
  test('lists the rules DP1 to DP24 in id order, each with its reported id, level, info and explanation', () => {
    const rules = DataProtectionRules.all();
    expect(rules.map((r) => r.id)).toEqual(Array.from({ length: 24 }, (_, i) => `DP${i + 1}`));
    expect(rules.map((r) => r.ruleId)).toEqual(Array.from({ length: 24 }, (_, i) => `DataProtection-DP${i + 1}`));
    for (const rule of rules) {
      expect([RuleLevel.ERROR, RuleLevel.WARNING]).toContain(rule.level);
      expect(rule.info).toMatch(/\.$/);
      expect(rule.explanation).toMatch(/Fix: /);
    }
  });

  test('find takes the short or the reported id, and names the ids it knows when given another', () => {
    expect(DataProtectionRules.find('DP7').ruleId).toBe('DataProtection-DP7');
    expect(DataProtectionRules.find('DataProtection-DP7').id).toBe('DP7');
    expect(() => DataProtectionRules.find('DP99')).toThrow(/^id: no rule of the DataProtection pack has the id "DP99" \(a string\)\. Use one of DP1, DP2, .*DP24 \(or DataProtection-DP1 \.\.\.\)\.$/);
    expect(() => DataProtectionRules.find(7 as any)).toThrow('id must be a string, got 7 (a number)');
  });

  test('check reads the resource as it will be written: an override after construction decides the finding', () => {
    const { stack } = producerStack();
    const plain = new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.S3_MANAGED });
    const ours = new EncryptedBucket(stack, 'Ours');
    const dp1 = DataProtectionRules.find('DP1');
    const dp7 = DataProtectionRules.find('DP7');
    expect(dp1.check(plain.node.defaultChild as s3.CfnBucket)).toBe(RuleCompliance.NON_COMPLIANT);
    const cfn = ours.bucket.node.defaultChild as s3.CfnBucket;
    expect(dp1.check(cfn)).toBe(RuleCompliance.COMPLIANT);
    expect(dp7.check(cfn)).toBe(RuleCompliance.COMPLIANT);
    cfn.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BucketKeyEnabled', false);
    expect(dp7.check(cfn)).toBe(RuleCompliance.NON_COMPLIANT);
    // not a bucket: the bucket rules do not apply
    expect(dp1.check(ours.encryptionKey!.node.defaultChild as any)).toBe(RuleCompliance.NOT_APPLICABLE);
  });

  test('explain starts with the rule id, puts what a finding is about before the explanation and fix, and ends with how to acknowledge it', () => {
    const { stack } = producerStack();
    const bucket = new EncryptedBucket(stack, 'Ours', { encryption: ServerSideEncryption.SSE_S3 });
    const dp1 = DataProtectionRules.find('DP1');
    const cfn = bucket.bucket.node.defaultChild as s3.CfnBucket;
    expect(dp1.check(cfn)).toBe(RuleCompliance.NON_COMPLIANT);
    const text = dp1.explain(cfn);
    expect(text.startsWith('DataProtection-DP1: ')).toBe(true);
    expect(text).toContain(dp1.explanation);
    expect(text.endsWith("Acknowledge a deliberate choice with Validations.of(construct).acknowledge({ id: 'DataProtection-DP1', reason: '...' }).")).toBe(true);
  });
});
