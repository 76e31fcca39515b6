/**
 * The access report of a whole app for people, as one HTML page
 * (`data-protection.html`): every stack's report, its diagram drawn by the
 * mermaid library inlined in the page, and every policy statement named by its
 * Sid, linked from the conditions that cite it. The page loads nothing: no
 * network, no file next to it. Reads the report model (the JSON reports) only.
 */

import * as fs from 'fs';
import * as path from 'path';

type Json = any;

/** Options of {@link htmlOf}. */
export interface HtmlOptions {
  /**
   * The page title and its first heading.
   *
   * @default 'Data protection report'
   */
  readonly title?: string;
}

/** The default title of the page. */
export const DEFAULT_HTML_TITLE = 'Data protection report';

/**
 * Where mermaid's browser build is: vendored next to this file in the
 * compiled package (`lib/report/vendor/mermaid.min.js`, copied at compile by
 * `projenrc/vendor-mermaid.js`), else the `mermaid` dev dependency (running
 * from `src/` under ts-node or jest).
 *
 * @throws if neither exists
 */
export function mermaidScriptPath(): string {
  const vendored = path.join(__dirname, 'vendor', 'mermaid.min.js');
  if (fs.existsSync(vendored)) {
    return vendored;
  }
  try {
    return require.resolve('mermaid/dist/mermaid.min.js');
  } catch {
    throw new Error(
      `The HTML report needs mermaid's browser build, found neither ${vendored} (the compiled package vendors it there) ` +
        "nor the package mermaid (require.resolve('mermaid/dist/mermaid.min.js')). Reinstall cdk-data-protection, or run `node projenrc/vendor-mermaid.js` after compiling.",
    );
  }
}

/**
 * The page: one section per report, in the order given, with mermaid inlined.
 *
 * When the diagrams are drawn the page's `<body>` gets `data-rendered="true"`;
 * a diagram that fails gets `data-error` (its message), and so does `<body>`.
 *
 * @param reports the JSON reports (`<stack>.data-protection.json`) of the stacks of one app
 * @param options the title
 */
export function htmlOf(reports: Json[], options: HtmlOptions = {}): string {
  const title = options.title ?? DEFAULT_HTML_TITLE;
  const ids = new IdSpace();
  const stacks = reports.map((r) => ({ report: r, id: ids.take(`stack-${r.stack?.path ?? r.stack?.name ?? 'stack'}`) }));
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // The page may load nothing: inline script and style only, images only as data: URLs (mermaid draws inline SVG).
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\'; style-src \'unsafe-inline\'; img-src data:; font-src data:">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="cdk-data-protection">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    '<p class="lede">Who can read and write the data of each stack, and under which conditions, as the synthesized templates say. ' +
      'Written by cdk-data-protection at synthesis. Values known only after deployment are shown as <code>${LogicalId}</code> or ' +
      '<code>${LogicalId.Attribute}</code>, as <code>cdk diff</code> shows them.</p>',
  );
  if (stacks.length > 0) {
    out.push(
      '<nav><table class="summary"><thead><tr><th>stack</th><th>account</th><th>Region</th><th>buckets</th><th>keys</th><th>partners</th>' +
        '<th>access to other accounts\' data</th></tr></thead><tbody>',
    );
    for (const { report: r, id } of stacks) {
      out.push(
        `<tr><td><a href="#${id}">${esc(r.stack?.name)}</a></td><td>${code(r.stack?.account)}</td><td>${code(r.stack?.region)}</td>` +
          `<td>${list(r.buckets).length}</td><td>${list(r.keys).length}</td><td>${list(r.partners).length}</td>` +
          `<td>${list(r.consumers).flatMap((c: Json) => list(c.grants)).length}</td></tr>`,
      );
    }
    out.push('</tbody></table></nav>');
  } else {
    out.push('<p>No stack of this app uses cdk-data-protection.</p>');
  }
  out.push('</header>', '<main>');
  // Every stack's anchors first: a consumer's line "proven in stack DataProducer (Sid …)" links into that stack.
  // (By position: the same report may be given twice.)
  const anchors = stacks.map((s) => anchorsOf(s.report, s.id, ids));
  const reportsOfPage = stacks.map((s) => s.report);
  stacks.forEach((s, i) => {
    const app: AppAnchors = { reports: reportsOfPage, of: (r) => (r === s.report ? anchors[i] : anchors[reportsOfPage.indexOf(r)]) };
    out.push(...stackSection(s.report, s.id, ids, app));
  });
  out.push('</main>');
  out.push(`<script>${inlineScript(fs.readFileSync(mermaidScriptPath(), 'utf8'))}</script>`);
  out.push(`<script>${RENDER_SCRIPT}</script>`);
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

