import { Aspects, CfnCondition, CfnParameter, Fn, IAspect, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import {
  AccessLevel, CrossAccountSharedKey, EmrInTransitEncryption, EmrSecurityConfiguration, EncryptedAthenaWorkGroup, EncryptedBucket,
  EncryptedDeliveryStream, EncryptedRedshiftCluster, EncryptedRedshiftServerless, EncryptedStream, GlueDataCatalogEncryption,
  GlueSecurityConfiguration,
} from '../src';
import { explanation, reported } from './checks/helpers';
import { agnosticStack, kmsKeyArn, producerStack, REGION, THIRD } from './support';

/**
 * Attacks on the data-platform constructs: each promise must hold on the
 * final template, whatever an escape hatch, an Aspect or a CloudFormation
 * condition did to the resource (see final-template.test.ts for the buckets).
 */
const cfnKey = (k: CrossAccountSharedKey) => k.key.node.defaultChild as kms.CfnKey;
/** A condition of the stack, `IsProd`, for the `Fn::If` attacks. */
const isProd = (stack: Stack) => new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('a', 'b') });

function athenaStack() {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const wg = new EncryptedAthenaWorkGroup(stack, 'Analytics', { encryptionKey: key.key });
  return { app, stack, key, wg };
}

function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

describe('EncryptedAthenaWorkGroup on the final template (DP28, DP14)', () => {
  test('fails if an override deletes the results encryption', () => {
    const { app, wg } = athenaStack();
    wg.workGroup.addPropertyDeletionOverride('WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration');
    expect(() => app.synth()).toThrow(/Producer\/Analytics\/WorkGroup fails DataProtection-DP28 on the final template, which EncryptedAthenaWorkGroup Producer\/Analytics promises: .*no ResultConfiguration.EncryptionConfiguration/);
  });

  test('fails if an override names the AWS-managed key alias/aws/s3', () => {
    const { app, wg } = athenaStack();
    wg.workGroup.addPropertyOverride('WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.KmsKey', 'alias/aws/s3');
    expect(() => app.synth()).toThrow(/Producer\/Analytics\/WorkGroup fails DataProtection-DP28 .*SSE_KMS query results are encrypted under an AWS-managed key/);
  });

  test('fails if an Aspect rewrites the L1\'s configuration with EnforceWorkGroupConfiguration false', () => {
    const { app, stack } = athenaStack();
    Aspects.of(stack).add({
      visit(n: IConstruct) {
        if (n instanceof athena.CfnWorkGroup) {
          n.workGroupConfiguration = { enforceWorkGroupConfiguration: false, resultConfiguration: { outputLocation: 's3://elsewhere/' } };
        }
      },
    } as IAspect);
    expect(() => app.synth()).toThrow(/Producer\/Analytics\/WorkGroup fails DataProtection-DP28 .*EnforceWorkGroupConfiguration is false/);
  });

  test.each([
    ['EncryptionOption', 'WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.EncryptionOption', 'SSE_KMS', 'SSE_S3'],
    ['EnforceWorkGroupConfiguration', 'WorkGroupConfiguration.EnforceWorkGroupConfiguration', true, false],
  ])('fails if an Fn::If chooses %s at deployment, one branch weakening it', (_what, at, good, bad) => {
    const { app, stack, wg } = athenaStack();
    isProd(stack);
    wg.workGroup.addPropertyOverride(at, Fn.conditionIf('IsProd', good, bad));
    expect(() => app.synth()).toThrow(
      new RegExp(`Producer/Analytics/WorkGroup cannot be shown to pass DataProtection-DP28 on the final template, which EncryptedAthenaWorkGroup Producer/Analytics promises: an Fn::If at Properties.${at.replace(/\./g, '\\.')} chooses its settings at deployment.*Remove the Fn::If`),
    );
  });

  test.each([
    ['KmsKey to a key of another account', 'WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.KmsKey', kmsKeyArn(REGION, THIRD), /EncryptionConfiguration\.KmsKey is "arn:aws:kms:eu-west-1:333333333333:key\/.*", not encryptionKey Producer\/Key\/Key/],
    ['OutputLocation to another bucket', 'WorkGroupConfiguration.ResultConfiguration.OutputLocation', 's3://elsewhere/results/', /OutputLocation is "s3:\/\/elsewhere\/results\/", not the results bucket Producer\/Analytics\/ResultsBucket/],
    ['ExpectedBucketOwner to another account', 'WorkGroupConfiguration.ResultConfiguration.ExpectedBucketOwner', THIRD, /ExpectedBucketOwner is "333333333333", not the account "111111111111"/],
  ])('fails if an override sets %s', (_what, at, value, expected) => {
    const { app, wg } = athenaStack();
    wg.workGroup.addPropertyOverride(at, value);
    expect(() => app.synth()).toThrow(/Producer\/Analytics\/WorkGroup on the final template breaks what EncryptedAthenaWorkGroup Producer\/Analytics promises: /);
    expect(() => app.synth()).toThrow(expected);
  });

  test('fails if an override deletes ExpectedBucketOwner, or sets KmsKey to a parameter', () => {
    const { app, stack, wg } = athenaStack();
    wg.workGroup.addPropertyDeletionOverride('WorkGroupConfiguration.ResultConfiguration.ExpectedBucketOwner');
    wg.workGroup.addPropertyOverride('WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.KmsKey', new CfnParameter(stack, 'ResultsKey').valueAsString);
    expect(() => app.synth()).toThrow(/ExpectedBucketOwner is absent, not the account "111111111111"[\s\S]*EncryptionConfiguration\.KmsKey is \{"Ref":"ResultsKey"\}/);
  });

  test('a workgroup as the construct wrote it, with a results bucket and key passed in, synthesizes', () => {
    const { app, stack } = producerStack();
    const key = new CrossAccountSharedKey(stack, 'Key');
    new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: key.key, resultsBucket: new EncryptedBucket(stack, 'Results', { encryptionKey: key.key }), resultsPrefix: 'team/' });
    expect(() => app.synth()).not.toThrow();
  });

  test('fails if a workGroupName token resolves to a name Athena refuses', () => {
    const { app, stack } = producerStack();
    new EncryptedAthenaWorkGroup(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, workGroupName: Lazy.string({ produce: () => 'bad name!' }) });
    expect(() => app.synth()).toThrow(/Producer\/W: a value that was a token at construction is refused once resolved at synthesis: workGroupName must be 1 to 128 characters .*got "bad name!"/);
  });

  test('fails if the key is overridden to DeletionPolicy Delete while the results bucket is kept (DP14)', () => {
    const { app, key } = athenaStack();
    cfnKey(key).addOverride('DeletionPolicy', 'Delete');
    expect(() => app.synth()).toThrow(/Producer\/Key\/Key\/Resource fails DataProtection-DP14 .*The bucket Producer\/Analytics\/ResultsBucket\/Bucket\/Resource encrypted under this key is kept \(DeletionPolicy Retain\) but the key is not \(DeletionPolicy Delete\)/);
  });

  test('refuses grantQuery to a role of another account, naming it', () => {
    const { stack, wg } = athenaStack();
    expect(() => wg.grantQuery(iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${THIRD}:role/analyst`))).toThrow(/^grantQuery\(grantee\) on Producer\/Analytics: the grantee .* is of account 333333333333/);
  });
});

describe('GlueDataCatalogEncryption and GlueSecurityConfiguration on the final template (DP27, DP26)', () => {
  function catalogIn(stack: Stack) {
    const key = new CrossAccountSharedKey(stack, 'Key');
    return { key, catalog: new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key.key }) };
  }
  function securityIn(stack: Stack, securityConfigurationName?: string) {
    return new GlueSecurityConfiguration(stack, 'Sec', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, securityConfigurationName });
  }

  test('fails if the catalog\'s key is destroyed with the stack: the catalog stays encrypted under it (DP14)', () => {
    const { app, stack } = producerStack();
    const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
    new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key.key });
    expect(() => app.synth()).toThrow(
      /Producer\/Key\/Key\/Resource fails DataProtection-DP14 .*The Data Catalog of Producer\/Catalog\/Resource is encrypted under this key, .*but the key is not kept \(DeletionPolicy Delete, UpdateReplacePolicy Delete\)/,
    );
  });

  test('fails if an Aspect adds a raw settings resource in the same environment-agnostic stack', () => {
    const { app, stack } = agnosticStack();
    catalogIn(stack);
    let done = false;
    Aspects.of(stack).add({
      visit(n: IConstruct) {
        if (n === stack && !done) {
          done = true;
          new glue.CfnDataCatalogEncryptionSettings(stack, 'Late', { catalogId: stack.account, dataCatalogEncryptionSettings: {} });
        }
      },
    } as IAspect);
    expect(() => app.synth()).toThrow(/Agnostic\/Late is a second AWS::Glue::DataCatalogEncryptionSettings for the environment of stack Agnostic, which GlueDataCatalogEncryption Agnostic\/Catalog already encrypts.*Remove Agnostic\/Late/s);
  });

  test('fails if an override sets ReturnConnectionPasswordEncrypted to false', () => {
    const { app, stack } = producerStack();
    catalogIn(stack).catalog.settings.addPropertyOverride('DataCatalogEncryptionSettings.ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted', false);
    expect(() => app.synth()).toThrow(/Producer\/Catalog\/Resource fails DataProtection-DP27 .*connection password encryption is off \(ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted is false or unset\)/);
  });

  test('fails if an Fn::If chooses the catalog\'s encryption mode at deployment', () => {
    const { app, stack } = producerStack();
    const { catalog } = catalogIn(stack);
    isProd(stack);
    catalog.settings.addPropertyOverride('DataCatalogEncryptionSettings.EncryptionAtRest.CatalogEncryptionMode', Fn.conditionIf('IsProd', 'SSE-KMS', 'DISABLED'));
    expect(() => app.synth()).toThrow(/Producer\/Catalog\/Resource cannot be shown to pass DataProtection-DP27 .*GlueDataCatalogEncryption Producer\/Catalog promises: an Fn::If at Properties\.DataCatalogEncryptionSettings\.EncryptionAtRest\.CatalogEncryptionMode/);
  });

  test('fails if an override turns S3 encryption DISABLED', () => {
    const { app, stack } = producerStack();
    securityIn(stack).securityConfiguration.addPropertyOverride('EncryptionConfiguration.S3Encryptions.0.S3EncryptionMode', 'DISABLED');
    expect(() => app.synth()).toThrow(/Producer\/Sec\/Resource fails DataProtection-DP26 on the final template, which GlueSecurityConfiguration Producer\/Sec promises: .*S3 encryption is off/);
  });

  test('fails if an override deletes CloudWatchEncryption', () => {
    const { app, stack } = producerStack();
    securityIn(stack).securityConfiguration.addPropertyDeletionOverride('EncryptionConfiguration.CloudWatchEncryption');
    expect(() => app.synth()).toThrow(/Producer\/Sec\/Resource fails DataProtection-DP26 .*CloudWatch Logs encryption is off/);
  });

  test('fails if an Fn::If chooses the S3 encryption mode at deployment', () => {
    const { app, stack } = producerStack();
    const config = securityIn(stack);
    isProd(stack);
    config.securityConfiguration.addPropertyOverride('EncryptionConfiguration.S3Encryptions.0.S3EncryptionMode', Fn.conditionIf('IsProd', 'SSE-KMS', 'DISABLED'));
    expect(() => app.synth()).toThrow(/Producer\/Sec\/Resource cannot be shown to pass DataProtection-DP26 .*an Fn::If at Properties\.EncryptionConfiguration\.S3Encryptions\.0\.S3EncryptionMode/);
  });

  test.each([
    ['empty', '', /got "" \(0 characters\)/],
    ['over 255 characters', 'x'.repeat(256), /got "x{60}…" \(256 characters\)/],
    ['with a line break', 'etl\nprod', /got "etl\\nprod" \(8 characters\)/],
  ])('fails if securityConfigurationName is %s, naming the prop and the fix', (_what, name, shown) => {
    const { stack } = producerStack();
    expect(() => securityIn(stack, name)).toThrow(/^securityConfigurationName must be 1 to 255 characters, tabs and printable characters only/);
    expect(() => securityIn(producerStack().stack, name)).toThrow(shown);
    expect(() => securityIn(producerStack().stack, name)).toThrow(/or omit securityConfigurationName for a generated one/);
  });

  test('fails if a securityConfigurationName token resolves to a name Glue refuses; 255 characters are fine', () => {
    const { app, stack } = producerStack();
    securityIn(stack, Lazy.string({ produce: () => 'x'.repeat(300) }));
    expect(() => app.synth()).toThrow(/Producer\/Sec: a value that was a token at construction is refused once resolved at synthesis: securityConfigurationName must be 1 to 255 characters/);
    const ok = producerStack();
    securityIn(ok.stack, 'x'.repeat(255));
    expect(() => ok.app.synth()).not.toThrow();
  });
});

describe('streams, EMR and Redshift on the final template', () => {
  test('fails if the key is overridden to DeletionPolicy Delete while the stream is kept (DP14)', () => {
    const { app, stack } = producerStack();
    const key = new CrossAccountSharedKey(stack, 'Key');
    new EncryptedStream(stack, 'Events', { encryptionKey: key.key });
    cfnKey(key).addOverride('DeletionPolicy', 'Delete');
    expect(() => app.synth()).toThrow(
      /Producer\/Key\/Key\/Resource fails DataProtection-DP14 on the final template, which CrossAccountSharedKey Producer\/Key promises: .*The stream Producer\/Events\/Stream\/Resource encrypted under this key is kept \(DeletionPolicy Retain\) but the key is not \(DeletionPolicy Delete\): the kept data would become unreadable/,
    );
  });

  test('a stream and its key both deleted (as in an integ test) is not a DP14 failure', () => {
    const { app, stack } = producerStack();
    const key = new CrossAccountSharedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
    new EncryptedStream(stack, 'Events', { encryptionKey: key.key, removalPolicy: RemovalPolicy.DESTROY });
    expect(() => app.synth()).not.toThrow();
  });

  test('fails if an Fn::If may drop the stream\'s encryption at deployment (DP23)', () => {
    const { app, stack } = producerStack();
    const s = new EncryptedStream(stack, 'Events', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key });
    isProd(stack);
    (s.stream.node.defaultChild as kinesis.CfnStream).addPropertyOverride('StreamEncryption', Fn.conditionIf('IsProd', { EncryptionType: 'KMS', KeyId: 'x' }, Fn.ref('AWS::NoValue')));
    expect(() => app.synth()).toThrow(/Producer\/Events\/Stream\/Resource cannot be shown to pass DataProtection-DP23 .*EncryptedStream Producer\/Events promises: an Fn::If at Properties\.StreamEncryption/);
  });

  test('fails if an override turns EMR in-transit encryption off that the props turned on (DP29 is an error, not the warning)', () => {
    const { app, stack } = producerStack();
    const c = new EmrSecurityConfiguration(stack, 'Sec', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, inTransitEncryption: EmrInTransitEncryption.pemCertificates('s3://certs/c.zip') });
    c.securityConfiguration.addPropertyOverride('SecurityConfiguration.EncryptionConfiguration.EnableInTransitEncryption', false);
    expect(() => app.synth()).toThrow(/Producer\/Sec\/Resource fails DataProtection-DP29 .*Encryption is off in transit \(EnableInTransitEncryption\)/);
  });

  test('fails if an override deletes the EMR local disk encryption, leaving at-rest encryption on for S3 only (DP29)', () => {
    const { app, stack } = producerStack();
    const c = new EmrSecurityConfiguration(stack, 'Sec', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, inTransitEncryption: EmrInTransitEncryption.pemCertificates('s3://certs/c.zip') });
    c.securityConfiguration.addPropertyDeletionOverride('SecurityConfiguration.EncryptionConfiguration.AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration');
    expect(() => app.synth()).toThrow(/Producer\/Sec\/Resource fails DataProtection-DP29 .*Encryption is off at rest on the instances' local disks \(no LocalDiskEncryptionConfiguration\)/);
  });

  test.each([
    ['EncryptedRedshiftCluster', 'Producer/W/Resource', 'Redshift cluster', (stack: Stack, key: kms.IKey) => new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: key, vpc: vpcIn(stack) })],
    ['EncryptedRedshiftServerless', 'Producer/W/Namespace', 'Redshift Serverless namespace', (stack: Stack, key: kms.IKey) => new EncryptedRedshiftServerless(stack, 'W', { encryptionKey: key, vpc: vpcIn(stack) })],
  ])('fails if the key of an %s is overridden to DeletionPolicy Delete while the data is kept (DP14)', (_name, path, what, make) => {
    const { app, stack } = producerStack();
    const key = new CrossAccountSharedKey(stack, 'Key');
    make(stack, key.key);
    cfnKey(key).addOverride('DeletionPolicy', 'Delete');
    expect(() => app.synth()).toThrow(new RegExp(`Producer/Key/Key/Resource fails DataProtection-DP14 .*The ${what} ${path} encrypted under this key is kept \\(DeletionPolicy Retain\\) but the key is not`));
  });

  test('fails if a plain kms.Key under a Redshift cluster is destroyed while the cluster is kept: the construct promises DP14 itself', () => {
    const { app, stack } = producerStack();
    const key = new kms.Key(stack, 'Plain', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: key, vpc: vpcIn(stack) });
    expect(() => app.synth()).toThrow(/Producer\/Plain\/Resource fails DataProtection-DP14 on the final template, which EncryptedRedshiftCluster Producer\/W promises: .*Redshift cluster Producer\/W\/Resource/);
  });

  test('fails if an Fn::If chooses whether the Redshift cluster is encrypted (DP31)', () => {
    const { app, stack } = producerStack();
    const w = new EncryptedRedshiftCluster(stack, 'W', { encryptionKey: new CrossAccountSharedKey(stack, 'Key').key, vpc: vpcIn(stack) });
    isProd(stack);
    w.cluster.addPropertyOverride('Encrypted', Fn.conditionIf('IsProd', true, false));
    expect(() => app.synth()).toThrow(/Producer\/W\/Resource cannot be shown to pass DataProtection-DP31 .*EncryptedRedshiftCluster Producer\/W promises: an Fn::If at Properties\.Encrypted/);
  });
});

describe('DataProtectionChecks DP14 on plain aws-cdk-lib resources (the rule the promises run)', () => {
  test('Noncompliance: a kept kinesis.Stream under a kms.Key that is destroyed', () => {
    const { app, stack } = producerStack();
    const key = new kms.Key(stack, 'K', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    new kinesis.Stream(stack, 'S', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
    expect(reported(app, 'DP14')).toEqual(['Producer/K/Resource']);
    expect(explanation(app, 'DP14', 'Producer/K/Resource')).toMatch(/The stream Producer\/S\/Resource encrypted under this key is kept \(DeletionPolicy Retain, UpdateReplacePolicy Retain\)/);
  });

  test('Noncompliance: raw Data Catalog encryption settings under a kms.Key that is destroyed, whatever the settings\' own policy', () => {
    const { app, stack } = producerStack();
    const key = new kms.Key(stack, 'K', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    const settings = new glue.CfnDataCatalogEncryptionSettings(stack, 'Settings', {
      catalogId: stack.account,
      dataCatalogEncryptionSettings: { connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: key.keyArn } },
    });
    settings.applyRemovalPolicy(RemovalPolicy.DESTROY);
    expect(reported(app, 'DP14')).toEqual(['Producer/K/Resource']);
    expect(explanation(app, 'DP14', 'Producer/K/Resource')).toMatch(/The Data Catalog of Producer\/Settings is encrypted under this key/);
  });

  test('Compliance: a stream deleted with its key, or a kept stream under a kept key', () => {
    const { app, stack } = producerStack();
    const gone = new kms.Key(stack, 'Gone', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    new kinesis.Stream(stack, 'Deleted', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: gone, removalPolicy: RemovalPolicy.DESTROY });
    const kept = new kms.Key(stack, 'Kept', { enableKeyRotation: true });
    new kinesis.Stream(stack, 'Retained', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: kept, removalPolicy: RemovalPolicy.RETAIN });
    expect(reported(app, 'DP14')).toEqual([]);
  });
});

describe('every statement the data-platform constructs and their grants write carries a Sid', () => {
  test('key policy, bucket policies and the identity policies of the roles they grant', () => {
    const { stack } = producerStack();
    const key = new CrossAccountSharedKey(stack, 'Key');
    const role = (id: string, service: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal(service) });
    const exchange = new EncryptedBucket(stack, 'Exchange', { encryptionKey: key.key });
    const stream = new EncryptedStream(stack, 'Events', { encryptionKey: key.key });
    stream.grantReadWrite(role('StreamUser', 'lambda.amazonaws.com'));
    const delivery = new EncryptedDeliveryStream(stack, 'Orders', { encryptionKey: key.key, destination: exchange });
    delivery.grantPutRecords(role('Producer', 'lambda.amazonaws.com'));
    new GlueSecurityConfiguration(stack, 'Jobs', { encryptionKey: key.key }).grantJob(role('Job', 'glue.amazonaws.com'));
    new GlueDataCatalogEncryption(stack, 'Catalog', { encryptionKey: key.key }).grantReadWrite(role('Curator', 'glue.amazonaws.com'));
    new EncryptedAthenaWorkGroup(stack, 'Analytics', { encryptionKey: key.key }).grantQuery(role('Analyst', 'lambda.amazonaws.com'));
    const emr = new EmrSecurityConfiguration(stack, 'Emr', {
      encryptionKey: key.key,
      inTransitEncryption: EmrInTransitEncryption.pemCertificates('s3://certificates-bucket/emr/certs.zip'),
    });
    emr.grantCluster(role('EmrService', 'elasticmapreduce.amazonaws.com'), role('EmrInstance', 'ec2.amazonaws.com'));
    key.grantClientSideEncryption(role('Uploader', 'lambda.amazonaws.com'), { access: AccessLevel.READ_WRITE });

    const template = Template.fromStack(stack).toJSON();
    const unnamed: string[] = [];
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      const document = resource.Properties?.PolicyDocument ?? resource.Properties?.KeyPolicy;
      if (!['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::S3::BucketPolicy', 'AWS::KMS::Key'].includes(resource.Type) || !document) continue;
      for (const statement of document.Statement) {
        if (statement.Sid === undefined) unnamed.push(`${id}: ${JSON.stringify(statement.Action)}`);
      }
    }
    expect(unnamed).toEqual([]);
  });
});
