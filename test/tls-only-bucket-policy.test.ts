import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TlsOnlyBucketPolicy, TlsVersion, VpcEndpointAccess } from '../src';
import { bySid, policyStatements, PRODUCER, producerStack, warningIds } from './support';

function tlsStatements(statements: any[]): { transport: any[]; version: any[] } {
  return {
    transport: statements.filter((s) => s.Condition?.Bool?.['aws:SecureTransport'] !== undefined),
    version: statements.filter((s) => s.Condition?.NumericLessThan?.['s3:TlsVersion'] !== undefined),
  };
}

describe('TlsOnlyBucketPolicy', () => {
  describe('owned buckets', () => {
    test('case D07: a plain bucket gets one secure-transport deny on the bucket and bucket/*, and the TLS 1.2 deny', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      const statements = policyStatements(template, 'AWS::S3::BucketPolicy', 'PlainPolicy');
      const { transport, version } = tlsStatements(statements);
      expect(transport).toHaveLength(1);
      expect(transport[0]).toMatchObject({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^Plain/), 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Plain/), 'Arn'] }, '/*']] },
        ],
      });
      expect(version).toHaveLength(1);
      expect(version[0]).toMatchObject({ Sid: 'DenyTlsBelow12', Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } });
    });

    test('TLS 1.3 minimum', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      const tls = new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, minimumTlsVersion: TlsVersion.TLS_1_3 });
      expect(tls.minimumTlsVersion).toBe(TlsVersion.TLS_1_3);
      const statements = policyStatements(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'PlainPolicy');
      expect(bySid(statements, 'DenyTlsBelow13')[0].Condition).toEqual({ NumericLessThan: { 's3:TlsVersion': '1.3' } });
    });

    test('statements join the bucket\'s existing policy, never a second one', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Existing', actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')], principals: [new iam.AccountRootPrincipal()] }));
      const tls = new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      expect(tls.policy).toBe(bucket.policy);
      const sids = policyStatements(template, 'AWS::S3::BucketPolicy', 'PlainPolicy').map((s) => s.Sid);
      expect(sids).toEqual(['Existing', 'DenyInsecureTransport', 'DenyTlsBelow12']);
    });

    test('statements join a policy made with new s3.BucketPolicy, never a second one', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      const own = new s3.BucketPolicy(stack, 'OwnPolicy', { bucket });
      own.document.addStatements(new iam.PolicyStatement({ sid: 'Existing', actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')], principals: [new iam.AccountRootPrincipal()] }));
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      expect(policyStatements(template, 'AWS::S3::BucketPolicy', 'OwnPolicy').map((s) => s.Sid)).toEqual(['Existing', 'DenyInsecureTransport', 'DenyTlsBelow12']);
    });

    test('fails at synth if a second s3.BucketPolicy is made for the bucket afterwards', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      new s3.BucketPolicy(stack, 'Second', { bucket });
      expect(() => app.synth()).toThrow(/bucket Producer\/Plain has 2 AWS::S3::BucketPolicy resources .*CloudFormation keeps only the last one applied/);
    });

    test('applied twice, it adds no duplicate statement', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      new TlsOnlyBucketPolicy(stack, 'One', { bucket });
      new TlsOnlyBucketPolicy(stack, 'Two', { bucket });
      const statements = policyStatements(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'PlainPolicy');
      expect(statements).toHaveLength(2);
    });

    test('a bucket that already enforces TLS (enforceSSL, minimumTLSVersion) gets no duplicate statement', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain', { enforceSSL: true, minimumTLSVersion: 1.2 });
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      const { transport, version } = tlsStatements(policyStatements(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'PlainPolicy'));
      expect(transport).toHaveLength(1);
      expect(version).toHaveLength(1);
    });

    test('an existing deny narrowed by another condition is not taken for the secure-transport deny (DP2 reads the same shape)', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PartnerOnlyTls',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:*'],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
          conditions: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalAccount': '222222222222' } },
        }),
      );
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket });
      const { transport } = tlsStatements(policyStatements(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'PlainPolicy'));
      expect(transport.map((s) => s.Sid).sort()).toEqual(['DenyInsecureTransport', 'PartnerOnlyTls']);
    });

    test('a bucket with an older minimum (enforceSSL with TLS 1.2) still gets the stricter TLS 1.3 deny', () => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain', { enforceSSL: true, minimumTLSVersion: 1.2 });
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, minimumTlsVersion: TlsVersion.TLS_1_3 });
      const { transport, version } = tlsStatements(policyStatements(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'PlainPolicy'));
      expect(transport).toHaveLength(1);
      expect(version.map((s) => String(s.Condition.NumericLessThan['s3:TlsVersion'])).sort()).toEqual(['1.2', '1.3']);
      expect(bySid(version, 'DenyTlsBelow13')).toHaveLength(1);
    });
  });

  describe('imported buckets', () => {
    test('fails if the bucket is imported and replacing its policy is not acknowledged', () => {
      const { stack } = producerStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'their-bucket');
      expect(() => new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket })).toThrow(
        /bucket Producer\/Imported is imported, so a new bucket policy would replace the policy it has in AWS.*Set replaceExistingBucketPolicy: true/,
      );
    });

    test('with replaceExistingBucketPolicy: a new policy holding the TLS statements, and a warning', () => {
      const { stack } = producerStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'their-bucket');
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, replaceExistingBucketPolicy: true });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::BucketPolicy', { Bucket: 'their-bucket' });
      const statements = policyStatements(template, 'AWS::S3::BucketPolicy', 'TlsOnlyPolicy');
      expect(statements.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'DenyTlsBelow12']);
      expect(JSON.stringify(statements[0].Resource)).toContain('arn:');
      expect(warningIds(stack)).toEqual(['cdk-data-protection:replacesBucketPolicy']);
    });

    test('applied twice to one imported bucket: one bucket policy, no duplicate statement', () => {
      const { stack } = producerStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'their-bucket');
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, replaceExistingBucketPolicy: true });
      new TlsOnlyBucketPolicy(stack, 'TlsOnlyAgain', { bucket, replaceExistingBucketPolicy: true });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      expect(policyStatements(template, 'AWS::S3::BucketPolicy', 'TlsOnlyPolicy').map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'DenyTlsBelow12']);
    });

    test.each(['vpc-then-tls', 'tls-then-vpc'])('with a VpcEndpointAccess on the same imported bucket (%s): one bucket policy holding both', (order) => {
      const { stack } = producerStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'their-bucket');
      const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const vpcAccess = () =>
        new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [bucket], replaceExistingBucketPolicy: true, administratorArns: [`arn:aws:iam::${PRODUCER}:role/Admin`] });
      const tls = () => new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, replaceExistingBucketPolicy: true });
      if (order === 'vpc-then-tls') {
        vpcAccess();
        tls();
      } else {
        tls();
        vpcAccess();
      }
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
      expect(policy.Properties.Bucket).toBe('their-bucket');
      expect(policy.Properties.PolicyDocument.Statement.map((s: any) => s.Sid).sort()).toEqual(
        ['DenyDataAccessOutsideVpcEndpoints', 'DenyInsecureTransport', 'DenyOwnAccountOutsideVpcEndpoints', 'DenyTlsBelow12'],
      );
      expect(warningIds(stack)).toEqual(['cdk-data-protection:replacesBucketPolicy']);
    });

    test('fails at synth if the imported bucket gets a second s3.BucketPolicy afterwards', () => {
      const { app, stack } = producerStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'their-bucket');
      new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, replaceExistingBucketPolicy: true });
      new s3.BucketPolicy(stack, 'Other', { bucket });
      expect(() => app.synth()).toThrow(/bucket Producer\/Imported has 2 AWS::S3::BucketPolicy resources/);
    });
  });

  describe('bad input', () => {
    test.each(['1.0', '1.4', 'TLS1.2'])('case D08: fails if minimumTlsVersion is %p', (v) => {
      const { stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain');
      expect(() => new TlsOnlyBucketPolicy(stack, 'TlsOnly', { bucket, minimumTlsVersion: v as TlsVersion })).toThrow(
        `minimumTlsVersion must be TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3 (older TLS versions are not accepted), got "${v}"`,
      );
    });

    test('fails if bucket is missing', () => {
      const { stack } = producerStack();
      expect(() => new TlsOnlyBucketPolicy(stack, 'TlsOnly', {} as any)).toThrow(/bucket is required/);
    });
  });
});
