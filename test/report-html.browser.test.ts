import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, Page } from 'playwright-core';
import { buildDemoApp } from '../demo/app';
import { DataProtectionReport } from '../src';
import { launchChromium } from './support/chromium';
import { mermaidOf } from '../src/report/mermaid';

jest.setTimeout(120_000);

/** What a page did while it loaded and drew its diagrams. */
interface Visit {
  readonly page: Page;
  /** Every request to anything but a `file:` URL (each one is aborted). */
  readonly networkRequests: string[];
  /** Console messages of type error, and uncaught page errors. */
  readonly errors: string[];
}

async function visit(browser: Browser, file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const networkRequests: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    networkRequests.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
  return { page, networkRequests, errors };
}

describe('DataProtectionReport', () => {
  describe('HTML report in a browser (Chromium, headless, offline)', () => {
    let dir: string;
    let file: string;
    let browser: Browser;
    let demo: Visit;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-'));
      buildDemoApp(path.join(dir, 'cdk.out')).synth();
      file = DataProtectionReport.writeHtml(path.join(dir, 'cdk.out'), path.join(dir, 'site'));
      browser = await launchChromium();
      demo = await visit(browser, file);
    });

    afterAll(async () => {
      await browser?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('writes data-protection.html in the output directory', () => {
      expect(file).toBe(path.join(dir, 'site', DataProtectionReport.HTML_FILE_NAME));
    });

    test('loads nothing from the network and logs no error', () => {
      expect(demo.networkRequests).toEqual([]);
      expect(demo.errors).toEqual([]);
      expect(demo.page.url()).toMatch(/^file:/);
    });

    test('draws every diagram as an SVG, with no diagram in error', async () => {
      const page = demo.page;
      expect(await page.getAttribute('body', 'data-error')).toBeNull();
      const diagrams = await page.$$eval('pre.mermaid', (els) =>
        els.map((e) => ({ stack: e.getAttribute('data-stack'), error: e.getAttribute('data-error'), svg: !!e.querySelector(':scope > svg') })),
      );
      expect(diagrams).toEqual([
        { stack: 'DataConsumer', error: null, svg: true },
        { stack: 'DataProducer', error: null, svg: true },
      ]);
    });

    test('the producer diagram shows the owner account, the bucket, the key, the endpoint and both partners', async () => {
      const labels = await demo.page.$eval('pre.mermaid[data-stack="DataProducer"] > svg', (svg) =>
        Array.from(svg.querySelectorAll('g.node')).map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim()),
      );
      const expected = [
        'owner account 111111111111',
        'DataProducer/Exchange/Bucket',
        'DataProducer/Exchange/AccessLogs',
        'DataProducer/ExchangeKey',
        'S3 endpoint ${EndpointsS3EndpointB61BADA6}',
        'account 222222222222',
        'arn:aws:iam::333333333333:role/ingest (account 333333333333)',
      ];
      for (const label of expected) {
        expect(labels.some((l) => l.includes(label))).toBe(true);
      }
      const edges = await demo.page.$eval('pre.mermaid[data-stack="DataProducer"] > svg', (svg) =>
        Array.from(svg.querySelectorAll('.edgeLabel')).map((n) => (n.textContent ?? '').trim()).filter((t) => t !== ''),
      );
      expect(edges).toEqual(expect.arrayContaining(['READ, TLS ≥ 1.2', 'WRITE incoming/*, TLS ≥ 1.2', 'kms:Decrypt via S3 only']));
    });

    test('every statement Sid has an anchor, and every link to a Sid resolves to one', async () => {
      const { anchors, links } = await demo.page.evaluate(() => ({
        anchors: Array.from(document.querySelectorAll('.statement[id]')).map((e) => ({ id: e.id, sid: e.querySelector('code')?.textContent })),
        links: Array.from(document.querySelectorAll('a[href^="#"]')).map((a) => ({
          href: a.getAttribute('href')!,
          text: a.textContent,
          target: document.getElementById(a.getAttribute('href')!.slice(1))?.querySelector('code')?.textContent ?? null,
          resolves: document.getElementById(a.getAttribute('href')!.slice(1)) !== null,
        })),
      }));
      const producer = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'DataProducer.data-protection.json'), 'utf8'));
      const sids = new Set<string>([
        ...producer.buckets.flatMap((b: any) => b.bucketPolicySids),
        ...producer.keys.flatMap((k: any) => [...k.administrators, ...k.partners].map((s: any) => s.sid)),
        // other allows of a key policy (the services KeyMonitoring's topic key admits): users named by their statement
        ...producer.keys.flatMap((k: any) => k.users.map((u: any) => /^key policy (\S+)$/.exec(u.policy ?? '')?.[1]).filter((x: any) => x !== undefined)),
        ...producer.partners.flatMap((p: any) => p.iamPolicy.Statement.map((s: any) => s.Sid)),
      ]);
      expect(sids.size).toBeGreaterThan(5);
      expect(new Set(anchors.map((a) => a.sid))).toEqual(sids);
      expect(new Set(anchors.map((a) => a.id)).size).toBe(anchors.length);
      expect(links.filter((l) => !l.resolves)).toEqual([]);
      // a link to a Sid lands on that Sid
      const sidLinks = links.filter((l) => l.text && sids.has(l.text));
      expect(sidLinks.length).toBeGreaterThan(10);
      expect(sidLinks.filter((l) => l.target !== l.text)).toEqual([]);
      // every statement a share condition cites is a link
      expect(sidLinks.map((l) => l.text)).toEqual(expect.arrayContaining(['DenyInsecureTransport', 'DenyTlsBelow12', 'PartnerReadAccountsOnDataProducerExchangeBucket6F5C0536']));
    });

    test('shows each condition on its own line', async () => {
      const conditionLines = await demo.page.$$eval('table.access ul.lines li', (els) => els.map((e) => e.textContent ?? ''));
      expect(conditionLines).toContain('aws:SecureTransport = true (bucket policy DenyInsecureTransport)');
      expect(conditionLines).toContain('StringEquals kms:CallerAccount = 222222222222 (key policy PartnerReadAccountsOnDataProducerExchangeBucket6F5C0536)');
      expect(conditionLines.filter((l) => (l.match(/\((bucket|key) policy /g) ?? []).length > 1)).toEqual([]);
    });

    test('takes a full-page screenshot (a PNG of the whole report)', async () => {
      const shot = path.join(dir, 'report.png');
      await demo.page.screenshot({ path: shot, fullPage: true });
      const png = fs.readFileSync(shot);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const width = png.readUInt32BE(16);
      const height = png.readUInt32BE(20);
      expect(width).toBe(1280);
      expect(height).toBeGreaterThan(1500);
      expect(png.length).toBeGreaterThan(50_000);
    });

    test('a diagram that mermaid cannot draw is marked data-error, on it and on <body>', async () => {
      const broken = path.join(dir, 'broken');
      fs.mkdirSync(broken);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'DataProducer.data-protection.json'), 'utf8'));
      fs.writeFileSync(path.join(broken, 'Broken.data-protection.json'), JSON.stringify({ ...report, mermaid: 'flowchart LR\n  a[("unclosed"] --> ' }));
      const v = await visit(browser, DataProtectionReport.writeHtml(broken));
      try {
        expect(await v.page.getAttribute('body', 'data-error')).toMatch(/1 diagram/);
        expect(await v.page.getAttribute('pre.mermaid', 'data-error')).toBeTruthy();
        expect(v.networkRequests).toEqual([]);
      } finally {
        await v.page.close();
      }
    });

    test('text from the reports is escaped, not markup', async () => {
      const odd = path.join(dir, 'odd');
      fs.mkdirSync(odd);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'DataProducer.data-protection.json'), 'utf8'));
      const evil = '<img src=x onerror="window.__pwned=1">&amp;"\'</script>';
      report.stack.name = evil;
      report.buckets[0].partners[0].conditions.push(`${evil} (bucket policy DenyInsecureTransport)`);
      const oddLabel = '`ticked` "q" [b] {c} <i>&amp;</i> #35; # end';
      report.partners[0].partner = oddLabel;
      report.mermaid = mermaidOf(report);
      fs.writeFileSync(path.join(odd, 'Odd.data-protection.json'), JSON.stringify(report));
      const v = await visit(browser, DataProtectionReport.writeHtml(odd));
      try {
        expect(await v.page.evaluate(() => (window as any).__pwned)).toBeUndefined();
        expect(await v.page.$$('main img')).toEqual([]);
        expect(await v.page.textContent('section.stack h2')).toBe(evil);
        expect(await v.page.$$eval('table.access ul.lines li', (els) => els.map((e) => e.textContent))).toContain(`${evil} (bucket policy DenyInsecureTransport)`);
        // the diagram shows the label as written, not as markup or entities
        const labels = await v.page.$$eval('pre.mermaid > svg g.node', (nodes) => nodes.map((n) => (n.textContent ?? '').trim()));
        expect(labels).toContain(oddLabel);
        expect(await v.page.$$('pre.mermaid > svg i')).toEqual([]);
        expect(v.errors).toEqual([]);
      } finally {
        await v.page.close();
      }
    });
  });
});
