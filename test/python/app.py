"""The reference app of demo/app.ts, written in Python with the cdk-data-protection wheel.

Mirror demo/app.ts exactly (same stacks, same construct ids, same props): test_binding.py
synthesizes both and requires each stack defined here to equal its TypeScript twin.
When demo/app.ts changes, change this file the same way.
"""
import sys

from aws_cdk import Acknowledgment, Annotations, App, Environment, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from cdk_data_protection import (
    AccessLevel,
    CrossAccountConsumerPolicy,
    CrossAccountSharedKey,
    EncryptedBucket,
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
    VpcEndpointAccess(
        producer,
        "Endpoints",
        vpc=vpc,
        buckets=[exchange.bucket],
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
