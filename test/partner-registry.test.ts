import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLevel, CrossAccountSharedKey, DataProtectionReport, EncryptedBucket, Partner, PartnerKind, PartnerRegistry, PrefixMatch } from '../src';
import { ORG, PARTNER, PRODUCER, producerStack, THIRD } from './support';

const READER = `arn:aws:iam::${THIRD}:role/Reader`;
const PATH = `${ORG}/r-ab12/ou-ab12-11111111/`;

/** The registry of the issue, in YAML: one entry of each kind. */
const YAML = `# partners of the exchange bucket, reviewed by the platform team
partners:
  - account: ${PARTNER}
    access: READ
    prefix: published/
    note: Analytics (TICKET-12)
  - organization: ${ORG}
    access: READ
  - organizationPaths: [${PATH}]
    access: READ
  - principals:
      - ${READER}
    access: READ_WRITE
`;

/** The same registry in JSON. */
const JSON_TEXT = JSON.stringify(
  {
    partners: [
      { account: PARTNER, access: 'READ', prefix: 'published/', note: 'Analytics (TICKET-12)' },
      { organization: ORG, access: 'READ' },
      { organizationPaths: [PATH], access: 'READ' },
      { principals: [READER], access: 'READ_WRITE' },
    ],
  },
  undefined,
  2,
);

/** The message of the error `f` throws (fails if it throws none). */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}

/** The problem lines of a registry error: `<source> line N (<where>): <message>`. */
function problems(message: string): string[] {
  return message.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
}

/** A temporary directory for registry files, removed after the tests. */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function fileWith(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The bucket and key policies of a bucket `Data` shared by `share`. */
function policiesOf(share: (bucket: EncryptedBucket) => void): { bucket: unknown; key: unknown; template: Template } {
  const { stack } = producerStack();
  const bucket = new EncryptedBucket(stack, 'Data');
  share(bucket);
  const template = Template.fromStack(stack);
  const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0] as any;
  const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as any;
  return { bucket: policy.Properties.PolicyDocument, key: key.Properties.KeyPolicy, template };
}

