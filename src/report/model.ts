import { Arn, ArnFormat, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { IConstruct } from 'constructs';
import { consumerEntries, s3AccessOf } from './consumers';
import { Display } from './display';
import { mermaidOf } from './mermaid';
import { managedOf } from './report-facts';
import { CSE_CONTEXT_KEY } from '../analysis/client-side';
import { emrKeyReference } from '../analysis/emr';
import { deniesSseCUploads } from '../analysis/encryption';
import { grantsKeyPolicyAdministration } from '../analysis/key';
import { symmetricRequestQuota, SYMMETRIC_REQUEST_QUOTA_NAME } from '../analysis/kms-quotas';
import { renderedResources, resourcesOfStack, withRunCache } from '../analysis/template';
import { deniesInsecureTransport, minimumTlsDenied } from '../analysis/transport';
import { consumerPolicyDocument, sharedSidPart } from '../sharing/consumer-policy-document';
import { AccessLevel, Partner, PartnerKind, PrefixMatch } from '../sharing/partner';
import {
  bucketArnByName,
  constructSidPart,
  mergedStatementsOf,
  partnerIdentity,
  s3ViaService,
} from '../sharing/partner-policy';
import { RegistrySource, registrySourcesOf, sharesOf } from '../sharing/shares';
import { allowClientSideKeyUseByIdentity } from '../statements/client-side';
import { glueCatalogKeyUse } from '../statements/glue';
import { allowSharedKeyUse } from '../statements/partner-identity';
import {
  sidClientSideIdentityKeyUse,
  SID_ALLOW_KEY_ADMINISTRATION,
  SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS,
  SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS,
  SID_PREFIX_DENY_PARTNER_OUTSIDE_VPC_ENDPOINTS,
  sidPartnerBucketAccess,
  sidPartnerKeyUse,
  sidS3AuthorizedKeyUse,
} from '../statements/sids';

/**
 * Builds the access report of one stack (the JSON model; see the README
 * section "Access report" for its schema) from the synthesized template of
 * the stack and what the constructs recorded (partner shares, merged partner
 * statements). Everything is read, nothing is changed.
 */

/** Version of the report's JSON schema. Bumped on any incompatible change. */
export const REPORT_SCHEMA = 'cdk-data-protection/access-report@1';

/** The `service` of a partner grant on the Glue Data Catalog's key (`GlueDataCatalogEncryption.shareWith`). */
export const GLUE_DATA_CATALOG = 'Glue Data Catalog';

type Json = any;

interface Ctx {
  readonly stack: Stack;
  readonly d: Display;
  readonly resources: Record<string, Json>;
  readonly logicalIds: Map<IConstruct, string>;
  /** The stack's bucket policies, in template order. */
  readonly bucketPolicies: Json[];
  /** The stack's IAM policies, managed policies, roles and users, with their logical ids, in template order. */
  readonly identities: Array<[string, Json]>;
  /**
   * The conditions of each statement as {@link conditionsOf} shows them, by where the statement is:
   * every partner of a merged statement shows the same ones, shown once (n partners, not n times n accounts).
   */
  readonly conditions: Map<Json, Map<string, string[]>>;
  /** Each merged statement of an imported key, resolved once (not once per partner). */
  readonly resolvedMerged: Map<object, Json>;
  /** Template mode: the construct path of each logical id in the app the template came from. */
  readonly sourcePaths?: ReadonlyMap<string, string>;
  /** The partners read from bucket policy statements no share of this library wrote, with who they are. */
  readonly policyPartners: Map<Json, PolicyPartnerFacts>;
}

/** Who a partner read from a bucket policy statement is, for the stack's list of partners. */
interface PolicyPartnerFacts {
  readonly account?: string;
  readonly principalArn?: string;
  readonly organizationIds: string[];
  readonly bucketPath: string;
  readonly bucketArn: string;
  readonly keyArn: string | null;
  readonly sid: string;
}

/**
 * The report model of a stack.
 *
 * @param resources the `Resources` of the stack's template as synthesized; rendered from the tree when not given
 * @param sourcePaths template mode: the construct path of each logical id in the app that wrote the template
 *   (its `aws:cdk:logicalId` metadata), shown instead of the path under the `CfnInclude`
 */
export function buildReport(stack: Stack, resources?: Record<string, Json>, sourcePaths?: ReadonlyMap<string, string>): Json {
  return withRunCache(stack, () => buildReportNow(stack, resources ?? renderedResources(stack), true, sourcePaths));
}

/**
 * @param withConsumers whether to read the stack's consumer policies: not for the report of another stack a
 *   consumer grant is proven in (two stacks that consume from each other would never end)
 */
function buildReportNow(stack: Stack, resources: Record<string, Json>, withConsumers: boolean, sourcePaths?: ReadonlyMap<string, string>): Json {
  const logicalIds = new Map<IConstruct, string>();
  for (const c of resourcesOfStack(stack)) {
    logicalIds.set(c, stack.resolve(c.logicalId));
  }
  const entries = Object.entries(resources);
  const ctx: Ctx = {
    stack,
    d: new Display(stack),
    resources,
    logicalIds,
    bucketPolicies: entries.filter(([, r]) => r.Type === 'AWS::S3::BucketPolicy').map(([, r]) => r),
    identities: entries.filter(([, r]) => IDENTITY_TYPES.includes(r.Type)),
    conditions: new Map(),
    resolvedMerged: new Map(),
    sourcePaths,
    policyPartners: new Map(),
  };

  const inStack = stack.node.findAll().filter((c) => Stack.of(c) === stack);
  const buckets = inStack.filter((c): c is s3.Bucket => c instanceof s3.Bucket && logicalIdOf(ctx, c) !== undefined);
  const keyConstructs = inStack.filter((c): c is kms.Key => c instanceof kms.Key && logicalIdOf(ctx, c) !== undefined);
  // Template mode: buckets and keys no L2 owns (a CfnInclude of another app's template, an L1 written by hand).
  const rawBuckets = inStack.filter((c): c is s3.CfnBucket => c instanceof s3.CfnBucket && !ownedByL2(c) && logicalIdOf(ctx, c) !== undefined);
  const rawKeys = inStack.filter((c): c is kms.CfnKey => c instanceof kms.CfnKey && !ownedByL2(c) && logicalIdOf(ctx, c) !== undefined);
  const bucketEntries = [...buckets, ...rawBuckets].map((b) => bucketEntry(ctx, b));
  const keyEntries = [...keyConstructs, ...rawKeys].map((k) => keyEntry(ctx, k));
  for (const k of keyEntries) k.requestBudget = requestBudgetOf(ctx, k.logicalId, bucketEntries);
  const partners = [...partnerEntries(ctx, buckets, keyConstructs), ...policyPartnerEntries(ctx, bucketEntries)];

  const report = {
    schema: REPORT_SCHEMA,
    stack: {
      name: stack.stackName,
      path: stack.node.path,
      account: ctx.d.str(stack.account),
      region: ctx.d.str(stack.region),
    },
    buckets: bucketEntries,
    keys: keyEntries,
    partners,
    consumers: withConsumers
      ? consumerEntries({
        stack,
        d: ctx.d,
        resources,
        reportOf: (other) => withRunCache(other, () => buildReportNow(other, renderedResources(other), false)),
      })
      : [],
    mermaid: '',
  };
  report.mermaid = mermaidOf(report);
  return report;
}

/** Whether an L1 is the resource of an aws-cdk-lib L2 (`s3.Bucket`, `kms.Key`), which the report lists instead. */
function ownedByL2(cfn: CfnResource): boolean {
  const owner = cfn.node.scope;
  return (owner instanceof s3.Bucket || owner instanceof kms.Key) && owner.node.defaultChild === cfn;
}

/**
 * Who made an L1 the report lists in template mode: a `CfnInclude` of the app, or (the scan command, which
 * gives the source paths) the template of an app read without its constructs.
 */
function rawManagedBy(ctx: Ctx, cfn: CfnResource, type: string): string {
  const include = cfn.node.scopes.find((c) => c instanceof CfnInclude);
  if (include && ctx.sourcePaths) return 'the app\'s template (no cdk-data-protection construct)';
  return include ? `template (CfnInclude ${include.node.path})` : `aws-cdk-lib ${type}`;
}

/**
 * The path a reader knows a bucket or key by: in template mode the one of the app that wrote the template (an
 * L2's `Resource` child named by its L2, as in a synthesis report, and as the scan command's findings name it),
 * else the construct's own.
 */
function pathOf(ctx: Ctx, c: IConstruct): string {
  const id = ctx.sourcePaths && c instanceof CfnResource ? logicalIdOf(ctx, c) : undefined;
  const source = id !== undefined ? ctx.sourcePaths!.get(id) : undefined;
  return source !== undefined ? source.replace(/\/Resource$/, '') : c.node.path;
}

function logicalIdOf(ctx: Ctx, c: IConstruct): string | undefined {
  const cfn = c.node.defaultChild ?? c;
  return ctx.logicalIds.get(cfn);
}

function asList(v: unknown): any[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** Resource types whose policies grant the stack's own principals access (read for `ownerAccess` and key users). */
const IDENTITY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User'];

function refers(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(`"${logicalId}"`);
}

function bucketPolicyStatements(ctx: Ctx, bucketId: string): Json[] {
  const policy = ctx.bucketPolicies.find((r) => refers(r.Properties?.Bucket, bucketId));
  return policy?.Properties?.PolicyDocument?.Statement ?? [];
}

function encryptionName(algorithm: string | undefined): string {
  switch (algorithm) {
    case 'aws:kms':
      return 'SSE-KMS';
    case 'aws:kms:dsse':
      return 'DSSE-KMS';
    case 'AES256':
      return 'SSE-S3';
    default:
      // Since January 2023 S3 encrypts every new object with SSE-S3 when a bucket has no configuration.
      return 'SSE-S3 (S3 default)';
  }
}

/** Human form of a statement's conditions: `StringEquals kms:ViaService = s3.eu-west-1.amazonaws.com`. */
function conditionsOf(ctx: Ctx, statement: Json, where: string): string[] {
  const byWhere = ctx.conditions.get(statement) ?? new Map<string, string[]>();
  ctx.conditions.set(statement, byWhere);
  let shown = byWhere.get(where);
  if (shown === undefined) {
    shown = conditionsNow(ctx, statement, where);
    byWhere.set(where, shown);
  }
  return [...shown];
}

function conditionsNow(ctx: Ctx, statement: Json, where: string): string[] {
  const out: string[] = [];
  for (const [op, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
      const values = asList(ctx.d.json(value)).map(String);
      out.push(`${op} ${key} ${values.length > 1 ? 'in [' + values.join(', ') + ']' : '= ' + values[0]} (${where}${statement.Sid ? ' ' + statement.Sid : ''})`);
    }
  }
  return out;
}

function minimumTls(statements: Json[]): string | null {
  const versions = statements.map(minimumTlsDenied).filter((v): v is number => v !== undefined);
  return versions.length > 0 ? Math.max(...versions).toFixed(1) : null;
}

function tlsConditions(statements: Json[]): string[] {
  const out: string[] = [];
  const transport = statements.find((s) => deniesInsecureTransport(s) === true);
  if (transport) out.push(`aws:SecureTransport = true (bucket policy ${transport.Sid ?? 'deny'})`);
  const tls = minimumTls(statements);
  if (tls) {
    const sid = statements.find((s) => minimumTlsDenied(s) !== undefined)?.Sid;
    out.push(`s3:TlsVersion >= ${tls} (bucket policy ${sid ?? 'deny'})`);
  }
  return out;
}

function keyLogicalIdOfArn(resolvedKeyArn: unknown): string | undefined {
  const getAtt = (resolvedKeyArn as any)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) ? getAtt[0] : undefined;
}

/** Identity policies (of this stack) that name a resource, with the principals they are attached to. */
function identityGrants(ctx: Ctx, logicalId: string, concreteNames: string[]): Json[] {
  const out: Json[] = [];
  const principalOf = (ref: unknown, type: string): string => {
    const id = (ref as any)?.Ref;
    if (typeof id === 'string' && ctx.resources[id]?.Type === type) {
      return `\${${id}.Arn}`;
    }
    return ctx.d.str(ref);
  };
  const push = (policyId: string, doc: Json, attached: string[]) => {
    const statements = asList(doc?.Statement).filter(
      (s) => s.Effect === 'Allow' && (refers(s.Resource, logicalId) || concreteNames.some((n) => JSON.stringify(s.Resource ?? '').includes(n))),
    );
    if (statements.length === 0 || attached.length === 0) return;
    const actions = [...new Set(statements.flatMap((s) => asList(s.Action)))];
    for (const principal of attached) {
      out.push({ principal, actions, policy: policyId });
    }
  };
  for (const [id, r] of ctx.identities) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      const attached = [
        ...asList(p.Roles).map((x) => principalOf(x, 'AWS::IAM::Role')),
        ...asList(p.Users).map((x) => principalOf(x, 'AWS::IAM::User')),
        ...asList(p.Groups).map((x) => principalOf(x, 'AWS::IAM::Group')),
      ];
      push(id, p.PolicyDocument, attached);
    } else if (r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::User') {
      for (const inline of asList(p.Policies)) {
        push(`${id}/${inline.PolicyName}`, inline.PolicyDocument, [`\${${id}.Arn}`]);
      }
    }
  }
  return out;
}

