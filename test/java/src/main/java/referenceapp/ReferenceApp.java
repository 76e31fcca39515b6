package referenceapp;

import io.github.cdkdataprotection.AccessLevel;
import io.github.cdkdataprotection.AthenaEngineVersion;
import io.github.cdkdataprotection.CrossAccountConsumerPolicy;
import io.github.cdkdataprotection.CrossAccountSharedKey;
import io.github.cdkdataprotection.EncryptedAthenaWorkGroup;
import io.github.cdkdataprotection.EncryptedBucket;
import io.github.cdkdataprotection.EncryptedDeliveryStream;
import io.github.cdkdataprotection.GlueDataCatalogEncryption;
import io.github.cdkdataprotection.GlueSecurityConfiguration;
import io.github.cdkdataprotection.KeyMonitoring;
import io.github.cdkdataprotection.Partner;
import io.github.cdkdataprotection.ShareOptions;
import io.github.cdkdataprotection.TemplateAcknowledgements;
import io.github.cdkdataprotection.TlsVersion;
import io.github.cdkdataprotection.VpcEndpointAccess;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.IConstruct;

/**
 * The reference app of demo/app.ts, written in Java. Mirror demo/app.ts exactly (same stacks,
 * construct ids and props): test/python/test_jvm_go.py requires each stack to equal its TypeScript twin.
 *
 * Usage: mvn -q compile exec:java -Dexec.args=OUTDIR
 */
public final class ReferenceApp {
  private static final Environment PRODUCER_ENV = Environment.builder().account("111111111111").region("eu-west-1").build();
  private static final Environment CONSUMER_ENV = Environment.builder().account("222222222222").region("eu-west-1").build();
  private static final String INGEST_ROLE_ARN = "arn:aws:iam::333333333333:role/ingest";

  private ReferenceApp() {}

