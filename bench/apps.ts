/**
 * The two apps the synthesis benchmark compares: N buckets built with our
 * constructs, and the same N buckets hand-wired with aws-cdk-lib L2s to the
 * same security properties (same statements, as near as the L2s allow).
 *
 * Each bucket: SSE-KMS under its own rotating key, S3 Bucket Key, TLS 1.2
 * minimum, SSE-C blocked, uploads naming another algorithm or key denied,
 * server access logs to an SSE-S3 log bucket, shared READ with 3 partners.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, EncryptedBucket, Partner } from '../src';

export const ENV = { account: '111111111111', region: 'eu-west-1' };
export const PARTNERS = ['222222222222', '333333333333', '444444444444'];
/** Buckets per stack: each bucket is 5 resources, and a stack holds at most 500. */
export const BUCKETS_PER_STACK = 50;

function stackFor(app: App, i: number): Stack {
  const id = `Bench${Math.floor(i / BUCKETS_PER_STACK)}`;
  return (app.node.tryFindChild(id) as Stack | undefined) ?? new Stack(app, id, { env: ENV });
}

export function oursApp(n: number, outdir: string, report = true): App {
  const app = new App({ outdir, context: report ? {} : { 'cdk-data-protection:report': false } });
  for (let i = 0; i < n; i++) {
    const bucket = new EncryptedBucket(stackFor(app, i), `B${i}`);
    for (const account of PARTNERS) {
      bucket.shareWith(Partner.account(account), AccessLevel.READ);
    }
  }
  return app;
}

export function handWiredApp(n: number, outdir: string): App {
  // A hand-wiring user sets this flag (new `cdk init` apps do): without it the
  // log bucket needs ACLs, which BucketOwnerEnforced forbids.
  const app = new App({ outdir, context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
  for (let i = 0; i < n; i++) {
    const stack = stackFor(app, i);
    const key = new kms.Key(stack, `K${i}`, {
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logs = new s3.Bucket(stack, `L${i}`, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
    });
    const bucket = new s3.Bucket(stack, `B${i}`, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'access-logs/',
    });
    const deny = (sid: string, conditions: Record<string, unknown>) =>
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions,
      });
    bucket.addToResourcePolicy(deny('DenySseC', { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } }));
    bucket.addToResourcePolicy(
      deny('DenyOtherTypes', { Null: { 's3:x-amz-server-side-encryption': 'false' }, StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }),
    );
    bucket.addToResourcePolicy(
      deny('DenyOtherKeys', {
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn },
      }),
    );
    const partners = PARTNERS.map((a) => new iam.AccountPrincipal(a));
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: partners,
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: partners,
        actions: ['kms:Decrypt', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          'StringEquals': { 'kms:ViaService': `s3.${ENV.region}.amazonaws.com`, 'kms:CallerAccount': PARTNERS },
          'ForAnyValue:StringLike': { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, bucket.arnForObjects('*')] },
        },
      }),
    );
  }
  return app;
}
