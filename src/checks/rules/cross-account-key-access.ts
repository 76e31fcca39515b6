import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, crossAccountGrants, encryptionContextMatcher, encryptionRules, isKmsAlgorithm, keyReference } from '../../analysis/bucket';
import { Coverage, keyPolicyStatements, policyCoverage } from '../../analysis/key';
import { AccountContext, coversAction, describeWho, isAllow, Statement } from '../../analysis/policy';
import { memo, render, RenderedResource } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { grantText, listText } from '../statement-text';

/** A partner the bucket policy lets read or write objects, and the KMS actions the key policy does not give it. */
interface Gap {
  readonly partner: string;
  readonly reads: boolean;
  readonly writes: boolean;
  /** The KMS actions it needs that the key policy gives it. */
  readonly granted: string[];
  /** The KMS actions it needs that the key policy does not give it. */
  readonly missing: string[];
  readonly keyPath: string;
}

interface Analysis {
  readonly result: RuleCompliance;
  readonly gaps: Gap[];
  /** The bucket as rendered and its policy's statements, for the details. */
  readonly bucket?: RenderedResource;
  readonly statements?: Statement[];
}

/**
 * Compares the bucket policy with the key policy of the bucket's encryption
 * key (a key of the same stack): every other account or organization allowed
 * to read objects needs `kms:Decrypt`; every one allowed to write needs
 * `kms:GenerateDataKey` and `kms:Decrypt` (multipart uploads).
 */
function analyze(node: CfnResource): Analysis {
  return memo(node, 'DP5.analysis', () => analyzeNow(node));
}

function analyzeNow(node: CfnResource): Analysis {
  const notApplicable = { result: RuleCompliance.NOT_APPLICABLE, gaps: [] };
  if (node.cfnResourceType !== BUCKET) {
    return notApplicable;
  }
  const bucket = render(node);
  const rules = (encryptionRules(bucket) ?? []).filter((r) => isKmsAlgorithm(r.algorithm));
  if (rules.length !== 1) {
    return notApplicable;
  }
  const key = keyReference(node, rules[0].keyId);
  if (key.kind !== 'stack') {
    return notApplicable; // AWS-managed keys are DP6's; keys outside the app cannot be read.
  }
  const statements = bucketPolicyStatements(node);
  if (statements === undefined) {
    return notApplicable;
  }
  const grants = crossAccountGrants(bucket, statements);
  if (grants.length === 0) {
    return { result: RuleCompliance.COMPLIANT, gaps: [] };
  }
  const keyPolicy = keyPolicyStatements(render(key.key));
  if (keyPolicy === undefined) {
    return notApplicable;
  }
  const ctx = new AccountContext(key.key);
  const context = encryptionContextMatcher(bucket);
  // The key policy is read once per action; each partner is then looked up in it.
  const coverageOf = new Map<string, ReturnType<typeof policyCoverage>>();
  const covers = (action: string) => {
    let coverage = coverageOf.get(action);
    if (coverage === undefined) {
      coverage = policyCoverage(ctx, keyPolicy, action, context);
      coverageOf.set(action, coverage);
    }
    return coverage;
  };
  const gaps: Gap[] = [];
  let unknown = false;
  for (const grant of grants) {
    const needed = [...(grant.reads || grant.writes ? ['kms:Decrypt'] : []), ...(grant.writes ? ['kms:GenerateDataKey'] : [])];
    const missing: string[] = [];
    const granted: string[] = [];
    for (const action of needed) {
      const coverage: Coverage = covers(action)(grant.who);
      const named = action === 'kms:GenerateDataKey' ? 'kms:GenerateDataKey*' : action;
      if (coverage === 'no') {
        missing.push(named);
      } else if (coverage === 'unknown') {
        unknown = true;
      } else {
        granted.push(named);
      }
    }
    if (missing.length > 0) {
      gaps.push({ partner: describeWho(grant.who), reads: grant.reads, writes: grant.writes, granted, missing, keyPath: key.key.node.path });
    }
  }
  if (gaps.length > 0) {
    return { result: RuleCompliance.NON_COMPLIANT, gaps, bucket, statements };
  }
  return { result: unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT, gaps };
}

