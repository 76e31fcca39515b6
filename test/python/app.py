"""The reference app of demo/app.ts, written in Python with the cdk-data-protection wheel.

Mirror demo/app.ts exactly (same stacks, same construct ids, same props): test_binding.py
synthesizes both and requires each stack defined here to equal its TypeScript twin.
When demo/app.ts changes, change this file the same way.
"""
import sys

from aws_cdk import Acknowledgment, Annotations, App, Environment, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from cdk_data_protection import (
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
)

# Producer account and Region of the reference app (placeholders; nothing is deployed).
PRODUCER_ENV = Environment(account="111111111111", region="eu-west-1")
# The partner that reads, with its own stack in this app.
CONSUMER_ENV = Environment(account="222222222222", region="eu-west-1")
# The one role of a third account that writes under `incoming/`.
INGEST_ROLE_ARN = "arn:aws:iam::333333333333:role/ingest"


def build_demo_app(outdir: str) -> App:
    app = App(outdir=outdir)

    # Producer, account 111111111111.
    producer = Stack(app, "DataProducer", env=PRODUCER_ENV)
    key = CrossAccountSharedKey(
        producer,
        "ExchangeKey",
        alias="alias/partner-exchange",
        description="Encrypts the partner exchange bucket",
    )
    exchange = EncryptedBucket(producer, "Exchange", encryption_key=key.key, minimum_tls_version=TlsVersion.TLS_1_2)
    exchange.share_with(Partner.account(CONSUMER_ENV.account), AccessLevel.READ)
    exchange.share_with(Partner.principals([INGEST_ROLE_ARN]), AccessLevel.WRITE, prefix="incoming/")

    # The pipeline, every step under the shared key. Orders arrive through Firehose into the bucket.
    orders = EncryptedDeliveryStream(
        producer,
        "Orders",
        encryption_key=key.key,
        destination=exchange,
        data_output_prefix="firehose/orders/",
        error_output_prefix="firehose/errors/",
    )
    # A Glue job turns them into curated/orders/; its S3 output, logs and bookmarks are encrypted by the
    # security configuration, and the role may use the key as grant_job allows, nothing more.
    glue_encryption = GlueSecurityConfiguration(producer, "GlueEncryption", encryption_key=key.key)
    job_role = iam.Role(
        producer,
        "OrdersJobRole",
        assumed_by=iam.ServicePrincipal("glue.amazonaws.com"),
        description="Runs the Glue job that curates the delivered orders",
    )
    glue_encryption.grant_job(job_role)
    glue_log_groups = f"arn:{producer.partition}:logs:{producer.region}:{producer.account}:log-group:/aws-glue/*"
    job_role.add_to_principal_policy(
        iam.PolicyStatement(actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], resources=[glue_log_groups])
    )
    job_role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[exchange.bucket.arn_for_objects("scripts/curate-orders.py")]))
    job_role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[exchange.bucket.arn_for_objects("firehose/orders/*")]))
    job_role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[exchange.bucket.arn_for_objects("curated/orders/*")]))
    # The role's own policy (its DefaultPolicy, where grants go) is inline and names three wildcards, each
    # on purpose: acknowledged on that policy, by the exact finding, and written into its template Metadata.
    job_policy = job_role.node.find_child("DefaultPolicy")
    for pack in ["NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"]:
        Validations.of(job_policy).acknowledge(
            Acknowledgment(
                id=f"{pack}-IAMNoInlinePolicy",
                reason="grantJob adds to the role's own policy, as aws-cdk-lib grants do: it is attached to this one role, is created and deleted with it, and is never shared.",
            )
        )
    Validations.of(job_policy).acknowledge(
        Acknowledgment(
            id="AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/firehose/orders/*]",
            reason="The job reads every object Firehose delivers under firehose/orders/, whose keys Firehose names by time; it reads nothing else of the bucket.",
        ),
        Acknowledgment(
            id="AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/curated/orders/*]",
            reason="The job writes its output under curated/orders/, with object keys Spark chooses; it writes nothing else of the bucket.",
        ),
    )
    # Validations.acknowledge refuses an id holding "::" twice (the ARN's <AWS::Partition>), so this one
    # is recorded under the metadata key it writes, which cdk-nag reads.
    job_policy.node.add_metadata(
        Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
        {
            f"annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:{PRODUCER_ENV.region}:{PRODUCER_ENV.account}:log-group:/aws-glue/*]":
                "Glue names its log groups itself (/aws-glue/jobs/output, /aws-glue/jobs/error, /aws-glue/jobs/logs-v2, suffixed with the security configuration): the job may write to and encrypt the Glue log groups of this account and Region only.",
        },
    )
    TemplateAcknowledgements.write(job_policy)
    glue.CfnJob(
        producer,
        "CurateOrders",
        role=job_role.role_arn,
        description="Curates the orders Firehose delivers under firehose/orders/ into curated/orders/",
        command=glue.CfnJob.JobCommandProperty(
            name="glueetl", python_version="3", script_location=exchange.bucket.s3_url_for_object("scripts/curate-orders.py")
        ),
        glue_version="5.0",
        worker_type="G.1X",
        number_of_workers=2,
        security_configuration=glue_encryption.security_configuration_name,
        default_arguments={"--job-bookmark-option": "job-bookmark-enable"},
    )
    # The account's Data Catalog (the tables the job and Athena read) is encrypted under the shared key, and
    # analysts query the curated orders in a workgroup whose results go to a bucket of their own under it.
    catalog_encryption = GlueDataCatalogEncryption(producer, "CatalogEncryption", encryption_key=key.key)
    catalog_encryption.grant_read_write(job_role)
    EncryptedAthenaWorkGroup(
        producer,
        "Analytics",
        encryption_key=key.key,
        description="Queries over the curated orders; results under the shared key",
        engine_version=AthenaEngineVersion.V3,
    )

    vpc = ec2.Vpc(
        producer,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
    )
    # The platform team's own choice, acknowledged with its reason as any app would.
    for pack in ["NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"]:
        Validations.of(vpc).acknowledge(
            Acknowledgment(
                id=f"{pack}-VPCDefaultSecurityGroupClosed",
                reason="Nothing in this VPC uses its default security group; the KMS endpoint has its own, admitting HTTPS from the VPC only.",
            )
        )
    TemplateAcknowledgements.write(vpc)
    vpc.add_flow_log("FlowLogs", destination=ec2.FlowLogDestination.to_s3(exchange.access_logs_bucket, "vpc-flow-logs/"))
    # Firehose and a Glue job without a connection reach the bucket from outside the VPC: their roles are
    # exempt from the endpoint restriction by ARN (they are workloads, not administrators).
    VpcEndpointAccess(
        producer,
        "Endpoints",
        vpc=vpc,
        buckets=[exchange.bucket],
        exempt_roles=[orders.role, job_role],
        administrator_arns=["arn:aws:iam::111111111111:role/DataPlatformAdmin"],
    )

    # Key-safety notifications, the KMS request-quota alarm and a dashboard for the shared key. The
    # organization's trail logs management events, so this app creates none.
    monitoring = KeyMonitoring(producer, "KeyMonitoring", keys=[key.key])
    Annotations.of(monitoring).acknowledge_warning(
        "cdk-data-protection:monitoringNeedsTrail",
        "The organization trail logs management events in every account and Region.",
    )

    # Consumer, account 222222222222: a reader role with the policy its side needs.
    consumer = Stack(app, "DataConsumer", env=CONSUMER_ENV)
    reader = iam.Role(
        consumer,
        "Reader",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description="Reads the partner exchange bucket of account 111111111111",
    )
    CrossAccountConsumerPolicy(
        consumer,
        "ExchangeAccess",
        bucket_arn=exchange.bucket.bucket_arn,
        key_arn=key.key_arn,
        access=AccessLevel.READ,
        roles=[reader],
    )

    return app


if __name__ == "__main__":
    build_demo_app(sys.argv[1]).synth()
