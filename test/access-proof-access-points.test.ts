/**
 * Access proof of SharingMode.ACCESS_POINTS: the synthesized policies,
 * evaluated the way AWS evaluates them (test/support/access,
 * @cloud-copilot/iam-simulate): a partner reads through its access point
 * (access point policy + the bucket's delegation + key policy + its own IAM
 * policy), never around it on the bucket, and no one else gets in.
 */
import { AccessLevel, EncryptedBucket, Partner, SharingMode } from '../src';
import { PARTNER, PRODUCER, stackIn, THIRD } from './support';
import { AccessSimulator, OperationResult, outsider, partnerWithPolicy, TLS_12 } from './support/access/evaluate';
import { INGEST, INGEST_ROLE, synthesize } from './support/access/fixtures';
import { AccessPointModel, BucketModel, World } from './support/access/world';

jest.setTimeout(60_000);

interface Decided {
  readonly leg?: string;
  readonly policy?: string;
  readonly sid?: string | RegExp;
  readonly effect?: string;
}

function expectOutcome(result: OperationResult, allowed: boolean, decided?: Decided): void {
  const d = result.decidedBy.find((x) =>
    (!decided?.leg || x.leg === decided.leg) &&
    (!decided?.policy || x.policy.startsWith(decided.policy)) &&
    (!decided?.sid || (decided.sid instanceof RegExp ? decided.sid.test(x.sid ?? '') : x.sid === decided.sid)) &&
    (!decided?.effect || x.effect === decided.effect),
  );
  if (result.allowed !== allowed || (decided !== undefined && d === undefined)) {
    throw new Error(`expected ${allowed ? 'ALLOWED' : 'DENIED'}${decided ? ` decided by ${JSON.stringify(decided)}` : ''}, got: ${result.explanation}\n${JSON.stringify(result.decidedBy)}`);
  }
}

const reader = outsider(PARTNER, 'reader');
const stranger = outsider(THIRD, 'stranger');

