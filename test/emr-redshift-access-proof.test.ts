/**
 * Access proof for EMR and Redshift: the synthesized key policy and role
 * policies, evaluated the way AWS evaluates them (@cloud-copilot/iam-simulate),
 * let each role reach the key through its service only. The simulator never
 * fills in request context itself and accepts context keys that do not apply,
 * so each request is given exactly the keys KMS sets for it.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountSharedKey, EmrInTransitEncryption, EmrSecurityConfiguration, EncryptedRedshiftCluster, EncryptedRedshiftServerless } from '../src';
import { PARTNER, PRODUCER, producerStack, resolver } from './support';

jest.setTimeout(60_000);

interface World {
  readonly keyArn: string;
  readonly keyPolicy: any;
  readonly rolePolicies: Map<string, any[]>;
  readonly serviceRoleArn: string;
  readonly instanceRoleArn: string;
}

function build(): World {
  const { stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const config = new EmrSecurityConfiguration(stack, 'Security', {
    encryptionKey: key.key,
    inTransitEncryption: EmrInTransitEncryption.pemCertificates('s3://cfg/emr/certs.zip'),
  });
  const serviceRole = new iam.Role(stack, 'EmrServiceRole', { roleName: 'EmrServiceRole', assumedBy: new iam.ServicePrincipal('elasticmapreduce.amazonaws.com') });
  const instanceRole = new iam.Role(stack, 'EmrInstanceRole', { roleName: 'EmrInstanceRole', assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  config.grantCluster(serviceRole, instanceRole);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new EncryptedRedshiftCluster(stack, 'Warehouse', { encryptionKey: key.key, vpc });
  new EncryptedRedshiftServerless(stack, 'Serverless', { encryptionKey: key.key, vpc });

  const template = Template.fromStack(stack).toJSON();
  const r = resolver({ template });
  const resources = template.Resources as Record<string, any>;
  const keyId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::KMS::Key')!;
  const rolePolicies = new Map<string, any[]>();
  for (const res of Object.values(resources)) {
    if (res.Type !== 'AWS::IAM::Policy') continue;
    for (const role of res.Properties.Roles) {
      const name = r.resolve(role);
      rolePolicies.set(name, [...(rolePolicies.get(name) ?? []), r.resolve(res.Properties.PolicyDocument)]);
    }
  }
  return {
    keyArn: r.resolve({ 'Fn::GetAtt': [keyId, 'Arn'] }),
    keyPolicy: r.resolve(resources[keyId].Properties.KeyPolicy),
    rolePolicies,
    serviceRoleArn: `arn:aws:iam::${PRODUCER}:role/EmrServiceRole`,
    instanceRoleArn: `arn:aws:iam::${PRODUCER}:role/EmrInstanceRole`,
  };
}

interface Request {
  readonly principal: string;
  readonly account: string;
  readonly action: string;
  /** `kms:ViaService`, absent on a direct call. */
  readonly via?: string;
  /** `kms:GrantIsForAWSResource`, set only on CreateGrant. */
  readonly grantForAwsResource?: boolean;
  readonly identityPolicies?: any[];
}

async function decide(world: World, req: Request): Promise<{ result: string }> {
  const roleName = req.principal.split('/').pop()!;
  const identity = req.identityPolicies ?? world.rolePolicies.get(roleName) ?? [];
  const context: Record<string, string> = {
    'aws:PrincipalArn': req.principal,
    'aws:PrincipalAccount': req.account,
    'aws:PrincipalIsAWSService': 'false',
    'aws:SecureTransport': 'true',
    'kms:CallerAccount': req.account,
    ...(req.via ? { 'kms:ViaService': req.via, 'aws:ViaAWSService': 'true' } : { 'aws:ViaAWSService': 'false' }),
    ...(req.grantForAwsResource !== undefined ? { 'kms:GrantIsForAWSResource': String(req.grantForAwsResource) } : {}),
  };
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${req.account}:assumed-role/${roleName}/session`,
        action: req.action,
        resource: { resource: world.keyArn, accountId: PRODUCER },
        contextVariables: context,
      },
      identityPolicies: identity.map((policy, i) => ({ name: `${roleName}-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: world.keyPolicy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0].analysis;
  return { result: analysis.result };
}

const EC2 = 'ec2.eu-west-1.amazonaws.com';
const S3 = 's3.eu-west-1.amazonaws.com';
const REDSHIFT = 'redshift.eu-west-1.amazonaws.com';

