import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccessLevel,
  ConsumerPolicyStackSet,
  ConsumerPolicyStackSetProps,
  ConsumerTarget,
  CrossAccountConsumerPolicy,
  EncryptedBucket,
  Partner,
  ReaderPrincipal,
  RegionConcurrency,
  StackSetCallAs,
} from '../src';
import { accounts, agnosticStack, kmsKeyArn, PARTNER, partnerStack, PRODUCER, REGION, stackIn } from './support';

const BUCKET_ARN = 'arn:aws:s3:::producer-exchange';
const KEY_ARN = kmsKeyArn('eu-central-1');
const OU = 'ou-ab12-34cd56ef';
/** The management account, where the StackSet is deployed. */
const MANAGEMENT = '999999999999';
const SHARE = { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ };

function managementStack(app = new App(), id = 'Management'): Stack {
  return stackIn(app, id, { env: { account: MANAGEMENT, region: REGION } });
}

function stackSet(props: Partial<ConsumerPolicyStackSetProps> = {}, stack = managementStack()): Stack {
  new ConsumerPolicyStackSet(stack, 'Rollout', {
    ...SHARE,
    targets: [ConsumerTarget.organizationalUnits([OU], [REGION])],
    ...props,
  });
  return stack;
}

/**
 * The stack instances' template, parsed from the StackSet's TemplateBody: a literal string, or a join whose
 * only intrinsic is the partition of the StackSet's stack (the organization's partition).
 */
function innerTemplate(stack: Stack): any {
  const [set] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')) as any[];
  const body = set.Properties.TemplateBody;
  if (typeof body === 'string') return JSON.parse(body);
  const [sep, parts] = body['Fn::Join'];
  return JSON.parse(parts.map((p: unknown) => {
    if (typeof p === 'string') return p;
    expect(p).toEqual({ Ref: 'AWS::Partition' });
    return 'aws';
  }).join(sep));
}

function consumerPolicyStatements(options: Omit<ConsumerPolicyStackSetProps, 'targets'>): any[] {
  const stack = partnerStack();
  new CrossAccountConsumerPolicy(stack, 'Access', options);
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')) as any[];
  return policy.Properties.PolicyDocument.Statement;
}

