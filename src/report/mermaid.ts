/**
 * The Mermaid flowchart of an access report (`report.mermaid`): accounts,
 * buckets and keys, with the access on each edge. Reads the report model only.
 */

import { AccessLevel } from '../sharing/partner';

type Json = any;

function mid(prefix: string, s: string): string {
  return `${prefix}_${s.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/**
 * Text inside a quoted Mermaid label, shown as written: each character that
 * would end the label, start markup (a backtick opens a Markdown string) or
 * read as an entity is written as a Mermaid entity code; a line break as a space.
 */
function label(s: string): string {
  return String(s).replace(/[#"<>`&\r\n]/g, (c) => LABEL_ENTITIES[c]);
}

const LABEL_ENTITIES: Readonly<Record<string, string>> = Object.freeze({
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '&': '#38;',
  '\r': ' ',
  '\n': ' ',
});

/** A Mermaid flowchart: accounts → buckets → keys (→ endpoints), with the access on each edge. */
export function mermaidOf(report: Json): string {
  const lines = ['flowchart LR'];
  const owner = mid('account', String(report.stack.account));
  lines.push(`  ${owner}["owner account ${label(report.stack.account)}"]`);
  for (const b of report.buckets) {
    const tls = b.minimumTlsVersion ? `TLS ≥ ${b.minimumTlsVersion}` : b.tlsRequired ? 'TLS only' : 'TLS NOT required';
    lines.push(`  ${mid('bucket', b.logicalId)}[("${label(b.path)}<br/>${b.encryption}, ${tls}")]`);
    lines.push(`  ${owner} -- "IAM policies of the account" --> ${mid('bucket', b.logicalId)}`);
    if (b.keyArn) {
      const keyNode = b.keyManagedInStack ? mid('key', String(b.keyArn).replace(/^\$\{|\.Arn\}$/g, '')) : mid('key', b.logicalId + '_imported');
      if (!b.keyManagedInStack) lines.push(`  ${keyNode}{{"imported key ${label(b.keyArn)}"}}`);
      lines.push(`  ${mid('bucket', b.logicalId)} -- "${b.encryption}${b.bucketKey ? ' + Bucket Key' : ''}" --> ${keyNode}`);
    }
    if (b.network) {
      for (const e of b.network.s3EndpointIds ?? []) {
        const en = mid('vpce', e);
        lines.push(`  ${en}>"S3 endpoint ${label(e)}"]`);
        lines.push(`  ${en} -- "only network path (except exempt)" --> ${mid('bucket', b.logicalId)}`);
      }
    }
  }
  for (const k of report.keys) {
    lines.push(`  ${mid('key', k.logicalId)}{{"${label(k.path)}<br/>${k.rotationDays ? `rotates every ${k.rotationDays} d` : 'rotation OFF'}"}}`);
  }
  report.partners.forEach((p: Json, i: number) => {
    const pn = `partner_${i + 1}`;
    lines.push(`  ${pn}(["${label(p.partner)}"])`);
    for (const g of p.grants) {
      const b = report.buckets.find((x: Json) => x.path === g.bucket);
      if (b) {
        lines.push(`  ${pn} -- "${g.access}${g.prefix ? ' ' + label(g.prefix) + '*' : ''}, ${b.minimumTlsVersion ? 'TLS ≥ ' + b.minimumTlsVersion : b.tlsRequired ? 'TLS' : 'TLS NOT required'}" --> ${mid('bucket', b.logicalId)}`);
      }
      const k = report.keys.find((x: Json) => `\${${x.logicalId}.Arn}` === g.keyArn);
      if (k) {
        lines.push(`  ${pn} -. "${g.access === AccessLevel.READ ? 'kms:Decrypt' : 'kms:GenerateDataKey, kms:Decrypt'} via S3 only" .-> ${mid('key', k.logicalId)}`);
      }
    }
  });
  // The consumer side: this stack's principals reaching buckets of other accounts.
  (report.consumers ?? []).forEach((c: Json, i: number) => {
    const cn = `consumer_${i + 1}`;
    lines.push(`  ${cn}(["${label(c.attachedTo.join(', ') || c.policy)}<br/>IAM policy ${label(c.policy)}"])`);
    lines.push(`  ${owner} --- ${cn}`);
    for (const g of c.grants) {
      const bn = mid('other_bucket', g.bucketArn);
      lines.push(`  ${bn}[("bucket of another account<br/>${label(g.bucketArn)}")]`);
      lines.push(`  ${cn} -- "${g.access}${g.prefix ? ' ' + label(g.prefix) + '*' : ''}" --> ${bn}`);
    }
  });
  return lines.join('\n');
}