function bucketEntry(ctx: Ctx, bucket: s3.Bucket | s3.CfnBucket): Json {
  const raw = bucket instanceof s3.CfnBucket ? bucket : undefined;
  const cfn = raw ?? (bucket.node.defaultChild as s3.CfnBucket);
  const managed = managedOf(bucket);
  const managedBy = managed?.managedBy ?? (raw ? rawManagedBy(ctx, raw, 's3.CfnBucket') : 'aws-cdk-lib s3.Bucket');
  const encryptionKey = managed?.encryptionKey;
  const id = logicalIdOf(ctx, bucket)!;
  const res = ctx.resources[id] ?? {};
  const p = res.Properties ?? {};
  const rule = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0] ?? {};
  const algorithm = rule.ServerSideEncryptionByDefault?.SSEAlgorithm;
  const keyRef = rule.ServerSideEncryptionByDefault?.KMSMasterKeyID;
  const keyId = keyLogicalIdOfArn(keyRef);
  const key = keyId ? ctx.resources[keyId] : undefined;
  const statements = bucketPolicyStatements(ctx, id);
  const bpa = p.PublicAccessBlockConfiguration ?? {};
  const cfnName = raw ? p.BucketName : cfn.bucketName;
  const shownName = cfnName !== undefined ? ctx.d.json(cfnName) : undefined;
  const name = typeof shownName === 'string' ? shownName : `\${${id}}`;
  const arnByName = raw ? (typeof shownName === 'string' ? `arn:${ctx.d.str(ctx.stack.partition)}:s3:::${shownName}` : undefined) : bucketArnByName(bucket as s3.Bucket, bucket);
  const arn = arnByName !== undefined ? ctx.d.str(arnByName) : `\${${id}.Arn}`;
  const logging = p.LoggingConfiguration;
  const sseCDeny = statements.some((s) => deniesSseCUploads(s) === true);
  const tls = tlsConditions(statements);

  const shares = raw ? [] : sharesOf(bucket as s3.Bucket);
  const partners: Json[] = shares.map((share) => {
    const bucketSid = sidPartnerBucketAccess(share.access, share.partner, share.prefix);
    const ap = share.accessPoint;
    const apId = ap ? logicalIdOf(ctx, ap.resource) : undefined;
    // through an access point: its policy names the partner, the key statement names no partner (S3 decides who)
    const bucketPart = constructSidPart(bucket);
    const keySid = ap ? sidS3AuthorizedKeyUse(share.access, bucketPart) : sidPartnerKeyUse(share.access, share.partner, bucketPart);
    const sharedIn: Json[] = ap ? asList(apId ? ctx.resources[apId]?.Properties?.Policy?.Statement : undefined) : statements;
    const bucketStatements = sharedIn.filter((s) => s.Sid === bucketSid || s.Sid === `${bucketSid}List`);
    const keyStatement = keyId
      ? asList(ctx.resources[keyId]?.Properties?.KeyPolicy?.Statement).find((s: Json) => s.Sid === keySid)
      : encryptionKey
        ? resolvedMergedStatement(ctx, mergedStatementsOf(encryptionKey).find((m) => m.sid === keySid))
        : undefined;
    return {
      partner: partnerLabel(ctx, share.partner),
      kind: share.partner.kind,
      access: share.access,
      prefix: share.prefix ?? null,
      prefixMatch: share.prefix !== undefined ? (share.prefixMatch ?? PrefixMatch.FOLDER) : null,
      accessPoint: ap ? { name: ap.name, arn: ctx.d.str(ap.arn), alias: apId ? `\${${apId}.Alias}` : null, logicalId: apId ?? null } : null,
      s3Actions: [...new Set(bucketStatements.flatMap((s) => asList(s.Action)))],
      kmsActions: keyStatement ? asList(keyStatement.Action) : [],
      bucketPolicySids: bucketStatements.map((s) => s.Sid),
      keyPolicySid: keyStatement?.Sid ?? null,
      keyPolicyManagedHere: keyId !== undefined,
      keyPolicyStatementToAdd: keyId === undefined && keyStatement ? ctx.d.json(keyStatement) : null,
      ownerAccount: ownerAccountScope(share.partner),
      registryEntries: registryEntriesOf(registrySourcesOf(bucket, bucketSid, share.partner)),
      conditions: [
        ...tls,
        ...ownerAccountLine(ctx, share.partner, bucketSid),
        ...(share.prefix !== undefined ? [prefixScope(share.prefix, share.prefixMatch, bucketSid)] : []),
        ...bucketStatements.flatMap((s) => conditionsOf(ctx, s, ap ? `policy of access point ${ap.name}` : 'bucket policy')),
        ...(keyStatement ? conditionsOf(ctx, keyStatement, keyId ? 'key policy' : 'key policy, to be added by the key administrators') : []),
      ],
    };
  });
  // Allows no share of this library wrote (a raw L1, aws-cdk-lib's grant* or addToResourcePolicy, an override).
  const shareSids = new Set(partners.flatMap((x) => x.bucketPolicySids));
  const pathShown = pathOf(ctx, bucket);
  const keyArnShown = keyRef !== undefined ? ctx.d.str(keyRef) : null;
  partners.push(...policyPartners(ctx, statements, shareSids, keyId, tls, pathShown, arn, keyArnShown));

  const concreteNames = cfnName !== undefined && !Token.isUnresolved(cfnName) ? [cfnName] : [];
  const ownerAccess = identityGrants(ctx, id, concreteNames);

  return {
    path: pathOf(ctx, bucket),
    logicalId: id,
    managedBy,
    name,
    arn,
    encryption: encryptionName(algorithm),
    keyArn: keyRef !== undefined ? ctx.d.str(keyRef) : null,
    keyManagedInStack: keyId !== undefined,
    keyRotationDays: key ? (key.Properties?.EnableKeyRotation ? key.Properties?.RotationPeriodInDays ?? 365 : 0) : null,
    bucketKey: algorithm === 'aws:kms' ? rule.BucketKeyEnabled === true : null,
    tlsRequired: tls.length > 0,
    minimumTlsVersion: minimumTls(statements),
    sseCBlocked: asList(rule.BlockedEncryptionTypes?.EncryptionType).includes('SSE-C') || sseCDeny,
    publicAccessBlocked: ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => bpa[k] === true),
    objectOwnership: p.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
    versioning: p.VersioningConfiguration?.Status === 'Enabled',
    accessLogging: logging ? { destination: ctx.d.str(logging.DestinationBucketName ?? `\${${id}}`), prefix: logging.LogFilePrefix ?? '' } : null,
    retained: res.DeletionPolicy === 'Retain',
    network: networkOf(ctx, statements),
    ownerAccess: {
      account: ctx.d.str(ctx.stack.account),
      note: 'principals of the owner account whose IAM policies allow it (the bucket policy denies what its deny statements say, for them too)',
      grants: ownerAccess,
      alsoThroughOrganizationShares: partners.filter((s) => s.ownerAccount === 'included').map((s) => s.partner),
    },
    partners,
    bucketPolicySids: statements.map((s) => s.Sid ?? null),
  };
}

