/**
 * Access proof of EncryptedAthenaWorkGroup.grantQuery: the synthesized key
 * policy and IAM policy, evaluated with @cloud-copilot/iam-simulate. The
 * simulator does not evaluate `kms:EncryptionContext:*` keys (it accepts
 * them whatever the request holds) and never fills in request context
 * itself: `withEncryptionContext` decides those conditions against the
 * request first, and every request names the context S3 sends for the
 * results bucket (with an S3 Bucket Key: the bucket ARN).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountSharedKey, EncryptedAthenaWorkGroup, EncryptedBucket } from '../src';
import { PRODUCER, producerStack, REGION, resolver, THIRD } from './support';

type Context = Record<string, string>;
interface Policy { readonly Statement: any[] }

const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Decides the `kms:EncryptionContext:*` conditions (StringEquals, StringLike) against the request; keeps the others for the simulator. */
function withEncryptionContext(policy: Policy, context: Context): Policy {
  const like = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(value);
  const statements = policy.Statement.flatMap((st: any) => {
    if (!st.Condition) return [st];
    const condition: any = {};
    for (const [op, block] of Object.entries<any>(st.Condition)) {
      const rest: any = {};
      for (const [k, v] of Object.entries<any>(block)) {
        if (!k.startsWith('kms:EncryptionContext:')) {
          rest[k] = v;
          continue;
        }
        const actual = context[k];
        const values: string[] = [].concat(v);
        const holds = actual !== undefined && (op === 'StringEquals' ? values.includes(actual) : op === 'StringLike' ? values.some((p) => like(p, actual)) : false);
        if (!holds && st.Effect === 'Allow') return [];
      }
      if (Object.keys(rest).length > 0) condition[op] = rest;
    }
    const { Condition: _decided, ...rest } = st;
    return [Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest];
  });
  return { ...policy, Statement: statements };
}

async function decide(
  principal: string, action: string, resource: string, identity: Policy, resourcePolicy: Policy | undefined, context: Context,
): Promise<string> {
  const contextVariables = Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('kms:EncryptionContext:')));
  const account = /^arn:aws:iam::(\d{12}):/.exec(principal)?.[1];
  const result = await runSimulation(
    {
      request: { principal, action, resource: { resource, accountId: PRODUCER }, contextVariables: { ...(account ? { 'kms:CallerAccount': account } : {}), ...contextVariables } },
      identityPolicies: [{ name: 'identity', policy: withEncryptionContext(identity, context) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy ? withEncryptionContext(resourcePolicy, context) : undefined,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') {
    throw new Error(JSON.stringify(result.errors));
  }
  return result.resultType === 'single' ? result.result.analysis.result : result.results[0].analysis.result;
}

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
  const json = Template.fromStack(stack).toJSON();
  const r = resolver({ template: json });
  const of = (type: string, prefix: string) => Object.entries<any>(json.Resources).find(([id, res]) => res.Type === type && id.startsWith(prefix))!;
  const [keyId, keyRes] = of('AWS::KMS::Key', 'Key');
  return {
    keyArn: r.getAtt(keyId, 'Arn') as string,
    keyPolicy: r.resolve(keyRes.Properties.KeyPolicy) as Policy,
    analystPolicy: r.resolve(of('AWS::IAM::Policy', 'AnalystDefaultPolicy')[1].Properties.PolicyDocument) as Policy,
    analystRole: r.getAtt(of('AWS::IAM::Role', 'Analyst')[0], 'Arn') as string,
    workGroupArn: `arn:aws:athena:${REGION}:${PRODUCER}:workgroup/analytics`,
  };
}

describe('access proof: EncryptedAthenaWorkGroup.grantQuery', () => {
  const w = world();

  test.each(['kms:GenerateDataKey', 'kms:Decrypt'])('a granted role reaches the key through S3 for the results bucket (%s, kms:ViaService S3, the bucket\'s encryption context)', async (action) => {
    for (const context of [BUCKET_ARN, `${BUCKET_ARN}/athena-results/0a1b2c3d.csv`]) {
      expect(await decide(w.analystRole, action, w.keyArn, w.analystPolicy, w.keyPolicy, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': context })).toBe('Allowed');
    }
  });

  test('a granted role is denied the key directly (no kms:ViaService), through another service, for another bucket or outside the results prefix', async () => {
    const decrypt = (context: Context) => decide(w.analystRole, 'kms:Decrypt', w.keyArn, w.analystPolicy, w.keyPolicy, context);
    expect(await decrypt({ 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_ATHENA, 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other-bucket' })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': `${BUCKET_ARN}/raw/orders.csv` })).not.toBe('Allowed');
    expect(await decrypt({ 'kms:ViaService': VIA_S3 })).not.toBe('Allowed');
  });

  test('a granted role runs queries in this workgroup only, and writes results under the results prefix only', async () => {
    expect(await decide(w.analystRole, 'athena:StartQueryExecution', w.workGroupArn, w.analystPolicy, undefined, {})).toBe('Allowed');
    expect(await decide(w.analystRole, 'athena:StartQueryExecution', `arn:aws:athena:${REGION}:${PRODUCER}:workgroup/primary`, w.analystPolicy, undefined, {})).not.toBe('Allowed');
    expect(await decide(w.analystRole, 's3:PutObject', `${BUCKET_ARN}/athena-results/0a1b2c3d.csv`, w.analystPolicy, undefined, {})).toBe('Allowed');
    expect(await decide(w.analystRole, 's3:PutObject', `${BUCKET_ARN}/raw/orders.csv`, w.analystPolicy, undefined, {})).not.toBe('Allowed');
  });

  test('a principal of another account is denied every use of the key, even with an allow-everything IAM policy', async () => {
    const outsider = `arn:aws:iam::${THIRD}:role/analyst`;
    for (const context of <Context[]>[{}, { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN }]) {
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
        expect(await decide(outsider, action, w.keyArn, EVERYTHING, w.keyPolicy, context)).not.toBe('Allowed');
      }
    }
  });
});
