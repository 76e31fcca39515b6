/**
 * Access proof of the Glue constructs: the synthesized key policy and IAM
 * policies of a GlueSecurityConfiguration job role, a Data Catalog reader and
 * a catalog partner, evaluated with @cloud-copilot/iam-simulate. The
 * simulator never fills in request context itself and accepts context keys
 * that do not apply, so every request names exactly what KMS sets for it:
 * `kms:ViaService` when a service calls on the principal's behalf (absent for
 * a direct call) and `kms:CallerAccount`, the principal's account. Each
 * proof has a request that must be allowed and one that must be denied, so
 * a policy that allowed everything, or nothing, fails it.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLevel, CrossAccountSharedKey, DataProtectionStatements, GlueDataCatalogEncryption, GlueSecurityConfiguration, Partner } from '../src';
import { PARTNER, PRODUCER, producerStack, REGION, THIRD } from './support';
import { ALLOW_EVERYTHING, decideCall, PolicyDocument, RequestContext, synthesizedWorld } from './support/access/service-call';

jest.setTimeout(60_000);

const VIA_S3 = `s3.${REGION}.amazonaws.com`;
const VIA_GLUE = `glue.${REGION}.amazonaws.com`;
const VIA_KINESIS = `kinesis.${REGION}.amazonaws.com`;

function world() {
  const { stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const jobs = new GlueSecurityConfiguration(stack, 'Jobs', { encryptionKey: key.key, securityConfigurationName: 'jobs' });
  const catalog = new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key.key });
  const jobRole = new iam.Role(stack, 'JobRole', { roleName: 'job', assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
  jobs.grantJob(jobRole);
  const analyst = new iam.Role(stack, 'Analyst', { roleName: 'analyst', assumedBy: new iam.AccountRootPrincipal() });
  catalog.grantRead(analyst);
  new iam.Role(stack, 'Bystander', { roleName: 'bystander', assumedBy: new iam.AccountRootPrincipal() });
  catalog.shareWith(Partner.account(PARTNER));

  const { keyArn, keyPolicy, policyOf } = synthesizedWorld(stack);
  const partnerPolicy: PolicyDocument = {
    Statement: [stack.resolve(DataProtectionStatements.glueCatalogKeyUse(keyArn, REGION, PARTNER, AccessLevel.READ).toStatementJson())],
  };
  return { keyArn, keyPolicy, jobPolicy: policyOf('JobRoleDefaultPolicy'), analystPolicy: policyOf('AnalystDefaultPolicy'), partnerPolicy };
}

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

describe('access proof: Glue job role, Data Catalog readers and partners', () => {
  const w = world();

  describe('a Glue job role granted with GlueSecurityConfiguration.grantJob', () => {
    const job = role(PRODUCER, 'job');
    const s3Only = (): PolicyDocument => ({ Statement: w.jobPolicy.Statement.filter((s: any) => s.Sid === 'GlueJobS3KeyUse') });

    test.each(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt'])('reaches the key through S3 of the Region (%s)', async (action) => {
      expect(await decideCall(job, action, w.keyArn, w.jobPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3 })).toBe('Allowed');
    });

    test('its S3 statement reaches the key through S3 only: not directly, not through Glue or another service', async () => {
      expect(await decideCall(job, 'kms:Decrypt', w.keyArn, s3Only(), w.keyPolicy, { 'kms:ViaService': VIA_S3 })).toBe('Allowed');
      expect(await decideCall(job, 'kms:Decrypt', w.keyArn, s3Only(), w.keyPolicy, {})).not.toBe('Allowed');
      expect(await decideCall(job, 'kms:Decrypt', w.keyArn, s3Only(), w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).not.toBe('Allowed');
      expect(await decideCall(job, 'kms:Decrypt', w.keyArn, s3Only(), w.keyPolicy, { 'kms:ViaService': VIA_KINESIS })).not.toBe('Allowed');
    });

    test('calls the key directly only as CSE-KMS job bookmarks need (GlueJobBookmarksKeyUse), and never for other actions', async () => {
      // bookmarks are encrypted client-side: the job calls KMS itself, so no kms:ViaService can be required
      expect(await decideCall(job, 'kms:GenerateDataKey', w.keyArn, w.jobPolicy, w.keyPolicy, {})).toBe('Allowed');
      for (const action of ['kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy']) {
        expect(await decideCall(job, action, w.keyArn, w.jobPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3 })).not.toBe('Allowed');
      }
    });
  });

  describe('a Data Catalog reader granted with GlueDataCatalogEncryption.grantRead', () => {
    const analyst = role(PRODUCER, 'analyst');

    test('decrypts through Glue of the Region, not directly, not through S3, and does not encrypt', async () => {
      expect(await decideCall(analyst, 'kms:Decrypt', w.keyArn, w.analystPolicy, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).toBe('Allowed');
      expect(await decideCall(analyst, 'kms:Decrypt', w.keyArn, w.analystPolicy, w.keyPolicy, {})).not.toBe('Allowed');
      expect(await decideCall(analyst, 'kms:Decrypt', w.keyArn, w.analystPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3 })).not.toBe('Allowed');
      expect(await decideCall(analyst, 'kms:Encrypt', w.keyArn, w.analystPolicy, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).not.toBe('Allowed');
    });

    test('a principal of the account without a grant is not let in by AllowGlueDataCatalogKeyUse (the account principal delegates to IAM)', async () => {
      const bystander = role(PRODUCER, 'bystander');
      expect(await decideCall(bystander, 'kms:Decrypt', w.keyArn, undefined, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).not.toBe('Allowed');
      // and with an IAM policy of its own, the key policy lets it through Glue
      expect(await decideCall(bystander, 'kms:Decrypt', w.keyArn, w.analystPolicy, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).toBe('Allowed');
    });
  });

  describe('another account', () => {
    test('a principal of an account without a share is denied every use of the key, even with an allow-everything IAM policy', async () => {
      const outsider = role(THIRD, 'anyone');
      for (const context of <RequestContext[]>[{}, { 'kms:ViaService': VIA_GLUE }, { 'kms:ViaService': VIA_S3 }]) {
        for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']) {
          expect(await decideCall(outsider, action, w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, context)).not.toBe('Allowed');
        }
      }
    });

    test('a partner shared with shareWith decrypts through Glue of the Region with its own policy, and only that way', async () => {
      const reader = role(PARTNER, 'reader');
      expect(await decideCall(reader, 'kms:Decrypt', w.keyArn, w.partnerPolicy, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).toBe('Allowed');
      expect(await decideCall(reader, 'kms:Decrypt', w.keyArn, w.partnerPolicy, w.keyPolicy, {})).not.toBe('Allowed');
      expect(await decideCall(reader, 'kms:Decrypt', w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, {})).not.toBe('Allowed');
      expect(await decideCall(reader, 'kms:Decrypt', w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, { 'kms:ViaService': VIA_S3 })).not.toBe('Allowed');
      expect(await decideCall(reader, 'kms:Encrypt', w.keyArn, ALLOW_EVERYTHING, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).not.toBe('Allowed');
    });

    test('the partner needs an IAM policy of its own as well as the key policy', async () => {
      const reader = role(PARTNER, 'reader');
      expect(await decideCall(reader, 'kms:Decrypt', w.keyArn, undefined, w.keyPolicy, { 'kms:ViaService': VIA_GLUE })).not.toBe('Allowed');
    });
  });
});