/**
 * A script's text made safe inside `<script>…</script>`: `</script`, `<!--`
 * and `<script` would end the element or change how HTML parses it; written
 * `\x3C…` they mean the same in every JavaScript string, template and regular
 * expression, where such text occurs in a script (only a regular expression's
 * `source` shows the escape).
 */
export function inlineScript(js: string): string {
  return js.replace(/<(\/script|!--|script)/gi, '\\x3C$1');
}

/** HTML-escapes any value shown: `null`/`undefined` as a dash, non-strings as JSON. */
export function esc(value: unknown): string {
  const s = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Unique, valid `id` attributes of one page. */
class IdSpace {
  private readonly used = new Set<string>();

  /** A new id made of `wanted` (characters other than letters, digits, `_` and `-` become `-`), suffixed `-2`, `-3`… if taken. */
  public take(wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'id';
    let id = base;
    for (let i = 2; this.used.has(id); i++) id = `${base}-${i}`;
    this.used.add(id);
    return id;
  }
}

/** The anchors of the statements of one policy document: Sid → element id. */
type Anchors = Map<string, string>;

/** Text in which every mention of a Sid that has an anchor becomes a link to it. */
function linked(text: unknown, anchorsIn: (policy: string | undefined) => Anchors): string {
  if (typeof text !== 'string') return esc(text);
  let out = '';
  let last = 0;
  // `bucket policy <Sid>` / `key policy <Sid>` name the document; a bare word links if it is a Sid of the context.
  for (const m of text.matchAll(/\b(?:(bucket policy|key policy) )?([A-Za-z0-9]+)\b/g)) {
    const [whole, policy, sid] = m;
    const id = anchorsIn(policy).get(sid);
    if (!id) continue;
    const start = m.index! + whole.length - sid.length;
    out += esc(text.slice(last, start)) + `<a class="sid" href="#${id}">${esc(sid)}</a>`;
    last = start + sid.length;
  }
  return out + esc(text.slice(last));
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value : [];
}

function code(value: unknown): string {
  return value === null || value === undefined ? '—' : `<code>${esc(value)}</code>`;
}

/** Short values (actions) side by side, each kept on one line. */
function chips(values: unknown[]): string {
  return values.length === 0 ? '—' : `<span class="chips">${values.map(code).join(' ')}</span>`;
}

function badge(kind: 'good' | 'bad' | 'info', text: string): string {
  return `<span class="badge ${kind}">${esc(text)}</span>`;
}

function yesNo(value: unknown, good: string, bad: string, badIsBad: boolean = true): string {
  return value ? badge('good', good) : badge(badIsBad ? 'bad' : 'info', bad);
}

/** One line per item: a list, or a dash when there is none. */
function lines(items: string[]): string {
  return items.length === 0 ? '—' : `<ul class="lines">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function table(head: string[], rows: string[][], cls?: string): string {
  return (
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th class="col-${h.replace(/[^a-z]+/gi, '-')}">${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function properties(rows: [string, string][]): string {
  return `<table class="props"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

/** The anchors of every policy document a stack's report names, made before any of it is written. */
interface StackAnchors {
  readonly bucket: Map<string, Anchors>;
  readonly key: Map<string, Anchors>;
  readonly partner: Map<number, Anchors>;
  readonly consumer: Map<number, Anchors>;
}

function anchorsOf(r: Json, stackId: string, ids: IdSpace): StackAnchors {
  const make = (scope: string, sids: unknown[]): Anchors => {
    const m: Anchors = new Map();
    for (const sid of sids) {
      if (typeof sid === 'string' && sid !== '' && !m.has(sid)) m.set(sid, ids.take(`${stackId}-${scope}-${sid}`));
    }
    return m;
  };
  const a: StackAnchors = { bucket: new Map(), key: new Map(), partner: new Map(), consumer: new Map() };
  for (const b of list(r.buckets)) {
    const sids = [...list(b.bucketPolicySids), ...list(b.partners).flatMap((p: Json) => list(p.bucketPolicySids)), b.network?.sid];
    a.bucket.set(b.logicalId, make(b.logicalId, sids));
  }
  for (const k of list(r.keys)) {
    a.key.set(k.logicalId, make(k.logicalId, keySids(k)));
  }
  list(r.partners).forEach((p: Json, i: number) => a.partner.set(i, make(`partner${i + 1}`, list(p.iamPolicy?.Statement).map((s: Json) => s?.Sid))));
  list(r.consumers).forEach((c: Json, i: number) => a.consumer.set(i, make(`policy-${c.policy}`, list(c.sids))));
  return a;
}

function keySids(k: Json): string[] {
  return [
    ...list(k.administrators).map((x: Json) => x.sid),
    ...list(k.partners).map((x: Json) => x.sid),
    ...list(k.users).map((u: Json) => /^key policy (\S+)$/.exec(String(u.policy ?? ''))?.[1]),
  ].filter((s): s is string => typeof s === 'string');
}

/** The key of the stack that encrypts a bucket by default, if it is in the stack. */
function keyOfBucket(r: Json, b: Json): Json | undefined {
  if (!b.keyArn) return undefined;
  return list(r.keys).find((k: Json) => k.arn === b.keyArn || `\${${k.logicalId}.Arn}` === b.keyArn);
}

/** No anchors (a policy document the report names no Sid of). */
function noAnchors(): Anchors {
  return new Map();
}

/** The anchors of every stack of the page. */
interface AppAnchors {
  readonly reports: Json[];
  of(report: Json): StackAnchors;
}

function stackSection(r: Json, stackId: string, ids: IdSpace, app: AppAnchors): string[] {
  const a = app.of(r);
  const out: string[] = [];
  const st = r.stack ?? {};
  out.push(`<section class="stack" id="${stackId}">`);
  out.push(`<h2>${esc(st.name)}</h2>`);
  out.push(
    `<p class="where">Stack ${code(st.path)} in account ${code(st.account)}, Region ${code(st.region)}` +
      `${r.schema ? ` <span class="schema">(${esc(r.schema)})</span>` : ''}</p>`,
  );

  out.push('<h3>Diagram</h3>');
  out.push(`<figure class="diagram"><pre class="mermaid" data-stack="${esc(st.name)}">${esc(r.mermaid ?? '')}</pre></figure>`);
  out.push(`<details class="source"><summary>Mermaid source</summary><pre>${esc(r.mermaid ?? '')}</pre></details>`);

  out.push('<h3>Buckets</h3>');
  if (list(r.buckets).length === 0) out.push('<p class="none">No buckets.</p>');
  for (const b of list(r.buckets)) out.push(...bucketSection(r, b, a, ids, stackId));

  out.push('<h3>Keys</h3>');
  if (list(r.keys).length === 0) out.push('<p class="none">No keys.</p>');
  for (const k of list(r.keys)) out.push(...keySection(k, a, ids, stackId));

  out.push('<h3>Partners</h3>');
  if (list(r.partners).length === 0) out.push('<p class="none">Nothing is shared with another account or organization.</p>');
  list(r.partners).forEach((p: Json, i: number) => out.push(...partnerSection(p, a.partner.get(i) ?? noAnchors())));

  if (list(r.consumers).length > 0) out.push(...consumersSection(r, a, app));
  out.push('</section>');
  return out;
}

function bucketSection(r: Json, b: Json, a: StackAnchors, ids: IdSpace, stackId: string): string[] {
  const bucketAnchors = a.bucket.get(b.logicalId) ?? noAnchors();
  const key = keyOfBucket(r, b);
  const keyAnchors = key ? a.key.get(key.logicalId) ?? noAnchors() : noAnchors();
  const context = (policy: string | undefined): Anchors =>
    policy === 'bucket policy' ? bucketAnchors : policy === 'key policy' ? keyAnchors : new Map([...keyAnchors, ...bucketAnchors]);
  const out: string[] = [];
  out.push(`<article class="resource bucket" id="${ids.take(`${stackId}-bucket-${b.logicalId}`)}">`);
  out.push(`<h4><span class="kind">bucket</span> ${esc(b.path)}</h4>`);
  const tls = b.minimumTlsVersion ? badge('good', `TLS ${b.minimumTlsVersion} or later`) : b.tlsRequired ? badge('info', 'any TLS version') : badge('bad', 'not enforced');
  const rotation =
    b.keyRotationDays === null || b.keyRotationDays === undefined
      ? b.keyArn
        ? badge('info', 'managed outside this stack')
        : '—'
      : b.keyRotationDays
        ? badge('good', `every ${b.keyRotationDays} days`)
        : badge('bad', 'off');
  const network = b.network
    ? `${badge('good', 'VPC endpoints only')} through ${list(b.network.s3EndpointIds).map(code).join(', ')} ` +
      `(statement ${linked(b.network.sid, () => bucketAnchors)}); exempt:${lines(list(b.network.exempt).map(esc))}` +
      (list(b.network.partnerEndpointRestrictions).length > 0
        ? `partners held to their own endpoints:${lines(
          list(b.network.partnerEndpointRestrictions).map((x: Json) => `${linked(x.sid, () => bucketAnchors)}: ${list(x.s3EndpointIds).map(code).join(', ')}`),
        )}`
        : '')
    : badge('info', 'any network') + ' (the TLS rules still apply)';
  out.push(
    properties([
      ['logical id', code(b.logicalId)],
      ['managed by', esc(b.managedBy)],
      ['name', code(b.name)],
      ['encryption', b.encryption === 'SSE-KMS' || b.encryption === 'DSSE-KMS' ? badge('good', b.encryption) : badge('info', String(b.encryption))],
      ['key', code(b.keyArn)],
      ['key rotation', rotation],
      ['S3 Bucket Key', b.bucketKey === null || b.bucketKey === undefined ? 'n/a' : yesNo(b.bucketKey, 'on', 'off')],
      ['minimum TLS', tls],
      ['SSE-C', yesNo(b.sseCBlocked, 'blocked', 'allowed')],
      ['public access', yesNo(b.publicAccessBlocked, 'blocked (all four settings)', 'not fully blocked')],
      ['object ownership', code(b.objectOwnership)],
      ['versioning', yesNo(b.versioning, 'on', 'off')],
      ['access logs', b.accessLogging ? `${badge('good', 'on')} to ${code(b.accessLogging.destination)} under ${code(b.accessLogging.prefix)}` : badge('bad', 'off')],
      ['retained on stack deletion', yesNo(b.retained, 'yes', 'no', false)],
      ['network', network],
    ]),
  );

  out.push('<h5>Who has access</h5>');
  const rows: string[][] = [];
  const owner = b.ownerAccess ?? {};
  const tlsText = tlsLine(b);
  const viaOrganization = list(owner.alsoThroughOrganizationShares);
  rows.push([
    `principals of account ${code(owner.account)} whose IAM policies allow it`,
    esc(
      `as their IAM policies say${
        viaOrganization.length > 0 ? `, and, with no IAM policy at all, what the share with ${viaOrganization.join(', ')} gives (owner account included)` : ''
      }`,
    ),
    lines(tlsText.map(esc)),
    '—',
  ]);
  for (const g of list(owner.grants)) {
    rows.push([`${code(g.principal)} (IAM policy ${code(g.policy)})`, chips(list(g.actions)), lines(tlsText.map(esc)), '—']);
  }
  for (const p of list(b.partners)) {
    rows.push([
      esc(p.partner) + registryHtml(p.registryEntries),
      `${badge('info', String(p.access))}${p.prefix ? ` under ${code(p.prefix)}` : ''}${
        p.accessPoint ? ` through access point ${code(p.accessPoint.arn)}${p.accessPoint.alias ? ` (alias ${code(p.accessPoint.alias)})` : ''}` : ''
      }<br>${chips([...list(p.s3Actions), ...list(p.kmsActions)])}`,
      lines(list(p.conditions).map((c: unknown) => linked(c, context))),
      lines([
        ...list(p.bucketPolicySids).map((s: unknown) => (p.accessPoint ? `access point policy ${esc(String(s))}` : `bucket policy ${linked(s, () => bucketAnchors)}`)),
        ...(p.keyPolicySid ? [`key policy ${linked(p.keyPolicySid, () => keyAnchors)}`] : []),
        ...(p.keyPolicyStatementToAdd ? [`the key's administrators must add:<pre>${esc(JSON.stringify(p.keyPolicyStatementToAdd, undefined, 2))}</pre>`] : []),
      ]),
    ]);
  }
  out.push(table(['who', 'access', 'conditions', 'statements'], rows, 'access'));

  out.push('<h5>Bucket policy statements</h5>');
  out.push(statementList(bucketAnchors, (sid) => bucketStatementNote(b, sid)));
  out.push('</article>');
  return out;
}

function tlsLine(b: Json): string[] {
  const tls = b.minimumTlsVersion ? `TLS ${b.minimumTlsVersion} or later` : b.tlsRequired ? 'TLS' : 'TLS not enforced';
  return b.network ? [tls, `data only through ${list(b.network.s3EndpointIds).join(', ')} unless exempt`] : [tls];
}

function bucketStatementNote(b: Json, sid: string): string {
  if (b.network?.sid === sid) return 'denies data access outside the VPC endpoints (exempt principals excepted)';
  if (list(b.network?.partnerEndpointRestrictions).some((x: Json) => x.sid === sid)) return 'holds a partner to its own VPC endpoints';
  const shares = list(b.partners).filter((p: Json) => list(p.bucketPolicySids).includes(sid));
  if (shares.length > 0) return `share with ${shares.map((p: Json) => `${p.partner} (${p.access}${p.prefix ? ` under ${p.prefix}` : ''})`).join('; ')}`;
  return '';
}

/** Each Sid of a policy document as an element with its anchor. */
function statementList(anchors: Anchors, note: (sid: string) => string): string {
  if (anchors.size === 0) return '<p class="none">No statement with a Sid.</p>';
  return `<ul class="statements">${[...anchors]
    .map(([sid, id]) => {
      const n = note(sid);
      return `<li class="statement" id="${id}"><code>${esc(sid)}</code>${n ? ` <span class="note">${esc(n)}</span>` : ''}</li>`;
    })
    .join('')}</ul>`;
}

function keySection(k: Json, a: StackAnchors, ids: IdSpace, stackId: string): string[] {
  const anchors = a.key.get(k.logicalId) ?? noAnchors();
  const context = (): Anchors => anchors;
  const out: string[] = [];
  out.push(`<article class="resource key" id="${ids.take(`${stackId}-key-${k.logicalId}`)}">`);
  out.push(`<h4><span class="kind">key</span> ${esc(k.path)}</h4>`);
  out.push(
    properties([
      ['logical id', code(k.logicalId)],
      ['managed by', esc(k.managedBy)],
      ['rotation', k.rotationDays ? badge('good', `every ${k.rotationDays} days`) : badge('bad', 'off')],
      ['deletion window', esc(`${k.pendingWindowDays} days`)],
      ['retained on stack deletion', yesNo(k.retained, 'yes', 'no', false)],
      ['multi-Region', yesNo(!k.multiRegion, 'no', 'yes', false)],
      [
        'direct use (not through an AWS service)',
        k.directUseOnlyThrough
          ? `${badge('good', 'VPCs only')} through ${list(k.directUseOnlyThrough).map(code).join(', ')}`
          : badge('info', 'any network') + ' for the principals the key policy allows',
      ],
    ]),
  );
  out.push('<h5>Who has access</h5>');
  const rows: string[][] = [];
  for (const x of list(k.administrators)) {
    rows.push([badge('info', 'administrator'), lines(list(x.principals).map(code)), chips(list(x.actions)), '—', x.sid ? linked(x.sid, context) : '—']);
  }
  for (const u of list(k.users)) {
    const sid = /^key policy (\S+)$/.exec(String(u.policy ?? ''))?.[1];
    rows.push([
      badge('info', 'user'),
      code(u.principal),
      chips(list(u.actions)),
      lines([esc(u.via), ...list(u.conditions).map((c: unknown) => linked(c, context))]),
      sid ? `key policy ${linked(sid, context)}` : u.policy === 'key policy' ? 'key policy (a statement without Sid)' : `IAM policy ${code(u.policy)}`,
    ]);
  }
  for (const p of list(k.partners)) {
    rows.push([
      badge('info', 'partner'),
      lines(list(p.partners).map(esc)) + registryHtml(p.registryEntries),
      chips(list(p.actions)),
      lines(list(p.conditions).map((c: unknown) => linked(c, context))),
      p.sid ? linked(p.sid, context) : '—',
    ]);
  }
  out.push(rows.length > 0 ? table(['role', 'who', 'actions', 'conditions', 'statement'], rows, 'access') : '<p class="none">No principal is allowed.</p>');
  if (k.requestBudget) out.push(...requestBudgetSection(k.requestBudget));
  out.push('<h5>Key policy statements</h5>');
  out.push(
    statementList(anchors, (sid) => {
      if (list(k.administrators).some((x: Json) => x.sid === sid)) return 'administration';
      const p = list(k.partners).find((x: Json) => x.sid === sid);
      if (p) return `use by ${list(p.partners).join(', ')}`;
      return list(k.users).some((u: Json) => u.policy === `key policy ${sid}`) ? 'use' : '';
    }),
  );
  out.push('</article>');
  return out;
}

/** A key's share of the account's KMS request quota: the Region's documented default, who calls KMS with the key, the warnings. */
function requestBudgetSection(budget: Json): string[] {
  const out: string[] = ['<h5>Request budget</h5>'];
  const perSecond = budget.defaultQuotaPerSecond;
  out.push(
    properties([
      ['Region', code(budget.region)],
      [
        'default quota',
        (perSecond === null || perSecond === undefined
          ? badge('info', 'unknown: see Service Quotas')
          : esc(`${Number(perSecond).toLocaleString('en-US')} requests per second`)) +
          ` (${esc(budget.quotaName)}, shared by every symmetric key of the account in the Region; the applied quota may be higher)`,
      ],
      ['source', esc(budget.quotaSource)],
    ]).replace('class="props"', 'class="props budget-props"'),
  );
  const rows = list(budget.usedBy).map((u: Json) => [
    code(u.kind),
    code(u.path),
    u.bucketKey === null || u.bucketKey === undefined ? 'n/a' : yesNo(u.bucketKey, 'on', 'off'),
  ]);
  out.push(rows.length > 0 ? table(['kind', 'used by', 'S3 Bucket Key'], rows, 'budget') : '<p class="none">No resource of this stack encrypts with this key.</p>');
  const warnings = list(budget.warnings);
  if (warnings.length > 0) {
    out.push(`<div class="budget-warnings">${lines(warnings.map((w: unknown) => `${badge('bad', 'Bucket Key off')} ${esc(w)}`))}</div>`);
  }
  return out;
}

/** The registry entries a share comes from (`partners.yaml line 7: note`), one line each; empty when none. */
function registryHtml(entries: unknown): string {
  const items = list(entries);
  if (items.length === 0) return '';
  return `<div class="registry">${items.map((e: Json) => `from ${code(`${e.file} line ${e.line}`)}${e.note ? `: ${esc(String(e.note))}` : ''}`).join('<br>')}</div>`;
}

function partnerSection(p: Json, anchors: Anchors): string[] {
  const out: string[] = [];
  out.push('<article class="resource partner">');
  out.push(`<h4><span class="kind">partner</span> ${esc(p.partner)}</h4>`);
  const who: [string, string][] = [['kind', code(p.kind)]];
  if (list(p.accounts).length > 0) who.push(['accounts', lines(list(p.accounts).map(code))]);
  if (list(p.principalArns).length > 0) who.push(['principals', lines(list(p.principalArns).map(code))]);
  if (list(p.organizationIds).length > 0) who.push(['organizations', lines(list(p.organizationIds).map(code))]);
  if (list(p.organizationPaths).length > 0) who.push(['organization paths', lines(list(p.organizationPaths).map(code))]);
  out.push(properties(who));
  out.push('<h5>Grants</h5>');
  out.push(
    table(
      ['bucket', 'bucket ARN', 'key', 'access', 'prefix', 'registry'],
      list(p.grants).map((g: Json) => [
        code(g.bucket),
        code(g.bucketArn ?? (g.encryption === 'CSE' ? 'any object the client encrypts' : g.service ? `the ${g.service}` : 'any bucket')),
        code(g.keyArn),
        badge('info', g.encryption === 'CSE' ? `${g.access} (CSE)` : String(g.access)),
        code(g.prefix),
        registryHtml(g.registryEntries) || '—',
      ]),
    ),
  );
  if (p.iamPolicy === null || p.iamPolicy === undefined) {
    out.push(`<p class="outside">${badge('info', 'granted outside cdk-data-protection')} by${lines(list(p.grantedBy).map(esc))}the partner writes its own IAM policy.</p>`);
    out.push('</article>');
    return out;
  }
  out.push('<h5>IAM policy the partner attaches to its roles or users</h5>');
  const statements = list(p.iamPolicy?.Statement);
  if (statements.length === 0) {
    out.push(`<pre class="policy">${esc(JSON.stringify(p.iamPolicy ?? null, undefined, 2))}</pre>`);
  } else {
    out.push('<div class="statements">');
    for (const s of statements) {
      const id = typeof s?.Sid === 'string' ? anchors.get(s.Sid) : undefined;
      out.push(
        `<div class="statement"${id ? ` id="${id}"` : ''}>${s?.Sid ? `<code class="sid">${esc(s.Sid)}</code>` : ''}` +
          `<pre class="policy">${esc(JSON.stringify(s, undefined, 2))}</pre></div>`,
      );
    }
    out.push('</div>');
  }
  out.push('</article>');
  return out;
}

/**
 * The anchors a consumer's line about the owner's policy links to: `proven in stack <name> (Sid <sid>)` names
 * a stack of this page; its bucket of that ARN (or its only bucket with the Sid), or its key with the Sid.
 */
function ownerAnchors(line: unknown, bucketArn: unknown, kind: 'bucket' | 'key', app: AppAnchors): Anchors {
  const m = typeof line === 'string' ? /proven in stack (\S+) \(Sid ([A-Za-z0-9]+)\)/.exec(line) : null;
  const owner = m ? app.reports.find((x) => x.stack?.name === m[1]) : undefined;
  if (!m || !owner) return noAnchors();
  const sid = m[2];
  const a = app.of(owner);
  if (kind === 'key') return [...a.key.values()].find((k) => k.has(sid)) ?? noAnchors();
  const withSid = list(owner.buckets).filter((b: Json) => a.bucket.get(b.logicalId)?.has(sid));
  const bucket = withSid.find((b: Json) => b.arn === bucketArn || `arn:aws:s3:::${b.name}` === bucketArn) ?? (withSid.length === 1 ? withSid[0] : undefined);
  return bucket ? a.bucket.get(bucket.logicalId)! : noAnchors();
}

function consumersSection(r: Json, a: StackAnchors, app: AppAnchors): string[] {
  const out: string[] = [];
  out.push("<h3>Access to other accounts' data</h3>");
  out.push(
    '<p>IAM policies of this stack that reach buckets and keys of other accounts. Each access needs three allows: ' +
      'the identity policy here, and the bucket policy and the key policy of the owner.</p>',
  );
  list(r.consumers).forEach((c: Json, i: number) => {
    const anchors = a.consumer.get(i) ?? noAnchors();
    const ctx = (): Anchors => anchors;
    out.push('<article class="resource consumer">');
    out.push(`<h4><span class="kind">IAM policy</span> ${esc(c.policy)}</h4>`);
    out.push(
      properties([
        ['attached to', lines(list(c.attachedTo).map(code))],
        [
          'statements',
          anchors.size > 0
            ? `<ul class="lines statements">${[...anchors].map(([sid, id]) => `<li class="statement" id="${id}"><code>${esc(sid)}</code></li>`).join('')}</ul>`
            : '—',
        ],
      ]),
    );
    // One table per grant, a row per fact: ARNs and Sids are long, and read better down than across.
    for (const g of list(c.grants)) {
      out.push(`<h5>${esc(String(g.access))} access to ${esc(g.bucketArn)}</h5>`);
      out.push(
        properties([
          ['bucket', code(g.bucketArn)],
          ['key', code(g.keyArn)],
          ['access', badge('info', String(g.access))],
          ['prefix', g.prefix === null || g.prefix === undefined ? 'the whole bucket' : code(g.prefix)],
          ['1. identity policy (this account)', linked(g.allows?.identityPolicy, ctx)],
          ['2. bucket policy (the owner)', linked(g.allows?.bucketPolicy, () => ownerAnchors(g.allows?.bucketPolicy, g.bucketArn, 'bucket', app))],
          ['3. key policy (the owner)', linked(g.allows?.keyPolicy, () => ownerAnchors(g.allows?.keyPolicy, g.bucketArn, 'key', app))],
        ]).replace('<table class="props">', '<table class="props consumer-grant">'),
      );
    }
  });
  return out;
}

/** Draws each diagram, then marks the page: `data-rendered="true"` on `<body>`, `data-error` where a diagram failed. */
const RENDER_SCRIPT = `
(async function () {
  var body = document.body;
  var failed = 0;
  try {
    // mermaid draws "Maximum text size in diagram exceeded" past 50,000 characters (and stops at 500 edges):
    // a stack of a few hundred buckets passes both, so the limits are the page's to set.
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { useMaxWidth: true },
      maxTextSize: 5000000, maxEdges: 50000 });
    var nodes = Array.prototype.slice.call(document.querySelectorAll('pre.mermaid'));
    for (var i = 0; i < nodes.length; i++) {
      try {
        await mermaid.run({ nodes: [nodes[i]] });
        // A limit mermaid still hits is drawn as a picture of its message, not thrown: say so.
        if (/Maximum text size in diagram exceeded/.test(nodes[i].textContent || '')) throw new Error('the diagram is larger than mermaid draws');
        nodes[i].setAttribute('data-rendered', 'true');
      } catch (e) {
        failed++;
        nodes[i].setAttribute('data-error', String((e && e.message) || e));
      }
    }
    if (failed > 0) body.setAttribute('data-error', failed + ' diagram(s) could not be drawn');
  } catch (e) {
    body.setAttribute('data-error', String((e && e.message) || e));
  }
  body.setAttribute('data-rendered', 'true');
})();
`;

const CSS = `
:root { --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --bg-alt: #f6f8fa; --link: #0969da;
  --good-bg: #dafbe1; --good-fg: #116329; --bad-bg: #ffebe9; --bad-fg: #a40e26; --info-bg: #ddf4ff; --info-fg: #0550ae; }
* { box-sizing: border-box; }
body { margin: 0; padding: 2rem 2.5rem 4rem; color: var(--fg); background: #fff; line-height: 1.5; font-size: 15px;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
header, main { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.9rem; margin: 0 0 .5rem; }
h2 { font-size: 1.5rem; margin: 0 0 .25rem; padding-bottom: .3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.2rem; margin: 2rem 0 .75rem; }
h4 { font-size: 1.05rem; margin: 0 0 .75rem; word-break: break-all; }
h5 { font-size: .95rem; margin: 1.25rem 0 .5rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: .85em; }
code { background: var(--bg-alt); border-radius: 4px; padding: .1em .35em; overflow-wrap: anywhere; }
.chips code { display: inline-block; white-space: nowrap; margin: .15em .1em; }
pre { background: var(--bg-alt); border: 1px solid var(--border); border-radius: 6px; padding: .75rem; overflow-x: auto; margin: .5rem 0; }
.lede, .where, .none, .note, .schema { color: var(--muted); }
.stack { margin: 2.5rem 0 0; padding: 1.5rem; border: 1px solid var(--border); border-radius: 10px; }
.resource { margin: 0 0 1.25rem; padding: 1rem 1.25rem; border: 1px solid var(--border); border-radius: 8px; background: #fff; }
.kind { display: inline-block; font-size: .7rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  border: 1px solid var(--border); border-radius: 4px; padding: 0 .4em; margin-right: .4em; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .5rem; }
th, td { border: 1px solid var(--border); padding: .4rem .6rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
a.sid { overflow-wrap: anywhere; }
thead th { background: var(--bg-alt); font-weight: 600; }
table.props th { width: 15rem; background: var(--bg-alt); font-weight: 600; }
table.summary { width: auto; min-width: 50%; }
table.access th.col-conditions { width: 40%; }
table.access th.col-access, table.access th.col-actions { width: 19%; }
table.access th.col-statements, table.access th.col-statement { width: 19%; }
table.access th.col-role { width: 8%; }
ul.lines { margin: 0; padding-left: 1.1rem; }
ul.lines li + li { margin-top: .2rem; }
ul.statements { margin: 0; padding-left: 1.1rem; }
.statement:target, .statement:target code { background: #fff8c5; }
div.statements { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: .75rem; }
div.statements .statement pre { margin: .25rem 0 0; }
.badge { display: inline-block; border-radius: 999px; padding: .05em .6em; font-size: .8rem; font-weight: 600; white-space: nowrap; }
.badge.good { background: var(--good-bg); color: var(--good-fg); }
.badge.bad { background: var(--bad-bg); color: var(--bad-fg); }
.badge.info { background: var(--info-bg); color: var(--info-fg); }
figure.diagram { margin: 0; padding: 1rem; border: 1px solid var(--border); border-radius: 8px; background: #fff; overflow-x: auto; }
figure.diagram pre.mermaid { background: none; border: 0; margin: 0; padding: 0; text-align: center; }
details.source { margin: .5rem 0 0; }
details.source summary { cursor: pointer; color: var(--muted); }
@media print { .stack { break-inside: avoid-page; } details.source { display: none; } }
`;
