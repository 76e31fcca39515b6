"""The reference app of demo/app.ts, written in Python with the cdk-data-protection wheel.

Mirror demo/app.ts exactly (same stacks, same construct ids, same props): test_binding.py
synthesizes both and requires each stack defined here to equal its TypeScript twin.
When demo/app.ts changes, change this file the same way.
"""
import sys

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_s3 as s3
from cdk_data_protection import EncryptedBucket, TlsOnlyBucketPolicy, TlsVersion

# Producer account and Region of the reference app (placeholders; nothing is deployed).
PRODUCER_ENV = Environment(account="111111111111", region="eu-west-1")


def build_demo_app(outdir: str) -> App:
    app = App(outdir=outdir)
    producer = Stack(app, "DataProducer", env=PRODUCER_ENV)

    # SSE-KMS under a rotating customer-managed key, Bucket Key, TLS 1.2+, SSE-C blocked, private, versioned, retained.
    EncryptedBucket(producer, "Exchange")

    # An existing plain bucket made TLS-only, joining its one bucket policy.
    legacy = s3.Bucket(
        producer,
        "Legacy",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
    )
    TlsOnlyBucketPolicy(producer, "LegacyTlsOnly", bucket=legacy, minimum_tls_version=TlsVersion.TLS_1_2)

    return app


if __name__ == "__main__":
    build_demo_app(sys.argv[1]).synth()
