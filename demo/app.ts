import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedBucket, TlsOnlyBucketPolicy, TlsVersion } from '../src';

/** Producer account and Region of the reference app (placeholders; nothing is deployed). */
export const PRODUCER_ENV = { account: '111111111111', region: 'eu-west-1' };

/**
 * The reference app: what a platform team writes.
 *
 * @param outdir where the cloud assembly goes
 */
export function buildDemoApp(outdir: string): App {
  const app = new App({ outdir });
  const producer = new Stack(app, 'DataProducer', { env: PRODUCER_ENV });

  // SSE-KMS under a rotating customer-managed key, Bucket Key, TLS 1.2+, SSE-C blocked, private, versioned, retained.
  new EncryptedBucket(producer, 'Exchange');

  // An existing plain bucket made TLS-only, joining its one bucket policy.
  const legacy = new s3.Bucket(producer, 'Legacy', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
  });
  new TlsOnlyBucketPolicy(producer, 'LegacyTlsOnly', { bucket: legacy, minimumTlsVersion: TlsVersion.TLS_1_2 });

  return app;
}
