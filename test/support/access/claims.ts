/**
 * Checks an assembly's access reports against the simulation: every access
 * a report claims is allowed, and principals no report names are denied.
 * Also the entry point for benchmarks: {@link evaluateScenarios}.
 */
import { performance } from 'perf_hooks';
import {
  AccessSimulator,
  administrator,
  Caller,
  definedPrincipal,
  HTTP,
  Network,
  OperationResult,
  outsider,
  partnerWithPolicy,
  simulationCount,
  TLS_11,
  TLS_12,
  TLS_13,
} from './evaluate';
import { asList, World } from './world';
import { THIRD } from '../stack';

export const STRANGER_ACCOUNT = THIRD;
export const STRANGER_ORG = 'o-zzzzzzzzzz99';

export interface Check {
  readonly name: string;
  readonly expected: 'allowed' | 'denied';
  readonly result: OperationResult;
  readonly ok: boolean;
}

/** A caller standing for a partner entry of a report, with the IAM policy the report says it attaches. */
export function callerForPartner(reportPartner: any, iamPolicy: any, r: { subAll(v: any): any }): Caller {
  // Partner values may be placeholders such as ${AWS::AccountId}: resolve them like the policies.
  const partner = r.subAll(reportPartner);
  switch (partner.kind) {
    case 'PRINCIPALS':
      return partnerWithPolicy(partner.principalArns[0], iamPolicy);
    case 'ACCOUNT':
      return partnerWithPolicy(`arn:aws:iam::${partner.accounts[0]}:role/report-partner`, iamPolicy);
    case 'ORGANIZATION':
      return partnerWithPolicy('arn:aws:iam::555555555555:role/report-partner', iamPolicy, { orgId: partner.organizationIds[0] });
    default: {
      const path = String(partner.organizationPaths[0]).replace(/\*$/, '');
      return partnerWithPolicy('arn:aws:iam::555555555555:role/report-partner', iamPolicy, { orgId: path.split('/')[0], orgPaths: [path] });
    }
  }
}

/**
 * An object key the caller's identity policies name for an action matching `action` under `bucketArn`:
 * the first such resource, its trailing `*` replaced by `name` (a grant scoped to a prefix is checked
 * under that prefix), else `name` itself.
 */
function grantedObjectKey(caller: Caller, bucketArn: string, action: RegExp, name: string): string {
  for (const { policy } of caller.identityPolicies) {
    for (const s of asList(policy.Statement)) {
      if (s.Effect !== 'Allow' || !asList(s.Action).some((a: string) => action.test(a))) continue;
      for (const resource of asList(s.Resource)) {
        if (typeof resource === 'string' && resource.startsWith(`${bucketArn}/`)) {
          const rest = resource.slice(bucketArn.length + 1);
          return rest.endsWith('*') ? `${rest.slice(0, -1)}${name}` : rest;
        }
      }
    }
  }
  return name;
}

function networkFor(bucketEntry: any): Network {
  return bucketEntry.minimumTlsVersion === '1.3' ? TLS_13 : TLS_12;
}

