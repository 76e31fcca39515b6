/**
 * Writes docs/report.png, the README's picture of the HTML report: the
 * reference app (demo/app.ts) synthesized into a temporary directory, its
 * data-protection.html opened offline in headless Chromium, 1280 pixels wide,
 * from the title down through the producer stack's diagram and first bucket;
 * and docs/report-consumer.png, the consumer stack's section (its access to
 * the producer's data, with the three allows each read needs).
 *
 *   npx ts-node -P test/tsconfig.json test/support/screenshot-report.ts [<out.png> [<consumer.png>]]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { launchChromium } from './chromium';
import { buildDemoApp } from '../../demo/app';
import { DataProtectionReport } from '../../src';

const WIDTH = 1280;
const HEIGHT = 1800;

async function main(out: string, consumerOut: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-screenshot-'));
  const browser = await launchChromium();
  try {
    buildDemoApp(dir).synth();
    const file = DataProtectionReport.writeHtml(dir);
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort('blockedbyclient')));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
    const error = await page.getAttribute('body', 'data-error');
    if (error) throw new Error(`the report's diagrams did not render: ${error}`);
    // the consumer stack's section on its own, then the title and stack table followed by the producer stack
    fs.mkdirSync(path.dirname(consumerOut), { recursive: true });
    await (await page.$('#stack-DataConsumer'))!.screenshot({ path: consumerOut });
    console.log(`wrote ${path.relative(process.cwd(), consumerOut)} (${fs.statSync(consumerOut).size} bytes)`);
    const producer = await page.$eval('#stack-DataProducer', (e) => e.getBoundingClientRect().top + window.scrollY);
    await page.$eval('#stack-DataConsumer', (e) => e.setAttribute('hidden', ''));
    const top = await page.$eval('#stack-DataProducer', (e) => e.getBoundingClientRect().top + window.scrollY);
    if (!(top < producer)) throw new Error('could not fold the consumer stack away');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
    console.log(`wrote ${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const docs = path.join(__dirname, '..', '..', 'docs');
main(path.resolve(process.argv[2] ?? path.join(docs, 'report.png')), path.resolve(process.argv[3] ?? path.join(docs, 'report-consumer.png'))).catch((e) => {
  console.error(e);
  process.exit(1);
});
