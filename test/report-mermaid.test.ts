import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { buildDemoApp } from '../demo/app';
import { AccessLevel, CrossAccountSharedKey, DataProtectionReport, EncryptedBucket, Partner, PrefixMatch } from '../src';
import { mermaidParse } from './support/jsdom';
import { ENV, ORG, PARTNER, THIRD } from './support/stack';
import { mermaidOf } from '../src/report/mermaid';

/** Every diagram must parse with mermaid's own parser: a diagram that does not is drawn as an error box on GitHub and in the HTML report. */
function expectAllParse(diagrams: Record<string, string>): void {
  const names = Object.keys(diagrams);
  const results = mermaidParse(Object.values(diagrams));
  const failed = results.map((r, i) => ({ name: names[i], ...r, diagram: diagrams[names[i]] })).filter((r) => !r.ok);
  expect(failed).toEqual([]);
  expect(results.map((r) => r.diagramType)).toEqual(names.map(() => 'flowchart-v2'));
}

function reportsOf(app: App): Record<string, any> {
  const dir = app.synth().directory;
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(DataProtectionReport.JSON_SUFFIX))
      .sort()
      .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))]),
  );
}

/** Construct ids may hold any character but `/`: these reach the diagram as bucket and key labels. */
const ODD = 'Odd "quoted" [bracket] (paren) {brace} <angle> & #35; `tick` | pipe; end --> x';

describe('DataProtectionReport', () => {
  describe('Mermaid diagram (parsed by mermaid itself)', () => {
    let tmp: string;
    beforeAll(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-mermaid-'));
    });
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    test('the demo app: every stack', () => {
      const reports = reportsOf(buildDemoApp(path.join(tmp, 'demo')));
      expect(Object.keys(reports)).toEqual(['DataConsumer.data-protection.json', 'DataProducer.data-protection.json']);
      expectAllParse(Object.fromEntries(Object.entries(reports).map(([f, r]) => [f, r.mermaid])));
    });

    test('a stack with many partners of every kind, prefixes, an organization path and a token account', () => {
      const app = new App({ outdir: path.join(tmp, 'many') });
      const stack = new Stack(app, 'Many', { env: ENV });
      const key = new CrossAccountSharedKey(stack, 'Key');
      const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: key.key });
      const accounts = ['222222222222', '333333333333', '444444444444', '555555555555', '666666666666', '777777777777'];
      accounts.forEach((a, i) => bucket.shareWith(Partner.account(a), [AccessLevel.READ, AccessLevel.WRITE, AccessLevel.READ_WRITE][i % 3], i % 2 ? { prefix: `team-${i}/` } : {}));
      bucket.shareWith(Partner.principals([`arn:aws:iam::${THIRD}:role/path/with.dots/ingest-role`]), AccessLevel.WRITE, { prefix: 'raw data (v2)/', prefixMatch: PrefixMatch.FOLDER });
      bucket.shareWith(Partner.organization(ORG), AccessLevel.READ, { prefix: 'public-ish', prefixMatch: PrefixMatch.KEY_NAME });
      bucket.shareWith(Partner.organizationPaths([`${ORG}/r-ab12/ou-ab12-11111111/`, `${ORG}/r-ab12/ou-ab12-22222222/ou-ab12-33333333/`]), AccessLevel.READ);
      const tokenAccount = new CfnParameter(stack, 'PartnerAccount', { type: 'String' }).valueAsString;
      bucket.shareWith(Partner.account(tokenAccount), AccessLevel.READ, { prefix: 'by-parameter/' });
      const report = DataProtectionReport.of(stack).toJson();
      expect(report.partners.length).toBe(accounts.length + 4);
      expect(report.mermaid).toContain('${PartnerAccount}');
      expect(report.mermaid).toContain(`${ORG}/r-ab12/ou-ab12-22222222/ou-ab12-33333333/`);
      expectAllParse({ many: report.mermaid });
    });

    test('buckets and keys whose construct paths hold quotes, brackets, braces, angles, entities, backticks and arrows', () => {
      const app = new App({ outdir: path.join(tmp, 'odd') });
      const stack = new Stack(app, 'OddNames', { env: ENV });
      const group = new Construct(stack, `${ODD} group`);
      const key = new CrossAccountSharedKey(group, `${ODD} key`);
      const bucket = new EncryptedBucket(group, ODD, { encryptionKey: key.key });
      bucket.shareWith(Partner.account(PARTNER), AccessLevel.READ_WRITE, { prefix: 'a&b <c>/' });
      bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
      const agnostic = new Stack(app, 'Agnostic');
      new EncryptedBucket(agnostic, '`starts with a tick`');
      const reports = reportsOf(app);
      expect(reports['OddNames.data-protection.json'].mermaid).toContain('[bracket]');
      expectAllParse(Object.fromEntries(Object.entries(reports).map(([f, r]) => [f, r.mermaid])));
    });

    test('any label the model can carry: partner names with quotes, brackets, ${Token} text, organization paths, newlines', () => {
      const labels = [
        'account 222222222222',
        'he said "hi" [and] {left} (fast) <b>&amp;</b>',
        '${Token[TOKEN.123]} and ${PartnerAccount.Value}',
        `organization paths ${ORG}/r-ab12/ou-ab12-11111111/, ${ORG}/r-ab12/*`,
        '`a backtick first`',
        '`quoted` then text',
        'a #quot; entity #35; and a # alone; end',
        'two\nlines',
        '--> arrow -.-> dotted ==> thick ---o circle',
        'end',
      ];
      const report = {
        stack: { account: '${AWS::AccountId}' },
        buckets: [
          {
            logicalId: 'DataBucket1234',
            path: 'S/"Data" [1]',
            encryption: 'SSE-KMS',
            minimumTlsVersion: null,
            tlsRequired: true,
            keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/"odd"',
            keyManagedInStack: false,
            bucketKey: true,
            network: { s3EndpointIds: ['${Endpoint "x"}', 'vpce-0123456789abcdef0'] },
          },
        ],
        keys: [{ logicalId: 'Key1234', path: 'S/Key {1} <2>', rotationDays: 365 }],
        partners: labels.map((partner, i) => ({
          partner,
          grants: [{ bucket: 'S/"Data" [1]', keyArn: '${Key1234.Arn}', access: i % 2 ? AccessLevel.READ : AccessLevel.WRITE, prefix: i % 3 ? null : `p "${i}" [x]/` }],
        })),
      };
      expectAllParse({ synthetic: mermaidOf(report) });
    });

    test('the check itself fails on a broken diagram', () => {
      const results = mermaidParse(['flowchart LR\n  a[("unclosed"] --> b', 'flowchart LR\n  a["x"] -- "open label --> b', 'flowchart LR\n  a["ok"] --> b']);
      expect(results.map((r) => r.ok)).toEqual([false, false, true]);
      expect(results[0].error).toMatch(/error/i);
    });
  });
});