  public static void main(final String[] args) {
    software.amazon.awscdk.App app = software.amazon.awscdk.App.Builder.create().outdir(args[0]).build();

    // Producer, account 111111111111.
    Stack producer = new Stack(app, "DataProducer", StackProps.builder().env(PRODUCER_ENV).build());
    CrossAccountSharedKey key = CrossAccountSharedKey.Builder.create(producer, "ExchangeKey")
        .alias("alias/partner-exchange")
        .description("Encrypts the partner exchange bucket")
        .build();
    EncryptedBucket exchange = EncryptedBucket.Builder.create(producer, "Exchange")
        .encryptionKey(key.getKey())
        .minimumTlsVersion(TlsVersion.TLS_1_2)
        .build();
    exchange.shareWith(Partner.account(CONSUMER_ENV.getAccount()), AccessLevel.READ);
    exchange.shareWith(Partner.principals(List.of(INGEST_ROLE_ARN)), AccessLevel.WRITE, ShareOptions.builder().prefix("incoming/").build());

    // The pipeline, every step under the shared key. Orders arrive through Firehose into the bucket.
    EncryptedDeliveryStream orders = EncryptedDeliveryStream.Builder.create(producer, "Orders")
        .encryptionKey(key.getKey())
        .destination(exchange)
        .dataOutputPrefix("firehose/orders/")
        .errorOutputPrefix("firehose/errors/")
        .build();
    // A Glue job turns them into curated/orders/; its S3 output, logs and bookmarks are encrypted by the
    // security configuration, and the role may use the key as grantJob allows, nothing more.
    GlueSecurityConfiguration glueEncryption = GlueSecurityConfiguration.Builder.create(producer, "GlueEncryption")
        .encryptionKey(key.getKey())
        .build();
    Role jobRole = Role.Builder.create(producer, "OrdersJobRole")
        .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
        .description("Runs the Glue job that curates the delivered orders")
        .build();
    glueEncryption.grantJob(jobRole);
    String glueLogGroups = "arn:" + producer.getPartition() + ":logs:" + producer.getRegion() + ":" + producer.getAccount() + ":log-group:/aws-glue/*";
    jobRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"))
        .resources(List.of(glueLogGroups))
        .build());
    jobRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("s3:GetObject")).resources(List.of(exchange.getBucket().arnForObjects("scripts/curate-orders.py"))).build());
    jobRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("s3:GetObject")).resources(List.of(exchange.getBucket().arnForObjects("firehose/orders/*"))).build());
    jobRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("s3:PutObject")).resources(List.of(exchange.getBucket().arnForObjects("curated/orders/*"))).build());
    // The role's own policy (its DefaultPolicy, where grants go) is inline and names three wildcards, each
    // on purpose: acknowledged on that policy, by the exact finding, and written into its template Metadata.
    IConstruct jobPolicy = jobRole.getNode().findChild("DefaultPolicy");
    for (String pack : List.of("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")) {
      Validations.of(jobPolicy).acknowledge(Acknowledgment.builder()
          .id(pack + "-IAMNoInlinePolicy")
          .reason("grantJob adds to the role's own policy, as aws-cdk-lib grants do: it is attached to this one role, is created and deleted with it, and is never shared.")
          .build());
    }
    Validations.of(jobPolicy).acknowledge(
        Acknowledgment.builder()
            .id("AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/firehose/orders/*]")
            .reason("The job reads every object Firehose delivers under firehose/orders/, whose keys Firehose names by time; it reads nothing else of the bucket.")
            .build(),
        Acknowledgment.builder()
            .id("AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/curated/orders/*]")
            .reason("The job writes its output under curated/orders/, with object keys Spark chooses; it writes nothing else of the bucket.")
            .build());
    // Validations.acknowledge refuses an id holding "::" twice (the ARN's <AWS::Partition>), so this one
    // is recorded under the metadata key it writes, which cdk-nag reads.
    jobPolicy.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Map.of(
        "annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:" + PRODUCER_ENV.getRegion() + ":" + PRODUCER_ENV.getAccount() + ":log-group:/aws-glue/*]",
        "Glue names its log groups itself (/aws-glue/jobs/output, /aws-glue/jobs/error, /aws-glue/jobs/logs-v2, suffixed with the security configuration): the job may write to and encrypt the Glue log groups of this account and Region only."));
    TemplateAcknowledgements.write(jobPolicy);
    CfnJob.Builder.create(producer, "CurateOrders")
        .role(jobRole.getRoleArn())
        .description("Curates the orders Firehose delivers under firehose/orders/ into curated/orders/")
        .command(CfnJob.JobCommandProperty.builder()
            .name("glueetl")
            .pythonVersion("3")
            .scriptLocation(exchange.getBucket().s3UrlForObject("scripts/curate-orders.py"))
            .build())
        .glueVersion("5.0")
        .workerType("G.1X")
        .numberOfWorkers(2)
        .securityConfiguration(glueEncryption.getSecurityConfigurationName())
        .defaultArguments(Map.of("--job-bookmark-option", "job-bookmark-enable"))
        .build();
    // The account's Data Catalog (the tables the job and Athena read) is encrypted under the shared key, and
    // analysts query the curated orders in a workgroup whose results go to a bucket of their own under it.
    GlueDataCatalogEncryption catalogEncryption = GlueDataCatalogEncryption.Builder.create(producer, "CatalogEncryption")
        .encryptionKey(key.getKey())
        .build();
    catalogEncryption.grantReadWrite(jobRole);
    EncryptedAthenaWorkGroup.Builder.create(producer, "Analytics")
        .encryptionKey(key.getKey())
        .description("Queries over the curated orders; results under the shared key")
        .engineVersion(AthenaEngineVersion.V3)
        .build();

    Vpc vpc = Vpc.Builder.create(producer, "Vpc")
        .maxAzs(2)
        .natGateways(0)
        .subnetConfiguration(List.of(SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_ISOLATED).build()))
        .build();
    // The platform team's own choice, acknowledged with its reason, and written into the template.
    for (String pack : List.of("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")) {
      Validations.of(vpc).acknowledge(Acknowledgment.builder()
          .id(pack + "-VPCDefaultSecurityGroupClosed")
          .reason("Nothing in this VPC uses its default security group; the KMS endpoint has its own, admitting HTTPS from the VPC only.")
          .build());
    }
    TemplateAcknowledgements.write(vpc);
    vpc.addFlowLog("FlowLogs", FlowLogOptions.builder().destination(FlowLogDestination.toS3(exchange.getAccessLogsBucket(), "vpc-flow-logs/")).build());
    VpcEndpointAccess.Builder.create(producer, "Endpoints")
        .vpc(vpc)
        .buckets(List.of(exchange.getBucket()))
        // Firehose and a Glue job without a connection reach the bucket from outside the VPC: their roles
        // are exempt from the endpoint restriction by ARN (they are workloads, not administrators).
        .exemptRoles(List.of(orders.getRole(), jobRole))
        .administratorArns(List.of("arn:aws:iam::111111111111:role/DataPlatformAdmin"))
        .build();

    // Key-safety notifications, the KMS request-quota alarm and a dashboard for the shared key. The
    // organization's trail logs management events, so this app creates none.
    KeyMonitoring monitoring = KeyMonitoring.Builder.create(producer, "KeyMonitoring")
        .keys(List.of(key.getKey()))
        .build();
    Annotations.of(monitoring).acknowledgeWarning(
        "cdk-data-protection:monitoringNeedsTrail",
        "The organization trail logs management events in every account and Region.");

    // Consumer, account 222222222222: a reader role with the policy its side needs.
    Stack consumer = new Stack(app, "DataConsumer", StackProps.builder().env(CONSUMER_ENV).build());
    Role reader = Role.Builder.create(consumer, "Reader")
        .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
        .description("Reads the partner exchange bucket of account 111111111111")
        .build();
    CrossAccountConsumerPolicy.Builder.create(consumer, "ExchangeAccess")
        .bucketArn(exchange.getBucket().getBucketArn())
        .keyArn(key.getKeyArn())
        .access(AccessLevel.READ)
        .roles(List.of(reader))
        .build();

    app.synth();
  }
}
