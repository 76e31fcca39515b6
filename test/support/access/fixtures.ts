/**
 * The apps the access-proof scenarios run against: one per configuration of
 * each construct. Each is synthesized once into a temporary cloud assembly
 * (with its access reports) and loaded as a {@link World}.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { World } from './world';
import {
  AccessLevel,
  CrossAccountConsumerPolicy,
  CrossAccountSharedKey,
  EncryptedBucket,
  Partner,
  ServerSideEncryption,
  TlsOnlyBucketPolicy,
  TlsVersion,
} from '../../../src';
import { VpcEndpointAccess } from '../../../src/network/vpc-endpoint-access';
import { ENV, ORG, PARTNER, PARTNER_ENV, PRODUCER, REGION } from '../stack';

/** A fourth account: the partner's ingest account, named by one role. */
export const INGEST = '444444444444';
export const INGEST_ROLE = `arn:aws:iam::${INGEST}:role/ingest`;
export const KEY_ADMIN_ROLE = `arn:aws:iam::${PRODUCER}:role/KeyAdmin`;
export const IMPORTED_KEY_ARN = `arn:aws:kms:${REGION}:${PRODUCER}:key/0a1b2c3d-1111-4222-8333-444455556666`;

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'access-proof-'));

/** Synthesizes an app built by `build` into a fresh directory; returns the directory. */
export function synthesize(name: string, build: (app: App) => void): string {
  const outdir = path.join(ROOT, name);
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

export function world(name: string, build: (app: App) => void): World {
  return World.fromDirectory(synthesize(name, build));
}

/**
 * The two-account exchange: an EncryptedBucket shared READ with account
 * 222222222222, WRITE under `incoming/` with one role of 444444444444, READ
 * with organization o-a1b2c3d4e5; a same-account reader role; and the
 * partner's own stack (in 222222222222) with its CrossAccountConsumerPolicy.
 */
export interface ExchangeOptions {
  readonly bucketKeyEnabled?: boolean;
  readonly minimumTlsVersion?: TlsVersion;
  readonly encryption?: ServerSideEncryption;
}

export function buildExchange(app: App, options: ExchangeOptions = {}): void {
  const producer = new Stack(app, 'Producer', { env: ENV });
  const exchange = new EncryptedBucket(producer, 'Exchange', {
    bucketKeyEnabled: options.bucketKeyEnabled,
    minimumTlsVersion: options.minimumTlsVersion,
    encryption: options.encryption,
  });
  exchange.shareWith(Partner.account(PARTNER), AccessLevel.READ);
  exchange.shareWith(Partner.principals([INGEST_ROLE]), AccessLevel.WRITE, { prefix: 'incoming/' });
  exchange.shareWith(Partner.organization(ORG), AccessLevel.READ, { prefix: 'public-to-org/' });
  const reader = new iam.Role(producer, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  exchange.grantRead(reader);

  const consumer = new Stack(app, 'Consumer', { env: PARTNER_ENV });
  const role = new iam.Role(consumer, 'Analyst', { roleName: 'analyst', assumedBy: new iam.AccountRootPrincipal() });
  new CrossAccountConsumerPolicy(consumer, 'ExchangeAccess', {
    bucketArn: `arn:aws:s3:::${producer.resolve((exchange.bucket.node.defaultChild as s3.CfnBucket).bucketName)}`,
    keyArn: exchange.encryptionKey!.keyArn,
    access: AccessLevel.READ,
    roles: [role],
  });
}

/** Account partners the `Many` bucket is shared with (READ), besides PARTNER. */
export const MORE_PARTNERS = ['444444444444', '777777777777'];

/** An EncryptedBucket shared READ with three partner accounts: one key statement names them all once, in kms:CallerAccount. */
export function buildAccountPartners(app: App): void {
  const stack = new Stack(app, 'AccountPartners', { env: ENV });
  const bucket = new EncryptedBucket(stack, 'Many');
  for (const account of [PARTNER, ...MORE_PARTNERS]) {
    bucket.shareWith(Partner.account(account), AccessLevel.READ);
  }
}

/** A CrossAccountSharedKey with a named key administrator, used by a bucket and granted to a partner. */
export function buildKeyWithAdmins(app: App): void {
  const stack = new Stack(app, 'KeyAdmins', { env: ENV });
  const key = new CrossAccountSharedKey(stack, 'SharedKey', {
    administrators: [new iam.ArnPrincipal(KEY_ADMIN_ROLE)],
    rotationPeriod: Duration.days(180),
    alias: 'alias/exchange',
  });
  const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: key.key });
  bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ_WRITE);
}

/** An EncryptedBucket under a key imported by ARN (its policy is not this app's), shared with a partner. */
export function buildImportedKey(app: App): void {
  const stack = new Stack(app, 'ImportedKey', { env: ENV });
  const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY_ARN) });
  bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
}

/**
 * Two buckets shared READ with the producer's own organization: `Excluding`
 * (the default, the owner account left out) and `Including`
 * (`includeOwnerAccount: true`).
 */
export function buildOrganizationShares(app: App): void {
  const stack = new Stack(app, 'OrgShares', { env: ENV });
  new EncryptedBucket(stack, 'Excluding').shareWith(Partner.organization(ORG), AccessLevel.READ);
  new EncryptedBucket(stack, 'Including').shareWith(Partner.organization(ORG, { includeOwnerAccount: true }), AccessLevel.READ);
}

/** SSE-S3 (chosen on purpose) and a plain bucket made TLS-only (TLS 1.3). */
export function buildSseS3AndPlain(app: App): void {
  const stack = new Stack(app, 'Plain', { env: ENV });
  new EncryptedBucket(stack, 'S3Managed', { encryption: ServerSideEncryption.SSE_S3 });
  const plain = new s3.Bucket(stack, 'Legacy', { encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  new TlsOnlyBucketPolicy(stack, 'LegacyTlsOnly', { bucket: plain, minimumTlsVersion: TlsVersion.TLS_1_3 });
}

/** An EncryptedBucket shared with a partner, restricted to a VPC's endpoints by VpcEndpointAccess. */
export function buildEndpoints(app: App, extra: Record<string, unknown> = {}): void {
  const stack = new Stack(app, 'Network', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const data = new EncryptedBucket(stack, 'Data');
  data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
  const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  data.grantReadWrite(worker);
  new VpcEndpointAccess(stack, 'Endpoints', {
    vpc,
    buckets: [data.bucket],
    administrators: [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/Administrator`)],
    ...extra,
  } as any);
}
