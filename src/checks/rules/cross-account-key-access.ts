import { CfnResource } from 'aws-cdk-lib';
import { BUCKET, bucketPolicyStatements, crossAccountGrants, encryptionContextMatcher, encryptionRules, isKmsAlgorithm, keyReference } from '../../analysis/bucket';
import { Coverage, keyPolicyStatements, policyCoverage } from '../../analysis/key';
import { AccountContext, describeWho } from '../../analysis/policy';
import { memo, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/** A partner the bucket policy lets read or write objects, and the KMS actions the key policy does not give it. */
interface Gap {
  readonly partner: string;
  readonly access: string;
  readonly missing: string[];
  readonly keyPath: string;
}

interface Analysis {
  readonly result: RuleCompliance;
  readonly gaps: Gap[];
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
    for (const action of needed) {
      const coverage: Coverage = covers(action)(grant.who);
      if (coverage === 'no') {
        missing.push(action === 'kms:GenerateDataKey' ? 'kms:GenerateDataKey*' : action);
      } else if (coverage === 'unknown') {
        unknown = true;
      }
    }
    if (missing.length > 0) {
      const access = grant.reads && grant.writes ? 'object reads and writes' : grant.reads ? 'object reads (s3:GetObject)' : 'object writes (s3:PutObject)';
      gaps.push({ partner: describeWho(grant.who), access, missing, keyPath: key.key.node.path });
    }
  }
  if (gaps.length > 0) {
    return { result: RuleCompliance.NON_COMPLIANT, gaps };
  }
  return { result: unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT, gaps };
}

/**
 * DP5: a bucket shared with another account through its bucket policy, whose
 * encryption key's policy does not let that account decrypt (or generate data
 * keys, for writes): the partner lists objects but every read is AccessDenied.
 */
export const CrossAccountKeyAccess: RuleDefinition = {
  id: 'DP5',
  level: RuleLevel.ERROR,
  info: 'The bucket policy lets another account read or write objects, but the key policy of the bucket\'s KMS key does not let that account use the key.',
  explanation:
    'A cross-account read of an SSE-KMS object needs three allows: the bucket policy, the key policy, and the caller\'s own IAM policy. ' +
    'With the key-policy allow missing, the partner can list the bucket but every GetObject fails with AccessDenied (and every upload, for writers). ' +
    'A key-policy allow counts only if its kms:ViaService admits S3 and its kms:EncryptionContext:aws:s3:arn condition, if any, admits what S3 sends for this bucket: ' +
    'the bucket ARN with an S3 Bucket Key, an object ARN without one. ' +
    'Fix: add to the key policy an Allow of kms:Decrypt (readers) and kms:GenerateDataKey* and kms:Decrypt (writers, multipart uploads need both) for the partner account, ' +
    'scoped with kms:ViaService s3.<region>.amazonaws.com and kms:CallerAccount; EncryptedBucket.shareWith() or CrossAccountSharedKey.grantPartner() write both sides.',
  check(node: CfnResource): RuleCompliance {
    return analyze(node).result;
  },
  details(node: CfnResource): string | undefined {
    const { gaps } = analyze(node);
    if (gaps.length === 0) {
      return undefined;
    }
    return gaps
      .map((g) => `The bucket policy grants ${g.partner} ${g.access}, but the key policy of ${g.keyPath} grants ${g.partner} no ${g.missing.join(' and no ')} that S3 can use for this bucket.`)
      .join(' ');
  },
};
