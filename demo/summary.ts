/**
 * Reads synthesized CloudFormation templates and says, per bucket, what
 * protects it: the view a security reviewer takes of a template.
 */

export interface Template {
  Resources?: Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>;
}

export interface BucketSummary {
  readonly stack: string;
  readonly logicalId: string;
  readonly encryption: string;
  readonly key: string;
  readonly rotation: string;
  readonly bucketKey: string;
  readonly minimumTls: string;
  readonly sseCBlocked: string;
  readonly publicAccess: string;
  readonly versioning: string;
  readonly accessLogs: string;
  readonly retained: string;
  readonly access: string[];
}

/** Shows a CloudFormation value the way `cdk diff` does: `${Logical.Attr}` for references. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const v = value as any;
  if (v.Ref) return v.Ref.startsWith('AWS::') ? v.Ref.replace('AWS::', '${AWS::') + '}' : '${' + v.Ref + '}';
  if (v['Fn::GetAtt']) return '${' + v['Fn::GetAtt'].join('.') + '}';
  if (v['Fn::Join']) return v['Fn::Join'][1].map(show).join(v['Fn::Join'][0]);
  if (v['Fn::Sub']) return typeof v['Fn::Sub'] === 'string' ? v['Fn::Sub'] : v['Fn::Sub'][0];
  if (Array.isArray(v)) return v.map(show).join(', ');
  return JSON.stringify(v);
}

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(`"${logicalId}"`);
}

/**
 * Who a bucket policy statement's principal is, as the access report names partners: `account 222222222222`
 * for an account (its root), `<arn> (account 333333333333)` for a role or user.
 */
export function principalLabel(value: unknown): string {
  const shown = show(value);
  return asList(value as unknown[]).length > 1
    ? asList(value as unknown[]).map(principalLabel).join(', ')
    : /^(?:arn:(?:\$\{AWS::Partition\}|[^:]+):iam::)?(\d{12})(?::root)?$/.test(shown)
      ? `account ${/(\d{12})/.exec(shown)![1]}`
      : /^arn:(?:\$\{AWS::Partition\}|[^:]+):iam::(\d{12}):(?:role|user)\//.test(shown)
        ? `${shown} (account ${/::(\d{12}):/.exec(shown)![1]})`
        : shown;
}

/**
 * One summary per AWS::S3::Bucket of the template.
 *
 * @param report the stack's access report (`<stack>.data-protection.json`), when it wrote one: partners are
 *   named as the report names them (it also knows a share held to one role by a condition)
 */