/** Runs every check of every stack that has a report. */
export async function checkReportClaims(world: World): Promise<Check[]> {
  const sim = new AccessSimulator(world);
  const checks: Check[] = [];
  const expect = async (name: string, expected: 'allowed' | 'denied', run: Promise<OperationResult>) => {
    const result = await run;
    checks.push({ name, expected, result, ok: result.allowed === (expected === 'allowed') });
  };
  for (const stack of world.assembly.stacks) {
    const report = stack.report;
    if (!report) continue;
    const r = world.resolver(stack.id);
    for (const b of report.buckets) {
      const bucket = world.bucket(`${stack.id}/${b.logicalId}`);
      const net = networkFor(b);
      const objectKey = 'claim-check/data.csv';
      if (bucket.keyArn && !world.keys.has(bucket.keyArn)) {
        // An imported key: its policy is not in the assembly. The report gives the statements its
        // administrators must add; the key is modelled with the account's own statement plus those.
        const toAdd = new Map<string, any>();
        for (const share of b.partners) {
          if (share.keyPolicyStatementToAdd) toAdd.set(share.keyPolicyStatementToAdd.Sid, r.subAll(share.keyPolicyStatementToAdd));
        }
        sim.addExternalKey(bucket.keyArn, {
          Version: '2012-10-17',
          Statement: [{ Sid: 'KeyOwnerAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${bucket.keyArn.split(':')[4]}:root` }, Action: 'kms:*', Resource: '*' }, ...toAdd.values()],
        });
      }
      // Administrators of the owner account can always manage the bucket policy, from anywhere, over TLS.
      await expect(`${b.path}: owner administrator manages the bucket policy`, 'allowed', sim.manageBucketPolicy(administrator(bucket.account), bucket, net));
      // Principals the report does not name are denied.
      const stranger = outsider(STRANGER_ACCOUNT, 'stranger', { orgId: STRANGER_ORG });
      await expect(`${b.path}: unnamed account reads`, 'denied', sim.readObject(stranger, bucket, objectKey, net));
      await expect(`${b.path}: unnamed account writes`, 'denied', sim.writeObject(stranger, bucket, objectKey, net));
      await expect(`${b.path}: unnamed account lists`, 'denied', sim.list(stranger, bucket, net));
      if (bucket.keyArn) {
        await expect(`${b.path}: unnamed account decrypts directly`, 'denied', sim.directDecrypt(stranger, bucket.keyArn, bucket.arn, net));
      }
      if (b.tlsRequired) {
        await expect(`${b.path}: owner administrator reads over HTTP`, 'denied', sim.readObject(administrator(bucket.account), bucket, objectKey, HTTP));
      }
      if (b.minimumTlsVersion) {
        await expect(`${b.path}: owner administrator reads over TLS 1.1`, 'denied', sim.readObject(administrator(bucket.account), bucket, objectKey, TLS_11));
      }
      // Same-account grants the report names.
      for (const g of b.ownerAccess.grants) {
        const arn = r.sub(g.principal);
        if (!world.identities.has(arn)) continue;
        const caller = definedPrincipal(world, arn);
        const ownNet = b.network ? endpointNetwork(world, b, r) ?? net : net;
        const reads = /^s3:(GetObject\*?|\*)$/;
        const writes = /^s3:(PutObject\*?|\*)$/;
        if (asList(g.actions).some((a: string) => reads.test(a))) {
          const key = grantedObjectKey(caller, bucket.arn, reads, objectKey);
          await expect(`${b.path}: ${g.principal} reads (identity grant)`, 'allowed', sim.readObject(caller, bucket, key, ownNet));
        }
        if (asList(g.actions).some((a: string) => writes.test(a))) {
          const key = grantedObjectKey(caller, bucket.arn, writes, objectKey);
          await expect(`${b.path}: ${g.principal} writes (identity grant)`, 'allowed', sim.writeObject(caller, bucket, key, ownNet, { multipart: true }));
        }
      }
      // Partners: what the report claims is allowed, with the IAM policy the report gives them; nothing beyond.
      for (const share of b.partners) {
        const entry = report.partners.find((p: any) => p.partner === share.partner);
        if (!entry) {
          checks.push({ name: `${b.path}: partner ${share.partner} has a partner entry`, expected: 'allowed', result: undefined as any, ok: false });
          continue;
        }
        const caller = callerForPartner(entry, r.subAll(entry.iamPolicy), r);
        const prefix = share.prefix ?? '';
        const partnerNet = partnerNetwork(b, share, net, r);
        if (share.accessPoint) {
          // SharingMode.ACCESS_POINTS: the claim is a read through the access point the report names, never around it
          const ap = [...sim.world.accessPoints.values()].find((a) => a.name === share.accessPoint.name);
          if (share.access !== 'WRITE') {
            await expect(`${b.path}: ${share.partner} reads under '${prefix}' through ${share.accessPoint.name}`, 'allowed', sim.readThroughAccessPoint(caller, ap!, `${prefix}report/data.csv`, partnerNet));
          }
          await expect(`${b.path}: ${share.partner} reads under '${prefix}' around the access point`, 'denied', sim.readObject(caller, bucket, `${prefix}report/data.csv`, partnerNet));
          continue;
        }
        // What the partner may do to an object key, over all its shares of this bucket.
        const sharesOfPartner = b.partners.filter((x: any) => x.partner === share.partner);
        const may = (kind: 'READ' | 'WRITE', key: string) =>
          sharesOfPartner.some((x: any) => (x.access === kind || x.access === 'READ_WRITE') && key.startsWith(x.prefix ?? ''));
        const canRead = may('READ', `${prefix}report/data.csv`);
        const canWrite = may('WRITE', `${prefix}report/upload.bin`);
        await expect(`${b.path}: ${share.partner} reads under '${prefix}'`, canRead ? 'allowed' : 'denied', sim.readObject(caller, bucket, `${prefix}report/data.csv`, partnerNet));
        await expect(`${b.path}: ${share.partner} multipart-writes under '${prefix}'`, canWrite ? 'allowed' : 'denied', sim.writeObject(caller, bucket, `${prefix}report/upload.bin`, partnerNet, { multipart: true }));
        if (share.access !== 'WRITE') {
          await expect(`${b.path}: ${share.partner} lists '${prefix}'`, 'allowed', sim.list(caller, bucket, partnerNet, prefix || undefined));
          await expect(`${b.path}: ${share.partner} reads over HTTP`, 'denied', sim.readObject(caller, bucket, `${prefix}report/data.csv`, HTTP));
        }
        if (share.prefix) {
          const outside = 'elsewhere/data.csv';
          await expect(`${b.path}: ${share.partner} reads outside '${prefix}'`, may('READ', outside) ? 'allowed' : 'denied', sim.readObject(caller, bucket, outside, partnerNet));
          await expect(`${b.path}: ${share.partner} writes outside '${prefix}'`, may('WRITE', outside) ? 'allowed' : 'denied', sim.writeObject(caller, bucket, outside, partnerNet));
        }
        if (bucket.keyArn) {
          await expect(`${b.path}: ${share.partner} decrypts directly (outside S3)`, 'denied', sim.directDecrypt(caller, bucket.keyArn, bucket.arn, partnerNet));
        }
      }
    }
    for (const k of report.keys) {
      const arn = r.sub(k.arn);
      const admin = administrator(stack.account);
      await expect(`${k.path}: owner administrator manages the key policy`, 'allowed', sim.manageKeyPolicy(admin, arn));
      const lockout = await sim.keyLockout(arn);
      checks.push({ name: `${k.path}: not locked out`, expected: 'allowed', result: lockout.results[0], ok: !lockout.lockedOut });
      await expect(`${k.path}: unnamed account decrypts directly`, 'denied', sim.directDecrypt(outsider(STRANGER_ACCOUNT), arn, undefined));
    }
  }
  return checks;
}

function endpointNetwork(world: World, b: any, r: any): Network | undefined {
  const ids: string[] = b.network.s3EndpointIds.map((x: string) => r.sub(x));
  const endpoint = world.endpoints.find((e) => ids.includes(e.id));
  return endpoint ? { tls: true, tlsVersion: b.minimumTlsVersion === '1.3' ? '1.3' : '1.2', s3Endpoint: endpoint, label: `TLS through ${endpoint.id}` } : undefined;
}

function partnerNetwork(b: any, share: any, net: Network, r: any): Network {
  const restrictions: any[] = b.network?.partnerEndpointRestrictions ?? [];
  const own = restrictions.find((x) => x.s3EndpointIds.length > 0 && matchesPartner(x.sid, share));
  if (!own) return net;
  const id = r.sub(own.s3EndpointIds[0]);
  return { ...net, s3Endpoint: { stackId: '(partner)', logicalId: '(partner)', id, service: 's3', type: 'Gateway' }, label: `${net.label} through the partner's ${id}` };
}

function matchesPartner(sid: string, share: any): boolean {
  const alnum = String(share.partner).replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return sid.toLowerCase().includes(alnum.replace(/^account/, '').slice(0, 12));
}

export interface ScenarioRun {
  readonly scenarios: number;
  readonly failed: number;
  readonly simulations: number;
  readonly milliseconds: number;
  readonly scenariosPerSecond: number;
}

/**
 * For benchmarks: loads the assembly in `assemblyDir` (which must hold the
 * access reports written at synthesis) and evaluates every report claim and
 * every stranger check. Returns counts and throughput.
 */
export async function evaluateScenarios(assemblyDir: string): Promise<ScenarioRun> {
  const start = performance.now();
  const before = simulationCount();
  const world = World.fromDirectory(assemblyDir);
  const checks = await checkReportClaims(world);
  const milliseconds = performance.now() - start;
  return {
    scenarios: checks.length,
    failed: checks.filter((c) => !c.ok).length,
    simulations: simulationCount() - before,
    milliseconds,
    scenariosPerSecond: checks.length / (milliseconds / 1000),
  };
}
