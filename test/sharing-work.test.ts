import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, ServerAccessLogs } from '../src';
import { accounts, producerStack } from './support';
import * as intrinsics from '../src/analysis/intrinsics';

/**
 * Sharing scales linearly in the number of partners. Not a timed test (time
 * lives in bench/, `npm run bench`, section 3): it counts work. Every reading
 * of resolved CloudFormation by the library (the final-template checks, the
 * size measurement, the access report) goes through `walkIntrinsics`; the
 * count is how many parts of values its modes are handed while an app
 * synthesizes. For n, 2n and 4n partners the count must grow by (about) the
 * same amount per partner: a reading per partner of the whole policy (n x n
 * parts) makes the second step four times the first instead of twice.
 */
function partsRead(build: (stack: Stack) => void): number {
  const walk = intrinsics.walkIntrinsics;
  let parts = 0;
  const counted = <T>(mode: intrinsics.IntrinsicMode<T>): intrinsics.IntrinsicMode<T> =>
    Object.fromEntries(
      Object.entries(mode).map(([name, hook]) => [
        name,
        typeof hook === 'function'
          ? (...args: unknown[]) => {
            parts++;
            return hook.apply(mode, args);
          }
          : hook,
      ]),
    ) as unknown as intrinsics.IntrinsicMode<T>;
  const spy = jest.spyOn(intrinsics, 'walkIntrinsics').mockImplementation((value, mode) => walk(value, counted(mode)));
  try {
    const { app, stack } = producerStack();
    build(stack);
    app.synth();
  } finally {
    spy.mockRestore();
  }
  return parts;
}

/** The parts read for n, 2n and 4n partners, and the growth of the second step over the first (2 when linear, 4 when quadratic). */
function growth(build: (stack: Stack, partners: string[]) => void, n: number): { counts: number[]; ratio: number } {
  const counts = [n, 2 * n, 4 * n].map((k) => partsRead((stack) => build(stack, accounts(k))));
  return { counts, ratio: (counts[2] - counts[1]) / (counts[1] - counts[0]) };
}

describe('sharing with many partners: the work of synthesis grows linearly', () => {
  test('EncryptedBucket.shareWith (checks, policy sizes and access report)', () => {
    const { counts, ratio } = growth((stack, partners) => {
      const bucket = new EncryptedBucket(stack, 'Data', { serverAccessLogs: ServerAccessLogs.disabled('work count') });
      for (const p of partners) bucket.shareWith(Partner.account(p), AccessLevel.READ);
    }, 100);
    expect(counts[1]).toBeGreaterThan(counts[0]);
    expect(ratio).toBeGreaterThan(1.5);
    expect(ratio).toBeLessThan(2.5);
  });

  test('CrossAccountSharedKey.grantPartner (checks, policy size and access report)', () => {
    const { counts, ratio } = growth((stack, partners) => {
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = s3.Bucket.fromBucketName(stack, 'Target', 'partner-exchange');
      for (const p of partners) key.grantPartner(Partner.account(p), { access: AccessLevel.READ, bucket });
    }, 100);
    expect(counts[1]).toBeGreaterThan(counts[0]);
    expect(ratio).toBeGreaterThan(1.5);
    expect(ratio).toBeLessThan(2.5);
  });
});
