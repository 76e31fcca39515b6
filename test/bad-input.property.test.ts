import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import {
  AccessLevel,
  CrossAccountConsumerPolicy,
  CrossAccountSharedKey,
  DataProtectionReport,
  DataProtectionStatements,
  EncryptedBucket,
  Partner,
  ServerAccessLogs,
  ServerSideEncryption,
  TlsOnlyBucketPolicy,
  TlsVersion,
  VpcEndpointAccess,
} from '../src';
import { KEY_ARN, PARTNER, PRODUCER, producerStack, REGION } from './support';
import { isLibraryValidationError } from '../src/core/errors';
import { DataProtectionChecks } from 'cdk-data-protection-nag';

/**
 * Whatever a JavaScript or jsii caller passes (Python passes anything), a
 * construct either synthesizes or throws our own Error (a plain Error, or
 * aws-cdk-lib's ValidationError carrying one of our error names), whose
 * message names a prop: never a TypeError, never an error class from inside
 * aws-cdk-lib. Whether a value that synthesizes was
 * accepted rightly is not checked here; each property only requires that
 * both outcomes occur.
 */

const BUCKET_ARN = 'arn:aws:s3:::producer-exchange';

/** A valid value that needs the stack to be made. */
class Valid {
  constructor(public readonly make: (stack: Stack) => unknown) {}
}

function resolve(value: unknown, stack: Stack): unknown {
  return value instanceof Valid ? value.make(stack) : value;
}

/**
 * Arbitrary JavaScript values. Object keys start with `_` so that a random
 * object does not happen to hold a real prop name of a nested aws-cdk-lib
 * struct (lifecycleRules, subnets), which this library only checks to be objects.
 */
const anything = fc.anything({ key: fc.string({ maxLength: 6 }).map((k) => `_${k}`), maxDepth: 2 });

/** Mostly absent or valid; sometimes any value, sometimes a wrongly typed near-miss. */
/** Mostly valid; sometimes absent, any value or a near-miss: for arguments, which are mostly required. */
function arg(valid: fc.Arbitrary<unknown>, ...nearMisses: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: valid },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anything },
    { weight: 1, arbitrary: nearMisses.length > 0 ? fc.constantFrom(...nearMisses) : anything },
  );
}

function prop(valid: fc.Arbitrary<unknown>, ...nearMisses: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: valid },
    { weight: 1, arbitrary: anything },
    { weight: 1, arbitrary: nearMisses.length > 0 ? fc.constantFrom(...nearMisses) : anything },
  );
}

/** A regex matching a message that names one of `names` anywhere, as a word (for messages that explain a conflict of props). */
function namesProp(names: string[]): RegExp {
  return new RegExp(`\\b(${names.join('|')})\\b`);
}

/** A regex matching a message that starts with one of `names` (optionally indexed or dotted). */
function startsWithProp(names: string[]): RegExp {
  const alternatives = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`^(${alternatives})(\\[\\d+\\])?([.:/ ]|\\b)`);
}

interface Outcomes {
  synthesized: number;
  refused: number;
}

/** Runs `build` and synthesizes; a refusal must be our Error naming a prop. */
function attempt(outcomes: Outcomes, names: RegExp, build: (stack: Stack) => void): void {
  const { app, stack } = producerStack();
  try {
    build(stack);
    app.synth();
    outcomes.synthesized++;
  } catch (e) {
    outcomes.refused++;
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    expectOurError(e);
    expect((e as Error).message).toMatch(names);
  }
}

/** A plain Error of ours, or a ValidationError of ours (named from src/core/errors.ts), never another class. */
function expectOurError(e: unknown): void {
  expect((e as Error).constructor === Error || isLibraryValidationError(e)).toBe(true);
}

function expectBothOutcomes(outcomes: Outcomes): void {
  // both outcomes must be exercised, or the property proves nothing
  expect(outcomes.synthesized).toBeGreaterThan(0);
  expect(outcomes.refused).toBeGreaterThan(0);
}