export function summarizeBuckets(stack: string, template: Template, account: string = 'the owner account', report?: any): BucketSummary[] {
  const resources = template.Resources ?? {};
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const out: BucketSummary[] = [];
  for (const [id, bucket] of of('AWS::S3::Bucket')) {
    const p = bucket.Properties ?? {};
    const rule = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0] ?? {};
    const algorithm = rule.ServerSideEncryptionByDefault?.SSEAlgorithm;
    const keyRef = rule.ServerSideEncryptionByDefault?.KMSMasterKeyID;
    const keyId: string | undefined = keyRef?.['Fn::GetAtt']?.[0];
    const key = keyId ? resources[keyId] : undefined;
    const policy = of('AWS::S3::BucketPolicy').find(([, r]) => refersTo(r.Properties?.Bucket, id))?.[1];
    const statements: any[] = policy?.Properties?.PolicyDocument?.Statement ?? [];
    const tlsDenies = statements
      .filter((s) => s.Effect === 'Deny' && s.Condition?.NumericLessThan?.['s3:TlsVersion'] !== undefined)
      .map((s) => Number(s.Condition.NumericLessThan['s3:TlsVersion']));
    const transportDeny = statements.some((s) => s.Effect === 'Deny' && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false');
    const sseCDeny = statements.some((s) => s.Effect === 'Deny' && s.Condition?.Null?.['s3:x-amz-server-side-encryption-customer-algorithm'] === 'false');
    const blocked = asList(rule.BlockedEncryptionTypes?.EncryptionType).includes('SSE-C');
    const bpa = p.PublicAccessBlockConfiguration ?? {};
    const allBlocked = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => bpa[k] === true);
    const reported = (report?.buckets ?? []).find((b: any) => b.logicalId === id);
    const partnerOfSid = new Map<string, string>();
    for (const share of reported?.partners ?? []) {
      for (const sid of share.bucketPolicySids ?? []) partnerOfSid.set(sid, share.partner);
    }
    const who = (s: any): string => {
      if (s.Sid !== undefined && partnerOfSid.has(s.Sid)) return partnerOfSid.get(s.Sid)!;
      return s.Principal?.AWS !== undefined ? principalLabel(s.Principal.AWS) : show(s.Principal?.Service ?? s.Principal);
    };
    const access = statements
      .filter((s) => s.Effect === 'Allow')
      .map((s) => {
        const on = asList(s.Resource)
          .map((r) => show(r).replace(/^.*?:s3:::[^/]*/, '') || '(bucket)')
          .join(', ');
        const when = Object.entries(s.Condition ?? {})
          .flatMap(([op, kv]) => Object.entries(kv as Record<string, unknown>).map(([k, v]) => `${k} ${op} ${asList(v).map(show).join('|')}`))
          .join('; ');
        return `${s.Sid ?? '(no Sid)'}: ${who(s)} may ${asList(s.Action).join(', ')} on ${on}${when ? ` when ${when}` : ''}`;
      });
    const vpceDeny = statements.find((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes('aws:SourceVpce'));
    const identityGrants = [...of('AWS::IAM::Policy'), ...of('AWS::IAM::ManagedPolicy')]
      .filter(([, r]) => refersTo(r.Properties?.PolicyDocument, id))
      .map(([pid, r]) => `${pid} (IAM policy of ${show(asList(r.Properties?.Roles)[0] ?? asList(r.Properties?.Users)[0])})`);
    out.push({
      stack,
      logicalId: id,
      encryption: algorithm === 'aws:kms' ? 'SSE-KMS' : algorithm === 'aws:kms:dsse' ? 'DSSE-KMS' : algorithm === 'AES256' ? 'SSE-S3' : 'none',
      key: keyRef ? show(keyRef) : '-',
      rotation: key ? (key.Properties?.EnableKeyRotation ? `every ${key.Properties?.RotationPeriodInDays ?? 365} days` : 'OFF') : '-',
      bucketKey: algorithm === 'aws:kms' ? (rule.BucketKeyEnabled ? 'on' : 'OFF') : 'n/a',
      minimumTls: tlsDenies.length > 0 ? `TLS ${Math.max(...tlsDenies).toFixed(1)}` : transportDeny ? 'any TLS (no version deny)' : 'NOT ENFORCED',
      sseCBlocked: blocked && sseCDeny ? 'yes (encryption rule and policy)' : blocked ? 'yes (encryption rule)' : sseCDeny ? 'yes (policy)' : 'NO',
      publicAccess: allBlocked ? 'blocked (all four settings)' : 'NOT fully blocked',
      versioning: p.VersioningConfiguration?.Status === 'Enabled' ? 'on' : 'off',
      accessLogs: p.LoggingConfiguration ? `to ${show(p.LoggingConfiguration.DestinationBucketName)}/${p.LoggingConfiguration.LogFilePrefix ?? ''}` : 'off',
      retained: bucket.DeletionPolicy === 'Retain' ? 'yes' : 'NO',
      access: [
        `principals of ${account} whose IAM policies allow it`,
        ...identityGrants,
        ...access,
        ...(vpceDeny ? [`(data access only through VPC endpoint(s) ${show(asList(vpceDeny.Condition?.StringNotEquals?.['aws:SourceVpce'] ?? []))}, except exempt principals: ${vpceDeny.Sid})`] : []),
      ],
    });
  }
  return out;
}

/** The summary as text for a terminal. */
export function formatSummary(s: BucketSummary): string {
  const rows: [string, string][] = [
    ['encryption', s.encryption],
    ['key', s.key],
    ['key rotation', s.rotation],
    ['S3 Bucket Key', s.bucketKey],
    ['minimum TLS', s.minimumTls],
    ['SSE-C blocked', s.sseCBlocked],
    ['public access', s.publicAccess],
    ['versioning', s.versioning],
    ['access logs', s.accessLogs],
    ['retained', s.retained],
  ];
  const width = Math.max(...rows.map(([k]) => k.length), 'who has access'.length);
  return [
    `${s.stack}/${s.logicalId}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `  ${'who has access'.padEnd(width)}  ${s.access[0]}`,
    ...s.access.slice(1).map((a) => `  ${''.padEnd(width)}  ${a}`),
  ].join('\n');
}
