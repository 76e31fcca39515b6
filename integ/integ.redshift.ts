import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CrossAccountSharedKey, EncryptedRedshiftCluster, EncryptedRedshiftServerless } from '../src';

const app = new App();
const stack = new Stack(app, 'RedshiftInteg');
const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const warehouse = new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
const lakehouse = new EncryptedRedshiftServerless(stack, 'Lakehouse', { encryptionKey: key.key, vpc });
// The test cleans up after itself: the constructs retain the data by default and refuse DESTROY, so it is set on the L1s here.
warehouse.cluster.applyRemovalPolicy(RemovalPolicy.DESTROY);
lakehouse.namespace.applyRemovalPolicy(RemovalPolicy.DESTROY);

const integ = new IntegTest(app, 'RedshiftTest', { testCases: [stack] });
// The cluster is encrypted under the key, with enhanced VPC routing.
integ.assertions
  .awsApiCall('Redshift', 'describeClusters', { ClusterIdentifier: warehouse.cluster.ref })
  .expect(ExpectedResult.objectLike({ Clusters: [{ Encrypted: true, KmsKeyId: key.keyArn, EnhancedVpcRouting: true, PubliclyAccessible: false }] }));
// Its parameter group refuses connections without TLS.
integ.assertions
  .awsApiCall('Redshift', 'describeClusterParameters', { ParameterGroupName: warehouse.parameterGroup.ref, Source: 'user' })
  .expect(ExpectedResult.objectLike({ Parameters: [{ ParameterName: 'require_ssl', ParameterValue: 'true' }] }));
// The Serverless workgroup requires TLS too.
integ.assertions
  .awsApiCall('RedshiftServerless', 'getWorkgroup', { workgroupName: lakehouse.workgroup.workgroupName })
  .assertAtPath('workgroup.configParameters', ExpectedResult.arrayWith([ExpectedResult.objectLike({ parameterKey: 'require_ssl', parameterValue: 'true' })]));