function withProps(record: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof({ weight: 30, arbitrary: fc.record(record) }, { weight: 1, arbitrary: anything as fc.Arbitrary<any> });
}

function propsOf(p: unknown, stack: Stack): any {
  if (p === null || typeof p !== 'object' || Array.isArray(p) || Object.getPrototypeOf(p) !== Object.prototype) {
    return p;
  }
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => [k, resolve(v, stack)]));
}

const partnerShare = new Valid(() => [{ partner: Partner.account(PARTNER), access: AccessLevel.READ }]);

describe('EncryptedBucket', () => {
  describe('bad input', () => {
    test('any value of any prop synthesizes or throws an Error naming the prop, never a TypeError', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp([
        'props', 'encryption', 'encryptionKey', 'encryptionKeyProps', 'bucketKeyEnabled', 'minimumTlsVersion', 'allowSseC', 'serverAccessLogs',
        'bucketName', 'removalPolicy', 'autoDeleteObjects', 'lifecycleRules', 'partners', 'consumerPolicyOutputs',
        // the props of encryptionKeyProps, named as CrossAccountSharedKey names them
        'rotationPeriod', 'pendingWindow', 'alias', 'description', 'multiRegion', 'administrators', 'policy',
      ]);
      fc.assert(
        fc.property(
          withProps({
            encryption: prop(fc.constantFrom(...Object.values(ServerSideEncryption)), 'KMS', 'aws:kms ', null),
            encryptionKey: prop(fc.constant(new Valid((s) => kms.Key.fromKeyArn(s, 'Imported', KEY_ARN))), KEY_ARN, { keyArn: 5 }, null),
            encryptionKeyProps: prop(fc.constant({ rotationPeriod: Duration.days(365) }), { rotationPeriod: 365 }, { pendingWindow: null }, { alias: 5 }, 'x'),
            bucketKeyEnabled: prop(fc.boolean(), 'false', 0, null),
            minimumTlsVersion: prop(fc.constantFrom(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), '1.0', 1.2, null),
            allowSseC: prop(fc.boolean(), 'false', 'true', 1),
            serverAccessLogs: prop(
              fc.constantFrom(new Valid(() => ServerAccessLogs.toNewBucket()), new Valid(() => ServerAccessLogs.disabled('test data'))),
              'x',
              {},
              null,
            ),
            bucketName: prop(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/), 123, '', null),
            removalPolicy: prop(fc.constantFrom(RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, 'retain'), 'bogus', null),
            autoDeleteObjects: prop(fc.constant(false), 'yes', 1),
            lifecycleRules: prop(fc.constant([{ noncurrentVersionExpiration: Duration.days(30) }]), {}, [null], 'x', [{}]),
            partners: prop(fc.constant(partnerShare), {}, 'x', [null], [{ partner: PARTNER, access: AccessLevel.READ }], [{ partner: new Valid(() => 0) }]),
            consumerPolicyOutputs: prop(fc.boolean(), 'no'),
          }),
          (p) => attempt(outcomes, names, (stack) => new EncryptedBucket(stack, 'Data', propsOf(p, stack))),
        ),
        { numRuns: 200 },
      );
      expectBothOutcomes(outcomes);
    });

    test('shareWith and grant* with any arguments share, grant or throw an Error naming the argument', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(['partner', 'access', 'options', 'prefix', 'shareWith(partner, access, options): options', 'grantee', 'objectsKeyPattern']);
      fc.assert(
        fc.property(
          prop(fc.constant(new Valid(() => Partner.account(PARTNER)))),
          prop(fc.constantFrom(...Object.values(AccessLevel)), 'read'),
          prop(fc.constantFrom({}, { prefix: 'incoming/' }), { prefix: 5 }, null),
          prop(fc.constant(new Valid((s) => new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }))), 'arn:aws:iam::111111111111:role/x'),
          prop(fc.constantFrom('*', 'reports/*'), 5, null),
          fc.constantFrom('grantRead', 'grantWrite', 'grantReadWrite'),
          (partner, access, options, grantee, pattern, grant) =>
            attempt(outcomes, names, (stack) => {
              const bucket = new EncryptedBucket(stack, 'Data');
              (bucket.shareWith as any)(resolve(partner, stack) ?? Partner.account(PARTNER), access ?? AccessLevel.READ, options);
              (bucket[grant as 'grantRead'] as any)(resolve(grantee, stack), pattern);
            }),
        ),
        { numRuns: 100 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('ServerAccessLogs', () => {
  describe('bad input', () => {
    test('any argument of the factories gives a ServerAccessLogs or an Error naming the argument', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(['ServerAccessLogs.toNewBucket(options)', 'ServerAccessLogs.toNewBucket({ prefix })', 'ServerAccessLogs.toBucket(bucket)', 'ServerAccessLogs.toBucket(bucket, prefix)', 'ServerAccessLogs.disabled(reason)', 'serverAccessLogs']);
      fc.assert(
        fc.property(
          fc.constantFrom('toNewBucket', 'toBucket', 'disabled'),
          prop(fc.constantFrom({ prefix: 'logs/' }, new Valid((s) => new s3.Bucket(s, 'Logs')), 'not logged: test data'), { prefix: 5 }, null, 5),
          prop(fc.constant('logs/'), 5, null, '*'),
          (factory, first, second) =>
            attempt(outcomes, names, (stack) => {
              const logs = (ServerAccessLogs[factory as 'toBucket'] as any)(resolve(first, stack), second);
              new EncryptedBucket(stack, 'Data', { serverAccessLogs: logs });
            }),
        ),
        { numRuns: 100 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('CrossAccountSharedKey', () => {
  describe('bad input', () => {
    test('any value of any prop synthesizes or throws an Error naming the prop, never a TypeError', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(['props', 'rotationPeriod', 'pendingWindow', 'removalPolicy', 'alias', 'description', 'multiRegion', 'administrators', 'policy', 'partners', 'viaServices']);
      fc.assert(
        fc.property(
          withProps({
            rotationPeriod: prop(fc.integer({ min: 90, max: 2560 }).map((d) => Duration.days(d)), 365, Duration.days(30), null),
            pendingWindow: prop(fc.integer({ min: 7, max: 30 }).map((d) => Duration.days(d)), 7, null),
            removalPolicy: prop(fc.constantFrom(RemovalPolicy.RETAIN, RemovalPolicy.DESTROY), 'bogus', RemovalPolicy.SNAPSHOT),
            alias: prop(fc.constantFrom('alias/data', 'data-1'), 5, 'aws/x', null),
            description: prop(fc.string({ maxLength: 20 }), 5),
            multiRegion: prop(fc.boolean(), 'true'),
            admins: prop(
              fc.constant(new Valid(() => [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/Admin`)])),
              new Valid(() => new iam.AccountRootPrincipal()),
              [null],
              [`arn:aws:iam::${PRODUCER}:role/Admin`],
            ),
            policy: prop(fc.constant(undefined), { Statement: [] }, 'x', null),
            partners: prop(fc.constant(partnerShare), {}, 'x', [null], [{ partner: PARTNER, access: AccessLevel.READ }], [{ partner: new Valid(() => 0) }]),
          }),
          (p) => attempt(outcomes, names, (stack) => new CrossAccountSharedKey(stack, 'Key', propsOf(p, stack))),
        ),
        { numRuns: 200 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('TlsOnlyBucketPolicy', () => {
  describe('bad input', () => {
    test('any value of any prop synthesizes or throws an Error naming the prop, never a TypeError', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(['props', 'bucket', 'minimumTlsVersion', 'replaceExistingBucketPolicy']);
      fc.assert(
        fc.property(
          withProps({
            bucket: fc.oneof({ weight: 6, arbitrary: fc.constant(new Valid((s) => new s3.Bucket(s, 'Bucket'))) }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constantFrom('mybucket', BUCKET_ARN, undefined) }),
            minimumTlsVersion: prop(fc.constantFrom(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), '1.0', 1.2),
            replaceExistingBucketPolicy: prop(fc.boolean(), 'true'),
          }),
          (p) => attempt(outcomes, names, (stack) => new TlsOnlyBucketPolicy(stack, 'Tls', propsOf(p, stack))),
        ),
        { numRuns: 150 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('CrossAccountConsumerPolicy', () => {
  describe('bad input', () => {
    test('any value of any prop synthesizes or throws an Error naming the prop, never a TypeError', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(['props', 'options', 'bucketArn', 'keyArn', 'access', 'prefix', 'roles', 'users', 'groups']);
      fc.assert(
        fc.property(
          withProps({
            bucketArn: fc.oneof({ weight: 6, arbitrary: fc.constant(BUCKET_ARN) }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constantFrom(`${BUCKET_ARN}/x`, 5) }),
            keyArn: fc.oneof({ weight: 6, arbitrary: fc.constant(KEY_ARN) }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constantFrom('alias/x', 5) }),
            access: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...Object.values(AccessLevel)) }, { weight: 1, arbitrary: anything }),
            prefix: prop(fc.constant('incoming/'), 5, '*', null),
            roles: prop(fc.constant(new Valid((s) => [iam.Role.fromRoleArn(s, 'Role', `arn:aws:iam::${PARTNER}:role/Reader`)])), {}, [null], 'arn:aws:iam::222222222222:role/Reader'),
            users: prop(fc.constant(new Valid((s) => [iam.User.fromUserName(s, 'User', 'reader')])), {}, ['reader']),
            groups: prop(fc.constant(new Valid((s) => [iam.Group.fromGroupName(s, 'Group', 'readers')])), {}, ['readers']),
          }),
          (p) => attempt(outcomes, names, (stack) => new CrossAccountConsumerPolicy(stack, 'Consumer', propsOf(p, stack))),
        ),
        { numRuns: 150 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('VpcEndpointAccess', () => {
  describe('bad input', () => {
    test('any value of a prop synthesizes or throws an Error naming the prop, never a TypeError', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      // Its conflicts of props are explained in sentences ("Restricting buckets[0] ... administrators and administratorArns are empty"):
      // a refusal must name a prop, not necessarily first.
      const names = namesProp([
        'props', 'vpc', 'subnets', 'buckets', 'keys', 's3Endpoint', 'kmsEndpoint', 'organizationId', 'administrators', 'administratorArns',
        'exemptCdkDeploymentRoles', 'restrictBucketAccess', 'additionalVpcEndpointIds', 'partnerVpcEndpoints', 'restrictDirectKeyUse',
        'allowCloudFormationResponses', 'allowAmazonLinuxRepositories', 'replaceExistingBucketPolicy',
      ]);
      const bool = () => prop(fc.boolean(), 'false', 0);
      fc.assert(
        fc.property(
          fc.record({
            keys: prop(fc.constant(new Valid((s) => [kms.Key.fromKeyArn(s, 'Key', KEY_ARN)])), KEY_ARN, [null]),
            organizationId: prop(fc.constant('o-a1b2c3d4e5'), 5, null),
            administrators: prop(fc.constant(new Valid(() => [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/Ops`)])), new Valid(() => new iam.AccountRootPrincipal()), [null]),
            administratorArns: prop(fc.constant([`arn:aws:iam::${PRODUCER}:role/Admin`]), `arn:aws:iam::${PRODUCER}:role/Admin`, [5]),
            additionalVpcEndpointIds: prop(fc.constant(['vpce-0123456789abcdef0']), 'vpce-0123456789abcdef0', [5]),
            partnerVpcEndpoints: prop(fc.constant(new Valid(() => [{ partner: Partner.account(PARTNER), vpcEndpointIds: ['vpce-0123456789abcdef1'] }])), {}, [null]),
            exemptCdkDeploymentRoles: bool(),
            restrictBucketAccess: bool(),
            restrictDirectKeyUse: bool(),
            allowCloudFormationResponses: bool(),
            allowAmazonLinuxRepositories: bool(),
            replaceExistingBucketPolicy: bool(),
            subnets: prop(fc.constant({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }), 'private', null, { subnetType: ec2.SubnetType.PUBLIC }),
          }),
          (p) =>
            attempt(outcomes, names, (stack) => {
              const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
              const bucket = new EncryptedBucket(stack, 'Data');
              new VpcEndpointAccess(stack, 'Access', { vpc, buckets: [bucket.bucket], ...propsOf(p, stack) });
            }),
        ),
        { numRuns: 200 }, // a synthesizing draw needs a valid administrator of the bucket's account: 60 runs sometimes met none
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('Partner', () => {
  describe('bad input', () => {
    test('any argument of the factories gives a Partner or an Error naming the argument', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = /^Partner\.(account|principals|organization|organizationPaths)\(/;
      fc.assert(
        fc.property(
          fc.constantFrom('account', 'principals', 'organization', 'organizationPaths'),
          fc.oneof(anything, fc.constantFrom(PARTNER, [`arn:aws:iam::${PARTNER}:role/Reader`], 'o-a1b2c3d4e5', ['o-a1b2c3d4e5/r-ab12/*'])),
          prop(fc.constant('o-a1b2c3d4e5'), 5),
          (factory, first, org) => attempt(outcomes, names, () => (Partner[factory as 'organizationPaths'] as any)(first, org)),
        ),
        { numRuns: 200 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('DataProtectionStatements', () => {
  describe('bad input', () => {
    const bucketArg = fc.oneof({ weight: 3, arbitrary: fc.constant(new Valid((s) => new s3.Bucket(s, 'Bucket'))) }, { weight: 1, arbitrary: anything });
    const cases: Array<[string, fc.Arbitrary<unknown[]>, string[]]> = [
      ['denyOutdatedTls', fc.tuple(bucketArg, arg(fc.constantFrom(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), '1.0')), ['bucket', 'minimum']],
      ['denyUnexpectedEncryption', fc.tuple(bucketArg, arg(fc.constantFrom(...Object.values(ServerSideEncryption)), 'rot13')), ['bucket', 'encryption']],
      ['denyOtherKmsKeys', fc.tuple(bucketArg, arg(fc.constant(new Valid((s) => kms.Key.fromKeyArn(s, 'Key', KEY_ARN))), KEY_ARN)), ['bucket', 'key']],
      [
        'allowPartnerKeyUse',
        fc.tuple(
          arg(fc.constant(new Valid(() => [Partner.account(PARTNER)])), [PARTNER]),
          arg(fc.constantFrom(...Object.values(AccessLevel)), 'read'),
          arg(fc.constant({ viaServices: [`s3.${REGION}.amazonaws.com`] }), { viaServices: `s3.${REGION}.amazonaws.com` }),
        ),
        ['partners', 'access', 'options', 'viaServices', 'bucketArn', 'sid'],
      ],
      ['allowSharedBucketAccess', fc.tuple(arg(fc.constant(BUCKET_ARN), 5), arg(fc.constantFrom(...Object.values(AccessLevel))), arg(fc.constant('a/'), '*')), ['bucketArn', 'access', 'prefix']],
      ['allowSharedPrefixListing', fc.tuple(arg(fc.constant(BUCKET_ARN), 5), arg(fc.constant('a/'), '*')), ['bucketArn', 'prefix']],
      ['allowKeyAdministration', fc.tuple(arg(fc.constant(new Valid(() => [new iam.AccountRootPrincipal()])), new Valid(() => new iam.AccountRootPrincipal()))), ['administrators']],
      ['allowCloudFormationResponses', fc.tuple(arg(fc.constant(REGION), 5), arg(fc.constant('aws'), 5)), ['region', 'partition']],
      ['denyDirectKeyUseOutsideVpcs', fc.tuple(arg(fc.constant(['vpc-0123456789abcdef0']), 'vpc-0123456789abcdef0'), arg(fc.constant([`arn:aws:iam::${PRODUCER}:role/Admin`]), 'x')), ['vpcIds', 'exemptPrincipalArns']],
    ];
    test.each(cases)('%s with any arguments builds a statement or throws an Error naming the argument', (method, args, argNames) => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(argNames);
      fc.assert(
        fc.property(args, (a) =>
          attempt(outcomes, names, (stack) => {
            const statement = (DataProtectionStatements as any)[method](...a.map((v) => resolve(v, stack)));
            stack.resolve(statement.toStatementJson());
          }),
        ),
        { numRuns: 80 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

describe('DataProtectionReport and DataProtectionChecks', () => {
  describe('bad input', () => {
    test('any argument gives a report or checks, or an Error naming the argument', () => {
      const outcomes = { synthesized: 0, refused: 0 };
      const names = startsWithProp(['scope', 'props', 'verbose', 'writeSuppressionsToCloudFormation', 'assemblyDirectory', 'directory']);
      fc.assert(
        fc.property(
          fc.constantFrom('of', 'markdownIn', 'checks'),
          fc.oneof({ weight: 2, arbitrary: fc.constant(new Valid((s) => s)) }, { weight: 1, arbitrary: anything }),
          prop(fc.constantFrom({ verbose: true }, {}), { verbose: 'yes' }, 'x'),
          (what, first, second) =>
            attempt(outcomes, names, (stack) => {
              const value = resolve(first, stack);
              if (what === 'of') DataProtectionReport.of(value as any).toJson();
              else if (what === 'markdownIn') DataProtectionReport.markdownIn((value instanceof Stack ? '/nonexistent' : value) as any);
              else new DataProtectionChecks(value as any, second as any);
            }),
        ),
        { numRuns: 100 },
      );
      expectBothOutcomes(outcomes);
    });
  });
});

/** Every case of the review, with the exact prop name and value its message must show. */
describe('bad props of the review', () => {
  const A = (x: unknown): any => x;
  const cases: Array<[string, (stack: Stack) => unknown, RegExp]> = [
    ['bucketName: 123', (s) => new EncryptedBucket(s, 'B', { bucketName: A(123) }), /^bucketName must be a string .*got 123 \(a number\)/],
    ['bucketName: null', (s) => new EncryptedBucket(s, 'B', { bucketName: A(null) }), /^bucketName must be a string .*got null/],
    ['partners: {}', (s) => new EncryptedBucket(s, 'B', { partners: A({}) }), /^partners must be an array .*got \{\} \(a plain object\)/],
    ["partners: 'x'", (s) => new EncryptedBucket(s, 'B', { partners: A('x') }), /^partners must be an array .*got "x" \(a string\)/],
    ['rotationPeriod: 365', (s) => new CrossAccountSharedKey(s, 'K', { rotationPeriod: A(365) }), /^rotationPeriod must be a Duration, got 365 \(a number\)\. Use Duration\.days\(n\)/],
    ['encryptionKeyProps.rotationPeriod: 365', (s) => new EncryptedBucket(s, 'B', { encryptionKeyProps: { rotationPeriod: A(365) } }), /^encryptionKeyProps.rotationPeriod must be a Duration, got 365 \(a number\)/],
    ['pendingWindow: null', (s) => new EncryptedBucket(s, 'B', { encryptionKeyProps: { pendingWindow: A(null) } }), /^encryptionKeyProps.pendingWindow must be a Duration, got null/],
    ['alias: 5', (s) => new CrossAccountSharedKey(s, 'K', { alias: A(5) }), /^alias must be a string .*got 5 \(a number\)/],
    ['administrators: [null]', (s) => new CrossAccountSharedKey(s, 'K', { administrators: A([null]) }), /^administrators\[0\] must be an iam\.IPrincipal, got null/],
    ['administrators: a principal not in an array', (s) => new CrossAccountSharedKey(s, 'K', { administrators: A(new iam.AccountRootPrincipal()) }), /^administrators must be an array of iam\.IPrincipal, got an object of class AccountRootPrincipal\. Wrap a single value in \[ \]/],
    ['policy: {Statement: []}', (s) => new CrossAccountSharedKey(s, 'K', { policy: A({ Statement: [] }) }), /^policy must be an iam\.PolicyDocument, got \{"Statement":\[\]\} \(a plain object\)/],
    ['key partners: {}', (s) => new CrossAccountSharedKey(s, 'K', { partners: A({}) }), /^partners must be an array .*got \{\} \(a plain object\)/],
    ["serverAccessLogs: 'x'", (s) => new EncryptedBucket(s, 'B', { serverAccessLogs: A('x') }), /^serverAccessLogs must be a ServerAccessLogs, got "x" \(a string\)\. Use ServerAccessLogs\.toNewBucket\(\)/],
    ['lifecycleRules: {}', (s) => new EncryptedBucket(s, 'B', { lifecycleRules: A({}) }), /^lifecycleRules must be an array of s3\.LifecycleRule, got \{\} \(a plain object\)/],
    ['props: null', (s) => new EncryptedBucket(s, 'B', A(null)), /^props must be an object of EncryptedBucketProps .*got null/],
    ['ServerAccessLogs.disabled(5)', () => ServerAccessLogs.disabled(A(5)), /^ServerAccessLogs\.disabled\(reason\) must be a string .*got 5 \(a number\)/],
    ['ServerAccessLogs.toBucket(null)', () => ServerAccessLogs.toBucket(A(null)), /^ServerAccessLogs\.toBucket\(bucket\) needs the s3\.IBucket .*got null/],
    ["TlsOnlyBucketPolicy bucket: 'x'", (s) => new TlsOnlyBucketPolicy(s, 'T', { bucket: A('x') }), /^bucket must be an s3\.IBucket, got "x" \(a string\)/],
    [
      'CrossAccountConsumerPolicy roles: {}',
      (s) => new CrossAccountConsumerPolicy(s, 'C', { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, access: AccessLevel.READ, roles: A({}) }),
      /^roles must be an array of iam\.IRole, got \{\} \(a plain object\)/,
    ],
    [
      'allowPartnerKeyUse(..., undefined)',
      () => DataProtectionStatements.allowPartnerKeyUse([Partner.account(PARTNER)], AccessLevel.READ, A(undefined)),
      /^options must be an object \{ viaServices, bucketArn\?, sid\? \}, got undefined/,
    ],
    ['denyOutdatedTls(b, undefined)', (s) => DataProtectionStatements.denyOutdatedTls(new s3.Bucket(s, 'X'), A(undefined)), /^minimum must be one of TlsVersion\.TLS_1_2, TlsVersion\.TLS_1_3, got undefined/],
    ["denyOutdatedTls(b, '1.0')", (s) => DataProtectionStatements.denyOutdatedTls(new s3.Bucket(s, 'X'), A('1.0')), /^minimum must be one of TlsVersion\.TLS_1_2, TlsVersion\.TLS_1_3, got "1\.0" \(a string\)/],
    [
      "denyUnexpectedEncryption(b, 'rot13')",
      (s) => DataProtectionStatements.denyUnexpectedEncryption(new s3.Bucket(s, 'X'), A('rot13')),
      /^encryption must be one of ServerSideEncryption\.SSE_KMS, ServerSideEncryption\.DSSE_KMS, ServerSideEncryption\.SSE_S3, got "rot13" \(a string\)/,
    ],
    ["bucketKeyEnabled: 'false'", (s) => new EncryptedBucket(s, 'B', { bucketKeyEnabled: A('false') }), /^bucketKeyEnabled must be a boolean \(true or false\), got "false" \(a string\)/],
    ['toNewBucket({ prefix: 5 })', () => ServerAccessLogs.toNewBucket({ prefix: A(5) }), /^ServerAccessLogs\.toNewBucket\(\{ prefix \}\): .*got 5/],
    ["allowSseC: 'false'", (s) => new EncryptedBucket(s, 'B', { allowSseC: A('false') }), /^allowSseC must be a boolean \(true or false\), got "false" \(a string\)/],
  ];
  test.each(cases)('fails if %s, naming the prop and the value', (_name, make, message) => {
    const { app, stack } = producerStack();
    let error: unknown;
    try {
      make(stack);
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expectOurError(error);
    expect((error as Error).message).toMatch(message);
  });
});
