import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { compliantPlainBucket, reported } from './helpers';
import { PARTNER, producerStack } from '../support';

const VPCE = { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } };

describe('DataProtectionChecks', () => {
  describe('DP11 network condition on a key used by S3', () => {
    test('Noncompliance 1: the key of a bucket allows decrypt only from a VPC endpoint', () => {
      const { app, stack } = producerStack();
      const { key } = compliantPlainBucket(stack, 'Data');
      key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], principals: [new iam.AccountPrincipal(PARTNER)], resources: ['*'], conditions: VPCE }));
      expect(reported(app, 'DP11')).toEqual(['Producer/DataKey/Resource']);
    });

    test('Noncompliance 2: the key denies calls from outside a VPC, AWS services not exempt', () => {
      const { app, stack } = producerStack();
      const { key } = compliantPlainBucket(stack, 'Data');
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } },
        }),
      );
      expect(reported(app, 'DP11')).toEqual(['Producer/DataKey/Resource']);
    });

    test('Noncompliance 3: a key not attached to a bucket here but scoped to S3 by kms:ViaService', () => {
      const { app, stack } = producerStack();
      new kms.CfnKey(stack, 'Key', {
        enableKeyRotation: true,
        keyPolicy: {
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::222222222222:root' },
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'aws:SourceVpce': 'vpce-1' } },
            },
          ],
        },
      });
      expect(reported(app, 'DP11')).toEqual(['Producer/Key']);
    });

    test('Compliance: a deny that exempts AWS services; no network condition', () => {
      const { app, stack } = producerStack();
      const { key } = compliantPlainBucket(stack, 'Data');
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' }, Bool: { 'aws:ViaAWSService': 'false' } },
        }),
      );
      compliantPlainBucket(stack, 'Plain');
      expect(reported(app, 'DP11')).toEqual([]);
    });

    test('Not applicable: a key S3 does not use', () => {
      const { app, stack } = producerStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], principals: [new iam.AccountPrincipal(PARTNER)], resources: ['*'], conditions: VPCE }));
      expect(reported(app, 'DP11')).toEqual([]);
    });
  });
});
