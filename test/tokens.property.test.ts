import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { AccessLevel, CrossAccountSharedKey, EncryptedBucket, Partner, PrefixMatch, VpcEndpointAccess } from '../src';
import { ENV, PRODUCER } from './support';

/**
 * Issue 12: every value given as a token that resolves at synthesis gets the
 * verdict its literal value gets at construction. Each property builds the
 * same app twice, once with the literal and once with `Lazy.string` of it,
 * and compares: both accepted, or both refused with the same reason.
 */

type Verdict = { ok: true } | { ok: false; message: string };

function verdict(build: (app: App, stack: Stack) => void): Verdict {
  try {
    const app = new App();
    const stack = new Stack(app, 'Producer', { env: ENV });
    build(app, stack);
    app.synth();
    return { ok: true };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** How many of each verdict a property met: both must occur, or it proved nothing. */
const tally = { accepted: 0, refused: 0 };
beforeEach(() => {
  tally.accepted = 0;
  tally.refused = 0;
});
afterEach(() => {
  expect(tally.accepted).toBeGreaterThan(0);
  expect(tally.refused).toBeGreaterThan(0);
});

/** Both accepted, or both refused; the token's refusal says it was a token at construction and carries the literal's reason. */
function agree(literal: Verdict, token: Verdict, reason: RegExp): void {
  tally[literal.ok ? 'accepted' : 'refused']++;
  expect(token.ok).toBe(literal.ok);
  if (!literal.ok && !token.ok) {
    expect(token.message).toMatch(/a value that was a token at construction is refused once resolved at synthesis/);
    expect(literal.message).toMatch(reason);
    expect(token.message).toMatch(reason);
  }
}

const lazy = (v: string) => Lazy.string({ produce: () => v });

/** Account ids: mostly valid partners, sometimes the producer itself, a wildcard or malformed. */
const accounts = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9]{12}$/) },
  { weight: 1, arbitrary: fc.constantFrom(PRODUCER, '*', '12345', 'abcdefghijkl', '') },
);

/** Prefixes: folders, raw key names, and what no prefix may hold. */
const prefixes = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}\/$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom('*', '/lead/', 'a*/', 'x?/', '${aws:username}/', 'new\nline/') },
);

const organizations = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^o-[a-z0-9]{10}$/) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'o-short', 'O-ABCDEFGHIJ', '') },
);

const bucketNames = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,40}[a-z0-9]$/) },
  { weight: 1, arbitrary: fc.constantFrom('Upper', 'a', 'has_underscore', 'x'.repeat(64), '192.168.1.1', 'xn--label', 'dot..dot') },
);

const RUNS = { numRuns: 60 };

describe('tokens resolved at synthesis get the verdict of their literal value', () => {
  test('a partner account given to EncryptedBucket.shareWith', () => {
    fc.assert(
      fc.property(accounts, (account) => {
        const share = (value: string) => (_app: App, stack: Stack) => new EncryptedBucket(stack, 'Data').shareWith(Partner.account(value), AccessLevel.READ);
        agree(verdict(share(account)), verdict(share(lazy(account))), /account|Partner/);
      }),
      RUNS,
    );
  });

  test('a partner account given to CrossAccountSharedKey.grantPartner and to its partners prop', () => {
    fc.assert(
      fc.property(accounts, fc.boolean(), (account, viaProp) => {
        const grant = (value: string) => (_app: App, stack: Stack) => {
          if (viaProp) {
            new CrossAccountSharedKey(stack, 'Key', { partners: [{ partner: Partner.account(value), access: AccessLevel.READ }] });
          } else {
            new CrossAccountSharedKey(stack, 'Key').grantPartner(Partner.account(value), { access: AccessLevel.READ });
          }
        };
        agree(verdict(grant(account)), verdict(grant(lazy(account))), /account|Partner/);
      }),
      RUNS,
    );
  });

  test('an organization given to shareWith', () => {
    fc.assert(
      fc.property(organizations, (organization) => {
        const share = (value: string) => (_app: App, stack: Stack) => new EncryptedBucket(stack, 'Data').shareWith(Partner.organization(value), AccessLevel.READ);
        agree(verdict(share(organization)), verdict(share(lazy(organization))), /organization/);
      }),
      RUNS,
    );
  });

  test('a share prefix, as a folder or as a raw key-name prefix', () => {
    fc.assert(
      fc.property(prefixes, fc.constantFrom(PrefixMatch.FOLDER, PrefixMatch.KEY_NAME), (prefix, prefixMatch) => {
        const share = (value: string) => (_app: App, stack: Stack) =>
          new EncryptedBucket(stack, 'Data').shareWith(Partner.account('222222222222'), AccessLevel.READ, { prefix: value, prefixMatch });
        agree(verdict(share(prefix)), verdict(share(lazy(prefix))), /prefix/);
      }),
      RUNS,
    );
  });

  test('a bucket name', () => {
    fc.assert(
      fc.property(bucketNames, (name) => {
        const bucket = (value: string) => (_app: App, stack: Stack) => new EncryptedBucket(stack, 'Data', { bucketName: value });
        agree(verdict(bucket(name)), verdict(bucket(lazy(name))), /bucketName/);
      }),
      RUNS,
    );
  });

  test('an administrator ARN of VpcEndpointAccess', () => {
    const arns = fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,20}$/).map((n) => `arn:aws:iam::${PRODUCER}:role/${n}`) },
      { weight: 1, arbitrary: fc.constantFrom('*', `arn:aws:iam::${PRODUCER}:root`, 'arn:aws:iam::222222222222:role/Admin', 'arn:aws:iam::*:role/Admin', 'not-an-arn') },
    );
    fc.assert(
      fc.property(arns, (arn) => {
        const restrict = (value: string) => (_app: App, stack: Stack) => {
          const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
          new VpcEndpointAccess(stack, 'Private', { vpc, buckets: [new EncryptedBucket(stack, 'Data').bucket], administratorArns: [value] });
        };
        agree(verdict(restrict(arn)), verdict(restrict(lazy(arn))), /administrator/i);
      }),
      { numRuns: 25 },
    );
  });
});
