/**
 * Access proof: the synthesized policies, evaluated the way AWS evaluates
 * them (test/support/access, @cloud-copilot/iam-simulate), grant exactly
 * what is intended: each scenario names who, what, over which network, and
 * asserts the outcome and the leg and statement that decided it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildDemoApp } from '../demo/app';
import { Partner, ServerSideEncryption, TlsVersion } from '../src';
import { ORG, PARTNER, PRODUCER, THIRD } from './support';
import { checkReportClaims, evaluateScenarios } from './support/access/claims';
import {
  AccessSimulator,
  administrator,
  Caller,
  definedPrincipal,
  encryptionContextHolds,
  HTTP,
  OperationResult,
  outsider,
  partnerWithPolicy,
  throughEndpoints,
  TLS_11,
  TLS_12,
  TLS_13,
} from './support/access/evaluate';
import {
  buildAccountPartners,
  buildEndpoints,
  buildExchange,
  buildImportedKey,
  buildKeyWithAdmins,
  buildOrganizationShares,
  buildSseS3AndPlain,
  IMPORTED_KEY_ARN,
  INGEST,
  KEY_ADMIN_ROLE,
  MORE_PARTNERS,
  synthesize,
} from './support/access/fixtures';
import { BucketModel, World } from './support/access/world';

jest.setTimeout(60_000);

/** Asserts the outcome and who decided it; prints the explanation when it differs. */
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
  const ok = result.allowed === allowed && (decided === undefined || d !== undefined);
  if (!ok) {
    throw new Error(`expected ${allowed ? 'ALLOWED' : 'DENIED'}${decided ? ` decided by ${JSON.stringify(decided)}` : ''}, got: ${result.explanation}\n${JSON.stringify(result.decidedBy)}`);
  }
}

/** A fresh copy of a world (policies can then be broken on purpose). */
function fresh(dir: string): World {
  return World.fromDirectory(dir);
}

function setBucketPolicy(world: World, bucket: BucketModel, edit: (statements: any[]) => any[]): BucketModel {
  const changed = { ...bucket, policy: { ...bucket.policy, Statement: edit([...bucket.policy.Statement]) } };
  world.buckets.set(bucket.name, changed);
  return changed;
}

function setKeyPolicy(world: World, keyArn: string, edit: (statements: any[]) => any[]): void {
  const key = world.key(keyArn);
  world.keys.set(keyArn, { ...key, policy: { ...key.policy, Statement: edit([...key.policy.Statement]) } });
}

const partnerAdmin = outsider(PARTNER, 'reader');
const ingest = outsider(INGEST, 'ingest');
const stranger = outsider(THIRD, 'stranger');
const orgMember = outsider('555555555555', 'member', { orgId: ORG });
const otherOrgMember = outsider('666666666666', 'member', { orgId: 'o-ffffffffff' });
const producerAdmin = administrator(PRODUCER);