describe('ConsumerPolicyStackSet', () => {
  describe('StackSet', () => {
    test('service-managed, auto-deployment on, to the OUs and Regions of the target, with CAPABILITY_IAM and secure operation preferences', () => {
      Template.fromStack(stackSet()).hasResourceProperties('AWS::CloudFormation::StackSet', {
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: 'SELF',
        Capabilities: ['CAPABILITY_IAM'],
        ManagedExecution: { Active: true },
        OperationPreferences: { FailureToleranceCount: 0, MaxConcurrentCount: 1, RegionConcurrencyType: 'SEQUENTIAL' },
        StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: [REGION] }],
        StackSetName: Match.stringLikeRegexp('^Management-Rollout'),
      });
    });

    test('a named role needs CAPABILITY_NAMED_IAM', () => {
      const stack = stackSet({ readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount()], roleName: 'partner-reader' } });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', { Capabilities: ['CAPABILITY_NAMED_IAM'] });
      expect(innerTemplate(stack).Resources.ReaderRole.Properties.RoleName).toBe('partner-reader');
    });

    test('callAs, operation preferences and retention as given; retention is warned about', () => {
      const stack = stackSet({
        callAs: StackSetCallAs.DELEGATED_ADMIN,
        failureToleranceCount: 2,
        maxConcurrentCount: 3,
        regionConcurrency: RegionConcurrency.PARALLEL,
        retainStacksOnAccountRemoval: true,
        stackSetName: 'partner-readers',
      });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
        CallAs: 'DELEGATED_ADMIN',
        StackSetName: 'partner-readers',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
        OperationPreferences: { FailureToleranceCount: 2, MaxConcurrentCount: 3, RegionConcurrencyType: 'PARALLEL' },
      });
      Annotations.fromStack(stack).hasWarning('/Management/Rollout', Match.stringLikeRegexp('retainStacksOnAccountRemoval is true.*consumerStacksRetained'));
    });

    test('accounts within OUs are INTERSECTION; OUs without some accounts are DIFFERENCE', () => {
      const stack = stackSet({
        targets: [
          ConsumerTarget.accounts([PARTNER], [OU], [REGION]),
          ConsumerTarget.organizationalUnitsExcept(['r-ab12'], ['333333333333'], ['eu-central-1']),
        ],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
        StackInstancesGroup: [
          { DeploymentTargets: { OrganizationalUnitIds: [OU], Accounts: [PARTNER], AccountFilterType: 'INTERSECTION' }, Regions: [REGION] },
          { DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'], Accounts: ['333333333333'], AccountFilterType: 'DIFFERENCE' }, Regions: ['eu-central-1'] },
        ],
      });
    });
  });

  describe('stack instances\' template', () => {
    test.each([
      ['READ', { ...SHARE }],
      ['WRITE under a prefix', { ...SHARE, access: AccessLevel.WRITE, prefix: 'incoming/' }],
      ['READ_WRITE under a prefix', { ...SHARE, access: AccessLevel.READ_WRITE, prefix: 'x/' }],
    ])('%s: the policy holds exactly the statements CrossAccountConsumerPolicy writes for the same share, Sids included', (_, share) => {
      const inner = innerTemplate(stackSet(share));
      expect(inner.Resources.ConsumerPolicy.Type).toBe('AWS::IAM::ManagedPolicy');
      expect(inner.Resources.ConsumerPolicy.Properties.PolicyDocument.Statement).toEqual(consumerPolicyStatements(share));
    });

    test('the reader role trusts the principals given and has the policy attached; both ARNs are outputs', () => {
      const inner = innerTemplate(stackSet({
        readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount(), ReaderPrincipal.arn(`arn:aws:iam::${PARTNER}:role/analytics`)] },
      }));
      expect(inner.Resources.ReaderRole).toEqual({
        Type: 'AWS::IAM::Role',
        Properties: expect.objectContaining({
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { AWS: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }, `arn:aws:iam::${PARTNER}:role/analytics`] },
            }],
          },
          ManagedPolicyArns: [{ Ref: 'ConsumerPolicy' }],
        }),
      });
      expect(Object.keys(inner.Outputs)).toEqual(['ConsumerPolicyArn', 'ReaderRoleArn']);
    });

    test('passes cfn-lint', () => {
      const inner = innerTemplate(stackSet({ readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount()], roleName: 'partner-reader' }, prefix: 'out/' }));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackset-'));
      const file = path.join(dir, 'instance.json');
      fs.writeFileSync(file, JSON.stringify(inner));
      try {
        execFileSync(path.join(__dirname, '..', '.venv', 'bin', 'cfn-lint'), ['--regions', REGION, '--', file], { encoding: 'utf8' });
      } catch (e) {
        throw new Error(`cfn-lint found problems: ${(e as any).stdout}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('producer values from the app', () => {
    test('a named bucket and key of a producer stack in another environment: its physical name and key/* of its account and Region, as CrossAccountConsumerPolicy writes them', () => {
      const app = new App();
      const producer = stackIn(app, 'Producer');
      const shared = new EncryptedBucket(producer, 'Exchange', {
        bucketName: 'producer-exchange',
        partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }],
      });
      const share = { bucketArn: shared.bucket.bucketArn, keyArn: shared.encryptionKey!.keyArn, access: AccessLevel.READ };
      const stack = stackSet(share, managementStack(app));
      const consumer = partnerStack(app);
      new CrossAccountConsumerPolicy(consumer, 'Access', share);
      const inner = innerTemplate(stack);
      const [bucketStatement, keyStatement] = inner.Resources.ConsumerPolicy.Properties.PolicyDocument.Statement;
      expect(bucketStatement.Resource).toEqual([BUCKET_ARN, `${BUCKET_ARN}/*`]);
      expect(keyStatement.Resource).toBe(`arn:aws:kms:${REGION}:${PRODUCER}:key/*`);
      const [policy] = Object.values(Template.fromStack(consumer).findResources('AWS::IAM::ManagedPolicy')) as any[];
      expect(inner.Resources.ConsumerPolicy.Properties.PolicyDocument.Statement).toEqual(withPartition(policy.Properties.PolicyDocument.Statement));
    });

    test('a bucket of the StackSet\'s own stack: CloudFormation resolves its ARN in that stack, before the template reaches the targets', () => {
      const stack = managementStack();
      const shared = new EncryptedBucket(stack, 'Exchange', { partners: [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }] });
      stackSet({ bucketArn: shared.bucket.bucketArn, keyArn: shared.encryptionKey!.keyArn }, stack);
      const [set] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')) as any[];
      const json = JSON.stringify(set.Properties.TemplateBody);
      expect(set.Properties.TemplateBody['Fn::Join']).toBeDefined();
      expect(json).toMatch(/"Fn::GetAtt":\["ExchangeBucket[0-9A-F]+","Arn"\]/);
      expect(json).toMatch(/"Fn::GetAtt":\["ExchangeKey[0-9A-F]+","Arn"\]/);
    });

    test('fails if the bucket is of an environment-agnostic producer stack', () => {
      const { app, stack: producer } = agnosticStack('Producer');
      const shared = new EncryptedBucket(producer, 'Exchange', { bucketName: 'producer-exchange' });
      expect(() => stackSet({ bucketArn: shared.bucket.bucketArn }, managementStack(app))).toThrow(/bucketArn refers to .* no concrete account and Region/);
    });
  });

  describe('bad input', () => {
    const ouTarget = (ids: string[], regions = [REGION]) => () => ConsumerTarget.organizationalUnits(ids, regions);

    test('fails if an OU id is malformed', () => {
      expect(ouTarget(['Engineering'])).toThrow(/organizationalUnits: organizationalUnitIds\[0\] must be an organizational unit id .* got "Engineering"/);
    });

    test('fails if an OU id is an OU ARN', () => {
      expect(ouTarget([`arn:aws:organizations::${MANAGEMENT}:ou/o-a1b2c3d4e5/${OU}`])).toThrow(/organizationalUnitIds\[0\] must be an organizational unit id/);
    });

    test('fails if there is no OU', () => {
      expect(ouTarget([])).toThrow(/organizationalUnitIds must be a non-empty array of strings, got \[\] \(an array\)/);
    });

    test('fails if an OU is given twice', () => {
      expect(ouTarget([OU, OU])).toThrow(/organizationalUnitIds\[1\] "ou-ab12-34cd56ef" is given twice/);
    });

    test('fails if an account id is not 12 digits', () => {
      expect(() => ConsumerTarget.accounts(['22222222222'], [OU], [REGION])).toThrow(/accounts: accounts\[0\] must be a 12-digit AWS account id .* got "22222222222"/);
    });

    test('fails if an excluded account id is not 12 digits', () => {
      expect(() => ConsumerTarget.organizationalUnitsExcept([OU], ['abc'], [REGION])).toThrow(/organizationalUnitsExcept: excludedAccounts\[0\] must be a 12-digit/);
    });

    test('fails if a Region is malformed', () => {
      expect(ouTarget([OU], ['Ireland'])).toThrow(/regions\[0\] must be a Region code such as eu-west-1, got "Ireland"/);
    });

    test('fails if there is no Region', () => {
      expect(ouTarget([OU], [])).toThrow(/regions must be a non-empty array/);
    });

    test('fails if an OU id is a token that resolves to a malformed id', () => {
      const stack = stackSet({ targets: [ConsumerTarget.organizationalUnits([Lazy.string({ produce: () => 'Engineering' })], [REGION])] });
      expect(() => Template.fromStack(stack)).toThrow(/refused once resolved at synthesis: organizationalUnits: organizationalUnitIds\[0\] must be an organizational unit id/);
    });

    test('fails if there is no target', () => {
      expect(() => stackSet({ targets: [] })).toThrow(/targets must name at least one ConsumerTarget/);
    });

    test('fails if a target is not a ConsumerTarget', () => {
      expect(() => stackSet({ targets: [{ organizationalUnitIds: [OU] } as any] })).toThrow(/targets\[0\] must be a ConsumerTarget/);
    });

    test('fails if a reader principal ARN has a wildcard', () => {
      expect(() => ReaderPrincipal.arn(`arn:aws:iam::${PARTNER}:role/*`)).toThrow(/principalArn must be an IAM role, user or account root ARN .* takes no wildcards/);
    });

    test('fails if the reader role trusts no one', () => {
      expect(() => stackSet({ readerRole: { trustedPrincipals: [] } })).toThrow(/readerRole.trustedPrincipals must be a non-empty array of ReaderPrincipal/);
    });

    test('fails if a named role goes to more than one Region', () => {
      expect(() => stackSet({
        readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount()], roleName: 'partner-reader' },
        targets: [ConsumerTarget.organizationalUnits([OU], [REGION, 'eu-central-1'])],
      })).toThrow(/readerRole.roleName name IAM resources, which are global.*\["eu-west-1","eu-central-1"\]/);
    });

    test('fails if a role name is not a valid IAM name', () => {
      expect(() => stackSet({ readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount()], roleName: 'partner reader' } })).toThrow(/readerRole.roleName must be 1 to 64/);
    });

    test('fails if a StackSet name starts with a digit', () => {
      expect(() => stackSet({ stackSetName: '1-readers' })).toThrow(/stackSetName must be a letter, then letters, digits and hyphens/);
    });

    test('fails if failureToleranceCount is negative', () => {
      expect(() => stackSet({ failureToleranceCount: -1 })).toThrow(/failureToleranceCount must be a whole number of accounts, at least 0, got -1/);
    });

    test('fails if maxConcurrentCount is 0', () => {
      expect(() => stackSet({ maxConcurrentCount: 0 })).toThrow(/maxConcurrentCount must be a whole number of accounts, at least 1, got 0/);
    });

    test('fails if the share is invalid, as CrossAccountConsumerPolicy says', () => {
      expect(() => stackSet({ keyArn: 'alias/shared' })).toThrow(/keyArn must be a KMS key ARN, got the alias/);
    });

    test('fails past the TemplateBody limit of 51,200 bytes, and synthesizes just under it', () => {
      const principals = (n: number) => accounts(n).map((a) => ReaderPrincipal.arn(`arn:aws:iam::${a}:root`));
      const base = Buffer.byteLength(innerBody(stackSet({ readerRole: { trustedPrincipals: principals(1) } })));
      const each = ',"arn:aws:iam::200000000000:root"'.length;
      const fits = 1 + Math.floor((51_200 - base) / each);
      expect(Buffer.byteLength(innerBody(stackSet({ readerRole: { trustedPrincipals: principals(fits) } })))).toBeLessThanOrEqual(51_200);
      expect(() => stackSet({ readerRole: { trustedPrincipals: principals(fits + 1) } })).toThrow(
        /the StackSet's template \(TemplateBody\) is 512\d\d bytes, over the AWS CloudFormation limit of 51200 bytes/,
      );
    });
  });
});

/** `value` with each join of literals and the partition made a string (`aws`). */
function withPartition(value: any): any {
  if (Array.isArray(value)) return value.map(withPartition);
  if (value === null || typeof value !== 'object') return value;
  if (value['Fn::Join']) {
    const [sep, parts] = value['Fn::Join'];
    return parts.map((p: unknown) => (typeof p === 'string' ? p : (expect(p).toEqual({ Ref: 'AWS::Partition' }), 'aws'))).join(sep);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPartition(v)]));
}

function innerBody(stack: Stack): string {
  const [set] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')) as any[];
  return set.Properties.TemplateBody;
}