describe('access proof', () => {
  describe('EncryptedBucket shared through access points (SharingMode.ACCESS_POINTS)', () => {
    let dir: string;
    let world: World;
    let sim: AccessSimulator;
    let bucket: BucketModel;
    let readPoint: AccessPointModel;
    let writePoint: AccessPointModel;
    let consumerPolicy: any;
    beforeAll(() => {
      dir = synthesize('access-points', (app) => {
        const stack = stackIn(app, 'Producer');
        const b = new EncryptedBucket(stack, 'Exchange', { sharingMode: SharingMode.ACCESS_POINTS });
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ);
        b.shareWith(Partner.principals([INGEST_ROLE]), AccessLevel.WRITE, { prefix: 'incoming/' });
      });
      world = World.fromDirectory(dir);
      sim = new AccessSimulator(world);
      bucket = world.bucketByPrefix('ExchangeBucket');
      [readPoint, writePoint] = ['ExchangeAccessPointRead1', 'ExchangeAccessPointWrite'].map((p) => world.accessPointsOf(bucket).find((a) => a.logicalId.startsWith(p))!);
      // the consumer policy the producer's stack output gives the READ partners, resolved
      const stack = world.assembly.stacks.find((s) => s.id === 'Producer')!;
      const [, output] = Object.entries<any>(stack.template.Outputs).find(([id]) => id.startsWith('ExchangeConsumerPolicyAccessPointRead1'))!;
      consumerPolicy = JSON.parse(world.resolver('Producer').resolve(output.Value));
    });

    test('the partner reads THROUGH its access point with the consumer policy of the stack output: access point policy, bucket delegation, key policy and its IAM policy all allow', async () => {
      const r = await sim.readThroughAccessPoint(partnerWithPolicy(`arn:aws:iam::${PARTNER}:role/reader`, consumerPolicy), readPoint, 'reports/2024.csv');
      expectOutcome(r, true, { leg: 'accessPoint', policy: 'access point policy', sid: 'PartnerReadAccounts' });
      expectOutcome(r, true, { leg: 'accessPoint', policy: 'identity policy', sid: /^SharedReadBucketAccess/ });
      expectOutcome(r, true, { leg: 's3', policy: 'bucket policy', sid: 'DelegateToOwnAccountAccessPoints' });
      expectOutcome(r, true, { leg: 'kms', policy: 'key policy', sid: /^S3AuthorizedReadOn/ });
      expectOutcome(r, true, { leg: 'kms', policy: 'identity policy', sid: /^SharedReadKeyUse/ });
      expect(r.legs.map((l) => `${l.leg} ${l.action}`)).toEqual(['accessPoint s3:GetObject', 's3 s3:GetObject', 'kms kms:Decrypt']);
    });

    test('with the bucket-mode consumer policy (naming the bucket, not the access point), the read through the access point fails on its IAM policy', async () => {
      const bucketMode = JSON.parse(JSON.stringify(consumerPolicy).split(`${readPoint.arn}/object/`).join(`${bucket.arn}/`).split(readPoint.arn).join(bucket.arn));
      const r = await sim.readThroughAccessPoint(partnerWithPolicy(`arn:aws:iam::${PARTNER}:role/reader`, bucketMode), readPoint, 'reports/2024.csv');
      expectOutcome(r, false, { leg: 'accessPoint', policy: 'identity policy', effect: 'NoAllow' });
    });

    test('the same partner reads AROUND the access point, on the bucket ARN: denied by the bucket policy (no statement names it)', async () => {
      const r = await sim.readObject(reader, bucket, 'reports/2024.csv', TLS_12);
      expectOutcome(r, false, { leg: 's3', policy: 'bucket policy', effect: 'NoAllow' });
    });

    test('a third account through the access point: denied by the access point policy', async () => {
      expectOutcome(await sim.readThroughAccessPoint(stranger, readPoint, 'reports/2024.csv'), false, { leg: 'accessPoint', policy: 'access point policy', effect: 'NoAllow' });
    });

    test('the READ partner through the WRITE access point: denied by that access point\'s policy', async () => {
      expectOutcome(await sim.readThroughAccessPoint(reader, writePoint, 'incoming/x.bin'), false, { leg: 'accessPoint', effect: 'NoAllow' });
    });

    test('the key names no partner, yet a third account calling KMS directly with the bucket\'s encryption context forged is denied (kms:ViaService)', async () => {
      const r = await sim.directDecrypt(stranger, bucket.keyArn!, bucket.arn);
      expectOutcome(r, false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
      expect(r.legs[0].notes.join('\n')).toMatch(/S3AuthorizedReadOn.*matches/);
    });

    test('over plain HTTP through the access point: denied by the bucket policy (DenyInsecureTransport)', async () => {
      const r = await sim.readThroughAccessPoint(reader, readPoint, 'reports/2024.csv', { tls: false, label: 'plain HTTP' });
      expectOutcome(r, false, { leg: 's3', sid: 'DenyInsecureTransport', effect: 'Deny' });
    });

    test('broken on purpose: without the delegation statement the read through the access point is denied by the bucket policy', async () => {
      const broken = World.fromDirectory(dir);
      const b = broken.bucket(bucket.name);
      broken.buckets.set(b.name, { ...b, policy: { ...b.policy, Statement: b.policy.Statement.filter((s: any) => s.Sid !== 'DelegateToOwnAccountAccessPoints') } });
      const r = await new AccessSimulator(broken).readThroughAccessPoint(reader, broken.accessPoints.get(readPoint.arn)!, 'reports/2024.csv');
      expectOutcome(r, false, { leg: 's3', policy: 'bucket policy', effect: 'NoAllow' });
    });

    test('broken on purpose: a delegation to any account\'s access points (s3:DataAccessPointAccount of the partner) no longer lets the own access point through', async () => {
      const broken = World.fromDirectory(dir);
      const b = broken.bucket(bucket.name);
      const statements = b.policy.Statement.map((s: any) => (s.Sid === 'DelegateToOwnAccountAccessPoints' ? { ...s, Condition: { StringEquals: { 's3:DataAccessPointAccount': PARTNER } } } : s));
      broken.buckets.set(b.name, { ...b, policy: { ...b.policy, Statement: statements } });
      const r = await new AccessSimulator(broken).readThroughAccessPoint(reader, broken.accessPoints.get(readPoint.arn)!, 'reports/2024.csv');
      expectOutcome(r, false, { leg: 's3', effect: 'NoAllow' });
      expect(PRODUCER).not.toBe(PARTNER);
    });

    test('the WRITE role\'s access point policy names only that role, under its prefix', () => {
      const statements = writePoint.policy.Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0].Principal.AWS).toBe(`arn:aws:iam::${INGEST}:root`);
      expect(JSON.stringify(statements[0].Condition)).toContain(INGEST_ROLE);
      expect(statements[0].Resource).toEqual([writePoint.arn, `${writePoint.arn}/object/incoming/*`]);
    });
  });
});