/**
 * The partners of a bucket that no share of this library grants, read from the allow statements of its
 * bucket policy (those whose Sid is not in `shareSids`) that name principals of another account (an
 * account, a role or user of one, or an organization), with the key policy statement that allows the same
 * principal, if any: every bucket of a template-mode report, and the allows aws-cdk-lib's `grant*`,
 * `addToResourcePolicy`, raw L1s and overrides add to buckets of this library.
 */
function policyPartners(
  ctx: Ctx,
  statements: Json[],
  shareSids: ReadonlySet<string>,
  keyId: string | undefined,
  tls: string[],
  bucketPath: string,
  bucketArn: string,
  keyArn: string | null,
): Json[] {
  const account = ctx.d.str(ctx.stack.account);
  const keyStatements = keyId ? asList(ctx.resources[keyId]?.Properties?.KeyPolicy?.Statement).filter((s: Json) => s.Effect === 'Allow') : [];
  const principalsOf = (s: Json): string[] => [...asList(s.Principal === '*' ? '*' : s.Principal?.AWS)].map((x) => ctx.d.str(x));
  const out: Json[] = [];
  statements.forEach((s, index) => {
    if (s.Effect !== 'Allow' || (s.Sid !== undefined && shareSids.has(s.Sid))) return;
    const s3Actions = asList(s.Action).filter((a: unknown) => typeof a === 'string' && (a === '*' || /^s3:/i.test(a)));
    if (s3Actions.length === 0) return;
    const objectPaths = asList(s.Resource).map((r) => ctx.d.str(r)).map((r) => /^(?:arn:[^:]+:s3:::[^/]+|\$\{[A-Za-z0-9]+\.Arn\})\/(.*)$/.exec(r)?.[1]).filter((x): x is string => x !== undefined);
    const prefix = objectPaths.length === 1 && objectPaths[0] !== '*' ? objectPaths[0].replace(/\*$/, '') : null;
    const org = asList(ctx.d.json(s.Condition?.StringEquals?.['aws:PrincipalOrgID']));
    for (const principal of principalsOf(s)) {
      const m = /^(?:arn:[^:]+:iam::)?(\d{12})(?::root)?$/.exec(principal) ?? /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal);
      const named = m !== null && !/^(?:arn:[^:]+:iam::)?\d{12}(?::root)?$/.test(principal);
      if (m && m[1] === account) continue; // the owner account's own principals: ownerAccess
      if (!m && !(principal === '*' && org.length > 0)) continue; // services, or principals the report cannot place
      const label = m ? (named ? `${principal} (account ${m[1]})` : `account ${m[1]}`) : `organization ${org.join(', ')}`;
      const keyStatement = keyStatements.find((k: Json) => principalsOf(k).includes(principal) && asList(k.Action).some((a: string) => /^kms:/i.test(a) || a === '*'));
      const entry = {
        partner: label,
        kind: m ? (named ? PartnerKind.PRINCIPALS : PartnerKind.ACCOUNT) : PartnerKind.ORGANIZATION,
        access: s3AccessOf(s3Actions),
        prefix,
        prefixMatch: prefix === null ? null : prefix.endsWith('/') ? PrefixMatch.FOLDER : PrefixMatch.KEY_NAME,
        s3Actions,
        kmsActions: keyStatement ? asList(keyStatement.Action) : [],
        bucketPolicySids: [s.Sid ?? null],
        keyPolicySid: keyStatement?.Sid ?? null,
        keyPolicyManagedHere: keyId !== undefined,
        keyPolicyStatementToAdd: null,
        ownerAccount: null,
        conditions: [
          ...tls,
          ...conditionsOf(ctx, s, 'bucket policy'),
          ...(keyStatement ? conditionsOf(ctx, keyStatement, 'key policy') : []),
        ],
      };
      out.push(entry);
      ctx.policyPartners.set(entry, {
        account: m?.[1],
        principalArn: named ? principal : undefined,
        organizationIds: m ? [] : org.map((o) => ctx.d.str(o)),
        bucketPath,
        bucketArn,
        keyArn,
        sid: s.Sid ?? `statement ${index + 1}`,
      });
    }
  });
  return out;
}