describe('PartnerRegistry', () => {
  describe('reading', () => {
    test('fromYaml reads every kind of entry, with its access, prefix, note and line', () => {
      const registry = PartnerRegistry.fromYaml(YAML, 'partners.yaml');
      expect(registry.source).toBe('partners.yaml');
      expect(registry.entries.map((e) => [e.partner.kind, e.access, e.prefix, e.note, e.line, e.index])).toEqual([
        [PartnerKind.ACCOUNT, AccessLevel.READ, 'published/', 'Analytics (TICKET-12)', 3, 0],
        [PartnerKind.ORGANIZATION, AccessLevel.READ, undefined, undefined, 7, 1],
        [PartnerKind.ORGANIZATION_PATHS, AccessLevel.READ, undefined, undefined, 9, 2],
        [PartnerKind.PRINCIPALS, AccessLevel.READ_WRITE, undefined, undefined, 11, 3],
      ]);
      expect(registry.entries[0].partner.accountId).toBe(PARTNER);
      expect(registry.entries[2].partner.principalOrgPaths).toEqual([PATH]);
      expect(registry.entries[3].partner.principalArns).toEqual([READER]);
    });

    test('fromJson reads the same registry as the YAML one', () => {
      const json = PartnerRegistry.fromJson(JSON_TEXT);
      const yaml = PartnerRegistry.fromYaml(YAML);
      expect(json.source).toBe('(JSON text)');
      const read = (r: PartnerRegistry) => r.entries.map((e) => [e.partner._identity(), e.access, e.prefix, e.note]);
      expect(read(json)).toEqual(read(yaml));
      expect(json.entries.map((e) => e.line)).toEqual([3, 9, 13, 19]);
    });

    test('a YAML account id needs no quotes and keeps its leading zero', () => {
      const registry = PartnerRegistry.fromYaml('partners:\n  - account: 012345678901\n    access: WRITE\n    prefix: incoming\n    prefixMatch: KEY_NAME\n');
      expect(registry.entries[0].partner.accountId).toBe('012345678901');
      expect(registry.entries[0].prefixMatch).toBe(PrefixMatch.KEY_NAME);
    });

    test('fromFile reads JSON by the .json extension and YAML by .yaml, naming the file in messages', () => {
      expect(PartnerRegistry.fromFile(fileWith('partners.json', JSON_TEXT)).entries).toHaveLength(4);
      const yaml = fileWith('partners.yaml', YAML);
      expect(PartnerRegistry.fromFile(yaml).entries[3].line).toBe(11);
      const bad = fileWith('bad.yml', 'partners:\n  - account: "1"\n    access: READ\n');
      expect(errorOf(() => PartnerRegistry.fromFile(bad))).toContain(`${bad} line 2 (partners[0].account): must be a 12-digit AWS account id, got "1"`);
    });

    test('fromFile names a file under the working directory by its relative path', () => {
      const dir = fs.mkdtempSync(path.join(process.cwd(), '.registry-test-'));
      dirs.push(dir);
      const file = path.join(dir, 'partners.yaml');
      fs.writeFileSync(file, YAML);
      expect(PartnerRegistry.fromFile(file).source).toBe(`${path.basename(dir)}/partners.yaml`);
    });
  });

  describe('bad registries', () => {
    test('case R01: a file with several bad entries reports all of them, each with its line, in one error', () => {
      const file = `partners:
  - account: "${PARTNER}"
    access: READ
  - account: "12345"
    access: READ
  - organization: o-A1
    access: READ
  - account: "${THIRD}"
    access: read
  - principals: ["arn:aws:iam::${THIRD}:role/a", "arn:aws:iam::${PARTNER}:role/b"]
    access: WRITE
  - organizationPaths: ["${ORG}/ou-nope"]
    access: READ
`;
      const message = errorOf(() => PartnerRegistry.fromYaml(file, 'partner-registry.yaml'));
      expect(message).toMatch(/^The partner registry partner-registry\.yaml has 5 problems/);
      expect(problems(message)).toEqual([
        'partner-registry.yaml line 4 (partners[1].account): must be a 12-digit AWS account id, got "12345"',
        expect.stringMatching(/^partner-registry\.yaml line 6 \(partners\[2\]\.organization\): must be an AWS Organizations id such as o-a1b2c3d4e5 .*, got "o-A1"$/),
        'partner-registry.yaml line 9 (partners[3].access): must be one of READ, WRITE, READ_WRITE, got "read" (written exactly so: READ)',
        expect.stringMatching(/^partner-registry\.yaml line 10 \(partners\[4\]\.principals\): must name principals of one account, got accounts 333333333333, 222222222222/),
        expect.stringMatching(/^partner-registry\.yaml line 12 \(partners\[5\]\.organizationPaths\[0\]\): must be an organizational unit path/),
      ]);
    });

    test('fails naming an unknown key, with the key it is close to', () => {
      const message = errorOf(() => PartnerRegistry.fromYaml(`partners:\n  - acount: "${PARTNER}"\n    access: READ\n    notes: x\n`));
      expect(problems(message)).toEqual([
        '(YAML text) line 2 (partners[0]): names no partner: give exactly one of account, organization, organizationPaths, principals',
        expect.stringMatching(/^\(YAML text\) line 2 \(partners\[0\]\.acount\): unknown key "acount" \(did you mean "account"\?\): an entry takes account, /),
        expect.stringMatching(/^\(YAML text\) line 4 \(partners\[0\]\.notes\): unknown key "notes" \(did you mean "note"\?\)/),
      ]);
      expect(problems(errorOf(() => PartnerRegistry.fromJson('{"partners": [], "version": 1}')))).toEqual([
        '(JSON text) line 1 (version): unknown key "version": a registry holds only partners',
      ]);
    });

    test('fails if an entry names two kinds of partner', () => {
      const message = errorOf(() => PartnerRegistry.fromJson(JSON.stringify({ partners: [{ account: PARTNER, organization: ORG, access: 'READ' }] })));
      expect(problems(message)).toEqual([
        '(JSON text) line 1 (partners[0]): names 2 kinds of partner (account and organization): an entry names exactly one; split it into one entry per kind',
      ]);
    });

    test('fails on a bad or missing access level', () => {
      const message = errorOf(() => PartnerRegistry.fromYaml(`partners:\n  - account: "${PARTNER}"\n    access: FULL\n  - account: "${THIRD}"\n`));
      expect(problems(message)).toEqual([
        '(YAML text) line 3 (partners[0].access): must be one of READ, WRITE, READ_WRITE, got "FULL"',
        '(YAML text) line 4 (partners[1]): has no "access": give access: READ, WRITE or READ_WRITE',
      ]);
    });

    test('fails without partners', () => {
      expect(problems(errorOf(() => PartnerRegistry.fromJson('{}')))).toEqual([
        '(JSON text) line 1 (the document): has no "partners": a registry is { "partners": [ ... ] } (partners: followed by a list, in YAML)',
      ]);
      expect(problems(errorOf(() => PartnerRegistry.fromYaml('')))).toEqual([expect.stringMatching(/^\(YAML text\) line 1 \(the document\): must be an object \{ "partners"/)]);
      expect(problems(errorOf(() => PartnerRegistry.fromYaml('partners: none\n')))).toEqual(['(YAML text) line 1 (partners): must be a list of partner entries, got "none"']);
    });

    test('fails on malformed JSON with the line the parser stopped at', () => {
      const text = `{\n  "partners": [\n    { "account": "${PARTNER}", "access": "READ" },\n  ]\n}\n`;
      expect(problems(errorOf(() => PartnerRegistry.fromJson(text, 'partners.json')))).toEqual([expect.stringMatching(/^partners\.json line 4: not valid JSON: /)]);
      expect(problems(errorOf(() => PartnerRegistry.fromJson('{\n"partners": [\n{"account": 222222222222, "access": "READ"}]}')))).toEqual([
        '(JSON text) line 3 (partners[0].account): must be a 12-digit AWS account id, got 222222222222 (a string: "222222222222")',
      ]);
    });

    test('fails on malformed YAML with the line of the parser, and on a key given twice', () => {
      expect(problems(errorOf(() => PartnerRegistry.fromYaml('partners:\n  - account: "1"\n   access: READ\n')))).toEqual([expect.stringMatching(/^\(YAML text\) line 3: not valid YAML: /)]);
      expect(problems(errorOf(() => PartnerRegistry.fromYaml(`partners:\n  - account: "${PARTNER}"\n    access: READ\n    access: WRITE\n`)))).toEqual([
        expect.stringMatching(/^\(YAML text\) line 4: not valid YAML: Map keys must be unique/),
      ]);
    });

    test('fails naming the path of a file that does not exist', () => {
      const message = errorOf(() => PartnerRegistry.fromFile('config/no-such-partners.yaml'));
      expect(message).toContain('there is no file "config/no-such-partners.yaml"');
      expect(message).toContain(path.resolve('config/no-such-partners.yaml'));
    });

    test('fails on a prefix a share would refuse, and on prefixMatch without a prefix', () => {
      const message = errorOf(() => PartnerRegistry.fromYaml(`partners:\n  - account: "${PARTNER}"\n    access: READ\n    prefix: published\n  - account: "${THIRD}"\n    access: READ\n    prefixMatch: KEY_NAME\n`));
      expect(problems(message)).toEqual([
        expect.stringMatching(/^\(YAML text\) line 4 \(partners\[0\]\.prefix\): "published" does not end with '\/'.*prefixMatch: KEY_NAME/),
        '(YAML text) line 7 (partners[1].prefixMatch): is given without a prefix: give the prefix it applies to, or remove it',
      ]);
    });

    test('fails if the same partner has two access levels under one prefix, naming both lines', () => {
      const message = errorOf(() =>
        PartnerRegistry.fromYaml(`partners:\n  - account: "${PARTNER}"\n    access: READ\n    prefix: a/\n  - account: "${PARTNER}"\n    access: WRITE\n    prefix: b/\n  - account: "${PARTNER}"\n    access: WRITE\n    prefix: a/\n  - account: "${PARTNER}"\n    access: WRITE\n    prefix: b/\n`),
      );
      expect(problems(message)).toEqual([
        '(YAML text) line 8 (partners[2]): gives account 222222222222 WRITE under a/, and partners[0] (line 2) gives it READ: one entry per partner and prefix; keep one, with the access it needs (READ_WRITE for both)',
        '(YAML text) line 11 (partners[3]): repeats partners[1] (line 5): account 222222222222 with WRITE under b/ is already there; remove one of them',
      ]);
    });

    test('docs/partner-registry.schema.json is the schema the registry is validated with', () => {
      const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'partner-registry.schema.json'), 'utf8'));
      expect(file).toEqual(PartnerRegistry._schema());
    });
  });

  describe('EncryptedBucket.shareWithRegistry', () => {
    test('writes the statements shareWith writes for the same partners, merged the same way', () => {
      const byRegistry = policiesOf((b) => b.shareWithRegistry(PartnerRegistry.fromYaml(YAML)));
      const byHand = policiesOf((b) => {
        b.shareWith(Partner.account(PARTNER), AccessLevel.READ, { prefix: 'published/' });
        b.shareWith(Partner.organization(ORG), AccessLevel.READ);
        b.shareWith(Partner.organizationPaths([PATH]), AccessLevel.READ);
        b.shareWith(Partner.principals([READER]), AccessLevel.READ_WRITE);
      });
      expect(byRegistry.bucket).toEqual(byHand.bucket);
      expect(byRegistry.key).toEqual(byHand.key);
      byRegistry.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: Match.stringLikeRegexp('^PartnerReadAccountsPrefix'), Effect: 'Allow', Action: Match.arrayWith(['s3:GetObject']) }),
            Match.objectLike({ Sid: 'PartnerReadOrganizations', Effect: 'Allow', Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'aws:PrincipalOrgID': ORG }) }) }),
            Match.objectLike({ Sid: 'PartnerReadWritePrincipals', Effect: 'Allow', Action: Match.arrayWith(['s3:GetObject', 's3:PutObject']) }),
          ]),
        },
      });
    });

    test('entries with the same access and prefix join the statement of a partner typed into code', () => {
      const { template } = policiesOf((b) => {
        b.shareWith(Partner.account('444444444444'), AccessLevel.READ);
        b.shareWithRegistry(PartnerRegistry.fromJson(JSON.stringify({ partners: [{ account: PARTNER, access: 'READ' }, { account: THIRD, access: 'READ' }] })));
      });
      const statements = (Object.values(template.findResources('AWS::S3::BucketPolicy'))[0] as any).Properties.PolicyDocument.Statement;
      const reads = statements.filter((s: any) => s.Sid === 'PartnerReadAccounts');
      expect(reads).toHaveLength(1);
      expect(JSON.stringify(reads[0])).toContain('444444444444');
      expect(JSON.stringify(reads[0])).toContain(PARTNER);
      expect(JSON.stringify(reads[0])).toContain(THIRD);
    });

    test('fails listing every entry that names the bucket\'s own account, with its line', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      const registry = PartnerRegistry.fromYaml(`partners:\n  - account: "${PRODUCER}"\n    access: READ\n  - account: "${PARTNER}"\n    access: READ\n  - principals: ["arn:aws:iam::${PRODUCER}:role/x"]\n    access: WRITE\n`, 'p.yaml');
      const message = errorOf(() => bucket.shareWithRegistry(registry));
      expect(message).toMatch(/^shareWithRegistry\(p\.yaml\) on Producer\/Data: 2 entries cannot be shared:/);
      expect(problems(message)).toEqual([expect.stringMatching(/^p\.yaml line 2 \(partners\[0\]\): /), expect.stringMatching(/^p\.yaml line 6 \(partners\[2\]\): /)]);
    });
  });

  describe('CrossAccountSharedKey.grantRegistry', () => {
    test('grants each entry its access on the key, as grantPartner does', () => {
      const keyPolicy = (grant: (key: CrossAccountSharedKey) => void) => {
        const { stack } = producerStack();
        const key = new CrossAccountSharedKey(stack, 'Key');
        grant(key);
        const template = Template.fromStack(stack);
        return { template, policy: (Object.values(template.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy };
      };
      const registry = PartnerRegistry.fromJson(JSON.stringify({ partners: [{ account: PARTNER, access: 'READ' }, { account: THIRD, access: 'WRITE', prefix: 'in/' }] }));
      const byRegistry = keyPolicy((k) => k.grantRegistry(registry));
      const byHand = keyPolicy((k) => {
        k.grantPartner(Partner.account(PARTNER), { access: AccessLevel.READ });
        k.grantPartner(Partner.account(THIRD), { access: AccessLevel.WRITE });
      });
      expect(byRegistry.policy).toEqual(byHand.policy);
      byRegistry.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: Match.stringLikeRegexp('^PartnerReadAccounts'), Action: ['kms:Decrypt', 'kms:DescribeKey'] })]) },
      });
    });

    test('fails naming an entry that is the key\'s own account', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const message = errorOf(() => key.grantRegistry(PartnerRegistry.fromYaml(`partners:\n  - account: "${PRODUCER}"\n    access: READ\n`)));
      expect(problems(message)).toEqual([expect.stringMatching(/^\(YAML text\) line 2 \(partners\[0\]\): /)]);
    });
  });

  describe('the access report', () => {
    test('names the registry entry (file, line, note) behind each share and statement', () => {
      const { stack } = producerStack();
      const bucket = new EncryptedBucket(stack, 'Data');
      bucket.shareWithRegistry(PartnerRegistry.fromYaml(YAML, 'partners.yaml'));
      bucket.shareWith(Partner.account('444444444444'), AccessLevel.WRITE);
      const report = DataProtectionReport.of(stack).toJson();
      const shares = report.buckets[0].partners;
      const analytics = shares.find((p: any) => p.partner === `account ${PARTNER}`);
      expect(analytics.registryEntries).toEqual([{ file: 'partners.yaml', line: 3, entry: 'partners[0]', note: 'Analytics (TICKET-12)' }]);
      expect(shares.find((p: any) => p.partner === 'account 444444444444').registryEntries).toEqual([]);
      const keyRead = report.keys[0].partners.find((p: any) => p.partners.includes(`account ${PARTNER}`));
      expect(keyRead.registryEntries).toEqual(expect.arrayContaining([{ file: 'partners.yaml', line: 3, entry: 'partners[0]', note: 'Analytics (TICKET-12)' }]));
      const partner = report.partners.find((p: any) => p.partner === `organization ${ORG}`);
      expect(partner.grants[0].registryEntries).toEqual([{ file: 'partners.yaml', line: 7, entry: 'partners[1]', note: null }]);
      const md = DataProtectionReport.of(stack).toMarkdown();
      expect(md).toContain('(registry `partners.yaml line 3`: Analytics (TICKET-12))');
    });
  });
});
