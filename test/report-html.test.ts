import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildDemoApp } from '../demo/app';
import { DataProtectionReport } from '../src';
import { query } from './support/jsdom';
import { htmlOf, inlineScript } from '../src/report/html';

describe('DataProtectionReport', () => {
  describe('HTML report', () => {
    let dir: string;
    let assembly: string;
    let reports: any[];

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-unit-'));
      assembly = path.join(dir, 'cdk.out');
      buildDemoApp(assembly).synth();
      reports = ['DataConsumer', 'DataProducer'].map((s) => JSON.parse(fs.readFileSync(path.join(assembly, `${s}${DataProtectionReport.JSON_SUFFIX}`), 'utf8')));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('writeHtml writes data-protection.html into the assembly directory by default, and returns its path', () => {
      const file = DataProtectionReport.writeHtml(assembly);
      expect(file).toBe(path.join(assembly, 'data-protection.html'));
      expect(fs.readFileSync(file, 'utf8')).toBe(DataProtectionReport.htmlIn(assembly));
    });

    test('one section per stack, in the order of the report files, each with its diagram', () => {
      const q = query(DataProtectionReport.htmlIn(assembly), { names: 'section.stack h2', diagrams: 'pre.mermaid', where: 'section.stack .where' });
      expect(q.names.map((h) => h.text)).toEqual(['DataConsumer', 'DataProducer']);
      expect(q.diagrams.map((p) => p.text)).toEqual(reports.map((r) => r.mermaid));
      expect(q.where[0].text).toBe('Stack DataConsumer in account 222222222222, Region eu-west-1 (cdk-data-protection/access-report@1)');
    });

    test("the stack table counts each stack's buckets, keys, partners and grants of other accounts' data", () => {
      const q = query(DataProtectionReport.htmlIn(assembly), { head: 'table.summary th', rows: 'table.summary tbody tr td' });
      expect(q.head.map((h) => h.text)).toEqual(['stack', 'account', 'Region', 'buckets', 'keys', 'partners', "access to other accounts' data"]);
      // DataConsumer: no bucket, key or partner of its own, one READ of the producer's bucket
      expect(q.rows.slice(0, 7).map((c) => c.text)).toEqual(['DataConsumer', '222222222222', 'eu-west-1', '0', '0', '0', '1']);
      expect(q.rows[13].text).toBe('0');
    });

    test('loads nothing: no URL in any attribute, no external script, style or font; mermaid is inlined', () => {
      const q = query(DataProtectionReport.htmlIn(assembly), {
        all: '*', embedded: 'link, iframe, object, embed, img, base', styles: 'style', scripts: 'script', csp: 'meta[http-equiv="Content-Security-Policy"]',
      });
      const attributes = q.all.flatMap((e) => Object.entries(e.attributes).map(([k, v]) => `${e.tag} ${k}=${v}`));
      expect(attributes.filter((a) => /\b(src|href|srcset|action|data|poster|background)=(?!#)/i.test(a))).toEqual([]);
      expect(q.embedded).toEqual([]);
      expect(q.styles.map((e) => e.text).join('')).not.toMatch(/@import|url\(/);
      expect(q.csp[0].attributes.content).toMatch(/^default-src 'none';/);
      expect(q.scripts.length).toBe(2);
      expect(q.scripts[0].text.length).toBeGreaterThan(1_000_000);
      expect(q.scripts[0].text).toContain('globalThis["mermaid"]');
      expect(q.scripts[1].text).toContain("securityLevel: 'strict'");
    });

    test('no text inside the inlined script can end the <script> element', () => {
      expect(inlineScript('a="</script>";b=/<!--x/;c=`<SCRIPT>`')).toBe('a="\\x3C/script>";b=/\\x3C!--x/;c=`\\x3CSCRIPT>`');
      // what the escaped text means in JavaScript is unchanged
      // eslint-disable-next-line no-eval
      expect(eval(`[${inlineScript('"</script>", /^<!--x$/.test("<!--x"), `<SCRIPT>`')}]`)).toEqual(['</script>', true, '<SCRIPT>']);
      const q = query(htmlOf(reports), { scripts: 'script', last: 'body > :last-child' });
      expect(q.scripts.length).toBe(2);
      expect(q.last[0].tag).toBe('script');
    });

    test('every text of the reports is escaped', () => {
      const evil = '<b id="x">&amp;"\'</script><script>alert(1)</script>';
      const r = JSON.parse(JSON.stringify(reports[1]));
      r.stack.name = evil;
      r.buckets[0].path = evil;
      r.buckets[0].partners[0].partner = evil;
      r.buckets[0].partners[0].conditions = [`${evil} (bucket policy DenyInsecureTransport)`];
      r.partners[0].iamPolicy.Statement[0].Resource = evil;
      r.mermaid = `flowchart LR\n  a["${evil}"]`;
      const q = query(htmlOf([r], { title: evil }), {
        title: 'title', h1: 'h1', h2: 'section.stack h2', diagram: 'pre.mermaid', injected: 'b, #x', scripts: 'script', condition: 'table.access ul.lines li',
      });
      expect(q.title[0].text).toBe(evil);
      expect(q.h1[0].text).toBe(evil);
      expect(q.h2[0].text).toBe(evil);
      expect(q.diagram[0].text).toBe(r.mermaid);
      expect(q.injected).toEqual([]);
      expect(q.scripts.length).toBe(2);
      expect(q.condition.map((c) => c.text)).toContain(`${evil} (bucket policy DenyInsecureTransport)`);
    });

    test('each condition is on a line of its own, and the Sid it cites links to the statement', () => {
      const share = reports[1].buckets[0].partners[0];
      // the rows: the owner account, its identity grants, then the partners
      const row = 2 + reports[1].buckets[0].ownerAccess.grants.length;
      const q = query(htmlOf(reports), {
        conditions: `#stack-DataProducer-bucket-ExchangeBucketACE697F0 table.access tbody tr:nth-child(${row}) td:nth-child(3) li`,
        statements: '.statement[id]',
      });
      expect(q.conditions.map((li) => li.text)).toEqual(share.conditions);
      const links = q.conditions.map((li) => li.links);
      expect(links[0]).toEqual(['#stack-DataProducer-ExchangeBucketACE697F0-DenyInsecureTransport']);
      expect(links[2]).toEqual([`#stack-DataProducer-ExchangeKeyE270015A-${share.keyPolicySid}`]);
      const sidOf = new Map(q.statements.map((e) => [`#${e.attributes.id}`, e.text.split(' ')[0]]));
      for (const [href] of links) {
        expect(sidOf.get(href)).toBe(href.split('-').pop());
      }
    });

    test('a bucket shows every property of the report, with a badge for each good or bad setting', () => {
      const rowsOf = (html: string) =>
        query(html, {
          names: '#stack-DataProducer-bucket-ExchangeBucketACE697F0 table.props th',
          good: '#stack-DataProducer-bucket-ExchangeBucketACE697F0 table.props tr:has(.badge.good) th',
          bad: '#stack-DataProducer-bucket-ExchangeBucketACE697F0 table.props tr:has(.badge.bad) th',
        });
      const q = rowsOf(htmlOf(reports));
      expect(q.names.map((e) => e.text)).toEqual([
        'logical id', 'managed by', 'name', 'encryption', 'key', 'key rotation', 'S3 Bucket Key', 'minimum TLS', 'SSE-C',
        'public access', 'object ownership', 'versioning', 'access logs', 'retained on stack deletion', 'network',
      ]);
      expect(q.good.map((e) => e.text)).toEqual([
        'encryption', 'key rotation', 'S3 Bucket Key', 'minimum TLS', 'SSE-C', 'public access', 'versioning', 'access logs', 'retained on stack deletion', 'network',
      ]);
      expect(q.bad).toEqual([]);
      const bad = JSON.parse(JSON.stringify(reports[1]));
      Object.assign(bad.buckets[0], { versioning: false, sseCBlocked: false, minimumTlsVersion: null, tlsRequired: false, keyRotationDays: 0 });
      expect(rowsOf(htmlOf([bad])).bad.map((e) => e.text)).toEqual(['key rotation', 'minimum TLS', 'SSE-C', 'versioning']);
    });

    test("a report with consumers gets the section \"Access to other accounts' data\", whose sentences link to the policy's Sids", () => {
      const r = JSON.parse(JSON.stringify(reports[0]));
      r.consumers = [
        {
          policy: 'ReaderPolicy1A2B3C',
          sids: ['SharedReadBucketAccess', 'SharedReadKeyUse'],
          attachedTo: ['${ReaderRole1234}'],
          grants: [
            {
              bucketArn: 'arn:aws:s3:::exchange-bucket',
              keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234',
              access: 'READ',
              prefix: null,
              allows: {
                identityPolicy: 'proven here (SharedReadBucketAccess, SharedReadKeyUse)',
                bucketPolicy: 'must be held by account 111111111111',
                keyPolicy: 'must be held by account 111111111111 <&>',
              },
            },
          ],
        },
      ];
      r.consumers[0].grants.push({ ...r.consumers[0].grants[0], access: 'WRITE', prefix: 'incoming/' });
      const q = query(htmlOf([r]), {
        h3: 'h3',
        h5: 'article.consumer h5',
        policy: 'article.consumer > table.props:not(.consumer-grant) td',
        grants: 'article.consumer table.consumer-grant',
        cells: 'article.consumer table.consumer-grant td',
        statements: 'article.consumer .statement[id]',
      });
      expect(q.h3.map((h) => h.text)).toContain("Access to other accounts' data");
      // one table per grant, a row per fact, the three allows numbered
      expect(q.grants).toHaveLength(2);
      expect(q.h5.map((h) => h.text)).toEqual(['READ access to arn:aws:s3:::exchange-bucket', 'WRITE access to arn:aws:s3:::exchange-bucket']);
      expect(q.cells.slice(0, 7).map((c) => c.text)).toEqual([
        'arn:aws:s3:::exchange-bucket', 'arn:aws:kms:eu-west-1:111111111111:key/1234', 'READ', 'the whole bucket',
        'proven here (SharedReadBucketAccess, SharedReadKeyUse)', 'must be held by account 111111111111', 'must be held by account 111111111111 <&>',
      ]);
      expect(q.cells[10].text).toBe('incoming/');
      expect(q.policy[0].text).toContain('${ReaderRole1234}');
      expect(q.cells[4].links).toEqual(['#stack-DataConsumer-policy-ReaderPolicy1A2B3C-SharedReadBucketAccess', '#stack-DataConsumer-policy-ReaderPolicy1A2B3C-SharedReadKeyUse']);
      expect(q.statements.map((e) => [e.attributes.id, e.text])).toEqual([
        ['stack-DataConsumer-policy-ReaderPolicy1A2B3C-SharedReadBucketAccess', 'SharedReadBucketAccess'],
        ['stack-DataConsumer-policy-ReaderPolicy1A2B3C-SharedReadKeyUse', 'SharedReadKeyUse'],
      ]);
    });

    test("the reference app's consumer links each owner allow to the producer stack's statement", () => {
      const q = query(DataProtectionReport.htmlIn(assembly), { cells: '#stack-DataConsumer table.consumer-grant td', ids: '[id]' });
      const ids = new Set(q.ids.map((e) => e.attributes.id));
      const [bucketPolicy, keyPolicy] = [q.cells[5], q.cells[6]];
      expect(bucketPolicy.text).toMatch(/^proven in stack DataProducer \(Sid PartnerReadAccounts\)$/);
      expect(bucketPolicy.links).toHaveLength(1);
      expect(bucketPolicy.links[0]).toMatch(/^#stack-DataProducer-/);
      expect(keyPolicy.links).toHaveLength(1);
      expect(keyPolicy.links[0]).toMatch(/^#stack-DataProducer-.*PartnerReadAccountsOn/);
      for (const link of [...bucketPolicy.links, ...keyPolicy.links]) expect(ids.has(link.slice(1))).toBe(true);
    });

    test('no such section when consumers is absent or empty', () => {
      const has = (r: any) => /Access to other accounts/.test(htmlOf([r]));
      const { consumers, ...without } = reports[0];
      expect(consumers.length).toBeGreaterThan(0);
      expect(has(reports[0])).toBe(true);
      expect(has(without)).toBe(false);
      expect(has({ ...reports[0], consumers: [] })).toBe(false);
    });

    test('ids stay unique when two stacks share a name', () => {
      const q = query(htmlOf([reports[1], reports[1]]), { ids: '[id]', links: 'a[href^="#"]' });
      const ids = q.ids.map((e) => e.attributes.id);
      expect(new Set(ids).size).toBe(ids.length);
      const hrefs = q.links.map((a) => a.attributes.href.slice(1));
      expect(hrefs.filter((h) => !ids.includes(h))).toEqual([]);
      expect(hrefs).toContain('stack-DataProducer-2-ExchangeBucketACE697F0-DenyInsecureTransport');
    });

    describe('fails', () => {
      test('fails if the directory holds no report, naming it', () => {
        const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
        expect(() => DataProtectionReport.htmlIn(empty)).toThrow(`htmlIn: no *.data-protection.json report in ${empty}.`);
        expect(() => DataProtectionReport.writeHtml(path.join(dir, 'missing'))).toThrow(`no *.data-protection.json report in ${path.join(dir, 'missing')}`);
        expect(fs.readdirSync(empty)).toEqual([]);
      });

      test('fails if a report is not of this schema, naming the file', () => {
        const other = fs.mkdtempSync(path.join(dir, 'other-'));
        fs.writeFileSync(path.join(other, 'Old.data-protection.json'), JSON.stringify({ schema: 'cdk-data-protection/access-report@0' }));
        expect(() => DataProtectionReport.htmlIn(other)).toThrow(
          `htmlIn: ${path.join(other, 'Old.data-protection.json')} is not a report of schema cdk-data-protection/access-report@1 (schema "cdk-data-protection/access-report@0")`,
        );
        fs.writeFileSync(path.join(other, 'Old.data-protection.json'), '{');
        expect(() => DataProtectionReport.htmlIn(other)).toThrow(/Old\.data-protection\.json is not valid JSON/);
      });

      test('fails if the directories are not strings', () => {
        expect(() => DataProtectionReport.htmlIn(42 as any)).toThrow('assemblyDirectory must be a string (the cloud assembly directory, e.g. app.synth().directory), got 42 (a number)');
        expect(() => DataProtectionReport.writeHtml(assembly, null as any)).toThrow('outputDirectory must be a string (a directory path), got null');
      });
    });
  });
});