/**
 * The stack's partners that bucket policy statements no share of this library wrote allow, one per partner
 * label: their grants, and no IAM policy (this library did not write the share, so it cannot say which
 * statements the partner needs; `grantedBy` names the statements that allow it).
 */
function policyPartnerEntries(ctx: Ctx, bucketEntries: Json[]): Json[] {
  const byLabel = new Map<string, Json>();
  for (const b of bucketEntries) {
    for (const p of asList(b.partners)) {
      const facts = ctx.policyPartners.get(p);
      if (!facts) continue;
      let entry = byLabel.get(p.partner);
      if (!entry) {
        entry = {
          partner: p.partner,
          kind: p.kind,
          accounts: facts.account ? [facts.account] : [],
          principalArns: facts.principalArn ? [facts.principalArn] : [],
          organizationIds: facts.organizationIds,
          organizationPaths: [],
          grants: [],
          iamPolicy: null,
          grantedBy: [],
        };
        byLabel.set(p.partner, entry);
      }
      entry.grants.push({ bucket: facts.bucketPath, bucketArn: facts.bucketArn, keyArn: facts.keyArn, access: p.access, prefix: p.prefix });
      entry.grantedBy.push(`bucket policy of ${facts.bucketPath}, ${facts.sid.startsWith('statement ') ? facts.sid : `Sid ${facts.sid}`}`);
    }
  }
  return [...byLabel.values()];
}

