/**
 * Access proof of EncryptedAthenaWorkGroup.grantQuery: the synthesized key
 * policy and IAM policy, evaluated with @cloud-copilot/iam-simulate. The
 * simulator does not evaluate `kms:EncryptionContext:*` keys (it accepts
 * them whatever the request holds) and never fills in request context
 * itself: the shared harness (support/access/service-call.ts) decides those conditions against the
 * request first, and every request names the context S3 sends for the
 * results bucket (with an S3 Bucket Key: the bucket ARN).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountSharedKey, EncryptedAthenaWorkGroup, EncryptedBucket } from '../src';
import { PRODUCER, producerStack, REGION, THIRD } from './support';
import { ALLOW_EVERYTHING, decideCall, RequestContext, synthesizedWorld } from './support/access/service-call';

const BUCKET = 'athena-results-bucket';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const VIA_S3 = `s3.${REGION}.amazonaws.com`;
const VIA_ATHENA = `athena.${REGION}.amazonaws.com`;

function world() {
  const { stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const results = new EncryptedBucket(stack, 'Results', { encryptionKey: key.key, bucketName: BUCKET });
  const workGroup = new EncryptedAthenaWorkGroup(stack, 'Analytics', { encryptionKey: key.key, resultsBucket: results, workGroupName: 'analytics' });
  const analyst = new iam.Role(stack, 'Analyst', { roleName: 'analyst', assumedBy: new iam.AccountRootPrincipal() });
  workGroup.grantQuery(analyst);
  const w = synthesizedWorld(stack);
  return {
    keyArn: w.keyArn,
    keyPolicy: w.keyPolicy,
    analystPolicy: w.policyOf('AnalystDefaultPolicy'),
    analystRole: w.arnOf('Analyst'),
    workGroupArn: `arn:aws:athena:${REGION}:${PRODUCER}:workgroup/analytics`,
  };
}

describe('access proof: EncryptedAthenaWorkGroup.grantQuery', () => {
  const w = world();

  test.each(['kms:GenerateDataKey', 'kms:Decrypt'])('a granted role reaches the key through S3 for the results bucket (%s, kms:ViaService S3, the bucket\'s encryption context)', async (action) => {
    for (const context of [BUCKET_ARN, `${BUCKET_ARN}/athena-results/0a1b2c3d.csv`]) {
      expect(await decideCall(w.analystRole, action, w.keyArn, w.analystPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': context })).toBe('Allowed');
    }
  });

  test('a granted role is denied the key directly (no kms:ViaService), through another service, for another bucket or outside the results prefix', async () => {
    const decrypt = (context: RequestContext) => decideCall(w.analystRole, 'kms:Decrypt', w.keyArn, w.analystPolicy, w.keyPolicy, context);
    expect(await decrypt({ 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_ATHENA, 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other-bucket' })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': `${BUCKET_ARN}/raw/orders.csv` })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_S3 })).not.toBe('Allowed');
  });

  test('a granted role runs queries in this workgroup only, and writes results under the results prefix only', async () => {
    expect(await decideCall(w.analystRole, 'athena:StartQueryExecution', w.workGroupArn, w.analystPolicy, undefined, {})).toBe('Allowed');
    expect(await decideCall(w.analystRole, 'athena:StartQueryExecution', `arn:aws:athena:${REGION}:${PRODUCER}:workgroup/primary`, w.analystPolicy, undefined, {})).not.toBe('Allowed');
    expect(await decideCall(w.analystRole, 's3:PutObject', `${BUCKET_ARN}/athena-results/0a1b2c3d.csv`, w.analystPolicy, undefined, {})).toBe('Allowed');
    expect(await decideCall(w.analystRole, 's3:PutObject', `${BUCKET_ARN}/raw/orders.csv`, w.analystPolicy, undefined, {})).not.toBe('Allowed');
  });

  test('a principal of another account is denied every use of the key, even with an allow-everything IAM policy', async () => {
    const outsider = `arn:aws:iam::${THIRD}:role/analyst`;
    for (const context of <RequestContext[]>[{}, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN }]) {
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
        expect(await decideCall(outsider, action, w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, context)).not.toBe('Allowed');
      }
    }
  });
});
