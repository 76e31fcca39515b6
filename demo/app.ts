import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AccessLevel,
  AthenaEngineVersion,
  CrossAccountConsumerPolicy,
  CrossAccountSharedKey,
  EncryptedAthenaWorkGroup,
  EncryptedBucket,
  EncryptedDeliveryStream,
  GlueDataCatalogEncryption,
  GlueSecurityConfiguration,
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

  // The pipeline, every step under the shared key. Orders arrive through Firehose into the bucket.
  const orders = new EncryptedDeliveryStream(producer, 'Orders', {
    encryptionKey: key.key,
    destination: exchange,
    dataOutputPrefix: 'firehose/orders/',
    errorOutputPrefix: 'firehose/errors/',
  });
  // A Glue job turns them into curated/orders/; its S3 output, logs and bookmarks are encrypted by the
  // security configuration, and the role may use the key as grantJob allows, nothing more.
  const glueEncryption = new GlueSecurityConfiguration(producer, 'GlueEncryption', { encryptionKey: key.key });
  const jobRole = new iam.Role(producer, 'OrdersJobRole', {
    assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
    description: 'Runs the Glue job that curates the delivered orders',
  });
  glueEncryption.grantJob(jobRole);
  const glueLogGroups = `arn:${producer.partition}:logs:${producer.region}:${producer.account}:log-group:/aws-glue/*`;
  jobRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [glueLogGroups],
    }),
  );
  jobRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [exchange.bucket.arnForObjects('scripts/curate-orders.py')] }));
  jobRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [exchange.bucket.arnForObjects('firehose/orders/*')] }));
  jobRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [exchange.bucket.arnForObjects('curated/orders/*')] }));
  // The role's own policy (its DefaultPolicy, where grants go) is inline and names three wildcards, each
  // on purpose: acknowledged on that policy, by the exact finding, and written into its template Metadata.
  const jobPolicy = jobRole.node.findChild('DefaultPolicy');
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
    Validations.of(jobPolicy).acknowledge({
      id: `${pack}-IAMNoInlinePolicy`,
      reason: 'grantJob adds to the role\'s own policy, as aws-cdk-lib grants do: it is attached to this one role, is created and deleted with it, and is never shared.',
    });
  }
  Validations.of(jobPolicy).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/firehose/orders/*]',
      reason: 'The job reads every object Firehose delivers under firehose/orders/, whose keys Firehose names by time; it reads nothing else of the bucket.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/curated/orders/*]',
      reason: 'The job writes its output under curated/orders/, with object keys Spark chooses; it writes nothing else of the bucket.',
    },
  );
  // Validations.acknowledge refuses an id holding "::" twice (the ARN's <AWS::Partition>), so this one
  // is recorded under the metadata key it writes, which cdk-nag reads.
  jobPolicy.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
    [`annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${PRODUCER_ENV.region}:${PRODUCER_ENV.account}:log-group:/aws-glue/*]`]:
      'Glue names its log groups itself (/aws-glue/jobs/output, /aws-glue/jobs/error, /aws-glue/jobs/logs-v2, suffixed with the security configuration): the job may write to and encrypt the Glue log groups of this account and Region only.',
  });
  TemplateAcknowledgements.write(jobPolicy);
  new glue.CfnJob(producer, 'CurateOrders', {
    role: jobRole.roleArn,
    description: 'Curates the orders Firehose delivers under firehose/orders/ into curated/orders/',
    command: { name: 'glueetl', pythonVersion: '3', scriptLocation: exchange.bucket.s3UrlForObject('scripts/curate-orders.py') },
    glueVersion: '5.0',
    workerType: 'G.1X',
    numberOfWorkers: 2,
    securityConfiguration: glueEncryption.securityConfigurationName,
    defaultArguments: { '--job-bookmark-option': 'job-bookmark-enable' },
  });
  // The account's Data Catalog (the tables the job and Athena read) is encrypted under the shared key, and
  // analysts query the curated orders in a workgroup whose results go to a bucket of their own under it.
  const catalogEncryption = new GlueDataCatalogEncryption(producer, 'CatalogEncryption', { encryptionKey: key.key });
  catalogEncryption.grantReadWrite(jobRole);
  new EncryptedAthenaWorkGroup(producer, 'Analytics', {
    encryptionKey: key.key,
    description: 'Queries over the curated orders; results under the shared key',
    engineVersion: AthenaEngineVersion.V3,
  });

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
  new VpcEndpointAccess(producer, 'Endpoints', {
    vpc,
    buckets: [exchange.bucket],
    // Firehose and a Glue job without a connection reach the bucket from outside the VPC: their roles
    // are exempt from the endpoint restriction by ARN (they are workloads, not administrators).
    exemptRoles: [orders.role, jobRole],
    // The role operators assume to repair the bucket policy from outside the VPC (a role of the bucket's account, not root).
    administratorArns: [ADMIN_ROLE_ARN],
  });

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
