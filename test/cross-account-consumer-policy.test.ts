import { App, CfnParameter } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel, CrossAccountConsumerPolicy, EncryptedBucket, Partner } from '../src';
import { agnosticStack, kmsKeyArn, PARTNER, partnerStack, PRODUCER, producerStack, REGION, stackIn, THIRD } from './support';

/** A key of the producer in another Region than the consumer's. */
const KEY_ARN = kmsKeyArn('eu-central-1');
const BUCKET_ARN = 'arn:aws:s3:::producer-exchange';

function statementsOf(template: Template): any[] {
  const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
  return policy.Properties.PolicyDocument.Statement;
}

describe('CrossAccountConsumerPolicy', () => {
  describe('policy', () => {
    test('READ: S3 actions on exactly the bucket, KMS on exactly the key through S3 of the key\'s Region (parsed from the ARN)', () => {
      const stack = partnerStack();
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ, roles: [role] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Sid: 'SharedReadBucketAccessOnProducerexchange', Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Action: Match.arrayWith(['s3:GetObject', 's3:ListBucket']) }),
            {
              Sid: 'SharedReadKeyUseOnProducerexchange',
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Resource: KEY_ARN,
              Condition: {
                StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' },
                StringLikeIfExists: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET_ARN, `${BUCKET_ARN}/*`] },
              },
            },
          ],
        },
      });
    });

    test('case D04: WRITE includes kms:GenerateDataKey and kms:Decrypt for multipart uploads', () => {
      const stack = partnerStack();
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.WRITE });
      const key = statementsOf(Template.fromStack(stack)).find((s) => s.Sid === 'SharedWriteKeyUseOnProducerexchange');
      expect(key.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey']);
    });

    test('a prefix limits objects and listing', () => {
      const stack = partnerStack();
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ, prefix: 'out/' });
      const statements = statementsOf(Template.fromStack(stack));
      expect(statements[0].Resource).toEqual([BUCKET_ARN, `${BUCKET_ARN}/out/*`]);
      expect(statements[1]).toMatchObject({ Sid: expect.stringMatching(/^SharedPrefixListingOnProducerexchangePrefix[0-9A-F]{8}$/), Condition: { StringLike: { 's3:prefix': 'out/*' } } });
    });

    test('no statement has a "*" resource', () => {
      const stack = partnerStack();
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ_WRITE, prefix: 'x/' });
      const statements = statementsOf(Template.fromStack(stack));
      expect(statements.map((s) => s.Sid.replace(/Prefix[0-9A-F]{8}$/, ''))).toEqual([
        'SharedReadWriteBucketAccessOnProducerexchange',
        'SharedPrefixListingOnProducerexchange',
        'SharedReadWriteKeyUseOnProducerexchange',
      ]);
      for (const s of statements) {
        expect([].concat(s.Resource)).not.toContain('*');
      }
    });

    test('policyJson gives the same document as JSON for partners without CDK', () => {
      const json = JSON.parse(CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ }));
      const stack = partnerStack();
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ });
      expect(json.Statement).toEqual(statementsOf(Template.fromStack(stack)));
      expect(json.Version).toBe('2012-10-17');
    });

    test('fails if policyJson is given a token', () => {
      const stack = partnerStack();
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn: stack.formatArn({ service: 'kms', resource: 'key', resourceName: 'x' }), access: AccessLevel.READ })).toThrow(
        /keyArn is unresolved \(a token\): policyJson needs concrete ARNs/,
      );
    });

    test('fails if keyArn is an alias or a bare key id, and names the value', () => {
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/x', access: AccessLevel.READ })).toThrow(/keyArn must be a KMS key ARN, got the alias/);
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn: '1234abcd-12ab-34cd-56ef-1234567890ab', access: AccessLevel.READ })).toThrow(/keyArn must be a full KMS key ARN/);
    });

    test('fails if bucketArn is not a bucket ARN, and names the value', () => {
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: 'arn:aws:s3:::b/obj', keyArn: KEY_ARN, access: AccessLevel.READ })).toThrow(/bucketArn must be an S3 bucket ARN .* got "arn:aws:s3:::b\/obj"/);
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: 'arn:aws:s3:::B_ad', keyArn: KEY_ARN, access: AccessLevel.READ })).toThrow(/bucketArn "B_ad" is not a valid S3 bucket name/);
    });

    test('fails if access is not an AccessLevel, or the prefix has a wildcard', () => {
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: 'ALL' as AccessLevel })).toThrow(/access must be .* got "ALL"/);
      expect(() => CrossAccountConsumerPolicy.policyJson({ bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ, prefix: '*' })).toThrow(/prefix must be .* got "\*"/);
    });
  });

  describe('apps with several stacks', () => {
    function producer(app: App, account = PRODUCER) {
      const stack = stackIn(app, 'Producer', { env: { account, region: REGION } });
      const bucket = new EncryptedBucket(stack, 'Data', { bucketName: 'producer-exchange' });
      // a producer in the partner's own account shares with a third account (a share with the own account is refused)
      bucket.shareWith(Partner.account(account === PARTNER ? THIRD : PARTNER), AccessLevel.READ);
      return { stack, bucket };
    }

    test('case D06: producer in 111111111111, consumer in 222222222222: both templates name each other concretely, no exports', () => {
      const app = new App();
      const p = producer(app);
      const stack = partnerStack(app);
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: p.bucket.bucket.bucketArn, keyArn: p.bucket.encryptionKey!.keyArn, access: AccessLevel.READ, roles: [role] });
      const assembly = app.synth();

      const producerTemplate = Template.fromStack(p.stack);
      producerTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'PartnerReadAccounts', Principal: { AWS: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`:iam::${PARTNER}:root`])] }) } })]) },
      });
      producerTemplate.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'kms:CallerAccount': PARTNER }) }) })]) },
      });

      const consumerTemplate = Template.fromStack(stack);
      const [s3Statement, kmsStatement] = statementsOf(consumerTemplate);
      const bucketArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::producer-exchange']] };
      expect(s3Statement.Resource).toEqual([bucketArn, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::producer-exchange/*']] }]);
      expect(kmsStatement.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${REGION}:${PRODUCER}:key/*`]] });
      expect(kmsStatement.Condition.StringEquals).toEqual({ 'kms:ViaService': `s3.${REGION}.amazonaws.com` });
      expect(JSON.stringify(consumerTemplate.toJSON())).not.toContain('Fn::ImportValue');
      expect(JSON.stringify(producerTemplate.toJSON().Outputs ?? {})).not.toContain('Export');
      expect(assembly.getStackByName('Consumer').dependencies.map((d) => d.id)).not.toContain('Producer');
    });

    test('a shared bucket without bucketName is named by shareWith, and the consumer names that name', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      const consumer = partnerStack(app);
      new CrossAccountConsumerPolicy(consumer, 'Access', { bucketArn: bucket.bucket.bucketArn, keyArn: bucket.encryptionKey!.keyArn, access: AccessLevel.READ });
      const name = stack.resolve((bucket.bucket.node.defaultChild as any).bucketName);
      expect(JSON.stringify(statementsOf(Template.fromStack(consumer))[0].Resource)).toContain(`:s3:::${name}`);
    });

    test('fails if the producer bucket in another account has no physical name', () => {
      const { app, stack } = producerStack();
      const bucket = new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.KMS });
      const consumer = partnerStack(app);
      expect(() => new CrossAccountConsumerPolicy(consumer, 'Access', { bucketArn: bucket.bucketArn, keyArn: bucket.encryptionKey!.keyArn, access: AccessLevel.READ })).toThrow(
        /bucketArn refers to Producer\/Plain\/Resource .* has no physical name.*Give the bucket a bucketName/,
      );
    });

    test('an EncryptedBucket in another account is named from the start, so a consumer can name it even before it is shared', () => {
      const { app, stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      const consumer = partnerStack(app);
      new CrossAccountConsumerPolicy(consumer, 'Access', { bucketArn: bucket.bucket.bucketArn, keyArn: bucket.encryptionKey!.keyArn, access: AccessLevel.READ });
      expect(() => app.synth()).not.toThrow();
      expect(JSON.stringify(statementsOf(Template.fromStack(consumer)))).toContain(`-${PRODUCER}-${REGION}`);
    });

    test('fails if the producer stack is environment-agnostic and another stack, naming bucketArn and the fix', () => {
      const { app, stack: agnostic } = agnosticStack('Producer');
      const bucket = new EncryptedBucket(agnostic, 'Data');
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ);
      const consumer = partnerStack(app);
      expect(() => new CrossAccountConsumerPolicy(consumer, 'Access', { bucketArn: bucket.bucket.bucketArn, keyArn: KEY_ARN, access: AccessLevel.READ })).toThrow(
        /bucketArn refers to Producer\/Data\/Bucket\/Resource in stack Producer, which has no concrete account and Region \(environment-agnostic\), from stack Consumer: .*resolve in the consumer's account and Region.*Give the producer stack env: \{ account, region \}, or pass the bucket ARN as a string/,
      );
    });

    test('a keyArn given as a CfnParameter: kms:ViaService takes the Region from the ARN at deployment, not the consumer\'s Region', () => {
      const stack = partnerStack();
      const keyArn = new CfnParameter(stack, 'KeyArn').valueAsString;
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: BUCKET_ARN, keyArn, access: AccessLevel.READ });
      const kmsStatement = statementsOf(Template.fromStack(stack))[1];
      expect(kmsStatement.Resource).toEqual({ Ref: 'KeyArn' });
      expect(JSON.stringify(kmsStatement.Condition.StringEquals['kms:ViaService'])).toContain('"Fn::Select":[3,{"Fn::Split":[":",{"Ref":"KeyArn"}]}]');
      expect(JSON.stringify(kmsStatement.Condition.StringEquals['kms:ViaService'])).not.toContain(REGION);
    });

    test('same account and Region: the exact key ARN by reference, no cycle', () => {
      const app = new App();
      const p = producer(app, PARTNER);
      const stack = partnerStack(app);
      new CrossAccountConsumerPolicy(stack, 'Access', { bucketArn: p.bucket.bucket.bucketArn, keyArn: p.bucket.encryptionKey!.keyArn, access: AccessLevel.READ });
      expect(() => app.synth()).not.toThrow();
      const kmsStatement = statementsOf(Template.fromStack(stack))[1];
      expect(JSON.stringify(kmsStatement.Resource)).toContain('Fn::ImportValue');
    });
  });
});