describe('access proof: EMR and Redshift', () => {
  let world: World;
  beforeAll(() => {
    world = build();
  });

  test('the EMR service role uses the key for EBS through EC2, and not directly', async () => {
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:GenerateDataKeyWithoutPlaintext', via: EC2 })).result).toBe('Allowed');
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:Decrypt', via: EC2 })).result).toBe('Allowed');
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:Decrypt' })).result).not.toBe('Allowed');
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:Decrypt', via: S3 })).result).not.toBe('Allowed');
  });

  test('the EMR service role creates a grant through EC2 only for an AWS resource; a grant for anything else is explicitly denied', async () => {
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:CreateGrant', via: EC2, grantForAwsResource: true })).result).toBe('Allowed');
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:CreateGrant', via: EC2, grantForAwsResource: false })).result).toBe('ExplicitlyDenied');
    expect((await decide(world, { principal: world.serviceRoleArn, account: PRODUCER, action: 'kms:CreateGrant', grantForAwsResource: false })).result).toBe('ExplicitlyDenied');
  });

  test('the EMR instance role reads EMRFS objects through S3, not through another service; its direct use is the local-disk data keys only', async () => {
    expect((await decide(world, { principal: world.instanceRoleArn, account: PRODUCER, action: 'kms:Decrypt', via: S3 })).result).toBe('Allowed');
    expect((await decide(world, { principal: world.instanceRoleArn, account: PRODUCER, action: 'kms:GenerateDataKey', via: S3 })).result).toBe('Allowed');
    expect((await decide(world, { principal: world.instanceRoleArn, account: PRODUCER, action: 'kms:ReEncryptFrom', via: EC2 })).result).not.toBe('Allowed');
    expect((await decide(world, { principal: world.instanceRoleArn, account: PRODUCER, action: 'kms:Decrypt' })).result).toBe('Allowed');
    expect((await decide(world, { principal: world.instanceRoleArn, account: PRODUCER, action: 'kms:Encrypt' })).result).not.toBe('Allowed');
    expect((await decide(world, { principal: world.instanceRoleArn, account: PRODUCER, action: 'kms:CreateGrant', via: EC2, grantForAwsResource: true })).result).not.toBe('Allowed');
  });

  test('a principal of another account without a share is denied, through EC2, S3, Redshift or directly, whatever its own policy allows', async () => {
    const everything = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }];
    const outsider = `arn:aws:iam::${PARTNER}:role/Outsider`;
    for (const via of [EC2, S3, REDSHIFT, undefined]) {
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']) {
        const { result } = await decide(world, { principal: outsider, account: PARTNER, action, via, identityPolicies: everything });
        expect(`${action} via ${via ?? 'direct'}: ${result}`).not.toMatch(/: Allowed$/);
      }
    }
    const grant = await decide(world, { principal: outsider, account: PARTNER, action: 'kms:CreateGrant', via: REDSHIFT, grantForAwsResource: true, identityPolicies: everything });
    expect(grant.result).not.toBe('Allowed');
  });

  test('the key policy names Redshift and Redshift Serverless through their services only; an own-account role reaches the key by its own IAM policy', async () => {
    const statements = (world.keyPolicy.Statement as any[]).filter((s) => /^AllowRedshift/.test(s.Sid));
    expect(statements.map((s) => [s.Sid, s.Condition.StringEquals['kms:ViaService']])).toEqual([
      ['AllowRedshiftKeyUse', [REDSHIFT, 'secretsmanager.eu-west-1.amazonaws.com']],
      ['AllowRedshiftServerlessKeyUse', ['redshift-serverless.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com']],
    ]);
    const deployer = `arn:aws:iam::${PRODUCER}:role/Deployer`;
    const describeOnly = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey'], Resource: world.keyArn }] }];
    expect((await decide(world, { principal: deployer, account: PRODUCER, action: 'kms:CreateGrant', via: REDSHIFT, grantForAwsResource: true, identityPolicies: describeOnly })).result).toBe('Allowed');
    expect((await decide(world, { principal: deployer, account: PRODUCER, action: 'kms:CreateGrant', via: REDSHIFT, grantForAwsResource: false, identityPolicies: describeOnly })).result).toBe('ExplicitlyDenied');
    expect((await decide(world, { principal: deployer, account: PRODUCER, action: 'kms:Decrypt', via: REDSHIFT, identityPolicies: [] })).result).not.toBe('Allowed');
  });
});
