import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildDemoApp } from '../demo/app';
import { EncryptedBucket, TemplateAcknowledgements } from '../src';
import { producerStack, synthesizeWithValidation } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('aws-cdk-lib/package.json').version;
/** aws-cdk-lib scopes a plugin rule's acknowledgement to the constructs under it from 2.271 (app-wide before). */
const pathScoped = Number(version.split('.')[1]) >= 271;

function acknowledgedIds(stack: Stack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data ?? {})));
}

describe('acknowledgements where each scanner reads them', () => {
  test('TemplateAcknowledgements.write puts each acknowledgement made above a resource into its Metadata, in each tool\'s own format, on every resource under the scope only', () => {
    const { stack } = producerStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const elsewhere = new s3.Bucket(stack, 'Elsewhere');
    Validations.of(vpc).acknowledge(
      { id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', reason: 'nothing uses it' },
      { id: 'checkov::CKV2_AWS_12', reason: 'default SG unused' },
      { id: 'cfn-lint::W3010', reason: 'AZs from context' },
      { id: 'cdk-validator-cfnguard::CT.EC2.PR.1', reason: 'isolated subnets' },
    );
    TemplateAcknowledgements.write(vpc);
    const template = Template.fromStack(stack);
    const expected = {
      'cdk_nag': { rules_to_suppress: [{ id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', reason: 'nothing uses it' }] },
      'checkov': { skip: [{ id: 'CKV2_AWS_12', comment: 'default SG unused' }] },
      'cfn-lint': { config: { ignore_checks: ['W3010'] } },
      'guard': { SuppressedRules: ['CT.EC2.PR.1'], Reasons: { 'CT.EC2.PR.1': 'isolated subnets' } },
    };
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable']) {
      template.hasResource(type, { Metadata: Match.objectLike(expected) });
    }
    const bucketId = stack.getLogicalId(elsewhere.node.defaultChild as s3.CfnBucket);
    const metadata = template.toJSON().Resources[bucketId].Metadata ?? {};
    expect(Object.keys(metadata).filter((k) => !k.startsWith('aws:cdk:'))).toEqual([]);
    expect(() => TemplateAcknowledgements.write('vpc' as any)).toThrow(/^scope must be a construct, got "vpc"/);
  });

  test('the log target\'s choice (not logged: it is the log target) is acknowledged for checkov as CKV_AWS_18 and for Control Tower as CT.S3.PR.2, with one reason', () => {
    const { stack } = producerStack();
    const bucket = new EncryptedBucket(stack, 'Data');
    const resources = Template.fromStack(stack).toJSON().Resources;
    const logs = resources[stack.getLogicalId(bucket.accessLogsBucket!.node.defaultChild as s3.CfnBucket)].Metadata;
    const reason = logs.guard.Reasons['CT.S3.PR.2'];
    expect(reason).toMatch(/log target/);
    expect(logs.checkov).toEqual({ skip: [{ id: 'CKV_AWS_18', comment: reason }] });
    // the data bucket is logged: nothing for checkov there
    const data = resources[stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket)].Metadata;
    expect(data.checkov).toBeUndefined();
  });

  test(`Control Tower acknowledgements reach cdk-validator-cfnguard through Validations.acknowledge only where aws-cdk-lib scopes them to their constructs (${pathScoped ? 'here' : 'not on ' + version})`, () => {
    const { stack } = producerStack();
    new EncryptedBucket(stack, 'Data');
    const guardAcks = acknowledgedIds(stack).filter((id) => id.startsWith('cdk-validator-cfnguard::'));
    if (pathScoped) {
      expect(guardAcks).toEqual(
        expect.arrayContaining(['cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check']),
      );
    } else {
      // one acknowledgement would drop the rule's violations for the whole app: none is made
      expect(guardAcks).toEqual([]);
    }
  });

  test('the reference app passes Validations.addPlugins(new CfnGuardValidator()) where acknowledgements are scoped; a plain unencrypted bucket beside it is still reported', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfnguard-'));
    try {
      const app = buildDemoApp(outdir);
      Validations.of(app).addPlugins(new CfnGuardValidator({}));
      const { failed, thrown, printed } = synthesizeWithValidation(app);

      if (pathScoped) {
        // nothing reported at all (aws-cdk-lib prints no report when no violation is left)
        expect({ failed, message: thrown?.message, printed }).toEqual({ failed: false, message: undefined, printed: '' });
        // the proof can fail: a bucket of the app's own, without the library's choices, is reported
        const second = buildDemoApp(fs.mkdtempSync(path.join(os.tmpdir(), 'cfnguard-')));
        new s3.Bucket(second.node.findChild('DataProducer') as Stack, 'Plain');
        Validations.of(second).addPlugins(new CfnGuardValidator({}));
        const plain = synthesizeWithValidation(second);
        // (aws-cdk-lib 2.276 prints them but, once any acknowledgement matched in the plugin's report, no longer
        // fails synthesis for violations without a severity, which cdk-validator-cfnguard's are: we assert the report)
        expect(`${plain.thrown?.message ?? ''}${plain.printed}`).toMatch(/CT\.S3\.PR\.10[\s\S]*DataProducer\/Plain\/Resource/);
        expect(plain.printed).not.toMatch(/DataProducer\/Exchange/);
      } else {
        // aws-cdk-lib 2.257: acknowledgements of plugin rules are app-wide, so the library makes none and the
        // controls it leaves to the user are reported (the templates carry Metadata.guard for template scanners)
        expect(failed).toBe(true);
        expect(printed).toMatch(/s3_bucket_object_lock_enabled_check/);
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
