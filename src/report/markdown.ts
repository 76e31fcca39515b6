/**
 * The access report for people (`<stack>.data-protection.md`): Markdown that
 * renders on GitHub, with the Mermaid diagram. Reads the report model only.
 */

type Json = any;

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(v: unknown): string {
  return v === null || v === undefined ? '-' : '`' + String(v).replace(/`/g, "'") + '`';
}

const OTHER_ACCOUNTS = 'Access to other accounts\' data';
const OTHER_ACCOUNTS_LINK = `[${OTHER_ACCOUNTS}](#access-to-other-accounts-data)`;

/** The report for people: Markdown that renders on GitHub. */
export function markdownOf(report: Json): string {
  const out: string[] = [];
  out.push(`# Data protection report: ${report.stack.name}`, '');
  out.push(
    `Stack \`${report.stack.path}\` in account ${code(report.stack.account)}, region ${code(report.stack.region)}. ` +
      'Written by cdk-data-protection at synthesis. Values known only after deployment are shown as `${LogicalId}` or `${LogicalId.Attribute}`, as `cdk diff` shows them.',
    '',
  );
  out.push('## Buckets', '');
  const consumers: Json[] = report.consumers ?? [];
  const incoming = consumers.length > 0 ? ` Its principals use data of other accounts: see ${OTHER_ACCOUNTS_LINK}.` : '';
  if (report.buckets.length === 0) out.push(`No buckets of its own.${incoming}`, '');
  for (const b of report.buckets) {
    out.push(`### ${code(b.path)}`, '');
    const rows: [string, unknown][] = [
      ['logical id', code(b.logicalId)],
      ['managed by', b.managedBy],
      ['name', code(b.name)],
      ['encryption', b.encryption],
      ['key', code(b.keyArn)],
      ['key rotation', b.keyRotationDays === null ? (b.keyArn ? 'managed outside this stack' : '-') : b.keyRotationDays ? `every ${b.keyRotationDays} days` : '**OFF**'],
      ['S3 Bucket Key', b.bucketKey === null ? 'n/a' : b.bucketKey ? 'on' : '**off**'],
      ['minimum TLS', b.minimumTlsVersion ? `TLS ${b.minimumTlsVersion}` : b.tlsRequired ? 'any TLS version' : '**not enforced**'],
      ['SSE-C blocked', b.sseCBlocked ? 'yes' : '**no**'],
      ['public access', b.publicAccessBlocked ? 'blocked (all four settings)' : '**not fully blocked**'],
      ['object ownership', b.objectOwnership ?? '-'],
      ['versioning', b.versioning ? 'on' : '**off**'],
      ['access logs', b.accessLogging ? `${code(b.accessLogging.destination)} under ${code(b.accessLogging.prefix)}` : '**off**'],
      ['retained on stack deletion', b.retained ? 'yes' : 'no'],
      ['network', b.network ? `only through ${b.network.s3EndpointIds.map(code).join(', ')}; exempt: ${b.network.exempt.join('; ')}` : 'any network (TLS rules still apply)'],
    ];
    out.push('| property | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), '');
    out.push('**Who has access**', '');
    out.push('| who | access | conditions |', '| --- | --- | --- |');
    const viaOrganization = b.ownerAccess.alsoThroughOrganizationShares;
    out.push(
      `| principals of account ${code(b.ownerAccess.account)} whose IAM policies allow it | as their IAM policies say${
        viaOrganization.length > 0 ? `, and, with no IAM policy at all, what the share with ${viaOrganization.join(', ')} gives (owner account included)` : ''
      } | ${cell(tlsLine(b))} |`,
    );
    for (const g of b.ownerAccess.grants) {
      out.push(`| ${code(g.principal)} (IAM policy ${code(g.policy)}) | ${cell(g.actions.join(', '))} | ${cell(tlsLine(b))} |`);
    }
    for (const p of b.partners) {
      const through = p.accessPoint ? ` through access point ${code(p.accessPoint.arn)}${p.accessPoint.alias ? ` (alias ${code(p.accessPoint.alias)})` : ''}` : '';
      out.push(`| ${cell(p.partner)}${registryLine(p.registryEntries)} | ${cell(`${p.access}${p.prefix ? ` under ${code(p.prefix)}` : ''}${through}: ${[...p.s3Actions, ...p.kmsActions].join(', ')}`)} | ${cell(p.conditions.join('; '))} |`);
    }
    out.push('');
  }
  out.push('## Keys', '');
  if (report.keys.length === 0) out.push('No keys.', '');
  for (const k of report.keys) {
    out.push(`### ${code(k.path)}`, '');
    out.push(
      '| property | value |',
      '| --- | --- |',
      `| logical id | ${code(k.logicalId)} |`,
      `| managed by | ${cell(k.managedBy)} |`,
      `| rotation | ${k.rotationDays ? `every ${k.rotationDays} days` : '**off**'} |`,
      `| deletion window | ${k.pendingWindowDays} days |`,
      `| retained on stack deletion | ${k.retained ? 'yes' : 'no'} |`,
      `| multi-Region | ${k.multiRegion ? 'yes' : 'no'} |`,
      `| direct use (not through an AWS service) | ${k.directUseOnlyThrough ? `only through ${k.directUseOnlyThrough.map(code).join(', ')}` : 'from any network, for principals the key policy allows'} |`,
      '',
    );
    out.push('| role | who | actions | conditions |', '| --- | --- | --- | --- |');
    for (const a of k.administrators) out.push(`| administrator | ${cell(a.principals.join(', '))} | ${cell(a.actions.join(', '))} | statement ${code(a.sid)} |`);
    for (const u of k.users) out.push(`| user | ${code(u.principal)} | ${cell(u.actions.join(', '))} | ${cell(u.via)}${u.conditions?.length ? ': ' + cell(u.conditions.join('; ')) : ''} |`);
    for (const p of k.partners) out.push(`| partner | ${cell(p.partners.join(', '))}${registryLine(p.registryEntries)} | ${cell(p.actions.join(', '))} | ${cell(p.conditions.join('; '))} |`);
    out.push('');
    if (k.requestBudget) out.push(...requestBudgetLines(k.requestBudget));
  }
  out.push('## Partners', '');
  if (report.partners.length === 0) out.push(`Nothing of this stack is shared with another account or organization.${incoming}`, '');
  for (const p of report.partners) {
    out.push(`### ${p.partner}`, '');
    for (const g of p.grants) {
      if (g.encryption === 'CSE') {
        out.push(`- ${g.access} with client-side encryption (CSE, the S3 Encryption Client calls KMS directly, encryption context \`aws:x-amz-cek-alg\`), key ${code(g.keyArn)}${registryLine(g.registryEntries)}`);
        continue;
      }
      if (g.service) {
        out.push(`- ${g.access} on the ${g.service} (the key through that service only), key ${code(g.keyArn)}${registryLine(g.registryEntries)}`);
        continue;
      }
      out.push(`- ${g.access}${g.prefix ? ` under ${code(g.prefix)}` : ''} on ${g.bucket ? code(g.bucket) + ' ' : ''}${code(g.bucketArn ?? 'any bucket')}${g.accessPointArn ? ` through access point ${code(g.accessPointArn)}` : ''}, key ${code(g.keyArn)}${registryLine(g.registryEntries)}`);
    }
    if (p.iamPolicy === null || p.iamPolicy === undefined) {
      out.push('', `Granted outside cdk-data-protection (${cell((p.grantedBy ?? []).join('; '))}): the partner writes its own IAM policy.`, '');
    } else {
      out.push('', 'IAM policy the partner attaches to its roles or users:', '', '```json', JSON.stringify(p.iamPolicy, undefined, 2), '```', '');
    }
  }
  out.push(`## ${OTHER_ACCOUNTS}`, '');
  if (consumers.length === 0) {out.push('No IAM policy of this stack names a bucket or key of another account.', '');} else {
    out.push(
      'IAM policies of this stack that let its principals use buckets and keys of other accounts. Each access needs three allows: ' +
        'this identity policy, the bucket policy and the key policy of the owner account.',
      '',
    );
  }
  for (const c of consumers) {
    out.push(`### ${code(c.policy)}`, '', `Attached to ${c.attachedTo.length > 0 ? c.attachedTo.map(code).join(', ') : '**nothing** (no role, user or group)'}.`, '');
    out.push('| bucket | key | access | identity policy | bucket policy | key policy |', '| --- | --- | --- | --- | --- | --- |');
    for (const g of c.grants) {
      out.push(
        `| ${code(g.bucketArn)} | ${code(g.keyArn)} | ${cell(`${g.access}${g.prefix ? ` under ${code(g.prefix)}` : ''}`)} | ${cell(g.allows.identityPolicy)} | ${cell(g.allows.bucketPolicy)} | ${cell(g.allows.keyPolicy)} |`,
      );
    }
    out.push('');
  }
  out.push('## Diagram', '', '```mermaid', report.mermaid, '```', '');
  return out.join('\n');
}

/** A key's share of the account's KMS request quota: who calls KMS with it, and the Region's documented default. */
function requestBudgetLines(budget: Json): string[] {
  const out: string[] = ['**Request budget**', ''];
  const quota = budget.defaultQuotaPerSecond === null || budget.defaultQuotaPerSecond === undefined
    ? '**unknown** (see Service Quotas)'
    : `**${Number(budget.defaultQuotaPerSecond).toLocaleString('en-US')}** requests per second`;
  out.push(
    `Default quota "${budget.quotaName}" in ${code(budget.region)}: ${quota}, shared by every symmetric key of the account in the Region; ` +
      `the applied quota may be higher (${cell(budget.quotaSource)}).`,
    '',
  );
  const usedBy: Json[] = budget.usedBy ?? [];
  if (usedBy.length === 0) {
    out.push('No resource of this stack encrypts with this key.', '');
  } else {
    out.push('| kind | used by | S3 Bucket Key |', '| --- | --- | --- |');
    for (const u of usedBy) out.push(`| ${code(u.kind)} | ${code(u.path)} | ${u.bucketKey === null || u.bucketKey === undefined ? 'n/a' : u.bucketKey ? 'on' : '**off**'} |`);
    out.push('');
  }
  for (const w of budget.warnings ?? []) out.push(`> **Warning**: ${cell(w)}`, '');
  return out;
}

/** ` (registry partners.yaml line 7: Analytics team)`: the registry entries a share comes from, if any. */
function registryLine(entries: Json[] | undefined): string {
  const list = entries ?? [];
  if (list.length === 0) return '';
  return ` (registry ${list.map((e) => `${code(`${e.file} line ${e.line}`)}${e.note ? `: ${cell(e.note)}` : ''}`).join('; ')})`;
}

function tlsLine(b: Json): string {
  const tls = b.minimumTlsVersion ? `TLS ${b.minimumTlsVersion} or later` : b.tlsRequired ? 'TLS' : 'TLS not enforced';
  return b.network ? `${tls}; data only through ${b.network.s3EndpointIds.join(', ')} unless exempt` : tls;
}
