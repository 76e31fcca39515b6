import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnResource, CliCredentialsStackSynthesizer, Fn, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AccessLevel,
  DataProtectionStatements,
  EncryptedBucket,
  Partner,
  ServerSideEncryption,
  VpcEndpointAccess,
  VpcEndpointAccessProps,
} from '../src';
import {
  acknowledgedRules,
  agnosticStack,
  bySid,
  KEY_ID,
  kmsKeyArn,
  nagFindings,
  ORG,
  PARTNER,
  policyStatements,
  PRODUCER,
  producerStack,
  REGION,
  resolver,
  stackIn,
  warningIds,
  warnings,
} from './support';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

const ADMIN_ARN = `arn:aws:iam::${PRODUCER}:role/Admin`;
const SSO_ADMINS = `arn:aws:iam::${PRODUCER}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*`;
const DEPLOY_ROLE = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${PRODUCER}:role/cdk-hnb659fds-deploy-role-${PRODUCER}-${REGION}` };
const CFN_EXEC_ROLE = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${PRODUCER}:role/cdk-hnb659fds-cfn-exec-role-${PRODUCER}-${REGION}` };
const DENY_SID = DataProtectionStatements.SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS;
const OWN_ACCOUNT_DENY_SID = DataProtectionStatements.SID_DENY_OWN_ACCOUNT_OUTSIDE_VPC_ENDPOINTS;

/** A VPC with two private isolated subnets, as workloads that must not reach the internet have. */
function isolatedVpc(stack: Stack, id = 'Vpc', props: Partial<ec2.VpcProps> = {}): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    ...props,
  });
}

function synth(props: Partial<VpcEndpointAccessProps> = {}, bucketProps: ConstructorParameters<typeof EncryptedBucket>[2] = {}) {
  const { app, stack } = producerStack();
  const vpc = isolatedVpc(stack);
  const data = new EncryptedBucket(stack, 'Data', bucketProps);
  const access = new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN], ...props });
  return { app, stack, vpc, data, access, template: () => Template.fromStack(stack) };
}

function bucketStatements(template: Template, prefix = 'DataBucketPolicy'): any[] {
  return policyStatements(template, 'AWS::S3::BucketPolicy', prefix);
}

function endpointStatements(template: Template, prefix: string): any[] {
  return policyStatements(template, 'AWS::EC2::VPCEndpoint', prefix);
}

/** The policy statements carried (as JSON) by the warnings of the stack with this ack id. */
function warnedStatements(stack: Stack, ackId: string): any[] {
  return warnings(stack)
    .filter((w) => w.endsWith(`[ack: ${ackId}]`))
    .map((w) => {
      const json = /add: (\{.*\}) \[ack: /.exec(w)?.[1];
      if (json === undefined) throw new Error(`no statement in warning: ${w}`);
      return JSON.parse(json);
    });
}

// ---------------------------------------------------------------------------
// Policy evaluation: the synthesized policies, made concrete, run through an
// IAM policy simulator, so the D09/D10 tests check what AWS would decide, not
// only the shape of the JSON.
// ---------------------------------------------------------------------------

const S3_VPCE = 'vpce-0a1b2c3d4e5f60718';
const KMS_VPCE = 'vpce-0f1e2d3c4b5a69788';
const VPC_ID = 'vpc-0123456789abcdef0';

/** The physical ids of the simulated stack: buckets and roles named after their logical id, the endpoints, VPC and key above. */
function physicalId(id: string, resource: any): string | undefined {
  switch (resource.Type) {
    case 'AWS::S3::Bucket':
      return id.toLowerCase();
    case 'AWS::EC2::VPCEndpoint':
      return resource.Properties.VpcEndpointType === 'Gateway' ? S3_VPCE : KMS_VPCE;
    case 'AWS::EC2::VPC':
      return VPC_ID;
    case 'AWS::KMS::Key':
      return KEY_ID;
    case 'AWS::IAM::Role':
      return id;
    default:
      return undefined;
  }
}

/** Replaces intrinsics with the values they would have in 111111111111 / eu-west-1. */
function concrete(value: any, resources: Record<string, any>): any {
  return resolver({ template: { Resources: resources }, physicalId }).resolve(value);
}


interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

/** What AWS decides for `request` against a resource policy, the caller having an identity policy allowing s3:* and kms:*. */
async function decide(resourcePolicy: any, request: Request): Promise<string> {
  const account = /:(\d{12}):/.exec(request.principal)?.[1] ?? PRODUCER;
  const result: any = await runSimulation(
    {
      identityPolicies: [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }] } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: PRODUCER },
        contextVariables: {
          'aws:PrincipalArn': request.principal,
          'aws:PrincipalAccount': account,
          'aws:ViaAWSService': 'false',
          'aws:PrincipalIsAWSService': 'false',
          ...request.context,
        },
      },
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(JSON.stringify(result.errors));
  }
  return result.overallResult;
}

/** The concrete bucket policy, key policy and names of a synthesized stack. */
function concretePolicies(stack: Stack) {
  const t = Template.fromStack(stack).toJSON();
  const resources = t.Resources;
  const policyId = Object.keys(resources).find((k) => k.startsWith('DataBucketPolicy'))!;
  const keyId = Object.keys(resources).find((k) => resources[k].Type === 'AWS::KMS::Key')!;
  const bucketId = Object.keys(resources).find((k) => k.startsWith('DataBucket') && resources[k].Type === 'AWS::S3::Bucket')!;
  return {
    bucketPolicy: concrete(resources[policyId].Properties.PolicyDocument, resources),
    keyPolicy: concrete(resources[keyId].Properties.KeyPolicy, resources),
    bucket: bucketId.toLowerCase(),
    keyArn: kmsKeyArn(),
  };
}

