import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AccessLevel,
  CrossAccountConsumerPolicy,
  CrossAccountSharedKey,
  EncryptedBucket,
  KeyMonitoring,
  Partner,
  TemplateAcknowledgements,
  TlsVersion,
  VpcEndpointAccess,
} from '../src';

/** Producer account and Region of the reference app (placeholders; nothing is deployed). */
export const PRODUCER_ENV = { account: '111111111111', region: 'eu-west-1' };
/** The partner that reads, with its own stack in this app. */
export const CONSUMER_ENV = { account: '222222222222', region: 'eu-west-1' };
/** The one role of a third account that writes under `incoming/`. */
export const INGEST_ROLE_ARN = 'arn:aws:iam::333333333333:role/ingest';
/** The producer's administrator role, exempt from the VPC endpoint restriction. */
export const ADMIN_ROLE_ARN = 'arn:aws:iam::111111111111:role/DataPlatformAdmin';

/**
 * The reference app: what a platform team writes to share an encrypted bucket
 * with two partners, and what the reading partner writes on its side.
 *
 * @param outdir where the cloud assembly goes
 */
export function buildDemoApp(outdir: string): App {
  const app = new App({ outdir });

  // Producer, account 111111111111.
  const producer = new Stack(app, 'DataProducer', { env: PRODUCER_ENV });
  const key = new CrossAccountSharedKey(producer, 'ExchangeKey', {
    alias: 'alias/partner-exchange',
    description: 'Encrypts the partner exchange bucket',
  });
  const exchange = new EncryptedBucket(producer, 'Exchange', {
    encryptionKey: key.key,
    minimumTlsVersion: TlsVersion.TLS_1_2,
  });
  exchange.shareWith(Partner.account(CONSUMER_ENV.account), AccessLevel.READ);
  exchange.shareWith(Partner.principals([INGEST_ROLE_ARN]), AccessLevel.WRITE, { prefix: 'incoming/' });

  const vpc = new ec2.Vpc(producer, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  // The platform team's own choice, acknowledged with its reason as any app would, and written
  // into the template so that scanners reading only templates honour it too.
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
    Validations.of(vpc).acknowledge({
      id: `${pack}-VPCDefaultSecurityGroupClosed`,
      reason: 'Nothing in this VPC uses its default security group; the KMS endpoint has its own, admitting HTTPS from the VPC only.',
    });
  }
  TemplateAcknowledgements.write(vpc);
  vpc.addFlowLog('FlowLogs', { destination: ec2.FlowLogDestination.toS3(exchange.accessLogsBucket, 'vpc-flow-logs/') });
  // The role operators assume to repair the bucket policy from outside the VPC (a role of the bucket's account, not root).
  new VpcEndpointAccess(producer, 'Endpoints', { vpc, buckets: [exchange.bucket], administratorArns: [ADMIN_ROLE_ARN] });

  // Key-safety notifications, the KMS request-quota alarm and a dashboard for the shared key. The
  // organization's trail logs management events, so this app creates none.
  const monitoring = new KeyMonitoring(producer, 'KeyMonitoring', { keys: [key.key] });
  Annotations.of(monitoring).acknowledgeWarning(
    'cdk-data-protection:monitoringNeedsTrail',
    'The organization trail logs management events in every account and Region.',
  );

  // Consumer, account 222222222222: a reader role with the policy its side needs.
  const consumer = new Stack(app, 'DataConsumer', { env: CONSUMER_ENV });
  const reader = new iam.Role(consumer, 'Reader', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Reads the partner exchange bucket of account 111111111111',
  });
  new CrossAccountConsumerPolicy(consumer, 'ExchangeAccess', {
    bucketArn: exchange.bucket.bucketArn,
    keyArn: key.keyArn,
    access: AccessLevel.READ,
    roles: [reader],
  });

  return app;
}