/** A merged statement of an imported key as the key administrators are to add it, resolved once per report. */
function resolvedMergedStatement(ctx: Ctx, merged: iam.PolicyStatement | undefined): Json {
  if (merged === undefined) {
    return undefined;
  }
  if (!ctx.resolvedMerged.has(merged)) {
    ctx.resolvedMerged.set(merged, ctx.stack.resolve(merged.toStatementJson()));
  }
  return ctx.resolvedMerged.get(merged);
}

/** The endpoint restriction of a bucket, read from its policy (VpcEndpointAccess). */
function networkOf(ctx: Ctx, statements: Json[]): Json {
  const deny = statements.find((s) => s.Effect === 'Deny' && s.Sid === SID_DENY_DATA_ACCESS_OUTSIDE_VPC_ENDPOINTS);
  if (!deny) {
    return null;
  }
  const c = deny.Condition ?? {};
  const shown = (v: unknown) => asList(ctx.d.json(v)).map(String);
  const partnerDenies = statements.filter((s) => s.Effect === 'Deny' && String(s.Sid ?? '').startsWith(SID_PREFIX_DENY_PARTNER_OUTSIDE_VPC_ENDPOINTS));
  return {
    s3EndpointIds: shown(c.StringNotEquals?.['aws:SourceVpce']),
    deniedActions: asList(deny.Action),
    exempt: [
      ...shown(c.ArnNotLike?.['aws:PrincipalArn']).map((a) => `principal ${a}`),
      ...shown(c.StringNotEquals?.['aws:PrincipalAccount']).map((a) => `account ${a}`),
      ...shown(c.StringNotEquals?.['aws:PrincipalOrgID']).map((o) => `organization ${o}`),
      ...shown(c['ForAllValues:StringNotLike']?.['aws:PrincipalOrgPaths']).map((o) => `organization path ${o}`),
      ...(c.BoolIfExists?.['aws:ViaAWSService'] !== undefined ? ['calls AWS services make on a principal\'s behalf (aws:ViaAWSService)'] : []),
      ...(c.BoolIfExists?.['aws:PrincipalIsAWSService'] !== undefined ? ['AWS service principals (aws:PrincipalIsAWSService)'] : []),
    ],
    partnerEndpointRestrictions: partnerDenies.map((s) => ({ sid: s.Sid, s3EndpointIds: shown(s.Condition?.StringNotEquals?.['aws:SourceVpce']) })),
    bucketPolicyManagementDenied: asList(deny.Action).some((a: string) => a === 's3:*' || /BucketPolicy/.test(a)),
    sid: deny.Sid,
  };
}

