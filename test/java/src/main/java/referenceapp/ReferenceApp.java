package referenceapp;

import io.github.cdkdataprotection.AccessLevel;
import io.github.cdkdataprotection.CrossAccountConsumerPolicy;
import io.github.cdkdataprotection.CrossAccountSharedKey;
import io.github.cdkdataprotection.EncryptedBucket;
import io.github.cdkdataprotection.KeyMonitoring;
import io.github.cdkdataprotection.Partner;
import io.github.cdkdataprotection.ShareOptions;
import io.github.cdkdataprotection.TemplateAcknowledgements;
import io.github.cdkdataprotection.TlsVersion;
import io.github.cdkdataprotection.VpcEndpointAccess;
import java.util.List;
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
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

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