/**
 * What one gap is, from the statements themselves: which bucket-policy
 * statements grant the partner what, what the key policy gives it and what
 * it lacks, and what then fails (listing named only where s3:ListBucket is granted).
 */
function describeGap(bucket: RenderedResource, statements: Statement[], gap: Gap): string {
  const grants: string[] = [];
  let lists = false;
  statements.forEach((s, i) => {
    if (!isAllow(s)) {
      return;
    }
    const forPartner = crossAccountGrants(bucket, [s]).some((g) => describeWho(g.who) === gap.partner);
    if (forPartner) {
      grants.push(grantText(s, gap.partner, i));
    }
    if (coversAction(s, 's3:ListBucket') === true && new AccountContext(bucket.resource).principalsOf(s).some((w) => describeWho(w) === gap.partner)) {
      lists = true;
    }
  });
  const key = gap.granted.length > 0
    ? `the key policy of ${gap.keyPath} gives ${gap.partner} ${listText(gap.granted)} but no ${listText(gap.missing, 'or')}`
    : `the key policy of ${gap.keyPath} gives ${gap.partner} no ${listText(gap.missing, 'or')}`;
  const fails: string[] = [];
  if (gap.reads && gap.missing.includes('kms:Decrypt')) {
    fails.push('every s3:GetObject');
  }
  if (gap.writes && gap.missing.includes('kms:GenerateDataKey*')) {
    fails.push('every s3:PutObject');
  } else if (gap.writes && gap.missing.includes('kms:Decrypt')) {
    fails.push('every multipart upload');
  }
  const consequence = `${lists ? `${gap.partner} can list the bucket (s3:ListBucket), but ` : ''}${listText(fails)} of ${gap.partner} fails with AccessDenied`;
  return `Bucket policy ${listText(grants)}; ${key} usable through S3 for this bucket (missing: ${gap.missing.join(', ')}): ${consequence}.`;
}

/**
 * DP5: a bucket shared with another account through its bucket policy, whose
 * encryption key's policy does not let that account decrypt (or generate data
 * keys, for writes): every read (or upload) of the partner is AccessDenied.
 */
export const CrossAccountKeyAccess: RuleDefinition = {
  id: 'DP5',
  level: RuleLevel.ERROR,
  info: 'The bucket policy lets another account read or write objects, but the key policy of the bucket\'s KMS key does not let that account use the key.',
  explanation:
    'A cross-account read of an SSE-KMS object needs three allows: the bucket policy, the key policy, and the caller\'s own IAM policy. ' +
    'With the key-policy allow missing, whatever the bucket policy grants, every GetObject of the partner fails with AccessDenied (and every upload, for writers). ' +
    'A key-policy allow counts only if its kms:ViaService admits S3 and its kms:EncryptionContext:aws:s3:arn condition, if any, admits what S3 sends for this bucket: ' +
    'the bucket ARN with an S3 Bucket Key, an object ARN without one. ' +
    'Fix: add to the key policy an Allow of kms:Decrypt (readers) and kms:GenerateDataKey* and kms:Decrypt (writers, multipart uploads need both) for the partner account, ' +
    'scoped with kms:ViaService s3.<region>.amazonaws.com and kms:CallerAccount; EncryptedBucket.shareWith() or CrossAccountSharedKey.grantPartner() write both sides.',
  check(node: CfnResource): RuleCompliance {
    return analyze(node).result;
  },
  details(node: CfnResource): string | undefined {
    const { gaps, bucket, statements } = analyze(node);
    if (gaps.length === 0 || !bucket || !statements) {
      return undefined;
    }
    return gaps.map((g) => describeGap(bucket, statements, g)).join(' ');
  },
};
