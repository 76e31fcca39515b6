import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AthenaEngineVersion, CrossAccountSharedKey, DataProtectionStatements, EncryptedAthenaWorkGroup, EncryptedBucket } from '../src';

const app = new App();
const stack = new Stack(app, 'AthenaInteg');
const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const results = new EncryptedBucket(stack, 'Results', { encryptionKey: key.key, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
const workGroup = new EncryptedAthenaWorkGroup(stack, 'Analytics', {
  encryptionKey: key.key,
  resultsBucket: results,
  workGroupName: 'cdk-data-protection-integ',
  engineVersion: AthenaEngineVersion.V3,
  bytesScannedCutoffPerQuery: 1_000_000_000,
  removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'AthenaTest', { testCases: [stack] });
// Athena says the workgroup enforces its settings: results under SSE_KMS with the key, in the results bucket of this account.
integ.assertions
  .awsApiCall('Athena', 'getWorkGroup', { WorkGroup: workGroup.workGroupName })
  .expect(
    ExpectedResult.objectLike({
      WorkGroup: {
        Configuration: {
          EnforceWorkGroupConfiguration: true,
          ResultConfiguration: {
            OutputLocation: workGroup.outputLocation,
            ExpectedBucketOwner: stack.account,
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: key.keyArn },
          },
        },
      },
    }),
  );
// A query that asks for no encryption and another location runs with the workgroup's settings anyway.
const start = integ.assertions.awsApiCall('Athena', 'startQueryExecution', {
  QueryString: 'SELECT 1',
  WorkGroup: workGroup.workGroupName,
  ResultConfiguration: { OutputLocation: `s3://${results.bucket.bucketName}/elsewhere/` },
});
// Athena writes the results with the caller's credentials: the assertion's role gets what grantQuery gives a role.
for (const statement of [
  DataProtectionStatements.allowAthenaQuery(workGroup.workGroupArn, 'Integ'),
  ...DataProtectionStatements.allowAthenaResults(results.bucket.bucketArn, workGroup.resultsPrefix, 'Integ'),
  DataProtectionStatements.allowAthenaResultsKeyUse(key.keyArn, results.bucket.bucketArn, workGroup.resultsPrefix, stack.region, 'Integ'),
]) {
  start.provider.addToRolePolicy(statement.toStatementJson());
}
const execution = integ.assertions.awsApiCall('Athena', 'getQueryExecution', { QueryExecutionId: start.getAttString('QueryExecutionId') });
execution.provider.addToRolePolicy(DataProtectionStatements.allowAthenaQuery(workGroup.workGroupArn, 'IntegRead').toStatementJson());
execution
  .expect(
    ExpectedResult.objectLike({
      QueryExecution: {
        Status: { State: 'SUCCEEDED' },
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: key.keyArn } },
      },
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });
