import { deployedSize } from '../../src/analysis/size';
import { producerStack } from '../support/stack';

describe('deployedSize', () => {
  describe('Fn::If', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' };

    test('a conditional statement (Fn::If with AWS::NoValue) counts as the statement', () => {
      const { stack } = producerStack();
      const conditional = { Version: '2012-10-17', Statement: [{ 'Fn::If': ['Cond', deny, { Ref: 'AWS::NoValue' }] }] };
      expect(deployedSize(stack, conditional)).toBe(JSON.stringify({ Version: '2012-10-17', Statement: [deny] }).length);
    });

    test('an Fn::If whose options are all AWS::NoValue is dropped', () => {
      const { stack } = producerStack();
      const dropped = { Version: '2012-10-17', Statement: [deny, { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, { Ref: 'AWS::NoValue' }] }] };
      expect(deployedSize(stack, dropped)).toBe(JSON.stringify({ Version: '2012-10-17', Statement: [deny] }).length);
    });
  });
});
