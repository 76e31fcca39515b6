/**
 * jsdom for the tests, in a child Node.js process: jsdom 30 loads ES modules
 * (`@exodus/bytes`) that Jest's module system cannot require on Node.js 22,
 * while plain `node` can. Questions and answers cross as JSON.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** What the child runs: `parse` (mermaid's own parser) or `query` (CSS selectors over a page, scripts not run). */
const CHILD = `
const fs = require('fs');
const { JSDOM } = require('jsdom');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
(async () => {
  if (input.command === 'parse') {
    const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { runScripts: 'dangerously', pretendToBeVisual: true });
    // a classic script, as a page loads it: its top-level var is the global mermaid needs
    const script = dom.window.document.createElement('script');
    script.textContent = fs.readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
    dom.window.document.body.appendChild(script);
    const out = [];
    for (const text of input.texts) {
      try {
        const r = await dom.window.mermaid.parse(text);
        out.push({ ok: true, diagramType: r.diagramType });
      } catch (e) {
        out.push({ ok: false, error: String((e && e.message) || e) });
      }
    }
    return out;
  }
  const doc = new JSDOM(input.html).window.document;
  const out = {};
  for (const [name, selector] of Object.entries(input.selectors)) {
    out[name] = Array.from(doc.querySelectorAll(selector)).map((e) => ({
      tag: e.tagName.toLowerCase(),
      text: e.textContent,
      attributes: Object.fromEntries(Array.from(e.attributes).map((a) => [a.name, a.value])),
      links: Array.from(e.querySelectorAll('a[href]')).map((a) => a.getAttribute('href')),
    }));
  }
  return out;
})().then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (e) => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); },
);
`;

function child(input: unknown): any {
  const run = spawnSync(process.execPath, ['-e', CHILD], { cwd: ROOT, input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    throw new Error(`jsdom child process failed (exit ${run.status}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

/** What mermaid's own parser (`mermaid.parse`) says of each diagram text. */
export interface MermaidParse {
  readonly ok: boolean;
  /** The diagram type detected, e.g. `flowchart-v2`, when it parses. */
  readonly diagramType?: string;
  /** The parser's message, when it does not. */
  readonly error?: string;
}

/** Parses each text with mermaid's browser build (node_modules/mermaid/dist/mermaid.min.js) in a jsdom window. */
export function mermaidParse(texts: string[]): MermaidParse[] {
  return child({ command: 'parse', texts });
}

/** An element a selector matched. */
export interface Found {
  readonly tag: string;
  readonly text: string;
  readonly attributes: Record<string, string>;
  /** The `href` of every link inside it. */
  readonly links: string[];
}

/** The elements each CSS selector matches in the page (its scripts are not run). */
export function query<K extends string>(html: string, selectors: Record<K, string>): Record<K, Found[]> {
  return child({ command: 'query', html, selectors });
}