function keyEntry(ctx: Ctx, key: kms.Key | kms.CfnKey): Json {
  const managed = managedOf(key);
  const id = logicalIdOf(ctx, key)!;
  const res = ctx.resources[id] ?? {};
  const p = res.Properties ?? {};
  const statements: Json[] = asList(p.KeyPolicy?.Statement);
  const partnerSids = new Set(mergedStatementsOf(key).map((m) => m.sid));
  const principalsOf = (s: Json): string[] => {
    const pr = s.Principal;
    if (pr === '*' || pr?.AWS === '*') return ['*'];
    return [...asList(pr?.AWS), ...asList(pr?.Service)].map((x) => ctx.d.str(x));
  };
  const administrators = statements
    .filter((s) => s.Effect === 'Allow' && (grantsKeyPolicyAdministration(s) || s.Sid === SID_ALLOW_KEY_ADMINISTRATION))
    .map((s) => ({ principals: principalsOf(s), actions: asList(s.Action), sid: s.Sid ?? null }));
  const partners = statements
    .filter((s) => partnerSids.has(s.Sid))
    .map((s) => {
      const merged = mergedStatementsOf(key).find((m) => m.sid === s.Sid)!;
      return {
        partners: merged.partners.map((x) => partnerLabel(ctx, x)),
        actions: asList(s.Action),
        sid: s.Sid,
        conditions: conditionsOf(ctx, s, 'key policy'),
        registryEntries: registryEntriesOf(registrySourcesOf(key, s.Sid)),
      };
    });
  const otherAllows = statements
    .filter((s) => s.Effect === 'Allow' && !partnerSids.has(s.Sid) && !administrators.some((a) => a.sid !== null && a.sid === s.Sid) && !grantsKeyPolicyAdministration(s))
    .map((s) => ({ principals: principalsOf(s), actions: asList(s.Action), sid: s.Sid ?? null, conditions: conditionsOf(ctx, s, 'key policy') }));
  return {
    path: managed?.path ?? pathOf(ctx, key),
    logicalId: id,
    managedBy: managed?.managedBy ?? (key instanceof kms.CfnKey ? rawManagedBy(ctx, key, 'kms.CfnKey') : 'aws-cdk-lib kms.Key'),
    arn: `\${${id}.Arn}`,
    rotationDays: p.EnableKeyRotation ? p.RotationPeriodInDays ?? 365 : 0,
    pendingWindowDays: p.PendingWindowInDays ?? 30,
    retained: res.DeletionPolicy === 'Retain',
    multiRegion: p.MultiRegion === true,
    directUseOnlyThrough: (() => {
      const deny = statements.find((s) => s.Effect === 'Deny' && s.Sid === SID_DENY_DIRECT_KEY_USE_OUTSIDE_VPCS);
      return deny ? asList(ctx.d.json(deny.Condition?.StringNotEquals?.['aws:SourceVpc'])).map(String) : null;
    })(),
    administrators,
    users: [
      ...identityGrants(ctx, id, []).map((g) => ({ ...g, via: 'IAM policy (the key policy lets the account delegate to IAM)' })),
      ...otherAllows.map((a) => ({ principal: a.principals.join(', '), actions: a.actions, policy: `key policy ${a.sid ?? ''}`.trim(), via: 'key policy', conditions: a.conditions })),
    ],
    partners,
  };
}

/**
 * The resource types (besides buckets) whose template names the KMS key they encrypt with, and where.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html#cfn-sns-topic-kmsmasterkeyid
 */
const KEY_USING_TYPES: ReadonlyArray<readonly [string, (p: Json) => unknown]> = [
  ['AWS::SNS::Topic', (p) => p.KmsMasterKeyId],
  ['AWS::SQS::Queue', (p) => p.KmsMasterKeyId],
  ['AWS::Kinesis::Stream', (p) => p.StreamEncryption?.KeyId],
  ['AWS::KinesisFirehose::DeliveryStream', (p) => p.DeliveryStreamEncryptionConfigurationInput?.KeyARN],
  ['AWS::Logs::LogGroup', (p) => p.KmsKeyId],
  ['AWS::DynamoDB::Table', (p) => p.SSESpecification?.KMSMasterKeyId],
  ['AWS::SecretsManager::Secret', (p) => p.KmsKeyId],
  ['AWS::EMR::SecurityConfiguration', (p) => emrKeyReference(p)],
  ['AWS::Redshift::Cluster', (p) => p.KmsKeyId],
  ['AWS::RedshiftServerless::Namespace', (p) => p.KmsKeyId],
  // the catalog at rest and the connection passwords: either key counts
  ['AWS::Glue::DataCatalogEncryptionSettings', (p) => [
    p.DataCatalogEncryptionSettings?.EncryptionAtRest?.SseAwsKmsKeyId,
    p.DataCatalogEncryptionSettings?.ConnectionPasswordEncryption?.KmsKeyId,
  ]],
  ['AWS::Glue::SecurityConfiguration', (p) => p.EncryptionConfiguration?.S3Encryptions?.[0]?.KmsKeyArn],
  ['AWS::Athena::WorkGroup', (p) => p.WorkGroupConfiguration?.ResultConfiguration?.EncryptionConfiguration?.KmsKey],
];

/** The logical id of the stack's key a `Ref` or `Fn::GetAtt` names, directly or through an alias of this stack. */
function keyLogicalIdIn(ctx: Ctx, value: unknown, depth = 0): string | undefined {
  const v = value as any;
  const id = typeof v?.Ref === 'string' ? v.Ref : Array.isArray(v?.['Fn::GetAtt']) ? v['Fn::GetAtt'][0] : undefined;
  const target = typeof id === 'string' ? ctx.resources[id] : undefined;
  if (target?.Type === 'AWS::KMS::Key') return id;
  if (target?.Type === 'AWS::KMS::Alias' && depth === 0) return keyLogicalIdIn(ctx, target.Properties?.TargetKeyId, 1);
  return undefined;
}

/** The path a reader knows a resource of the template by: its L2's when it is one's resource, else its own. */
function resourcePath(ctx: Ctx, logicalId: string): string {
  for (const [c, id] of ctx.logicalIds) {
    if (id !== logicalId) continue;
    const source = ctx.sourcePaths?.get(id);
    if (source !== undefined) return source.replace(/\/Resource$/, '');
    const owner = c.node.scope;
    return owner && owner.node.defaultChild === c ? owner.node.path : c.node.path;
  }
  return logicalId;
}

/**
 * What a key of the stack spends of the account's shared KMS request quota: the stack's buckets whose default
 * encryption names it (with their S3 Bucket Key), the other resources encrypting with it, the Region's
 * documented default quota, and a warning for each SSE-KMS bucket without a Bucket Key.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 */
