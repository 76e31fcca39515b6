import { Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deployedSize } from '../analysis/size';
import { FactKey, StackFacts } from '../core/facts';
import { validatePolicySize } from '../core/validation';
import { AccessLevel, Partner } from '../sharing/partner';
import { accessWord, addMergedPartner, mergedStatementsOf, partnerAccounts, shortHash } from '../sharing/partner-policy';
import { allowPartnerBucketAccess, allowPartnerPrefixListing, PartnerResourceTarget } from '../statements/partner-resource';
import { sidPartnerBucketAccess, sidPartnerPrefixListing } from '../statements/sids';

/**
 * The access points of a bucket shared in `SharingMode.ACCESS_POINTS`: one
 * per group of partners with the same access and prefix, a group split over
 * several access points when it outgrows one access point policy.
 */

/** What one access point policy holds at most (S3 refuses a larger one). */
export const ACCESS_POINT_POLICY_MAX_BYTES = 20_480;

/**
 * Partners (principal ARNs, for `Partner.principals`) per access point. A
 * partner account costs about 33 bytes in each of the (at most two)
 * statements of a prefixed share: 250 of them take some 17 KB of the 20 KB.
 * Fixed, so a partner never moves to another access point when others are
 * added; the policy size is still checked at synthesis.
 */
export const PARTNERS_PER_ACCESS_POINT = 250;

/** One access point a partner share was written to. */
export interface AccessPointShare {
  /** The access point. */
  readonly accessPoint: s3.CfnAccessPoint;
  /** Its name, e.g. `exchange-data-a1b2c3-r-1a2b3c4d-1`. */
  readonly name: string;
  /** Its ARN, built from the name (an access point policy cannot refer to its own resource). */
  readonly arn: string;
  readonly access: AccessLevel;
  readonly prefix?: string;
  /** Partners written to its policy, in order. */
  readonly partners: Partner[];
}

interface Group {
  readonly points: Array<AccessPointShare & { weight: number }>;
  /** The access point each partner (by identity) is in. */
  readonly placed: Map<string, AccessPointShare>;
}

const ACCESS_POINTS = new FactKey<Map<s3.IBucket, AccessPointShare[]>>('s3.accessPoints', () => new Map());

/** The access points written for a bucket's shares so far (read lazily, at synthesis). */
export function accessPointsOf(bucket: s3.IBucket): AccessPointShare[] {
  return [...(StackFacts.of(bucket).get(ACCESS_POINTS).get(bucket) ?? [])];
}

/**
 * Writes partner shares of one bucket into access point policies, creating
 * the access points (children of `scope`, ids `AccessPoint<Access>[<prefix hash>]<n>`).
 */
export class AccessPointShares {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly scope: Construct,
    private readonly bucket: s3.Bucket,
    private readonly vpc?: ec2.IVpc,
  ) {}

  /** Adds a checked partner to the access point of its group that has room; returns that access point. */
  public add(partner: Partner, access: AccessLevel, prefix: string | undefined): AccessPointShare {
    const groupKey = JSON.stringify([access, prefix ?? null]);
    let group = this.groups.get(groupKey);
    if (!group) {
      group = { points: [], placed: new Map() };
      this.groups.set(groupKey, group);
    }
    const identity = partner._identity();
    const placed = group.placed.get(identity);
    if (placed) {
      return placed;
    }
    const weight = Math.max(1, partner.principalArns.length);
    let point = group.points[group.points.length - 1];
    if (!point || (point.weight + weight > PARTNERS_PER_ACCESS_POINT && point.partners.length > 0)) {
      point = this.create(access, prefix, group.points.length + 1);
      group.points.push(point);
    }
    point.weight += weight;
    point.partners.push(partner);
    group.placed.set(identity, point);
    this.writeStatements(point, partner, access, prefix);
    return point;
  }

  /** The access point a partner was written to with that access and prefix, if any. */
  public find(partner: Partner, access: AccessLevel, prefix: string | undefined): AccessPointShare | undefined {
    return this.groups.get(JSON.stringify([access, prefix ?? null]))?.placed.get(partner._identity());
  }

  private create(access: AccessLevel, prefix: string | undefined, n: number): AccessPointShare & { weight: number } {
    const stack = Stack.of(this.bucket);
    const prefixPart = prefix !== undefined ? shortHash(prefix) : '';
    const name = accessPointName(this.scope, access, prefix, n);
    const document = new iam.PolicyDocument();
    const accessPoint = new s3.CfnAccessPoint(this.scope, `AccessPoint${accessWord(access)}${prefixPart}${n}`, {
      bucket: this.bucket.bucketName,
      name,
      policy: document,
      publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      vpcConfiguration: this.vpc ? { vpcId: this.vpc.vpcId } : undefined,
    });
    const arn = stack.formatArn({ service: 's3', resource: 'accesspoint', resourceName: name });
    const point = { accessPoint, name, arn, access, prefix, partners: [] as Partner[], weight: 0 };
    const all = StackFacts.of(this.bucket).get(ACCESS_POINTS);
    all.set(this.bucket, [...(all.get(this.bucket) ?? []), point]);
    StackFacts.of(this.scope).addCheck(() => this.validatePolicySize(point, document));
    return point;
  }

  private writeStatements(point: AccessPointShare, partner: Partner, access: AccessLevel, prefix: string | undefined): void {
    const target: PartnerResourceTarget = { arn: point.arn, objectsArn: (pattern) => `${point.arn}/object/${pattern}` };
    const document = point.accessPoint.policy as iam.PolicyDocument;
    const sink = (statement: iam.PolicyStatement) => document.addStatements(statement);
    const build = (ps: Partner[]) => allowPartnerBucketAccess(this.bucket, ps, access, { prefix, target });
    addMergedPartner(point.accessPoint, sidPartnerBucketAccess(access, partner, prefix), partner, build, sink);
    if (prefix !== undefined && access !== AccessLevel.WRITE) {
      const listing = (ps: Partner[]) => allowPartnerPrefixListing(this.bucket, ps, access, prefix, target);
      addMergedPartner(point.accessPoint, sidPartnerPrefixListing(access, partner, prefix), partner, listing, sink);
    }
  }

  private validatePolicySize(point: AccessPointShare, document: iam.PolicyDocument): string[] {
    const accounts = new Set(mergedStatementsOf(point.accessPoint).flatMap((s) => partnerAccounts(s.partners)));
    return validatePolicySize(
      `The policy of access point ${point.accessPoint.node.path} (${point.partners.length} partner(s), ${accounts.size} account(s))`,
      deployedSize(point.accessPoint, Stack.of(point.accessPoint).resolve(document.toJSON())),
      ACCESS_POINT_POLICY_MAX_BYTES,
      'Its partners name long principal ARNs: share with their accounts (Partner.account) or an organization (Partner.organization) instead.',
    );
  }
}

/**
 * A deterministic access point name, unique per bucket construct, access,
 * prefix and index: `<construct name, up to 30>-<r|w|rw>-<8 hex of the prefix>-<n>`,
 * lowercase letters, digits and hyphens, at most 50 characters, starting
 * with a letter or digit and ending with a digit (never `-s3alias`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-restrictions-limitations-naming-rules.html
 */
export function accessPointName(scope: Construct, access: AccessLevel, prefix: string | undefined, n: number): string {
  const stem = Names.uniqueResourceName(scope, { maxLength: 30, separator: '-' })
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '') || 'ap';
  const word = access === AccessLevel.READ ? 'r' : access === AccessLevel.WRITE ? 'w' : 'rw';
  return `${stem}-${word}-${shortHash(prefix ?? '').toLowerCase()}-${n}`;
}
