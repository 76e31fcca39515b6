import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DataProtectionStatements, EncryptedBucket, VpcEndpointAccess } from '../src';

const app = new App();
const stack = new Stack(app, 'VpcEndpointAccessInteg');
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const data = new EncryptedBucket(stack, 'Data', {
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  encryptionKeyProps: { removalPolicy: RemovalPolicy.DESTROY },
});
// The role operators of the sandbox account assume to repair the bucket policy from outside the VPC.
const access = new VpcEndpointAccess(stack, 'Private', {
  vpc,
  buckets: [data.bucket],
  administratorArns: [Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/Admin')],
});

const integ = new IntegTest(app, 'VpcEndpointAccessTest', { testCases: [stack] });

// The bucket policy carries the deny of access from outside the endpoint.
integ.assertions
  .awsApiCall('S3', 'getBucketPolicy', { Bucket: data.bucket.bucketName })
  .expect(ExpectedResult.objectLike({ Policy: Match.stringLikeRegexp(`${DataProtectionStatements.SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS}.*aws:SourceVpce`) }));

// The S3 gateway endpoint exists in the VPC, routed, with its policy.
integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [access.s3Endpoint.vpcEndpointId] })
  .expect(
    ExpectedResult.objectLike({
      VpcEndpoints: [{ VpcEndpointId: access.s3Endpoint.vpcEndpointId, VpcEndpointType: 'Gateway', VpcId: vpc.vpcId, State: 'available' }],
    }),
  );

// The KMS interface endpoint has private DNS.
integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [access.kmsEndpoint!.vpcEndpointId] })
  .expect(ExpectedResult.objectLike({ VpcEndpoints: [{ VpcEndpointType: 'Interface', PrivateDnsEnabled: true, VpcId: vpc.vpcId }] }));
