import { IConstruct } from 'constructs';
import { conditionKeys, NETWORK_CONDITION_KEYS, s3PathBreak } from '../analysis/policy';
import { FactKey, StackFacts } from '../core/facts';

/**
 * Network conditions on the path S3 uses to call KMS (case D10), checked for
 * every key of this app that S3 uses: by `CrossAccountSharedKey`,
 * `EncryptedBucket` (for a `kms.Key` of the app) and `VpcEndpointAccess`.
 * Nothing here is re-exported.
 */

/**
 * Problems of a key policy that would break SSE-KMS: S3 calls KMS from AWS's
 * own network, with no VPC endpoint, VPC or caller IP, so an Allow
 * conditioned on those never applies to S3's calls, and a Deny conditioned on
 * them always does, unless it exempts calls made through AWS services
 * (`aws:ViaAWSService` or `kms:ViaService`).
 */
export function keyNetworkConditionProblems(keyPath: string, statements: any[]): string[] {
  const problems: string[] = [];
  for (const s of Array.isArray(statements) ? statements : [statements]) {
    const broken = s && typeof s === 'object' ? s3PathBreak(s) : undefined;
    if (broken === undefined) {
      continue;
    }
    const network = conditionKeys(s).filter((k) => NETWORK_CONDITION_KEYS.includes(k));
    const sid = s.Sid ? `statement ${s.Sid}` : 'a statement';
    if (broken === 'allow') {
      problems.push(
        `The key policy of ${keyPath} has ${sid} that allows only on ${network.join(', ')}: S3 calls KMS from AWS's own network, so that allow never applies to SSE-KMS reads and writes. ` +
          'Put the network condition in the bucket policy (VpcEndpointAccess does), and scope the key policy with kms:ViaService instead.',
      );
    } else {
      problems.push(
        `The key policy of ${keyPath} has ${sid} that denies on ${network.join(', ')} without exempting calls made through AWS services: every SSE-KMS read and write through S3 would be denied (S3 calls KMS from AWS's own network). ` +
          'Add BoolIfExists { "aws:ViaAWSService": "false" } and Null { "kms:ViaService": "true" } to the deny (as DataProtectionStatements.denyDirectKeyUseOutsideVpcs does).',
      );
    }
  }
  return problems;
}

/** Which construct reports the network conditions of each key of a stack, so each problem is reported once. */
const NETWORK_CHECKERS = new FactKey<Map<IConstruct, object>>('kms.networkCheckers', () => new Map());

/**
 * Records `checker` as the construct that reports the network conditions of
 * `key`'s policy, unless another one already does.
 *
 * @returns whether `checker` is the one that reports them
 */
export function claimKeyNetworkCheck(key: IConstruct, checker: object): boolean {
  const checkers = StackFacts.of(key).get(NETWORK_CHECKERS);
  const current = checkers.get(key);
  if (current === undefined) {
    checkers.set(key, checker);
    return true;
  }
  return current === checker;
}