function requestBudgetOf(ctx: Ctx, keyId: string, bucketEntries: Json[]): Json {
  const usedBy: Json[] = [];
  for (const b of bucketEntries) {
    const rule = ctx.resources[b.logicalId]?.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
    if (keyLogicalIdIn(ctx, rule?.ServerSideEncryptionByDefault?.KMSMasterKeyID) !== keyId) continue;
    usedBy.push({ kind: 'bucket', path: b.path, logicalId: b.logicalId, encryption: b.encryption, bucketKey: b.bucketKey });
  }
  for (const [logicalId, r] of Object.entries(ctx.resources)) {
    const keyOf = KEY_USING_TYPES.find(([type]) => type === r.Type)?.[1];
    if (!keyOf || ![keyOf(r.Properties ?? {})].flat().some((v) => keyLogicalIdIn(ctx, v) === keyId)) continue;
    usedBy.push({ kind: r.Type, path: resourcePath(ctx, logicalId), logicalId, encryption: null, bucketKey: null });
  }
  const region = ctx.stack.region;
  const quota = symmetricRequestQuota(region);
  const shown = quota.perSecond === null ? 'the Region\'s' : `the Region's default of ${quota.perSecond.toLocaleString('en-US')} requests per second`;
  const warnings = usedBy
    .filter((u) => u.kind === 'bucket' && u.encryption === 'SSE-KMS' && u.bucketKey === false)
    .map((u) =>
      `bucket ${u.path} uses SSE-KMS with its S3 Bucket Key off: every object upload and download calls AWS KMS ` +
      `(GenerateDataKey, Decrypt), counting against ${shown} "${SYMMETRIC_REQUEST_QUOTA_NAME}" shared by every symmetric key of the account; ` +
      'turn bucketKeyEnabled on (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html)',
    );
  return {
    region: ctx.d.str(region),
    quotaName: SYMMETRIC_REQUEST_QUOTA_NAME,
    defaultQuotaPerSecond: quota.perSecond,
    quotaSource: quota.source,
    usedBy,
    warnings,
  };
}

function keyRegion(key: kms.IKey): string {
  if (!Token.isUnresolved(key.keyArn)) {
    return Arn.split(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME).region ?? Stack.of(key).region;
  }
  return Stack.of(key).region;
}

interface PartnerAcc {
  readonly partner: Partner;
  readonly grants: Json[];
  readonly statements: iam.PolicyStatement[];
  /** The shares its statements came from, when all came from shares (the same shares give the same IAM policy). */
  readonly shareKeys: string[];
  shareOnly: boolean;
}

