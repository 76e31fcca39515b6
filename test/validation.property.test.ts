import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { EncryptedBucket, EncryptedBucketProps, ServerAccessLogs, ServerSideEncryption, TlsVersion } from '../src';
import { KEY_ARN, producerStack } from './support';

/**
 * Random props either synthesize or throw our own Error (a message naming a
 * prop), never a TypeError or an error from deeper inside aws-cdk-lib.
 */
const OUR_ERROR = /^(encryption|encryptionKey|encryptionKeyProps|bucketKeyEnabled|minimumTlsVersion|rotationPeriod|pendingWindow|alias|bucketName|removalPolicy|autoDeleteObjects|serverAccessLogs|encryptionKey and encryptionKeyProps|encryptionKey\/encryptionKeyProps)\b/;

/** Mostly absent or valid, sometimes invalid: both outcomes get exercised. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<any> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

const props = fc.record({
  encryption: mostly(fc.constantFrom(...Object.values(ServerSideEncryption)), fc.constantFrom('aws:kms:other', 'KMS', '')),
  bucketKeyEnabled: mostly(fc.constant(false), fc.constant(true)),
  minimumTlsVersion: mostly(fc.constantFrom(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), fc.constantFrom('1.0', '1.1', '1.4', 1.2, null)),
  allowSseC: mostly(fc.boolean(), fc.constant(true)),
  bucketName: mostly(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/), fc.string({ maxLength: 70 })),
  removalPolicy: mostly(
    fc.constantFrom(RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE),
    fc.constant(RemovalPolicy.SNAPSHOT),
  ),
  autoDeleteObjects: mostly(fc.constant(false), fc.constant(true)),
  rotationDays: mostly(
    fc.integer({ min: 90, max: 2560 }),
    fc.oneof(fc.integer({ min: 0, max: 89 }), fc.integer({ min: 2561, max: 9999 }), fc.double({ min: 90.01, max: 99.99, noNaN: true })),
  ),
  pendingDays: mostly(fc.integer({ min: 7, max: 30 }), fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 31, max: 400 }))),
  key: mostly(
    fc.constant(KEY_ARN),
    fc.oneof(fc.constantFrom('arn:aws:kms:eu-west-1:111111111111:alias/data', 'alias/aws/s3', '1234abcd-12ab-34cd-56ef-1234567890ab'), fc.string()),
  ),
  logs: fc.constantFrom('default', 'disabled', 'disabled-empty', 'new'),
});

describe('EncryptedBucket', () => {
  describe('validation', () => {
    test('random props synthesize or throw an error naming the prop, never a TypeError', () => {
      let synthesized = 0;
      let refused = 0;
      fc.assert(
        fc.property(props, (p) => {
          const { app, stack } = producerStack();
          const built: EncryptedBucketProps = {
            encryption: p.encryption,
            bucketKeyEnabled: p.bucketKeyEnabled,
            minimumTlsVersion: p.minimumTlsVersion,
            allowSseC: p.allowSseC,
            bucketName: p.bucketName,
            removalPolicy: p.removalPolicy,
            autoDeleteObjects: p.autoDeleteObjects,
            encryptionKey: p.key === undefined ? undefined : importKey(stack, p.key),
            encryptionKeyProps:
              p.rotationDays === undefined && p.pendingDays === undefined
                ? undefined
                : {
                  rotationPeriod: p.rotationDays === undefined ? undefined : Duration.days(p.rotationDays),
                  pendingWindow: p.pendingDays === undefined ? undefined : Duration.days(p.pendingDays),
                },
            serverAccessLogs:
              p.logs === 'disabled'
                ? ServerAccessLogs.disabled('test')
                : p.logs === 'disabled-empty'
                  ? ServerAccessLogs.disabled('')
                  : p.logs === 'new'
                    ? ServerAccessLogs.toNewBucket({ prefix: 'logs/' })
                    : undefined,
          };
          try {
            new EncryptedBucket(stack, 'Data', built);
            app.synth();
            synthesized++;
          } catch (e) {
            refused++;
            expect(e).not.toBeInstanceOf(TypeError);
            expect((e as Error).message).toMatch(OUR_ERROR);
          }
        }),
        { numRuns: 150 },
      );
      // both outcomes must be exercised, or the property proves nothing
      expect(synthesized).toBeGreaterThan(5);
      expect(refused).toBeGreaterThan(5);
    });
  });
});

function importKey(stack: import('aws-cdk-lib').Stack, arn: string): kms.IKey {
  // Key.fromKeyArn itself rejects some malformed ARNs; what reaches us must still be refused clearly.
  try {
    return kms.Key.fromKeyArn(stack, 'K', arn);
  } catch {
    return { keyArn: arn, keyId: arn, node: stack.node, stack, env: stack.environment } as unknown as kms.IKey;
  }
}