describe('VpcEndpointAccess', () => {
  describe('endpoints', () => {
    test('an S3 gateway endpoint routed into the route tables of both private subnets', () => {
      const { template } = synth();
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
        VpcId: { Ref: Match.stringLikeRegexp('^Vpc') },
        RouteTableIds: [{ Ref: Match.stringLikeRegexp('^VpcappSubnet1RouteTable') }, { Ref: Match.stringLikeRegexp('^VpcappSubnet2RouteTable') }],
      });
    });

    test('a KMS interface endpoint with private DNS in both private subnets', () => {
      const { template } = synth();
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.${REGION}.kms`,
        PrivateDnsEnabled: true,
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcappSubnet1Subnet') }, { Ref: Match.stringLikeRegexp('^VpcappSubnet2Subnet') }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PrivateKmsEndpointSecurityGroup'), 'GroupId'] }],
      });
    });

    test('the KMS endpoint security group admits HTTPS from the VPC CIDR only, and sends nothing out', () => {
      const { template } = synth();
      template().hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      });
      expect(Object.keys(template().findResources('AWS::EC2::SecurityGroupIngress'))).toEqual([]);
    });

    test('child ids are S3Endpoint, KmsEndpoint and KmsEndpointSecurityGroup, exposed as s3Endpoint and kmsEndpoint', () => {
      const { access } = synth();
      expect(access.node.tryFindChild('S3Endpoint')).toBe(access.s3Endpoint);
      expect(access.node.tryFindChild('KmsEndpoint')).toBe(access.kmsEndpoint);
      expect(access.node.tryFindChild('KmsEndpointSecurityGroup')).toBe(access.kmsEndpointSecurityGroup);
    });

    test('subnets selects where the endpoints go', () => {
      const { stack } = producerStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [
          { name: 'web', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      const data = new EncryptedBucket(stack, 'Data');
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN], subnets: { subnetGroupName: 'web' } });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        RouteTableIds: [{ Ref: Match.stringLikeRegexp('^VpcwebSubnet1RouteTable') }, { Ref: Match.stringLikeRegexp('^VpcwebSubnet2RouteTable') }],
      });
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcwebSubnet1Subnet') }, { Ref: Match.stringLikeRegexp('^VpcwebSubnet2Subnet') }],
      });
    });

    test('reuses endpoints of this app, adding the policy statements to them', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const s3Endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const kmsEndpoint = vpc.addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS });
      const data = new EncryptedBucket(stack, 'Data');
      const access = new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN], s3Endpoint, kmsEndpoint });
      const template = Template.fromStack(stack);
      expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint'))).toHaveLength(2);
      expect(access.s3Endpoint).toBe(s3Endpoint);
      expect(bySid(endpointStatements(template, 'VpcS3'), DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS)).toHaveLength(1);
      expect(bySid(endpointStatements(template, 'VpcKms'), DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS)).toHaveLength(1);
      expect(bySid(bucketStatements(template), DENY_SID)[0].Condition.StringNotEquals['aws:SourceVpce']).toEqual([{ Ref: expect.stringMatching(/^VpcS3/) }]);
    });

    test('an imported endpoint is used as is, with a warning showing the statement its owners should add', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const s3Endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'S3', 'vpce-0123456789abcdef0');
      const data = new EncryptedBucket(stack, 'Data');
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN], s3Endpoint });
      const template = Template.fromStack(stack);
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 0);
      expect(warningIds(stack)).toContain('cdk-data-protection:endpointPolicyNotManaged');
      const shown = warnedStatements(stack, 'cdk-data-protection:endpointPolicyNotManaged');
      expect(shown.map((st) => st.Sid)).toEqual([DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS, 'AllowCloudFormationResponses', 'AllowAmazonLinuxRepositories']);
      const bucketArn = { 'Fn::GetAtt': [expect.stringMatching(/^DataBucket/), 'Arn'] };
      expect(shown[0]).toEqual({
        Sid: DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
        Condition: { StringEquals: { 'aws:PrincipalAccount': PRODUCER } },
      });
      expect(bySid(bucketStatements(template), DENY_SID)[0].Condition.StringNotEquals['aws:SourceVpce']).toEqual(['vpce-0123456789abcdef0']);
    });

    test('no KMS endpoint when no protected bucket uses a KMS key and no key is given', () => {
      const { template, access } = synth({}, { encryption: ServerSideEncryption.SSE_S3 });
      template().resourceCountIs('AWS::EC2::VPCEndpoint', 1);
      expect(access.kmsEndpoint).toBeUndefined();
    });
  });

  describe('endpoint policies', () => {
    test('S3: the protected buckets only, for principals of this account', () => {
      const { template } = synth();
      const [allow] = bySid(endpointStatements(template(), 'PrivateS3Endpoint'), DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS);
      expect(allow).toEqual({
        Sid: 'AllowProtectedBucketsThroughEndpoint',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^DataBucket/), 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^DataBucket/), 'Arn'] }, '/*']] },
        ],
        Condition: { StringEquals: { 'aws:PrincipalAccount': PRODUCER } },
      });
    });

    test('S3 and KMS: principals of the organization when organizationId is given', () => {
      const { template } = synth({ organizationId: ORG });
      for (const [prefix, sid] of [
        ['PrivateS3Endpoint', DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS],
        ['PrivateKmsEndpoint', DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_KEYS],
      ]) {
        expect(bySid(endpointStatements(template(), prefix), sid)[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
      }
    });

    test('S3: CloudFormation custom-resource and wait-condition responses of this region (region without dashes), PutObject only, any principal (presigned URLs)', () => {
      const { template } = synth();
      const [cfn] = bySid(endpointStatements(template(), 'PrivateS3Endpoint'), DataProtectionStatements.SID_ALLOW_CLOUDFORMATION_RESPONSES);
      expect(cfn).toEqual({
        Sid: 'AllowCloudFormationResponses',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-euwest1/*']] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::cloudformation-waitcondition-${REGION}/*`]] },
        ],
      });
    });

    test('S3: in an environment-agnostic stack the response bucket name is computed from the region by CloudFormation', () => {
      const { stack } = agnosticStack();
      const vpc = isolatedVpc(stack);
      const data = new EncryptedBucket(stack, 'Data');
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] });
      const [cfn] = bySid(endpointStatements(Template.fromStack(stack), 'PrivateS3Endpoint'), DataProtectionStatements.SID_ALLOW_CLOUDFORMATION_RESPONSES);
      expect(JSON.stringify(cfn.Resource[0])).toContain(JSON.stringify({ 'Fn::Join': ['', { 'Fn::Split': ['-', { Ref: 'AWS::Region' }] }] }));
    });

    test('S3: the Amazon Linux 2 and 2023 package repositories of this region, GetObject only', () => {
      const { template } = synth();
      const [repos] = bySid(endpointStatements(template(), 'PrivateS3Endpoint'), DataProtectionStatements.SID_ALLOW_AMAZON_LINUX_REPOSITORIES);
      expect(repos).toMatchObject({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' });
      expect(JSON.stringify(repos.Resource)).toEqual(
        JSON.stringify(
          [`amazonlinux.${REGION}.amazonaws.com/*`, `amazonlinux-2-repos-${REGION}/*`, `al2023-repos-${REGION}-de612dc2/*`].map((b) => ({
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${b}`]],
          })),
        ),
      );
    });

    test('S3: the AWS-owned buckets can be left out', () => {
      const { template } = synth({ allowCloudFormationResponses: false, allowAmazonLinuxRepositories: false });
      expect(endpointStatements(template(), 'PrivateS3Endpoint').map((s) => s.Sid)).toEqual(['AllowProtectedBucketsThroughEndpoint']);
    });

    test('KMS: the protected keys only (the buckets\' keys and keys), for principals of this account', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const data = new EncryptedBucket(stack, 'Data');
      const other = new kms.Key(stack, 'Other', { enableKeyRotation: true });
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN], keys: [other] });
      const statements = endpointStatements(Template.fromStack(stack), 'PrivateKmsEndpoint');
      expect(statements).toEqual([
        {
          Sid: 'AllowProtectedKeysThroughEndpoint',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'],
          Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] }, { 'Fn::GetAtt': [expect.stringMatching(/^Other/), 'Arn'] }],
          Condition: { StringEquals: { 'aws:PrincipalAccount': PRODUCER } },
        },
      ]);
    });

    test('addToS3EndpointPolicy adds what else the VPC needs (e.g. ECR layers)', () => {
      const { access, template } = synth();
      const added = access.addToS3EndpointPolicy(
        new iam.PolicyStatement({ sid: 'AllowEcrLayers', principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`arn:aws:s3:::prod-${REGION}-starport-layer-bucket/*`] }),
      );
      expect(added).toBe(true);
      expect(bySid(endpointStatements(template(), 'PrivateS3Endpoint'), 'AllowEcrLayers')).toHaveLength(1);
    });
  });

  describe('bucket policies', () => {
    test('deny object and listing access unless through the endpoint, exempting AWS services, the administrators and the CDK deployment roles', () => {
      const { template } = synth();
      template().hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: DENY_SID,
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: [
                's3:GetObject*',
                's3:PutObject*',
                's3:DeleteObject*',
                's3:RestoreObject',
                's3:AbortMultipartUpload',
                's3:ListMultipartUploadParts',
                's3:ListBucket',
                's3:ListBucketVersions',
                's3:ListBucketMultipartUploads',
              ],
              Resource: [
                { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataBucket'), 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DataBucket'), 'Arn'] }, '/*']] },
              ],
              Condition: {
                StringNotEquals: { 'aws:SourceVpce': [{ Ref: Match.stringLikeRegexp('^PrivateS3Endpoint') }] },
                BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
                ArnNotLike: { 'aws:PrincipalArn': [ADMIN_ARN, DEPLOY_ROLE, CFN_EXEC_ROLE] },
              },
            },
          ]),
        },
      });
    });

    test('the statements join the bucket\'s one policy (EncryptedBucket)', () => {
      const { template } = synth();
      const policies = template().findResources('AWS::S3::BucketPolicy');
      const forData = Object.values(policies).filter((p: any) => JSON.stringify(p.Properties.Bucket).includes('DataBucket'));
      expect(forData).toHaveLength(1);
      expect(bucketStatements(template()).map((s) => s.Sid)).toEqual(expect.arrayContaining(['DenyInsecureTransport', DENY_SID]));
    });

    test('works on a plain s3.Bucket of this app, joining its one policy', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const plain = new s3.Bucket(stack, 'Plain', { enforceSSL: true });
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [plain], administratorArns: [ADMIN_ARN] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      expect(bucketStatements(template, 'PlainPolicy').map((s) => s.Sid)).toEqual([undefined, DENY_SID, OWN_ACCOUNT_DENY_SID]);
      expect(bySid(endpointStatements(template, 'PrivateS3Endpoint'), DataProtectionStatements.SID_ALLOW_ENDPOINT_ACCESS_TO_BUCKETS)).toHaveLength(1);
    });

    test('named administrators (roles, ARN patterns) are exempt by ARN, with the deployment roles', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const data = new EncryptedBucket(stack, 'Data');
      const ops = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administrators: [ops, new iam.ArnPrincipal(ADMIN_ARN)], administratorArns: [SSO_ADMINS] });
      const [deny] = bySid(bucketStatements(Template.fromStack(stack)), DENY_SID);
      expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Ops/), 'Arn'] }, ADMIN_ARN, SSO_ADMINS, DEPLOY_ROLE, CFN_EXEC_ROLE]);
    });

    test('exemptRoles (a Firehose delivery role, a Glue job role) are exempt by ARN from the bucket deny and from restrictDirectKeyUse, after the administrators', () => {
      const WORKLOAD = `arn:aws:iam::${PRODUCER}:role/delivery`;
      const { template } = synth({ exemptRoles: [new iam.ArnPrincipal(WORKLOAD)], restrictDirectKeyUse: true });
      const [deny] = bySid(bucketStatements(template()), DENY_SID);
      expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([ADMIN_ARN, WORKLOAD, DEPLOY_ROLE, CFN_EXEC_ROLE]);
      const [ownAccount] = bySid(bucketStatements(template()), OWN_ACCOUNT_DENY_SID);
      expect(JSON.stringify(ownAccount.Condition)).toContain(WORKLOAD);
      template().hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: DataProtectionStatements.SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS,
              Condition: Match.objectLike({ ArnNotLike: { 'aws:PrincipalArn': [ADMIN_ARN, WORKLOAD] } }),
            }),
          ]),
        },
      });
    });

    test('exemptRoles never count as the administrator a restricted bucket needs', () => {
      expect(() => synth({ administratorArns: undefined, exemptRoles: [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/delivery`)] })).toThrow(
        /^Restricting buckets\[0\] \(Producer\/Data\/Bucket\) to the VPC endpoint would exempt no administrator: administrators and administratorArns are empty/,
      );
    });

    test('fails if exemptRoles holds an account (it would exempt the root user only); warns for a pattern matching every role of the account', () => {
      expect(() => synth({ exemptRoles: [new iam.AccountPrincipal(PRODUCER)] })).toThrow(
        /^exemptRoles\[0\] is AccountPrincipal\(111111111111\), an account: in aws:PrincipalArn it matches that account's root user only, .*Name the workload's role/,
      );
      expect(() => synth({ exemptRoles: [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:root`)] })).toThrow(/^exemptRoles\[0\] is arn:aws:iam::111111111111:root, an account/);
      const { stack } = synth({ exemptRoles: [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/*`)] });
      Annotations.fromStack(stack).hasWarning('/Producer/Private', Match.stringLikeRegexp('^exemptRoles\\[0\\] has arn:aws:iam::111111111111:role/\\*, which matches every role or user of the account'));
    });

    test('fails if exemptRoles holds a service principal, and names the entry', () => {
      expect(() => synth({ exemptRoles: [new iam.ServicePrincipal('firehose.amazonaws.com')] })).toThrow(
        /^exemptRoles\[0\] must be IAM roles, users or accounts .*got .*firehose\.amazonaws\.com.*Service principals need no exemption/,
      );
    });

    test('exemptCdkDeploymentRoles: false leaves only the named administrators', () => {
      const { template } = synth({ administratorArns: [ADMIN_ARN], exemptCdkDeploymentRoles: false });
      const [deny] = bySid(bucketStatements(template()), DENY_SID);
      expect(deny.Condition.ArnNotLike).toEqual({ 'aws:PrincipalArn': [ADMIN_ARN] });
    });

    test('partners the bucket is shared with are exempt, also when shared after the construct was created', () => {
      const { data, template } = synth();
      data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      data.shareWith(Partner.principals(['arn:aws:iam::333333333333:role/ingest']), AccessLevel.WRITE);
      data.shareWith(Partner.organization('o-f6g7h8i9j0'), AccessLevel.READ);
      data.shareWith(Partner.organizationPaths(['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']), AccessLevel.READ);
      const [deny] = bySid(bucketStatements(template()), DENY_SID);
      expect(deny.Condition).toEqual({
        'StringNotEquals': {
          'aws:SourceVpce': [{ Ref: expect.stringMatching(/^PrivateS3Endpoint/) }],
          'aws:PrincipalAccount': [PARTNER],
          'aws:PrincipalOrgID': ['o-f6g7h8i9j0'],
        },
        'BoolIfExists': { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
        'ArnNotLike': { 'aws:PrincipalArn': [ADMIN_ARN, DEPLOY_ROLE, CFN_EXEC_ROLE, 'arn:aws:iam::333333333333:role/ingest'] },
        'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'] },
      });
    });

    test('a partner with its own VPC endpoints is held to them', () => {
      const { data, template } = synth({ partnerVpcEndpoints: [{ partner: Partner.account(PARTNER), vpcEndpointIds: ['vpce-11111111111111111'] }] });
      data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      const [deny] = bySid(bucketStatements(template()), 'DenyPartnerOutsideVpcEndpoints222222222222');
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: {
          StringEquals: { 'aws:PrincipalAccount': PARTNER },
          StringNotEquals: { 'aws:SourceVpce': ['vpce-11111111111111111'] },
          BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      });
    });

    test('partners of each kind held to their own VPC endpoints: one deny each, matching the partner by its kind', () => {
      const paths = ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'];
      const role = 'arn:aws:iam::333333333333:role/ingest';
      const vpcEndpointIds = ['vpce-11111111111111111'];
      const { template } = synth({
        partnerVpcEndpoints: [
          { partner: Partner.principals([role]), vpcEndpointIds },
          { partner: Partner.organization('o-f6g7h8i9j0'), vpcEndpointIds },
          { partner: Partner.organizationPaths(paths), vpcEndpointIds },
        ],
      });
      const statements = bucketStatements(template());
      expect(bySid(statements, 'DenyPartnerOutsideVpcEndpoints333333333333')[0].Condition.ArnLike).toEqual({ 'aws:PrincipalArn': [role] });
      expect(bySid(statements, 'DenyPartnerOutsideVpcEndpointsOf6g7h8i9j0')[0].Condition.StringEquals).toEqual({ 'aws:PrincipalOrgID': 'o-f6g7h8i9j0' });
      expect(bySid(statements, 'DenyPartnerOutsideVpcEndpointsOa1b2c3d4e5rab12ouab1211111111')[0].Condition['ForAnyValue:StringLike']).toEqual({ 'aws:PrincipalOrgPaths': paths });
    });

    test('additionalVpcEndpointIds are accepted too', () => {
      const { template } = synth({ additionalVpcEndpointIds: ['vpce-0123456789abcdef0'] });
      const [deny] = bySid(bucketStatements(template()), DENY_SID);
      expect(deny.Condition.StringNotEquals['aws:SourceVpce']).toEqual([{ Ref: expect.stringMatching(/^PrivateS3Endpoint/) }, 'vpce-0123456789abcdef0']);
    });

    test('the auto-delete-objects function (outside the VPC) stays able to empty the bucket', () => {
      const { template } = synth({}, { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      const [deny] = bySid(bucketStatements(template()), DENY_SID);
      expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toContainEqual({
        'Fn::GetAtt': [expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderRole/), 'Arn'],
      });
    });

    test('a BucketDeployment into the bucket no longer fails at deploy time: its Lambda (outside the VPC) is exempt by role from both denies, also when added after the VpcEndpointAccess', async () => {
      const { stack, data } = synth({ administratorArns: [ADMIN_ARN] });
      new s3deploy.BucketDeployment(stack, 'Seed', { sources: [s3deploy.Source.data('seed.csv', 'a,b')], destinationBucket: data.bucket });
      const template = Template.fromStack(stack);
      const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Layers: Match.anyValue() } }));
      const handlerRole = template.toJSON().Resources[functionId].Properties.Role;
      expect(handlerRole).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CustomCDKBucketDeployment.*ServiceRole/), 'Arn'] });
      for (const sid of [DENY_SID, OWN_ACCOUNT_DENY_SID]) {
        expect(bySid(bucketStatements(template), sid)[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual([ADMIN_ARN, DEPLOY_ROLE, CFN_EXEC_ROLE, handlerRole]);
      }
      // what S3 decides for the deployment's Lambda, calling from outside the VPC
      const { bucketPolicy, bucket } = concretePolicies(stack);
      const lambda = `arn:aws:iam::${PRODUCER}:role/${handlerRole['Fn::GetAtt'][0]}`;
      const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
      for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:ListBucket']) {
        const resource = action === 's3:ListBucket' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/seed.csv`;
        expect(await decide(bucketPolicy, { principal: lambda, action, resource, context: tls })).toBe('Allowed');
      }
      expect(await decide(bucketPolicy, { principal: `arn:aws:iam::${PRODUCER}:role/app`, action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/seed.csv`, context: tls })).toBe('ExplicitlyDenied');
    });

    test('a BucketDeployment with a role of its own, or a role overridden by an escape hatch, is exempt by the role its function really has', () => {
      const own = synth({ administratorArns: [ADMIN_ARN] });
      const role = new iam.Role(own.stack, 'SeedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new s3deploy.BucketDeployment(own.stack, 'Seed', { sources: [s3deploy.Source.data('seed.csv', 'a,b')], destinationBucket: own.data.bucket, role });
      expect(bySid(bucketStatements(own.template()), DENY_SID)[0].Condition.ArnNotLike['aws:PrincipalArn']).toContainEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SeedRole/), 'Arn'] });

      const overridden = synth({ administratorArns: [ADMIN_ARN] });
      new s3deploy.BucketDeployment(overridden.stack, 'Seed', { sources: [s3deploy.Source.data('seed.csv', 'a,b')], destinationBucket: overridden.data.bucket });
      const fn = overridden.stack.node.findAll().find((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'AWS::Lambda::Function' && c.node.path.includes('CDKBucketDeployment'))!;
      fn.addPropertyOverride('Role', `arn:aws:iam::${PRODUCER}:role/overridden`);
      const arns = bySid(bucketStatements(overridden.template()), DENY_SID)[0].Condition.ArnNotLike['aws:PrincipalArn'];
      expect(arns).toEqual([ADMIN_ARN, DEPLOY_ROLE, CFN_EXEC_ROLE, `arn:aws:iam::${PRODUCER}:role/overridden`]);
    });

    test('fails if a BucketDeployment in another stack writes into the bucket: its role cannot be named in the bucket\'s policy', () => {
      const { app, data } = synth({ administratorArns: [ADMIN_ARN] });
      const web = stackIn(app, 'Web');
      new s3deploy.BucketDeployment(web, 'Seed', { sources: [s3deploy.Source.data('seed.csv', 'a,b')], destinationBucket: data.bucket });
      expect(() => app.synth()).toThrow(
        /Web\/Seed\/CustomResource writes into buckets\[0\] \(Producer\/Data\/Bucket\) from outside the VPC: it is BucketDeployment \(aws-s3-deployment\).*is in stack Web, not in the bucket's stack Producer.*the deployment would fail\. Create it in the bucket's stack Producer, or give it an existing role by ARN/,
      );
    });

    test('a BucketDeployment in another stack with a role given by ARN is exempt by that ARN', () => {
      const { app, stack, data } = synth({ administratorArns: [ADMIN_ARN] });
      const web = stackIn(app, 'Web');
      const role = iam.Role.fromRoleArn(web, 'DeployRole', `arn:aws:iam::${PRODUCER}:role/web-deploy`, { mutable: false });
      new s3deploy.BucketDeployment(web, 'Seed', { sources: [s3deploy.Source.data('seed.csv', 'a,b')], destinationBucket: data.bucket, role });
      app.synth();
      expect(bySid(bucketStatements(Template.fromStack(stack)), DENY_SID)[0].Condition.ArnNotLike['aws:PrincipalArn']).toContain(`arn:aws:iam::${PRODUCER}:role/web-deploy`);
    });

    test('a BucketDeployment into another bucket is not exempt', () => {
      const { stack } = synth({ administratorArns: [ADMIN_ARN] });
      new s3deploy.BucketDeployment(stack, 'Seed', { sources: [s3deploy.Source.data('seed.csv', 'a,b')], destinationBucket: new s3.Bucket(stack, 'Other') });
      expect(bySid(bucketStatements(Template.fromStack(stack)), DENY_SID)[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual([ADMIN_ARN, DEPLOY_ROLE, CFN_EXEC_ROLE]);
    });

    test('bucket notifications (Custom::S3BucketNotifications) configure the bucket from outside the VPC: bucket configuration, never denied', async () => {
      const { stack, data } = synth({ administratorArns: [ADMIN_ARN] });
      data.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(new sns.Topic(stack, 'Created')));
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::S3BucketNotifications', 1);
      const { bucketPolicy, bucket } = concretePolicies(stack);
      const handler = `arn:aws:iam::${PRODUCER}:role/BucketNotificationsHandlerRole`;
      for (const action of ['s3:PutBucketNotification', 's3:GetBucketNotification']) {
        expect(await decide(bucketPolicy, { principal: handler, action, resource: `arn:aws:s3:::${bucket}`, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' } })).toBe('Allowed');
      }
    });

    test('restrictBucketAccess: false makes only the endpoints, with a warning', () => {
      const { stack, template } = synth({ restrictBucketAccess: false });
      expect(bySid(bucketStatements(template()), DENY_SID)).toEqual([]);
      expect(warningIds(stack)).toContain('cdk-data-protection:bucketsNotRestricted');
    });

    test('an imported bucket gets a new policy when replaceExistingBucketPolicy is acknowledged, with a warning', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'imported-bucket');
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [imported], administratorArns: [ADMIN_ARN], replaceExistingBucketPolicy: true });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: 'imported-bucket',
        PolicyDocument: { Statement: [Match.objectLike({ Sid: DENY_SID, Effect: 'Deny' }), Match.objectLike({ Sid: OWN_ACCOUNT_DENY_SID, Effect: 'Deny' })] },
      });
      expect(warningIds(stack)).toContain('cdk-data-protection:replacesBucketPolicy');
    });
  });

  describe('keys', () => {
    test('restrictDirectKeyUse denies direct use of the key from outside the KMS endpoint, never calls through AWS services', () => {
      const { template } = synth({ restrictDirectKeyUse: true, administratorArns: [ADMIN_ARN] });
      template().hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: DataProtectionStatements.SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS,
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
              Resource: '*',
              Condition: {
                StringNotEquals: { 'aws:SourceVpc': [{ Ref: Match.stringLikeRegexp('^Vpc') }] },
                BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
                Null: { 'kms:ViaService': 'true' },
                ArnNotLike: { 'aws:PrincipalArn': [ADMIN_ARN] },
              },
            },
          ]),
        },
      });
    });

    test('restrictDirectKeyUse leaves imported keys alone, with a warning carrying the statement', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack);
      const key = kms.Key.fromKeyArn(stack, 'Imported', kmsKeyArn());
      const data = new EncryptedBucket(stack, 'Data', { encryptionKey: key });
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN], restrictDirectKeyUse: true });
      expect(warningIds(stack)).toContain('cdk-data-protection:importedKeyNotRestricted');
      const shown = warnedStatements(stack, 'cdk-data-protection:importedKeyNotRestricted');
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatchObject({
        Sid: 'DenyDirectKeyUseOutsideVpcs',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:SourceVpc': [{ Ref: expect.stringMatching(/^Vpc/) }] },
          BoolIfExists: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
          Null: { 'kms:ViaService': 'true' },
        },
      });
      expect(shown[0].Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    });
  });

  describe('scenarios', () => {
    test('case D09: the endpoint deny never blocks administrators, deployment roles, the bucket policy itself, or AWS services acting for a caller; nobody exempt is an error', async () => {
      const { stack, data } = synth({ administratorArns: [ADMIN_ARN] });
      data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      const { bucketPolicy, bucket } = concretePolicies(stack);
      const object = `arn:aws:s3:::${bucket}/report.csv`;
      const app = `arn:aws:iam::${PRODUCER}:role/app`;
      const deployRole = `arn:aws:iam::${PRODUCER}:role/cdk-hnb659fds-deploy-role-${PRODUCER}-${REGION}`;
      const cfnRole = `arn:aws:iam::${PRODUCER}:role/cdk-hnb659fds-cfn-exec-role-${PRODUCER}-${REGION}`;
      const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
      const inVpc = { ...tls, 'aws:SourceVpce': S3_VPCE };
      // the workload: through the endpoint yes, from anywhere else no
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: inVpc })).toBe('Allowed');
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: tls })).toBe('ExplicitlyDenied');
      expect(await decide(bucketPolicy, { principal: app, action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, context: tls })).toBe('ExplicitlyDenied');
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: { ...tls, 'aws:SourceVpce': 'vpce-99999999999999999' } })).toBe('ExplicitlyDenied');
      // administrators and deployment roles, from outside the VPC
      for (const principal of [ADMIN_ARN, deployRole, cfnRole]) {
        expect(await decide(bucketPolicy, { principal, action: 's3:GetObject', resource: object, context: tls })).toBe('Allowed');
      }
      // the bucket policy itself: never denied, from anywhere, to anyone the account allows
      for (const action of ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']) {
        for (const principal of [ADMIN_ARN, app]) {
          expect(await decide(bucketPolicy, { principal, action, resource: `arn:aws:s3:::${bucket}`, context: tls })).toBe('Allowed');
        }
      }
      // a partner the bucket is shared with, from its own network
      const partner = `arn:aws:iam::${PARTNER}:role/reader`;
      expect(await decide(bucketPolicy, { principal: partner, action: 's3:GetObject', resource: object, context: tls })).toBe('Allowed');
      // an AWS service acting for the caller (e.g. Athena reading the bucket)
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: { ...tls, 'aws:ViaAWSService': 'true' } })).toBe('Allowed');

      // nobody exempt: an error
      const { stack: lonely } = producerStack('Lonely', { synthesizer: new CliCredentialsStackSynthesizer() });
      const lonelyData = new EncryptedBucket(lonely, 'Data');
      expect(() => new VpcEndpointAccess(lonely, 'Private', { vpc: isolatedVpc(lonely), buckets: [lonelyData.bucket] })).toThrow(
        /would exempt no administrator: administrators and administratorArns are empty, and the stack's synthesizer \(CliCredentialsStackSynthesizer\) names no CDK deployment roles/,
      );
    });

    test('case D09: sharing with the own organization never exempts principals of the own account from the endpoint restriction (and warns)', async () => {
      const { stack, data } = synth({ administratorArns: [ADMIN_ARN], organizationId: ORG });
      data.shareWith(Partner.organization(ORG), AccessLevel.READ);
      const { bucketPolicy, bucket } = concretePolicies(stack);
      const object = `arn:aws:s3:::${bucket}/report.csv`;
      const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', 'aws:PrincipalOrgID': ORG };
      const app = `arn:aws:iam::${PRODUCER}:role/app`;
      // a principal of the own account, in the own organization, from outside the VPC: denied
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: tls })).toBe('ExplicitlyDenied');
      expect(await decide(bucketPolicy, { principal: app, action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, context: tls })).toBe('ExplicitlyDenied');
      // ... through the endpoint, as an administrator, or through an AWS service: allowed
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: { ...tls, 'aws:SourceVpce': S3_VPCE } })).toBe('Allowed');
      expect(await decide(bucketPolicy, { principal: ADMIN_ARN, action: 's3:GetObject', resource: object, context: tls })).toBe('Allowed');
      expect(await decide(bucketPolicy, { principal: app, action: 's3:GetObject', resource: object, context: { ...tls, 'aws:ViaAWSService': 'true' } })).toBe('Allowed');
      // another account of the organization, the partner, from its own network: allowed
      expect(await decide(bucketPolicy, { principal: `arn:aws:iam::${PARTNER}:role/reader`, action: 's3:GetObject', resource: object, context: tls })).toBe('Allowed');
      expect(warningIds(stack)).toContain('cdk-data-protection:partnerIsOwnOrganization');
    });

    test('sharing with an organizational unit of the own organization warns too; a unit of another organization does not', () => {
      const other = synth({ administratorArns: [ADMIN_ARN], organizationId: 'o-a1b2c3d4e5' });
      other.data.shareWith(Partner.organizationPaths(['o-f6g7h8i9j0/r-cd34/*']), AccessLevel.READ);
      other.data.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      expect(warningIds(other.stack)).not.toContain('cdk-data-protection:partnerIsOwnOrganization');
      const own = synth({ administratorArns: [ADMIN_ARN], organizationId: 'o-a1b2c3d4e5' });
      own.data.shareWith(Partner.organizationPaths(['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']), AccessLevel.READ);
      expect(warnings(own.stack).filter((w) => w.includes('own organization'))).toEqual([
        expect.stringMatching(/is shared with organization paths o-a1b2c3d4e5\/r-ab12\/ou-ab12-11111111\/\*, which is this VpcEndpointAccess's own organization/),
      ]);
    });

    test('case D09: sharing with an organizational unit never exempts principals of the own account', async () => {
      const { stack, data } = synth({ administratorArns: [ADMIN_ARN] });
      const path = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/';
      data.shareWith(Partner.organizationPaths([`${path}*`]), AccessLevel.READ);
      const { bucketPolicy, bucket } = concretePolicies(stack);
      const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:PrincipalOrgPaths': [path] };
      const object = `arn:aws:s3:::${bucket}/report.csv`;
      expect(await decide(bucketPolicy, { principal: `arn:aws:iam::${PRODUCER}:role/app`, action: 's3:GetObject', resource: object, context: tls })).toBe('ExplicitlyDenied');
      expect(await decide(bucketPolicy, { principal: `arn:aws:iam::${PARTNER}:role/reader`, action: 's3:GetObject', resource: object, context: tls })).toBe('Allowed');
    });

    test('case D10: no VPC endpoint condition on the path S3 uses to call KMS; reads through S3 keep working with direct use restricted', async () => {
      const { stack, template } = synth({ restrictDirectKeyUse: true });
      // every network-conditioned statement of the key policy exempts calls made through AWS services
      const statements = policyStatements(template(), 'AWS::KMS::Key', 'DataKey', 'KeyPolicy');
      const networked = statements.filter((s) => /aws:Source(Vpce|Vpc|Ip)/.test(JSON.stringify(s.Condition ?? {})));
      expect(networked).toHaveLength(1);
      for (const s of networked) {
        expect(s.Effect).toBe('Deny');
        expect(s.Condition.BoolIfExists['aws:ViaAWSService']).toBe('false');
        expect(s.Condition.Null['kms:ViaService']).toBe('true');
      }
      // and what KMS decides
      const { keyPolicy, keyArn } = concretePolicies(stack);
      const app = `arn:aws:iam::${PRODUCER}:role/app`;
      const viaS3 = { 'aws:ViaAWSService': 'true', 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': PRODUCER };
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
        expect(await decide(keyPolicy, { principal: app, action, resource: keyArn, context: viaS3 })).toBe('Allowed');
      }
      expect(await decide(keyPolicy, { principal: app, action: 'kms:Decrypt', resource: keyArn, context: { 'aws:SourceVpce': KMS_VPCE, 'aws:SourceVpc': VPC_ID } })).toBe('Allowed');
      expect(await decide(keyPolicy, { principal: app, action: 'kms:Decrypt', resource: keyArn })).toBe('ExplicitlyDenied');
      // key management is never covered
      expect(await decide(keyPolicy, { principal: app, action: 'kms:PutKeyPolicy', resource: keyArn })).toBe('Allowed');
    });

    test('case D10: a key policy statement that puts a network condition on the S3 path is an error at synth', () => {
      const { data, template } = synth();
      data.encryptionKey!.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyOutsideVpce',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
        }),
      );
      expect(() => template()).toThrow(/statement DenyOutsideVpce that denies on aws:sourcevpce without exempting calls made through AWS services/);
    });
  });

  describe('bad input', () => {
    test('fails if administratorArns exempts every account (an account wildcard, or "*"), and says to name one account', () => {
      for (const arn of ['arn:aws:iam::*:*', 'arn:aws:iam::*:role/Admin', '*']) {
        expect(() => synth({ administratorArns: [arn] })).toThrow(
          new RegExp(`administratorArns\\[0\\] must be an IAM role, user or root ARN of one account .*got "${arn.replace(/\*/g, '\\*')}"\\. The account must be a 12-digit account id: a wildcard account \\(or "\\*"\\) would exempt principals of every AWS account`),
        );
      }
    });

    test('administratorArns matching every role or user of the account: allowed, with a warning', () => {
      for (const arn of [`arn:aws:iam::${PRODUCER}:role/*`, `arn:aws:iam::${PRODUCER}:user/*`, `arn:aws:iam::${PRODUCER}:*`]) {
        const { stack } = synth({ administratorArns: [arn] });
        expect(warningIds(stack)).toContain('cdk-data-protection:administratorWildcard');
      }
      expect(warningIds(synth({ administratorArns: [SSO_ADMINS] }).stack)).not.toContain('cdk-data-protection:administratorWildcard');
    });

    test('fails if buckets is empty', () => {
      const { stack } = producerStack();
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [] })).toThrow(/buckets needs at least one s3.IBucket to protect .*got \[\]/);
    });

    test('fails if vpc is missing', () => {
      const { stack } = producerStack();
      expect(() => new VpcEndpointAccess(stack, 'Private', { buckets: [] } as any)).toThrow(/vpc is required/);
    });

    test('fails if a bucket is in another known region than the VPC', () => {
      const { stack } = producerStack();
      const far = s3.Bucket.fromBucketAttributes(stack, 'Far', { bucketName: 'far-bucket', region: 'us-east-1' });
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [far], administratorArns: [ADMIN_ARN], replaceExistingBucketPolicy: true })).toThrow(
        /buckets\[0\] \(Producer\/Far\) is in us-east-1, but the VPC endpoint is in eu-west-1: a gateway endpoint only serves buckets of its own region/,
      );
    });

    test('fails if the VPC is in another known region than the stack', () => {
      const { stack } = producerStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Far', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'], region: 'us-east-1' });
      const data = new EncryptedBucket(stack, 'Data');
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] })).toThrow(/vpc Producer\/Far is in us-east-1, but the endpoints would be created in the stack's region eu-west-1/);
    });

    test('fails if a key is in another known region', () => {
      const { stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      const far = kms.Key.fromKeyArn(stack, 'FarKey', kmsKeyArn('us-east-1'));
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [data.bucket], administratorArns: [ADMIN_ARN], keys: [far] })).toThrow(
        /key Producer\/FarKey .* is in us-east-1, but the KMS endpoint is in eu-west-1/,
      );
    });

    test('fails if the selected subnets have no route table to attach the gateway endpoint to', () => {
      const { stack } = producerStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-1'], vpcCidrBlock: '10.0.0.0/16' });
      const data = new EncryptedBucket(stack, 'Data');
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] })).toThrow(
        /subnets \(subnet-1\) have no route table to attach the S3 gateway endpoint to: .*isolatedSubnetRouteTableIds/,
      );
    });

    test('fails if the VPC has no private subnets and subnets is not given', () => {
      const { stack } = producerStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, subnetConfiguration: [{ name: 'web', subnetType: ec2.SubnetType.PUBLIC }] });
      const data = new EncryptedBucket(stack, 'Data');
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] })).toThrow(/vpc Producer\/Vpc has no private subnets .* Pass subnets/);
    });

    test('fails if the VPC has DNS hostnames off (the KMS endpoint\'s private DNS needs them)', () => {
      const { stack } = producerStack();
      const vpc = isolatedVpc(stack, 'Vpc', { enableDnsHostnames: false });
      const data = new EncryptedBucket(stack, 'Data');
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] })).toThrow(/enableDnsHostnames false .* private DNS needs both true/);
    });

    test('fails if restricting with nobody exempt (deployment roles turned off, no administrators)', () => {
      expect(() => synth({ exemptCdkDeploymentRoles: false, administratorArns: undefined })).toThrow(/would exempt no administrator: .*exemptCdkDeploymentRoles is false.*administratorArns: \['arn:aws:iam::111111111111:role\/Admin'\]/);
    });

    test.each([['vpce-123'], ['arn:aws:ec2:eu-west-1:111111111111:vpc-endpoint/vpce-0123456789abcdef0'], ['VPCE-0123456789ABCDEF0']])(
      'fails if an additional endpoint id is invalid: %s',
      (id) => {
        expect(() => synth({ additionalVpcEndpointIds: [id] })).toThrow(
          new RegExp(`additionalVpcEndpointIds\\[0\\] must be a VPC endpoint id: vpce- followed by 17 lowercase hex digits, e.g. vpce-0123456789abcdef0, got "${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`),
        );
      },
    );

    test('fails if a partner endpoint id is invalid or missing', () => {
      expect(() => synth({ partnerVpcEndpoints: [{ partner: Partner.account(PARTNER), vpcEndpointIds: ['vpce-xyz'] }] })).toThrow(/partnerVpcEndpoints\[0\]\.vpcEndpointIds\[0\] must be a VPC endpoint id/);
      expect(() => synth({ partnerVpcEndpoints: [{ partner: Partner.account(PARTNER), vpcEndpointIds: [] }] })).toThrow(/partnerVpcEndpoints\[0\]\.vpcEndpointIds needs at least one VPC endpoint id/);
      expect(() => synth({ partnerVpcEndpoints: [{ partner: '222222222222' as any, vpcEndpointIds: ['vpce-0123456789abcdef0'] }] })).toThrow(/partnerVpcEndpoints\[0\]\.partner must be a Partner/);
    });

    test('fails if an administrator ARN is a role session, not a role', () => {
      expect(() => synth({ administratorArns: [`arn:aws:sts::${PRODUCER}:assumed-role/Admin/alice`] })).toThrow(
        /administratorArns\[0\] must be an IAM role, user or root ARN .* aws:PrincipalArn holds the role ARN/,
      );
    });

    test('fails if an administrator is a role session (checked by the construct, not only by the statement it builds)', () => {
      expect(() => synth({ administrators: [new iam.ArnPrincipal(`arn:aws:sts::${PRODUCER}:assumed-role/Admin/alice`)] })).toThrow(
        /administrators\[0\] must be an IAM role, user or root ARN .* aws:PrincipalArn holds the role ARN/,
      );
    });

    test('fails if an imported s3Endpoint has a malformed id the bucket denies would name', () => {
      const { stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      const s3Endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'S3', 'vpce-123');
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [data.bucket], s3Endpoint, administratorArns: [ADMIN_ARN] })).toThrow(
        /vpcEndpointIds\[0\] must be a VPC endpoint id: .*got "vpce-123"/,
      );
    });

    test('fails if restrictDirectKeyUse is asked for on an imported VPC with a malformed id', () => {
      const { stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-123',
        vpcCidrBlock: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a'],
        isolatedSubnetIds: ['subnet-0123456789abcdef0'],
        isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
      });
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], restrictDirectKeyUse: true, administratorArns: [ADMIN_ARN] })).toThrow(
        /vpcIds\[0\] must be a VPC id .*got "vpc-123"/,
      );
    });

    test('fails if an administrator is a service principal', () => {
      expect(() => synth({ administrators: [new iam.ServicePrincipal('lambda.amazonaws.com')] })).toThrow(/administrators\[0\] must be IAM roles, users or accounts .*Service principals need no exemption/);
    });

    test('fails if organizationId is not an organization id', () => {
      expect(() => synth({ organizationId: 'a1b2c3d4e5' })).toThrow(/organizationId must be an organization id such as o-a1b2c3d4e5 .*got "a1b2c3d4e5"/);
    });

    test('fails if a bucket is imported and replacing its policy is not acknowledged', () => {
      const { stack } = producerStack();
      const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'imported-bucket');
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [imported], administratorArns: [ADMIN_ARN] })).toThrow(
        /bucket Producer\/Imported is imported, so a new bucket policy would replace the policy it has in AWS.*Set replaceExistingBucketPolicy: true/,
      );
    });

    test('fails if a bucket is already restricted by another VpcEndpointAccess', () => {
      const { stack, data, vpc } = synth();
      expect(() => new VpcEndpointAccess(stack, 'Again', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] })).toThrow(
        /buckets\[0\] \(Producer\/Data\/Bucket\) is already restricted by VpcEndpointAccess Producer\/Private\. .*additionalVpcEndpointIds/,
      );
    });

    test('fails if restrictDirectKeyUse is asked for with no key', () => {
      expect(() => synth({ restrictDirectKeyUse: true }, { encryption: ServerSideEncryption.SSE_S3 })).toThrow(/restrictDirectKeyUse is true, but there is no KMS key to restrict/);
    });

    test('statement builders refuse an empty exemption and an empty endpoint list', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'B');
      expect(() => DataProtectionStatements.denyDataAccessOutsideVpcEndpoints(bucket, ['vpce-0123456789abcdef0'], { principalArns: [] })).toThrow(/exemptions.principalArns is empty/);
      expect(() => DataProtectionStatements.denyDataAccessOutsideVpcEndpoints(bucket, [], { principalArns: [ADMIN_ARN] })).toThrow(/vpcEndpointIds needs at least one VPC endpoint id/);
      expect(() => DataProtectionStatements.denyDirectKeyUseOutsideVpcs([])).toThrow(/vpcIds needs at least one VPC id/);
      expect(() => DataProtectionStatements.denyDirectKeyUseOutsideVpcs(['vpce-0123456789abcdef0'])).toThrow(/vpcIds\[0\] must be a VPC id/);
    });
  });

  describe('a given s3Endpoint', () => {
    /** A stack with the isolated VPC and a bucket, and a function that restricts the bucket with `s3Endpoint`. */
    function withEndpoint(props: Partial<ec2.VpcProps> = {}) {
      const { app, stack } = producerStack();
      const vpc = isolatedVpc(stack, 'Vpc', props);
      const data = new EncryptedBucket(stack, 'Data');
      const restrict = (s3Endpoint: ec2.IGatewayVpcEndpoint, extra: Partial<VpcEndpointAccessProps> = {}) =>
        new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], s3Endpoint, administratorArns: [ADMIN_ARN], ...extra });
      return { app, stack, vpc, restrict };
    }

    test('an S3 gateway endpoint of the VPC, routed to the selected subnets, is accepted, whatever form its ServiceName takes', () => {
      const forms: Array<[string, unknown]> = [
        ['aws-cdk-lib\'s Fn::Join', undefined],
        ['a literal', `com.amazonaws.${REGION}.s3`],
        ['a Fn::Sub', { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' }],
        ['a Fn::Join with dots', { 'Fn::Join': ['.', ['com.amazonaws', { Ref: 'AWS::Region' }, 's3']] }],
      ];
      for (const [, serviceName] of forms) {
        const { app, vpc, restrict } = withEndpoint();
        const s3Endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
        if (serviceName !== undefined) {
          (s3Endpoint.node.defaultChild as ec2.CfnVPCEndpoint).addPropertyOverride('ServiceName', serviceName);
        }
        restrict(s3Endpoint);
        expect(() => app.synth()).not.toThrow();
      }
      // an endpoint with no VpcEndpointType is a gateway endpoint (CloudFormation's default)
      const { app, vpc, restrict } = withEndpoint();
      const untyped = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      (untyped.node.defaultChild as ec2.CfnVPCEndpoint).vpcEndpointType = undefined;
      restrict(untyped);
      expect(() => app.synth()).not.toThrow();
    });

    test('fails if s3Endpoint is an interface endpoint (an ec2.InterfaceVpcEndpoint cast to the gateway interface, or an imported one)', () => {
      const own = withEndpoint();
      const iface = own.vpc.addInterfaceEndpoint('S3Interface', { service: ec2.InterfaceVpcEndpointAwsService.S3 });
      expect(() => own.restrict(iface as unknown as ec2.IGatewayVpcEndpoint)).toThrow(
        /^s3Endpoint Producer\/Vpc\/S3Interface is an interface endpoint \(VpcEndpointType "Interface"\), but an S3 gateway endpoint is expected: .*vpc\.addGatewayEndpoint\('S3', \{ service: ec2\.GatewayVpcEndpointAwsService\.S3 \}\).*list its id in additionalVpcEndpointIds\.$/,
      );
      const imported = withEndpoint();
      const importedIface = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(imported.stack, 'S3Interface', { vpcEndpointId: 'vpce-0123456789abcdef0', port: 443 });
      expect(() => imported.restrict(importedIface as unknown as ec2.IGatewayVpcEndpoint)).toThrow(
        /s3Endpoint Producer\/S3Interface is an interface endpoint \(an imported ec2\.IInterfaceVpcEndpoint, with security groups\), but an S3 gateway endpoint is expected/,
      );
    });

    test('fails if s3Endpoint is a gateway endpoint of another service (DynamoDB, S3 Express One Zone) or of another Region', () => {
      for (const service of [ec2.GatewayVpcEndpointAwsService.DYNAMODB, ec2.GatewayVpcEndpointAwsService.S3_EXPRESS]) {
        const { vpc, restrict } = withEndpoint();
        const s3Endpoint = vpc.addGatewayEndpoint('S3', { service });
        expect(() => restrict(s3Endpoint)).toThrow(
          new RegExp(`s3Endpoint Producer/Vpc/S3 has ServiceName \\{"Fn::Join":\\["",\\["com\\.amazonaws\\.",\\{"Ref":"AWS::Region"\\},"\\.${service === ec2.GatewayVpcEndpointAwsService.DYNAMODB ? 'dynamodb' : 's3express'}"\\]\\]\\}, which is not the S3 service of eu-west-1 \\(com\\.amazonaws\\.eu-west-1\\.s3\\).*Create it with service: ec2\\.GatewayVpcEndpointAwsService\\.S3`),
        );
      }
      const { vpc, restrict } = withEndpoint();
      const far = vpc.addGatewayEndpoint('S3', { service: { name: 'com.amazonaws.us-east-1.s3' } });
      expect(() => restrict(far)).toThrow(/s3Endpoint Producer\/Vpc\/S3 has ServiceName "com\.amazonaws\.us-east-1\.s3", which is not the S3 service of eu-west-1/);
    });

    test('fails if s3Endpoint is a gateway endpoint of another VPC', () => {
      const { stack, restrict } = withEndpoint();
      const other = isolatedVpc(stack, 'Other');
      const s3Endpoint = other.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      expect(() => restrict(s3Endpoint)).toThrow(
        /s3Endpoint Producer\/Other\/S3 is in the VPC \{"Ref":"Other[0-9A-F]+"\}, not in vpc Producer\/Vpc \(\{"Ref":"Vpc[0-9A-F]+"\}\): a gateway endpoint serves only the VPC it is in/,
      );
    });

    test('fails if s3Endpoint is not in the route table of every selected subnet', () => {
      const { vpc, restrict } = withEndpoint({
        subnetConfiguration: [
          { name: 'web', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      const s3Endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'web' }] });
      expect(() => restrict(s3Endpoint)).toThrow(
        /s3Endpoint Producer\/Vpc\/S3 is not routed to every selected subnet: its RouteTableIds \[\{"Ref":"VpcwebSubnet1RouteTable[0-9A-F]+"\},\{"Ref":"VpcwebSubnet2RouteTable[0-9A-F]+"\}\] lack the route table \{"Ref":"VpcappSubnet1RouteTable[0-9A-F]+"\} \(of Producer\/Vpc\/appSubnet1\), \{"Ref":"VpcappSubnet2RouteTable[0-9A-F]+"\} \(of Producer\/Vpc\/appSubnet2\)\. .*Create the endpoint with the subnets of the workloads/,
      );
      // the subnets it serves, selected with subnets, are enough
      const web = withEndpoint({ subnetConfiguration: [{ name: 'web', subnetType: ec2.SubnetType.PUBLIC }, { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const webEndpoint = web.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'web' }] });
      web.restrict(webEndpoint, { subnets: { subnetGroupName: 'web' } });
      expect(() => web.app.synth()).not.toThrow();
    });

    test('fails if an escape hatch changes s3Endpoint after VpcEndpointAccess checked it: read again on the final template', () => {
      const changes: Array<[string, (stack: Stack) => unknown, RegExp]> = [
        ['VpcEndpointType', () => 'Interface', /is an interface endpoint \(VpcEndpointType "Interface"\)/],
        ['ServiceName', () => 'com.amazonaws.eu-west-1.dynamodb', /has ServiceName "com\.amazonaws\.eu-west-1\.dynamodb", which is not the S3 service of eu-west-1/],
        ['RouteTableIds', () => [], /is not routed to every selected subnet: its RouteTableIds \[\] lack/],
        ['VpcId', (stack) => ({ Ref: stack.getLogicalId(isolatedVpc(stack, 'Other').node.defaultChild as ec2.CfnVPC) }), /is in the VPC \{"Ref":"Other[0-9A-F]+"\}, not in vpc Producer\/Vpc/],
      ];
      for (const [property, value, expected] of changes) {
        const { app, stack, vpc, restrict } = withEndpoint();
        const s3Endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
        restrict(s3Endpoint);
        (s3Endpoint.node.defaultChild as ec2.CfnVPCEndpoint).addPropertyOverride(property, value(stack));
        expect(() => app.synth()).toThrow(new RegExp(`Producer/Private\\] On the final template \\(after escape hatches, overrides and Aspects\\): s3Endpoint Producer/Vpc/S3 ${expected.source}`));
      }
    });

    test('compares the VPC and route tables by what they reference, across stacks too (the Fn::ImportValue of the VPC stack\'s export)', () => {
      const build = (local: boolean) => {
        const app = new App();
        const network = stackIn(app, 'Network');
        const vpc = isolatedVpc(network);
        const stack = stackIn(app, 'Workload');
        const data = new EncryptedBucket(stack, 'Data');
        const s3Endpoint = new ec2.GatewayVpcEndpoint(stack, 'S3', { vpc: local ? isolatedVpc(stack, 'Local') : vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
        new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], s3Endpoint, administratorArns: [ADMIN_ARN] });
        return app;
      };
      expect(() => build(false).synth()).not.toThrow();
      // created against a VPC of its own stack: at construction the other stack's VPC is only a Ref; on the final template, an import
      expect(() => build(true).synth()).toThrow(
        /On the final template .*: s3Endpoint Workload\/S3 is in the VPC \{"Ref":"Local[0-9A-F]+"\}, not in vpc Network\/Vpc \(\{"Fn::ImportValue":"Network:ExportsOutputRefVpc[0-9A-F]+"\}\)/,
      );
    });

    test('an imported s3Endpoint cannot be read: it is used as given, with the warning cdk-data-protection:s3EndpointNotVerified', () => {
      const { app, stack, restrict } = withEndpoint();
      restrict(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'S3', 'vpce-0123456789abcdef0'));
      expect(() => app.synth()).not.toThrow();
      expect(warnings(stack).filter((w) => w.includes('[ack: cdk-data-protection:s3EndpointNotVerified]'))).toEqual([
        expect.stringMatching(/^s3Endpoint Producer\/S3 \(vpce-0123456789abcdef0\) is imported, so it is used as given: whether it is an S3 gateway endpoint \(com\.amazonaws\.<region>\.s3\) of vpc Producer\/Vpc, in the route tables of the selected subnets, cannot be read at synthesis\. .*aws ec2 describe-vpc-endpoints/),
      ]);
      expect(bySid(bucketStatements(Template.fromStack(stack)), DENY_SID)[0].Condition.StringNotEquals['aws:SourceVpce']).toEqual(['vpce-0123456789abcdef0']);
    });
  });

  describe('administrators of the bucket\'s account', () => {
    test('fails if administrators name only principals of another account', () => {
      expect(() => synth({ administratorArns: [`arn:aws:iam::${PARTNER}:role/Admin`] })).toThrow(
        /^Restricting buckets\[0\] \(Producer\/Data\/Bucket\) to the VPC endpoint would exempt no administrator: administrators and administratorArns name only "arn:aws:iam::222222222222:role\/Admin" \(administratorArns\[0\]: a principal of account 222222222222, not of the bucket's account 111111111111\), and the CDK deployment roles, exempt so that deployments keep working, do not count: .*Name a role of the bucket's account, e\.g\. the role your operators assume \(administratorArns: \['arn:aws:iam::111111111111:role\/Admin'\] or administrators: \[role\]\), or set restrictBucketAccess: false\.$/,
      );
      const { stack } = producerStack();
      const data = new EncryptedBucket(stack, 'Data');
      const theirs = iam.Role.fromRoleArn(stack, 'Theirs', `arn:aws:iam::${PARTNER}:role/Admin`);
      expect(() => new VpcEndpointAccess(stack, 'Private', { vpc: isolatedVpc(stack), buckets: [data.bucket], administrators: [theirs] })).toThrow(
        /administrators and administratorArns name only "arn:aws:iam::222222222222:role\/Admin" \(administrators\[0\]: a principal of account 222222222222, not of the bucket's account 111111111111\)/,
      );
    });

    test('fails if administrators name only the account root (an arn:...:root ARN, iam.AccountRootPrincipal, iam.AccountPrincipal)', () => {
      for (const props of [
        { administratorArns: [`arn:aws:iam::${PRODUCER}:root`] },
        { administratorArns: undefined, administrators: [new iam.AccountRootPrincipal()] },
        { administratorArns: undefined, administrators: [new iam.AccountPrincipal(PRODUCER)] },
      ]) {
        expect(() => synth(props)).toThrow(
          /would exempt no administrator: administrators and administratorArns name only .* \((administratorArns|administrators)\[0\]: the root user of the bucket's account; aws:PrincipalArn arn:aws:iam::111111111111:root matches the root user only, no role or user of the account\)/,
        );
      }
    });

    test('fails if no administrator is named: the CDK deployment roles do not count', () => {
      expect(() => synth({ administratorArns: undefined })).toThrow(
        /would exempt no administrator: administrators and administratorArns are empty, and the CDK deployment roles, exempt so that deployments keep working, do not count: the deploy role only starts CloudFormation deployments and the CloudFormation execution role is assumed by CloudFormation alone/,
      );
      // nothing restricted, nothing required
      expect(() => synth({ administratorArns: undefined, restrictBucketAccess: false })).not.toThrow();
    });

    test('a role or user of the bucket\'s account counts (a construct of this or another stack, an ARN, a pattern), with a root or a partner alongside', () => {
      const { app, stack } = producerStack();
      const ops = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
      const elsewhere = new iam.Role(stackIn(app, 'Identity'), 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      const counted: Array<Partial<VpcEndpointAccessProps>> = [
        { administrators: [ops] },
        { administrators: [new iam.ArnPrincipal(ops.roleArn)] },
        { administrators: [elsewhere] },
        { administrators: [iam.User.fromUserName(stack, 'Alice', 'alice')] },
        { administratorArns: [SSO_ADMINS] },
        { administratorArns: [`arn:aws:iam::${PRODUCER}:root`, `arn:aws:iam::${PARTNER}:role/Admin`, ADMIN_ARN] },
      ];
      counted.forEach((props, i) => {
        const data = new EncryptedBucket(stack, `Data${i}`);
        expect(() => new VpcEndpointAccess(stack, `Private${i}`, { vpc: isolatedVpc(stack, `Vpc${i}`), buckets: [data.bucket], ...props })).not.toThrow();
      });
    });

    test('in an environment-agnostic stack a literal ARN counts (its account is known at deployment only); the account root still does not', () => {
      const literal = agnosticStack();
      const data = new EncryptedBucket(literal.stack, 'Data');
      expect(() => new VpcEndpointAccess(literal.stack, 'Private', { vpc: isolatedVpc(literal.stack), buckets: [data.bucket], administratorArns: [ADMIN_ARN] })).not.toThrow();
      const root = agnosticStack();
      const rootData = new EncryptedBucket(root.stack, 'Data');
      expect(() => new VpcEndpointAccess(root.stack, 'Private', { vpc: isolatedVpc(root.stack), buckets: [rootData.bucket], administrators: [new iam.AccountRootPrincipal()] })).toThrow(
        /administrators\[0\]: the root user of the bucket's account; aws:PrincipalArn arn:aws:iam::<account>:root matches the root user only.*administratorArns: \['arn:aws:iam::<account>:role\/Admin'\]/,
      );
    });

    test('the refusal is a ValidationError named NoBucketAccountAdministrator', () => {
      let error: any;
      try {
        synth({ administratorArns: undefined });
      } catch (e) {
        error = e;
      }
      expect(error?.name).toBe('NoBucketAccountAdministrator');
    });
  });

  describe('administrator ARN tokens, once resolved', () => {
    const lazy = (value: string) => Lazy.string({ produce: () => value });
    const refused = /Producer\/Private: a value that was a token at construction is refused once resolved at synthesis: /;

    test('fails if an administrator ARN token resolves to "*" at synthesis, which would switch the restriction off', () => {
      for (const [props, label] of [
        [{ administratorArns: [lazy('*')] }, 'administratorArns\\[0\\]'],
        [{ administratorArns: [ADMIN_ARN, lazy('*')] }, 'administratorArns\\[1\\]'],
        [{ administratorArns: undefined, administrators: [new iam.ArnPrincipal(lazy('*'))] }, 'administrators\\[0\\]'],
      ] as Array<[Partial<VpcEndpointAccessProps>, string]>) {
        const { app } = synth(props);
        expect(() => app.synth()).toThrow(
          new RegExp(`${refused.source}${label} must be an IAM role, user or root ARN of one account .*got "\\*"\\. The account must be a 12-digit account id: a wildcard account \\(or "\\*"\\) would exempt principals of every AWS account`),
        );
      }
    });

    test('fails if an administrator ARN token resolves to a wildcard account, or to only another account or the root user', () => {
      const cases: Array<[string, RegExp]> = [
        ['arn:aws:iam::*:role/Admin', /administratorArns\[0\] must be an IAM role, user or root ARN of one account .*a wildcard account/],
        [`arn:aws:iam::${PARTNER}:role/Admin`, /would exempt no administrator: .*\(administratorArns\[0\]: a principal of account 222222222222, not of the bucket's account 111111111111\)/],
        [`arn:aws:iam::${PRODUCER}:root`, /would exempt no administrator: .*\(administratorArns\[0\]: the root user of the bucket's account;/],
      ];
      for (const [arn, expected] of cases) {
        const { app } = synth({ administratorArns: [lazy(arn)] });
        expect(() => app.synth()).toThrow(new RegExp(`${refused.source}.*${expected.source}`));
      }
    });

    test('an administrator ARN token that resolves to a role of the account synthesizes; to every role of it, with the warning', () => {
      expect(() => synth({ administratorArns: [lazy(ADMIN_ARN)] }).app.synth()).not.toThrow();
      const { app, stack } = synth({ administratorArns: [lazy(`arn:aws:iam::${PRODUCER}:role/*`)] });
      app.synth();
      expect(warningIds(stack)).toContain('cdk-data-protection:administratorWildcard');
      // a value known only at deployment (an intrinsic such as Fn::Sub) is not checked
      const { app: deployTime } = synth({ administratorArns: [Fn.sub('arn:aws:iam::${AWS::AccountId}:role/${Name}', { Name: 'Admin' })] });
      expect(() => deployTime.synth()).not.toThrow();
    });
  });

  describe('compliance', () => {
    function defaultApp() {
      const { app, stack } = producerStack();
      const vpc = isolatedVpc(stack);
      // The test's own VPC, not the library: flow logs and the default security group are the user's VPC choices.
      for (const id of ['AwsSolutions-VPC7', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'HIPAA.Security-VPCFlowLogsEnabled', 'PCI.DSS.321-VPCFlowLogsEnabled']) {
        Validations.of(vpc).acknowledge({ id, reason: 'Test VPC: flow logs are the VPC owner\'s choice, outside VpcEndpointAccess.' });
      }
      for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
        Validations.of(vpc).acknowledge({ id: `${pack}-VPCDefaultSecurityGroupClosed`, reason: 'Test VPC: restricting the default security group is the VPC owner\'s choice.' });
      }
      const data = new EncryptedBucket(stack, 'Data');
      new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [data.bucket], administratorArns: [ADMIN_ARN] });
      return app;
    }

    test('the default configuration has zero unacknowledged findings from the four cdk-nag packs and DataProtectionChecks', () => {
      expect(nagFindings(defaultApp(), [new DataProtectionChecks()])).toEqual([]);
    });

    test('VpcEndpointAccess acknowledges nothing: the only acknowledgements are the test VPC\'s and EncryptedBucket\'s own', () => {
      const acknowledged = acknowledgedRules(defaultApp());
      expect(acknowledged.filter((a) => a.includes('/Private'))).toEqual([]);
      expect(acknowledged.filter((a) => a.endsWith(' Producer/Vpc'))).toEqual([
        'AwsSolutions-VPC7 Producer/Vpc',
        'HIPAA.Security-VPCDefaultSecurityGroupClosed Producer/Vpc',
        'HIPAA.Security-VPCFlowLogsEnabled Producer/Vpc',
        'NIST.800.53.R5-VPCDefaultSecurityGroupClosed Producer/Vpc',
        'NIST.800.53.R5-VPCFlowLogsEnabled Producer/Vpc',
        'PCI.DSS.321-VPCDefaultSecurityGroupClosed Producer/Vpc',
        'PCI.DSS.321-VPCFlowLogsEnabled Producer/Vpc',
      ]);
    });
  });
});