function partnerEntries(ctx: Ctx, buckets: s3.Bucket[], keys: kms.Key[]): Json[] {
  const byId = new Map<string, PartnerAcc>();
  const accOf = (partner: Partner): PartnerAcc => {
    const k = partnerIdentity(partner);
    if (!byId.has(k)) byId.set(k, { partner, grants: [], statements: [], shareKeys: [], shareOnly: true });
    return byId.get(k)!;
  };
  const covered = new Set<string>();
  // Thousands of partners share a handful of (bucket, access, prefix, access point): their consumer statements are built once each.
  const shareStatements = new Map<string, iam.PolicyStatement[]>();
  for (const bucket of buckets) {
    const key = managedOf(bucket)?.encryptionKey ?? bucket.encryptionKey;
    for (const share of sharesOf(bucket)) {
      const acc = accOf(share.partner);
      const bucketArn = bucketArnByName(bucket, bucket) ?? bucket.bucketArn;
      const keyArn = key?.keyArn;
      acc.grants.push({
        bucket: bucket.node.path,
        bucketArn: ctx.d.str(bucketArn),
        keyArn: keyArn ? ctx.d.str(keyArn) : null,
        access: share.access,
        prefix: share.prefix ?? null,
        registryEntries: registryEntriesOf(
          registrySourcesOf(bucket, sidPartnerBucketAccess(share.access, share.partner, share.prefix), share.partner),
        ),
        ...(share.accessPoint ? { accessPointArn: ctx.d.str(share.accessPoint.arn), accessPointName: share.accessPoint.name } : {}),
      });
      if (key) {
        covered.add(`${partnerIdentity(share.partner)}|${sidPartnerKeyUse(share.access, share.partner, constructSidPart(bucket))}`);
        const shareKey = JSON.stringify([bucket.node.path, share.access, share.prefix ?? null, share.accessPoint?.name ?? null]);
        let built = shareStatements.get(shareKey);
        if (!built) {
          const via = s3ViaService(keyRegion(key), bucket);
          const document = consumerPolicyDocument(bucketArn, key.keyArn, share.access, share.prefix, via, bucket, undefined, share.accessPoint?.arn);
          built = statementsOf(document);
          shareStatements.set(shareKey, built);
        }
        acc.statements.push(...built);
        acc.shareKeys.push(shareKey);
      }
    }
  }
  // Key grants that are not part of a bucket share (CrossAccountSharedKey.grantPartner).
  for (const key of keys) {
    for (const merged of mergedStatementsOf(key)) {
      const json = ctx.stack.resolve(merged.toStatementJson());
      for (const partner of merged.partners) {
        if (covered.has(`${partnerIdentity(partner)}|${merged.sid}`)) continue;
        const acc = accOf(partner);
        if (asList(json.Condition?.StringEquals?.[`kms:EncryptionContext:${CSE_CONTEXT_KEY}`]).length > 0) {
          // client-side encryption (S3 Encryption Client): KMS called directly, no bucket in the key statement
          const actions = asList(json.Action);
          const cseAccess = actions.length > 1 ? AccessLevel.READ_WRITE : actions.includes('kms:Decrypt') ? AccessLevel.READ : AccessLevel.WRITE;
          acc.grants.push({ bucket: null, bucketArn: null, keyArn: ctx.d.str(key.keyArn), access: cseAccess, prefix: null, encryption: 'CSE' });
          acc.statements.push(allowClientSideKeyUseByIdentity(key.keyArn, cseAccess, sidClientSideIdentityKeyUse(cseAccess)));
          continue;
        }
        const access = accessOfKmsActions(asList(json.Action));
        const via = asList(json.Condition?.StringEquals?.['kms:ViaService'])[0] ?? s3ViaService(keyRegion(key), key);
        if (typeof via === 'string' && via.startsWith('glue.')) {
          // the Data Catalog's key (GlueDataCatalogEncryption.shareWith): KMS through Glue, no bucket
          acc.grants.push({ bucket: null, bucketArn: null, keyArn: ctx.d.str(key.keyArn), access, prefix: null, service: GLUE_DATA_CATALOG });
          acc.shareOnly = false;
          const caller = partner._accounts()[0] ?? '${aws:PrincipalAccount}';
          acc.statements.push(glueCatalogKeyUse(key.keyArn, via, caller, access));
          continue;
        }
        const ec = asList(json.Condition?.StringLikeIfExists?.['kms:EncryptionContext:aws:s3:arn'])[0];
        acc.grants.push({
          bucket: null,
          bucketArn: ec ? ctx.d.str(ec) : null,
          keyArn: ctx.d.str(key.keyArn),
          access,
          prefix: null,
          registryEntries: registryEntriesOf(merged.sid !== undefined ? registrySourcesOf(key, merged.sid, partner) : []),
        });
        acc.shareOnly = false;
        const bucketArn = ec ?? `arn:${ctx.stack.partition}:s3:::*`;
        acc.statements.push(allowSharedKeyUse(key.keyArn, access, via, bucketArn, sharedSidPart(ec ? ctx.d.str(ec) : bucketArn)));
      }
    }
  }
  const iamPolicies = new Map<string, unknown>();
  const iamPolicyOf = (acc: PartnerAcc): unknown => {
    // The Sids CrossAccountConsumerPolicy writes for each grant (they name the bucket and prefix);
    // only two grants whose buckets' names differ in punctuation alone could meet, and are told apart.
    const seen = new Map<string, number>();
    const statements = acc.statements.map((s) => {
      const json = s.toStatementJson();
      const n = (seen.get(json.Sid) ?? 0) + 1;
      seen.set(json.Sid, n);
      return n === 1 ? json : { ...json, Sid: `${json.Sid}${n}` };
    });
    return ctx.d.json({ Version: '2012-10-17', Statement: statements });
  };
  return [...byId.values()].map((acc) => {
    const p = acc.partner;
    const cacheKey = acc.shareOnly ? acc.shareKeys.join('\n') : undefined;
    let iamPolicy = cacheKey !== undefined ? iamPolicies.get(cacheKey) : undefined;
    if (iamPolicy === undefined) {
      iamPolicy = iamPolicyOf(acc);
      if (cacheKey !== undefined) iamPolicies.set(cacheKey, iamPolicy);
    }
    return {
      partner: partnerLabel(ctx, p),
      kind: p.kind,
      accounts: p._accounts().map((a) => ctx.d.str(a)),
      principalArns: p.principalArns.map((a) => ctx.d.str(a)),
      organizationIds: p._organizations().map((o) => ctx.d.str(o)),
      organizationPaths: p.principalOrgPaths.map((o) => ctx.d.str(o)),
      grants: acc.grants,
      iamPolicy,
    };
  });
}

/** The registry entries behind a share or statement, as the report shows them: `{ file, line, entry, note }`. */
function registryEntriesOf(sources: RegistrySource[]): Json[] {
  return sources.map((s) => ({ file: s.file, line: s.line, entry: `partners[${s.index}]`, note: s.note ?? null }));
}

/**
 * A partner as people read it (`account 222222222222`), with tokens shown
 * the way `cdk diff` shows them (`Partner.toString` would print raw tokens).
 */
function partnerLabel(ctx: Ctx, p: Partner): string {
  return p._describe((v) => ctx.d.str(v));
}

function statementsOf(doc: iam.PolicyDocument): iam.PolicyStatement[] {
  return (doc.toJSON()?.Statement ?? []).map((s: Json) => iam.PolicyStatement.fromJson(s));
}

function accessOfKmsActions(actions: string[]): AccessLevel {
  const write = actions.includes('kms:GenerateDataKey');
  const readOnly = !write;
  return readOnly ? AccessLevel.READ : actions.length > 3 ? AccessLevel.READ_WRITE : AccessLevel.WRITE;
}

/** What a share prefix opens, as the report says it. */
/** For an organization share: whether the owner account's principals are part of it (`null` for accounts and named principals). */
function ownerAccountScope(partner: Partner): 'excluded' | 'included' | null {
  if (partner.kind !== PartnerKind.ORGANIZATION && partner.kind !== PartnerKind.ORGANIZATION_PATHS) {
    return null;
  }
  return partner.includeOwnerAccount ? 'included' : 'excluded';
}

/** The line saying whether an organization share leaves the owner account out. */
function ownerAccountLine(ctx: Ctx, partner: Partner, sid: string): string[] {
  const scope = ownerAccountScope(partner);
  const account = ctx.d.str(ctx.stack.account);
  if (scope === 'excluded') {
    return [`principals of the owner account ${account} excluded: they have only what their own IAM policies give them (bucket policy ${sid}, aws:PrincipalAccount)`];
  }
  if (scope === 'included') {
    return [`includes the owner account ${account}: every principal of it reaches the data through the resource policies alone, without an IAM policy of its own (includeOwnerAccount, bucket policy ${sid})`];
  }
  return [];
}

function prefixScope(prefix: string, match: PrefixMatch | undefined, sid: string): string {
  return match === PrefixMatch.KEY_NAME
    ? `every object whose key starts with ${prefix}, whatever follows (a raw key-name prefix, not a folder) (bucket policy ${sid})`
    : `the objects in the folder ${prefix} only (bucket policy ${sid})`;
}