describe('access proof', () => {
  describe('EncryptedBucket shared with partners (SSE-KMS, Bucket Key)', () => {
    let dir: string;
    let world: World;
    let sim: AccessSimulator;
    let bucket: BucketModel;
    beforeAll(() => {
      dir = synthesize('exchange', (app) => buildExchange(app));
      world = fresh(dir);
      sim = new AccessSimulator(world);
      bucket = world.bucketByPrefix('ExchangeBucket');
    });

    test('case D01: partner 222222222222 reads over TLS 1.2: S3 leg by PartnerReadAccounts, KMS leg by the partner key statement', async () => {
      const r = await sim.readObject(partnerAdmin, bucket, 'reports/2024.csv', TLS_12);
      expectOutcome(r, true, { leg: 's3', policy: 'bucket policy', sid: 'PartnerReadAccounts' });
      expectOutcome(r, true, { leg: 'kms', policy: 'key policy', sid: /^PartnerReadAccountsOn/ });
      expect(r.legs.map((l) => `${l.leg} ${l.action}`)).toEqual(['s3 s3:GetObject', 'kms kms:Decrypt']);
    });

    test('partner reads over TLS 1.3: allowed', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'reports/2024.csv', TLS_13), true);
    });

    test('partner reads over plain HTTP: denied by the bucket policy (DenyInsecureTransport)', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'reports/2024.csv', HTTP), false, { leg: 's3', sid: 'DenyInsecureTransport', effect: 'Deny' });
    });

    test('partner reads over TLS 1.1: denied by the bucket policy (DenyTlsBelow12)', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'reports/2024.csv', TLS_11), false, { leg: 's3', sid: 'DenyTlsBelow12', effect: 'Deny' });
    });

    test('a third account, whose own IAM allows everything, is denied: no bucket-policy statement names it', async () => {
      expectOutcome(await sim.readObject(stranger, bucket, 'reports/2024.csv'), false, { leg: 's3', policy: 'bucket policy', effect: 'NoAllow' });
      expectOutcome(await sim.list(stranger, bucket), false, { leg: 's3', effect: 'NoAllow' });
      expectOutcome(await sim.writeObject(stranger, bucket, 'incoming/x'), false, { leg: 's3', effect: 'NoAllow' });
    });

    test('a third account calling KMS directly with the bucket\'s encryption context forged: denied by the key policy', async () => {
      expectOutcome(await sim.directDecrypt(stranger, bucket.keyArn!, bucket.arn), false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
    });

    test('the partner decrypting directly, outside S3, even with the right encryption context: denied (kms:ViaService)', async () => {
      const r = await sim.directDecrypt(partnerAdmin, bucket.keyArn!, bucket.arn);
      expectOutcome(r, false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
      // The harness found the encryption context matching: only kms:ViaService stopped it.
      expect(r.legs[0].notes.join('\n')).toMatch(/PartnerReadAccountsOn.*matches/);
    });

    test('the classic failure: the partner key grant removed, the partner still lists but every read is AccessDenied, decided by the key policy', async () => {
      const broken = fresh(dir);
      setKeyPolicy(broken, bucket.keyArn!, (ss) => ss.filter((s) => !String(s.Sid).startsWith('PartnerReadAccountsOn')));
      const brokenSim = new AccessSimulator(broken);
      const b = broken.bucket(bucket.name);
      expectOutcome(await brokenSim.list(partnerAdmin, b), true, { leg: 's3', sid: 'PartnerReadAccounts' });
      const read = await brokenSim.readObject(partnerAdmin, b, 'reports/2024.csv');
      expectOutcome(read, false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
      expect(read.legs.find((l) => l.leg === 's3')!.allowed).toBe(true);
    });

    test('the partner\'s own IAM policy without the KMS statement: the read fails on the KMS leg, decided by its identity policy', async () => {
      const s3Only = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket.arn}/*` }] };
      const r = await sim.readObject(partnerWithPolicy(`arn:aws:iam::${PARTNER}:role/reader`, s3Only), bucket, 'reports/2024.csv');
      expectOutcome(r, false, { leg: 'kms', policy: 'identity policy', effect: 'NoAllow' });
    });

    test('a READ partner cannot write', async () => {
      expectOutcome(await sim.writeObject(partnerAdmin, bucket, 'reports/new.csv'), false, { leg: 's3', effect: 'NoAllow' });
    });

    test('case D04: the WRITE partner role uploads 200 MB by multipart under incoming/: kms:GenerateDataKey and kms:Decrypt both allowed', async () => {
      const r = await sim.writeObject(ingest, bucket, 'incoming/big.bin', TLS_12, { multipart: true });
      expectOutcome(r, true, { leg: 's3', sid: /^PartnerWritePrincipalsPrefix/ });
      expect(r.legs.map((l) => `${l.leg} ${l.action} ${l.allowed}`)).toEqual(['s3 s3:PutObject true', 'kms kms:GenerateDataKey true', 'kms kms:Decrypt true']);
    });

    test('the WRITE partner role writes outside its prefix: denied', async () => {
      expectOutcome(await sim.writeObject(ingest, bucket, 'reports/x.bin'), false, { leg: 's3', effect: 'NoAllow' });
    });

    test('another role of the WRITE partner account: denied (aws:PrincipalArn names only the ingest role)', async () => {
      expectOutcome(await sim.writeObject(outsider(INGEST, 'intruder'), bucket, 'incoming/x.bin'), false, { leg: 's3', effect: 'NoAllow' });
    });

    test('an upload asking for SSE-S3: denied by DenyOtherEncryptionTypes; one with no header is encrypted by default and allowed', async () => {
      expectOutcome(await sim.writeObject(ingest, bucket, 'incoming/x.bin', TLS_12, { headers: { 's3:x-amz-server-side-encryption': 'AES256' } }), false, { sid: 'DenyOtherEncryptionTypes', effect: 'Deny' });
      expectOutcome(await sim.writeObject(ingest, bucket, 'incoming/x.bin', TLS_12), true);
    });

    test('an upload asking for aws:kms without a key id (S3 would use the AWS-managed aws/s3 key): denied by DenyKmsWithoutBucketKeyId', async () => {
      const r = await sim.writeObject(ingest, bucket, 'incoming/x.bin', TLS_12, { headers: { 's3:x-amz-server-side-encryption': 'aws:kms' } });
      expectOutcome(r, false, { sid: 'DenyKmsWithoutBucketKeyId', effect: 'Deny' });
    });

    test('case D14: an upload with SSE-C headers: denied by DenySseCRequests', async () => {
      const r = await sim.writeObject(ingest, bucket, 'incoming/x.bin', TLS_12, { headers: { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' } });
      expectOutcome(r, false, { sid: 'DenySseCRequests', effect: 'Deny' });
    });

    test('case D03: an upload naming another KMS key (e.g. the partner\'s own): denied by DenyOtherKmsKeys', async () => {
      const r = await sim.writeObject(ingest, bucket, 'incoming/x.bin', TLS_12, {
        headers: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:eu-west-1:${INGEST}:key/11111111-2222-4333-8444-555555555555` },
      });
      expectOutcome(r, false, { sid: 'DenyOtherKmsKeys', effect: 'Deny' });
    });

    test('an organization member reads under its prefix and lists it; outside the prefix it is denied', async () => {
      expectOutcome(await sim.readObject(orgMember, bucket, 'public-to-org/a.csv'), true, { sid: /^PartnerReadOrganizationsPrefix/ });
      expectOutcome(await sim.list(orgMember, bucket, TLS_12, 'public-to-org/'), true, { sid: /List$/ });
      expectOutcome(await sim.readObject(orgMember, bucket, 'reports/a.csv'), false, { effect: 'NoAllow' });
      expectOutcome(await sim.list(orgMember, bucket, TLS_12, 'reports/'), false, { effect: 'NoAllow' });
    });

    test('a member of another organization: denied', async () => {
      expectOutcome(await sim.readObject(otherOrgMember, bucket, 'public-to-org/a.csv'), false, { leg: 's3', effect: 'NoAllow' });
    });

    test('a same-account role granted grantRead reads through its identity policy; the key policy delegates to IAM', async () => {
      const reader = definedPrincipal(world, [...world.identities.keys()].find((a) => a.includes('ReaderF'))!);
      const r = await sim.readObject(reader, bucket, 'reports/2024.csv');
      expectOutcome(r, true, { leg: 'kms', sid: 'AllowAccountIamPolicies' });
    });

    test('a same-account role with no grant: denied', async () => {
      const nobody: Caller = { arn: `arn:aws:iam::${PRODUCER}:role/nobody`, account: PRODUCER, identityPolicies: [] };
      expectOutcome(await sim.readObject(nobody, bucket, 'reports/2024.csv'), false, { leg: 's3', effect: 'NoAllow' });
    });

    test('case D06: the consumer stack\'s role, with only its CrossAccountConsumerPolicy, reads across accounts (three allows); it cannot write', async () => {
      const analyst = definedPrincipal(world, `arn:aws:iam::${PARTNER}:role/analyst`);
      const r = await sim.readObject(analyst, bucket, 'reports/2024.csv');
      expectOutcome(r, true, { leg: 's3', policy: 'identity policy' });
      expectOutcome(r, true, { leg: 's3', policy: 'bucket policy' });
      expectOutcome(r, true, { leg: 'kms', policy: 'key policy' });
      expectOutcome(await sim.writeObject(analyst, bucket, 'incoming/x'), false);
    });

    test('administrators of the producer manage the bucket policy and the key policy; the key is not locked out', async () => {
      expectOutcome(await sim.manageBucketPolicy(producerAdmin, bucket), true);
      expectOutcome(await sim.manageKeyPolicy(producerAdmin, bucket.keyArn!), true, { sid: 'AllowAccountIamPolicies' });
      expect((await sim.keyLockout(bucket.keyArn!)).lockedOut).toBe(false);
    });

    test('lockout detection can fail: without AllowAccountIamPolicies nobody can change the key policy', async () => {
      const broken = fresh(dir);
      setKeyPolicy(broken, bucket.keyArn!, (ss) => ss.filter((s) => s.Sid !== 'AllowAccountIamPolicies'));
      const lockout = await new AccessSimulator(broken).keyLockout(bucket.keyArn!);
      expect(lockout.lockedOut).toBe(true);
      expectOutcome(lockout.results[0], false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
    });

    test('the TLS proof can fail: with DenyInsecureTransport removed, a plain-HTTP read goes through', async () => {
      const broken = fresh(dir);
      const b = setBucketPolicy(broken, broken.bucket(bucket.name), (ss) => ss.filter((s) => s.Sid !== 'DenyInsecureTransport'));
      expectOutcome(await new AccessSimulator(broken).readObject(partnerAdmin, b, 'reports/2024.csv', HTTP), true);
    });

    test('case D05: with a Bucket Key, a key statement scoped to object ARNs only would break reads: the harness, not the simulator, catches it', async () => {
      const broken = fresh(dir);
      setKeyPolicy(broken, bucket.keyArn!, (ss) =>
        ss.map((s) => (String(s.Sid).startsWith('PartnerReadAccountsOn') ? { ...s, Condition: { ...s.Condition, StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': `${bucket.arn}/*` } } } : s)),
      );
      const r = await new AccessSimulator(broken).readObject(partnerAdmin, broken.bucket(bucket.name), 'reports/2024.csv');
      expectOutcome(r, false, { leg: 'kms', effect: 'NoAllow' });
      expect(r.legs.find((l) => l.leg === 'kms')!.notes.join('\n')).toMatch(/does not match/);
    });
  });

  describe('account partners named once in kms:CallerAccount under the principal {"AWS":"*"}', () => {
    let dir: string;
    let sim: AccessSimulator;
    let bucket: BucketModel;
    const partners = [PARTNER, ...MORE_PARTNERS].map((a) => outsider(a, 'reader'));
    beforeAll(() => {
      dir = synthesize('account-partners', (app) => buildAccountPartners(app));
      sim = new AccessSimulator(fresh(dir));
      bucket = sim.world.bucketByPrefix('ManyBucket');
    });
    const keyStatement = (world: World) => world.key(bucket.keyArn!).policy.Statement.find((st: any) => String(st.Sid).startsWith('PartnerReadAccountsOn'));

    test('the key statement names everyone, narrowed to the three partner accounts and S3; the bucket statement names the three accounts', () => {
      const st = keyStatement(sim.world);
      expect(st.Principal).toEqual({ AWS: '*' });
      expect(st.Condition.StringEquals['kms:CallerAccount']).toEqual([PARTNER, ...MORE_PARTNERS]);
      expect(st.Condition.StringEquals['kms:ViaService']).toBe('s3.eu-west-1.amazonaws.com');
      const read = bucket.policy.Statement.find((x: any) => x.Sid === 'PartnerReadAccounts');
      expect(read.Principal.AWS).toEqual([PARTNER, ...MORE_PARTNERS].map((a) => `arn:aws:iam::${a}:root`));
    });

    test('each partner account reads: the KMS leg is allowed by the one key statement', async () => {
      for (const p of partners) {
        expectOutcome(await sim.readObject(p, bucket, 'reports/2024.csv'), true, { leg: 'kms', policy: 'key policy', sid: /^PartnerReadAccountsOn/ });
      }
    });

    test('a principal of a non-partner account, its own IAM allowing everything, decrypting through S3 with the bucket\'s encryption context: denied by the key policy', async () => {
      expectOutcome(await sim.decryptThroughS3(stranger, bucket, 'reports/2024.csv'), false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
      expectOutcome(await sim.decryptThroughS3(partners[1], bucket, 'reports/2024.csv'), true, { leg: 'kms', sid: /^PartnerReadAccountsOn/ });
    });

    test('the proof can fail: an account dropped from kms:CallerAccount can no longer decrypt, the others still can', async () => {
      const broken = fresh(dir);
      setKeyPolicy(broken, bucket.keyArn!, (ss) =>
        ss.map((st) => (String(st.Sid).startsWith('PartnerReadAccountsOn')
          ? { ...st, Condition: { ...st.Condition, StringEquals: { ...st.Condition.StringEquals, 'kms:CallerAccount': [PARTNER, MORE_PARTNERS[1]] } } }
          : st)),
      );
      const brokenSim = new AccessSimulator(broken);
      const b = broken.bucket(bucket.name);
      expectOutcome(await brokenSim.readObject(partners[1], b, 'reports/2024.csv'), false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });
      expectOutcome(await brokenSim.readObject(partners[0], b, 'reports/2024.csv'), true);
      expectOutcome(await brokenSim.readObject(partners[2], b, 'reports/2024.csv'), true);
    });

    test('the proof can fail: without kms:CallerAccount the wildcard lets any account decrypt through S3', async () => {
      const broken = fresh(dir);
      setKeyPolicy(broken, bucket.keyArn!, (ss) =>
        ss.map((st) => {
          if (!String(st.Sid).startsWith('PartnerReadAccountsOn')) return st;
          const { 'kms:CallerAccount': _dropped, ...rest } = st.Condition.StringEquals;
          return { ...st, Condition: { ...st.Condition, StringEquals: rest } };
        }),
      );
      const b = broken.bucket(bucket.name);
      expectOutcome(await new AccessSimulator(broken).decryptThroughS3(stranger, b, 'reports/2024.csv'), true, { leg: 'kms', sid: /^PartnerReadAccountsOn/ });
    });
  });

  describe('encryption context evaluated by the harness', () => {
    test('StringLike / StringEquals / IfExists / ForAnyValue / negated operators over the S3 encryption context', () => {
      const bucket = 'arn:aws:s3:::exchange';
      expect(encryptionContextHolds('StringLikeIfExists', [bucket, `${bucket}/*`], bucket)).toBe(true);
      expect(encryptionContextHolds('StringLikeIfExists', [bucket, `${bucket}/*`], `${bucket}/a/b.csv`)).toBe(true);
      expect(encryptionContextHolds('StringLikeIfExists', [bucket, `${bucket}/*`], 'arn:aws:s3:::other/a')).toBe(false);
      expect(encryptionContextHolds('StringLikeIfExists', [bucket], undefined)).toBe(true);
      expect(encryptionContextHolds('StringLike', [bucket], undefined)).toBe(false);
      expect(encryptionContextHolds('StringEquals', bucket, `${bucket}/a`)).toBe(false);
      expect(encryptionContextHolds('ForAnyValue:StringEquals', [bucket], bucket)).toBe(true);
      expect(encryptionContextHolds('ForAnyValue:StringLike', [bucket], undefined)).toBe(false);
      expect(encryptionContextHolds('StringNotLike', [`${bucket}*`], 'arn:aws:s3:::other')).toBe(true);
      expect(encryptionContextHolds('StringNotEquals', [bucket], undefined)).toBe(true);
      expect(encryptionContextHolds('Null', 'true', undefined)).toBe(true);
    });
  });

  describe('organization shares and the owner account', () => {
    let world: World;
    // a role of the producer account, in the organization, with no IAM policy of its own
    const ownRoleWithoutPolicy: Caller = { arn: `arn:aws:iam::${PRODUCER}:role/nobody`, account: PRODUCER, orgId: ORG, identityPolicies: [], label: 'role/nobody of the producer' };
    beforeAll(() => {
      world = fresh(synthesize('org-shares', (app) => buildOrganizationShares(app)));
    });

    test('an organization share excludes the owner account: its role without an IAM policy is denied, a member of another account reads', async () => {
      const sim = new AccessSimulator(world);
      const bucket = world.bucketByPrefix('ExcludingBucket');
      expectOutcome(await sim.readObject(ownRoleWithoutPolicy, bucket, 'reports/a.csv'), false, { leg: 's3', effect: 'NoAllow' });
      expectOutcome(await sim.readObject(orgMember, bucket, 'reports/a.csv'), true, { leg: 's3', sid: 'PartnerReadOrganizations' });
    });

    test('includeOwnerAccount: true lets the owner account\'s role read through the resource policies alone (the choice the warning names)', async () => {
      const sim = new AccessSimulator(world);
      const bucket = world.bucketByPrefix('IncludingBucket');
      expectOutcome(await sim.readObject(ownRoleWithoutPolicy, bucket, 'reports/a.csv'), true, { leg: 's3', sid: 'PartnerReadOrganizationsWithOwnerAccount' });
    });
  });

  describe('EncryptedBucket without a Bucket Key', () => {
    let world: World;
    let bucket: BucketModel;
    beforeAll(() => {
      world = fresh(synthesize('no-bucket-key', (app) => buildExchange(app, { bucketKeyEnabled: false })));
      bucket = world.bucketByPrefix('ExchangeBucket');
    });

    test('case D05: S3 sends the object ARN as encryption context; the partner key statement accepts it and the read is allowed', async () => {
      expect(bucket.bucketKey).toBe(false);
      const r = await new AccessSimulator(world).readObject(partnerAdmin, bucket, 'reports/2024.csv');
      expectOutcome(r, true, { leg: 'kms', sid: /^PartnerReadAccountsOn/ });
      expect(r.legs.find((l) => l.leg === 'kms')!.notes.join('\n')).toContain(`matches ${bucket.arn}/reports/2024.csv`);
    });

    test('the ingest role multipart upload without a Bucket Key: allowed', async () => {
      expectOutcome(await new AccessSimulator(world).writeObject(ingest, bucket, 'incoming/a.bin', TLS_12, { multipart: true }), true);
    });
  });

  describe('EncryptedBucket with TLS 1.3 minimum', () => {
    let sim: AccessSimulator;
    let bucket: BucketModel;
    beforeAll(() => {
      const world = fresh(synthesize('tls13', (app) => buildExchange(app, { minimumTlsVersion: TlsVersion.TLS_1_3 })));
      sim = new AccessSimulator(world);
      bucket = world.bucketByPrefix('ExchangeBucket');
    });

    test('case D08: the partner over TLS 1.2 is denied by DenyTlsBelow13', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv', TLS_12), false, { sid: 'DenyTlsBelow13', effect: 'Deny' });
    });

    test('the partner over TLS 1.3 is allowed', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv', TLS_13), true);
    });

    test('administrators manage the bucket policy over TLS 1.3', async () => {
      expectOutcome(await sim.manageBucketPolicy(producerAdmin, bucket, TLS_13), true);
    });
  });

  describe('EncryptedBucket with DSSE-KMS', () => {
    let sim: AccessSimulator;
    let bucket: BucketModel;
    beforeAll(() => {
      const world = fresh(synthesize('dsse', (app) => buildExchange(app, { encryption: ServerSideEncryption.DSSE_KMS })));
      sim = new AccessSimulator(world);
      bucket = world.bucketByPrefix('ExchangeBucket');
    });

    test('the partner reads a DSSE-KMS object (object ARN as encryption context): allowed', async () => {
      expect(bucket.algorithm).toBe('aws:kms:dsse');
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv'), true, { leg: 'kms', sid: /^PartnerReadAccountsOn/ });
    });

    test('an upload asking for SSE-KMS instead of DSSE-KMS: denied by DenyOtherEncryptionTypes', async () => {
      expectOutcome(await sim.writeObject(ingest, bucket, 'incoming/a', TLS_12, { headers: { 's3:x-amz-server-side-encryption': 'aws:kms' } }), false, { sid: 'DenyOtherEncryptionTypes' });
    });
  });

  describe('CrossAccountSharedKey with named administrators', () => {
    let world: World;
    let sim: AccessSimulator;
    let bucket: BucketModel;
    beforeAll(() => {
      world = fresh(synthesize('key-admins', buildKeyWithAdmins));
      sim = new AccessSimulator(world);
      bucket = world.bucketByPrefix('DataBucket');
    });

    test('the named key administrator manages the key policy with no IAM policy at all (AllowKeyAdministration)', async () => {
      const keyAdmin: Caller = { arn: KEY_ADMIN_ROLE, account: PRODUCER, identityPolicies: [] };
      expectOutcome(await sim.manageKeyPolicy(keyAdmin, bucket.keyArn!), true, { sid: 'AllowKeyAdministration' });
    });

    test('the named key administrator cannot decrypt: administrators are not users', async () => {
      const keyAdmin: Caller = { arn: KEY_ADMIN_ROLE, account: PRODUCER, identityPolicies: [] };
      expectOutcome(await sim.directDecrypt(keyAdmin, bucket.keyArn!, bucket.arn), false, { leg: 'kms', effect: 'NoAllow' });
    });

    test('a READ_WRITE partner reads and multipart-writes', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv'), true);
      expectOutcome(await sim.writeObject(partnerAdmin, bucket, 'b.csv', TLS_12, { multipart: true }), true, { sid: /^PartnerReadWriteAccountsOn/ });
    });

    test('the account administrator still manages the bucket policy and the key policy', async () => {
      expectOutcome(await sim.manageBucketPolicy(producerAdmin, bucket), true);
      expectOutcome(await sim.manageKeyPolicy(producerAdmin, bucket.keyArn!), true);
    });
  });

  describe('EncryptedBucket under an imported key', () => {
    let dir: string;
    beforeAll(() => {
      dir = synthesize('imported-key', buildImportedKey);
    });

    test('the partner is denied by the key policy until its administrators add the statement the report gives; then allowed', async () => {
      const world = fresh(dir);
      const bucket = world.bucketByPrefix('DataBucket');
      const sim = new AccessSimulator(world);
      const ownerOnly = { Sid: 'KeyOwnerAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PRODUCER}:root` }, Action: 'kms:*', Resource: '*' };
      sim.addExternalKey(IMPORTED_KEY_ARN, { Version: '2012-10-17', Statement: [ownerOnly] });
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv'), false, { leg: 'kms', policy: 'key policy', effect: 'NoAllow' });

      const report = world.assembly.stacks.find((s) => s.id === 'ImportedKey')!.report;
      const statement = world.resolver('ImportedKey').subAll(report.buckets[0].partners[0].keyPolicyStatementToAdd);
      sim.addExternalKey(IMPORTED_KEY_ARN, { Version: '2012-10-17', Statement: [ownerOnly, statement] });
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv'), true, { leg: 'kms', sid: statement.Sid });
    });
  });

  describe('SSE-S3 bucket and a plain bucket made TLS-only', () => {
    let world: World;
    let sim: AccessSimulator;
    beforeAll(() => {
      world = fresh(synthesize('plain', buildSseS3AndPlain));
      sim = new AccessSimulator(world);
    });

    test('SSE-S3: a read has no KMS leg; the owner administrator reads, a third account does not', async () => {
      const bucket = world.bucketByPrefix('S3ManagedBucket');
      const r = await sim.readObject(producerAdmin, bucket, 'a.csv');
      expectOutcome(r, true);
      expect(r.legs.map((l) => l.leg)).toEqual(['s3']);
      expectOutcome(await sim.readObject(stranger, bucket, 'a.csv'), false);
    });

    test('TlsOnlyBucketPolicy with TLS 1.3: TLS 1.2 denied by DenyTlsBelow13, HTTP by the secure-transport deny', async () => {
      const legacy = world.bucketByPrefix('Legacy');
      expectOutcome(await sim.readObject(producerAdmin, legacy, 'a.csv', TLS_12), false, { sid: 'DenyTlsBelow13' });
      expectOutcome(await sim.readObject(producerAdmin, legacy, 'a.csv', HTTP), false, { effect: 'Deny' });
      expectOutcome(await sim.readObject(producerAdmin, legacy, 'a.csv', TLS_13), true);
      expectOutcome(await sim.manageBucketPolicy(producerAdmin, legacy, TLS_13), true);
    });
  });

  describe('VpcEndpointAccess', () => {
    let world: World;
    let sim: AccessSimulator;
    let bucket: BucketModel;
    let worker: Caller;
    beforeAll(() => {
      world = fresh(synthesize('endpoints', (app) => buildEndpoints(app)));
      sim = new AccessSimulator(world);
      bucket = world.bucketByPrefix('DataBucket');
      worker = definedPrincipal(world, [...world.identities.keys()].find((a) => a.includes('Worker'))!);
    });

    test('case D10: the VPC workload reads through the S3 endpoint; S3 calls KMS with no endpoint condition on that path', async () => {
      const r = await sim.readObject(worker, bucket, 'a.csv', throughEndpoints(world));
      expectOutcome(r, true);
      expect(r.legs.map((l) => `${l.leg} ${l.allowed}`)).toEqual(['endpoint true', 's3 true', 'kms true']);
      expectOutcome(r, true, { leg: 'endpoint', policy: 'endpoint policy' });
    });

    test('the same workload from outside the endpoint: denied by DenyDataAccessOutsideVpcEndpoints', async () => {
      expectOutcome(await sim.readObject(worker, bucket, 'a.csv', TLS_12), false, { leg: 's3', sid: 'DenyDataAccessOutsideVpcEndpoints', effect: 'Deny' });
      expectOutcome(await sim.writeObject(worker, bucket, 'a.csv', TLS_12, { multipart: true }), false, { sid: 'DenyDataAccessOutsideVpcEndpoints' });
    });

    test('case D09: the named administrator and the CDK deployment role work from outside the VPC and manage the bucket policy', async () => {
      expectOutcome(await sim.readObject(producerAdmin, bucket, 'a.csv', TLS_12), true);
      expectOutcome(await sim.manageBucketPolicy(producerAdmin, bucket, TLS_12), true);
      const cfnExec = administrator(PRODUCER, `cdk-hnb659fds-cfn-exec-role-${PRODUCER}-eu-west-1`);
      expectOutcome(await sim.manageBucketPolicy(cfnExec, bucket, TLS_12), true);
      expectOutcome(await sim.manageKeyPolicy(producerAdmin, bucket.keyArn!), true);
    });

    test('any other administrator-grade role of the account outside the VPC: may manage the bucket policy but not read data', async () => {
      const ops = administrator(PRODUCER, 'Operations');
      expectOutcome(await sim.manageBucketPolicy(ops, bucket, TLS_12), true);
      expectOutcome(await sim.readObject(ops, bucket, 'a.csv', TLS_12), false, { sid: 'DenyDataAccessOutsideVpcEndpoints' });
    });

    test('the partner reads from its own network (exempt), still TLS-only', async () => {
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv', TLS_12), true);
      expectOutcome(await sim.readObject(partnerAdmin, bucket, 'a.csv', HTTP), false, { sid: 'DenyInsecureTransport' });
    });

    test('a third account through the endpoint: denied by the endpoint policy (and no bucket-policy allow)', async () => {
      const r = await sim.readObject(stranger, bucket, 'a.csv', throughEndpoints(world));
      expectOutcome(r, false, { leg: 'endpoint', effect: 'NoAllow' });
    });

    test('the endpoint policy does not let the VPC reach a bucket it does not protect', async () => {
      const elsewhere: BucketModel = { ...bucket, name: 'someone-elses-bucket', arn: 'arn:aws:s3:::someone-elses-bucket', account: THIRD, policy: undefined, keyArn: undefined };
      const r = await sim.readObject(worker, elsewhere, 'a.csv', throughEndpoints(world));
      expectOutcome(r, false, { leg: 'endpoint', effect: 'NoAllow' });
    });
  });

  describe('the demo app', () => {
    let world: World;
    beforeAll(() => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-proof-demo-'));
      buildDemoApp(outdir).synth();
      world = fresh(outdir);
    });

    test('demo buckets: a third account is denied, the owner administrator manages every bucket policy, HTTP is denied', async () => {
      const sim = new AccessSimulator(world);
      // The demo holds the exchange bucket, the Athena workgroup's results bucket and their access-log buckets;
      // the loop below must cover all four.
      expect([...world.buckets.keys()].sort()).toEqual([
        'dataproducenge-bucket-6f5c0536-111111111111-eu-west-1',
        'dataproducer-analyticsresultsbucketaccesslogsc6c801e7',
        'dataproducer-exchangeaccesslogs1fa0d182',
        'dataproduceultsbucket-401635a1-111111111111-eu-west-1',
      ]);
      for (const bucket of world.buckets.values()) {
        expectOutcome(await sim.readObject(stranger, bucket, 'a.csv'), false);
        expectOutcome(await sim.manageBucketPolicy(producerAdmin, bucket), true);
        expectOutcome(await sim.readObject(producerAdmin, bucket, 'a.csv', HTTP), false, { effect: 'Deny' });
      }
    });

    test('every access the demo report claims is allowed, and unnamed principals are denied', async () => {
      expect(world.assembly.stacks.some((s) => s.report)).toBe(true);
      const checks = await checkReportClaims(world);
      expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.result?.explanation}`)).toEqual([]);
      expect(checks.length).toBeGreaterThan(5);
    });
  });

  describe('every report claim holds', () => {
    const fixtures: Array<[string, (app: any) => void]> = [
      ['exchange', (app) => buildExchange(app)],
      ['exchange without Bucket Key', (app) => buildExchange(app, { bucketKeyEnabled: false })],
      ['key with administrators', buildKeyWithAdmins],
      ['imported key', buildImportedKey],
      ['SSE-S3 and TLS-only plain bucket', buildSseS3AndPlain],
      ['VPC endpoints', (app) => buildEndpoints(app)],
      ['VPC endpoints, partner held to its own endpoint', (app) => buildEndpoints(app, { partnerVpcEndpoints: [{ partner: Partner.account(PARTNER), vpcEndpointIds: ['vpce-0123456789abcdef0'] }] })],
    ];
    test.each(fixtures)('%s: every claimed access is allowed, unnamed principals are denied', async (name, build) => {
      const world = fresh(synthesize(`claims-${name.replace(/\W+/g, '-')}`, build));
      const checks = await checkReportClaims(world);
      expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.result?.explanation}`)).toEqual([]);
      expect(checks.length).toBeGreaterThan(5);
    });

    const integDir = path.join(__dirname, '..', 'integ');
    // integ.consumer-stack-set.ts shares nothing (its StackSet deploys the consumer side into other accounts), so it has no access report to prove
    const integApps = fs.readdirSync(integDir).filter((f) => /^integ\..*\.ts$/.test(f) && f !== 'integ.consumer-stack-set.ts');
    // How many claim checks each integ app produces (as of writing); an app not listed must produce at least one.
    const minimumChecks: Record<string, number> = {
      'integ.cross-account.ts': 26,
      'integ.encrypted-bucket.ts': 22,
      'integ.vpc-endpoint-access.ts': 16,
    };
    test('the integ apps are found', () => {
      expect(integApps.length).toBeGreaterThan(0);
    });
    test.each(integApps)('integ app %s: every claimed access is allowed, unnamed principals are denied', async (file) => {
      const world = fresh(synthesizeIntegApp(path.join(integDir, file)));
      expect(world.assembly.stacks.some((s) => s.report)).toBe(true);
      const checks = await checkReportClaims(world);
      expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.result?.explanation}`)).toEqual([]);
      expect(checks.length).toBeGreaterThanOrEqual(minimumChecks[file] ?? 1);
    });
  });

  describe('throughput', () => {
    test('evaluateScenarios (the benchmark entry point) reports counts and scenarios per second', async () => {
      const run = await evaluateScenarios(synthesize('bench', (app) => buildExchange(app)));
      expect(run.failed).toBe(0);
      expect(run.scenarios).toBeGreaterThan(20);
      expect(run.scenariosPerSecond).toBeGreaterThan(0);
      // eslint-disable-next-line no-console
      console.log(`access proof: ${run.scenarios} scenarios, ${run.simulations} simulations in ${run.milliseconds.toFixed(0)} ms = ${run.scenariosPerSecond.toFixed(0)} scenarios/s`);
    });
  });
});

/**
 * Synthesizes an integ app (integ/integ.*.ts) in this process: with
 * CDK_OUTDIR set, its App registers a `beforeExit` listener that
 * synthesizes (as under `cdk synth`); the listener is taken and called here.
 */
function synthesizeIntegApp(file: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-proof-integ-'));
  const before = new Set(process.listeners('beforeExit'));
  const saved = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    });
  } finally {
    if (saved === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = saved;
  }
  const added = process.listeners('beforeExit').filter((l) => !before.has(l));
  for (const l of added) {
    process.removeListener('beforeExit', l);
    (l as () => void)();
  }
  return outdir;
}
