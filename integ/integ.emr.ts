import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountSharedKey, EmrInTransitEncryption, EmrSecurityConfiguration, EncryptedBucket } from '../src';

const app = new App();
const stack = new Stack(app, 'EmrInteg');
const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
// Where the PEM certificate zip is uploaded before a cluster is launched with the configuration.
const config = new EncryptedBucket(stack, 'Config', { encryptionKey: key.key, removalPolicy: RemovalPolicy.DESTROY });
const security = new EmrSecurityConfiguration(stack, 'Security', {
  encryptionKey: key.key,
  inTransitEncryption: EmrInTransitEncryption.pemCertificates(`s3://${config.bucket.bucketName}/emr/certs.zip`),
});
const serviceRole = new iam.Role(stack, 'ServiceRole', { assumedBy: new iam.ServicePrincipal('elasticmapreduce.amazonaws.com') });
const instanceRole = new iam.Role(stack, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
security.grantCluster(serviceRole, instanceRole);

const integ = new IntegTest(app, 'EmrTest', { testCases: [stack] });
// EMR stored the configuration with encryption at rest and in transit on.
integ.assertions
  .awsApiCall('EMR', 'describeSecurityConfiguration', { Name: security.securityConfigurationName })
  .assertAtPath('SecurityConfiguration', ExpectedResult.stringLikeRegexp('"EnableInTransitEncryption":true'));
// The key policy carries the EBS statements.
integ.assertions
  .awsApiCall('KMS', 'getKeyPolicy', { KeyId: key.keyArn, PolicyName: 'default' })
  .assertAtPath('Policy', ExpectedResult.stringLikeRegexp('AllowEmrEbsGrants'));
