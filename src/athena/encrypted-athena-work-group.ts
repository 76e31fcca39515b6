import { Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AthenaEngineVersion } from './athena-engine-version';
import { render } from '../analysis/template';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { StackFacts } from '../core/facts';
import { validateKeyedBucket } from '../core/keyed-bucket';
import { GRANTABLE, optionalEnum, optionalObject, optionalString, requireConstruct, requireObject } from '../core/props';
import { validateServiceKey } from '../core/service-key';
import { checkOnceResolved, resultsPrefixProblem } from '../core/validation';
import { EncryptedBucket } from '../s3/encrypted-bucket';
import { grantEnvironment, withSid } from '../sharing/grant-routing';
import { constructSidPart, s3ViaService } from '../sharing/partner-policy';
import { allowAthenaQuery, allowAthenaResults, allowAthenaResultsKeyUse } from '../statements/athena';

/**
 * Properties of an {@link EncryptedAthenaWorkGroup}.
 */
export interface EncryptedAthenaWorkGroupProps {
  /**
   * The customer-managed key query results are encrypted under (SSE-KMS): a
   * `CrossAccountSharedKey`'s `key`, or a `kms.Key` of the stack's account
   * and Region. AWS-managed keys (`alias/aws/s3`) and aliases are refused.
   *
   * @throws if AWS-managed, an alias, of another Region or of another account (also when a token resolves to one at synthesis)
   * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The bucket query results are written to: an `EncryptedBucket` of the
   * workgroup's account and Region with SSE-KMS under `encryptionKey`.
   *
   * @default - a new EncryptedBucket under `encryptionKey` (child `ResultsBucket`), retained
   * @throws if not an EncryptedBucket, not SSE-KMS, under another key, or of another account or Region
   */
  readonly resultsBucket?: EncryptedBucket;

  /**
   * The object key prefix of the results in the bucket: path segments each
   * ending in `/`, e.g. `athena-results/` or `team-a/results/`; no leading
   * `/`, no `s3://`.
   *
   * @default 'athena-results/'
   * @see https://docs.aws.amazon.com/athena/latest/ug/querying.html
   */
  readonly resultsPrefix?: string;

  /**
   * The workgroup's name, 1 to 128 characters of `a-z A-Z 0-9 . _ -`.
   * Changing it replaces the workgroup.
   *
   * @default - a name unique in the account, from the construct's path
   * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroup.html
   */
  readonly workGroupName?: string;

  /**
   * The workgroup's description.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The engine version queries run on.
   *
   * @default - Athena's default, AUTO (Athena chooses and upgrades)
   * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_EngineVersion.html
   */
  readonly engineVersion?: AthenaEngineVersion;

  /**
   * The most bytes a single query may scan before Athena cancels it, at
   * least 10,000,000 bytes (10 MB). CloudFormation takes an integer here
   * for now (the L1 notes long values as planned), so stay at or below
   * 2,147,483,647 bytes.
   *
   * @default - no limit
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-athena-workgroup-workgroupconfiguration.html#cfn-athena-workgroup-workgroupconfiguration-bytesscannedcutoffperquery
   */
  readonly bytesScannedCutoffPerQuery?: number;

  /**
   * What happens to the workgroup when it leaves the stack. Deleting it
   * never deletes its saved queries recursively (`RecursiveDeleteOption`
   * false), nor the results bucket.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The smallest `BytesScannedCutoffPerQuery` Athena accepts (10 MB). */
const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
const WORK_GROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;
const DEFAULT_RESULTS_PREFIX = 'athena-results/';

/**
 * An Athena workgroup whose query results are written to an
 * `EncryptedBucket` under SSE-KMS with a customer-managed key, with the
 * workgroup's settings enforced (`EnforceWorkGroupConfiguration`: clients
 * can override neither the results location nor its encryption),
 * CloudWatch metrics on, and the results bucket's owner checked
 * (`ExpectedBucketOwner`). Retained by default.
 *
 * Athena writes and reads results with the credentials of whoever runs the
 * query: `grantQuery` gives a principal the workgroup, the results prefix,
 * and the key only through S3 for the results bucket, never directly.
 *
 * Result reuse is not a workgroup setting (it is a parameter of each
 * `StartQueryExecution`, `ResultReuseConfiguration`), so this construct
 * cannot enforce it and has no prop for it.
 *
 * The construct promises DataProtection-DP28 on the final template, and
 * that the results location, the key and the expected bucket owner are
 * still the ones it wrote (an override of any is an error at synthesis).
 *
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key');
 * const analytics = new EncryptedAthenaWorkGroup(this, 'Analytics', { encryptionKey: key.key });
 * declare const analyst: iam.Role;
 * analytics.grantQuery(analyst);
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
 */
export class EncryptedAthenaWorkGroup extends Construct {
  /** The workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The bucket query results are written to. */
  public readonly resultsBucket: EncryptedBucket;
  /** The object key prefix of the results, e.g. `athena-results/`. */
  public readonly resultsPrefix: string;
  /** The key query results are encrypted under. */
  public readonly encryptionKey: kms.IKey;
  /** The workgroup's name. */
  public readonly workGroupName: string;
  /** The workgroup's ARN, `arn:<partition>:athena:<region>:<account>:workgroup/<name>`. */
  public readonly workGroupArn: string;
  /** The results location, `s3://<bucket>/<prefix>`. */
  public readonly outputLocation: string;

  constructor(scope: Construct, id: string, props: EncryptedAthenaWorkGroupProps) {
    super(scope, id);
    requireObject('props', props, 'an object of EncryptedAthenaWorkGroupProps with encryptionKey');
    validateServiceKey('encryptionKey', props.encryptionKey, this, 'Amazon Athena (through Amazon S3)');
    optionalObject('resultsBucket', props.resultsBucket, 'an EncryptedBucket');
    optionalString('resultsPrefix', props.resultsPrefix, "a string (an object key prefix such as 'athena-results/')");
    optionalString('workGroupName', props.workGroupName);
    optionalString('description', props.description);
    optionalObject('engineVersion', props.engineVersion, 'an AthenaEngineVersion (AthenaEngineVersion.AUTO, .V3 or .of(name))');
    optionalEnum('removalPolicy', props.removalPolicy, RemovalPolicy, 'RemovalPolicy');
    if (props.engineVersion !== undefined && !(props.engineVersion instanceof AthenaEngineVersion)) {
      throwValidationError(
        'InvalidAthenaWorkGroupProps',
        `engineVersion must be an AthenaEngineVersion, got ${JSON.stringify(props.engineVersion)}: use AthenaEngineVersion.AUTO, AthenaEngineVersion.V3 or AthenaEngineVersion.of("<name>").`,
        this,
      );
    }
    validateWorkGroupName(this, props.workGroupName);
    checkOnceResolved(this, [props.workGroupName], ([name]) => validateWorkGroupName(this, name));
    const prefix = props.resultsPrefix ?? DEFAULT_RESULTS_PREFIX;
    validateResultsPrefix(this, prefix);
    checkOnceResolved(this, [prefix], ([p]) => validateResultsPrefix(this, p!));
    validateBytesScannedCutoff(this, props.bytesScannedCutoffPerQuery);
    if (props.resultsBucket !== undefined) {
      validateKeyedBucket(this, props.resultsBucket, props.encryptionKey, {
        prop: 'resultsBucket',
        error: 'ResultsBucketMismatch',
        writes: 'the workgroup writes SSE-KMS results',
        otherKey: 'the bucket denies uploads under any key but its own (DenyOtherKmsKeys), so every query would fail',
        notEncryptedBucketFix: 'Create the bucket with new EncryptedBucket(this, id, { encryptionKey }), or omit resultsBucket for a new one.',
        otherEnvironment:
          'the workgroup expects its own account to own the results bucket (ExpectedBucketOwner), and its key is of its own Region. Use a results bucket of this stack\'s account and Region, or omit resultsBucket.',
      });
    }

    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey;
    this.resultsPrefix = prefix;
    this.resultsBucket = props.resultsBucket ?? new EncryptedBucket(this, 'ResultsBucket', { encryptionKey: props.encryptionKey, removalPolicy: RemovalPolicy.RETAIN });
    this.outputLocation = `s3://${this.resultsBucket.bucket.bucketName}/${prefix}`;
    this.workGroupName = props.workGroupName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: props.description,
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: props.engineVersion ? { selectedEngineVersion: props.engineVersion.name } : undefined,
        resultConfiguration: {
          outputLocation: this.outputLocation,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
        },
      },
    });
    this.workGroup.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName });

    promise(this, 'EncryptedAthenaWorkGroup', this.workGroup, ['DP28']);
    // the results stay in the results bucket, under the key, with its owner checked, whatever changed the workgroup
    StackFacts.of(this).addCheck(() => changedResultConfiguration(this), { scope: this });
    const key = props.encryptionKey.node.defaultChild;
    if (key instanceof kms.CfnKey) {
      // the key of the results: at least as durable as the workgroup
      promise(this, 'EncryptedAthenaWorkGroup', key, ['DP14']);
    }
  }

  /**
   * Grant a principal of the workgroup's account and Region what running
   * queries in this workgroup needs: the Athena query actions on this
   * workgroup, read and write under the results prefix, and
   * `kms:GenerateDataKey` / `kms:Decrypt` on the key only through S3 of the
   * workgroup's Region and only for the results bucket (Athena writes and
   * reads the results with the caller's credentials, through S3). The data
   * the queries read (tables, the Glue Data Catalog) is granted separately.
   *
   * @param grantee the principal running queries
   * @returns the grant of the Athena actions
   * @throws if the grantee is of another account or Region
   * @see https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
   * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    requireConstruct('grantee', grantee, GRANTABLE);
    const where = grantEnvironment(this.workGroup, grantee);
    if (where.kind !== 'same') {
      throwValidationError(
        'GrantOutsideEnvironment',
        `grantQuery(grantee) on ${this.node.path}: the grantee ${grantee.grantPrincipal} is ${where.kind === 'otherAccount' ? `of account ${where.account}` : `in a stack of Region ${where.region}`}, ` +
          'outside the workgroup\'s account and Region. EncryptedAthenaWorkGroup grants principals of its own environment only (Athena runs the query and writes its results with the caller\'s credentials); ' +
          'share the data itself with EncryptedBucket.shareWith, and let the partner query it from a workgroup of its own account.',
        this,
      );
    }
    const stack = Stack.of(this);
    const sidPart = constructSidPart(this.workGroup);
    const bucketArn = this.resultsBucket.bucket.bucketArn;
    const query = allowAthenaQuery(this.workGroupArn, sidPart);
    const grant = withSid(iam.Grant.addToPrincipal({ grantee, actions: query.actions, resourceArns: query.resources }), query.sid!);
    for (const statement of [
      ...allowAthenaResults(bucketArn, this.resultsPrefix, sidPart),
      allowAthenaResultsKeyUse(this.encryptionKey.keyArn, bucketArn, this.resultsPrefix, s3ViaService(stack.region, this), sidPart),
    ]) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
    return grant;
  }
}

function validateWorkGroupName(scope: Construct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!WORK_GROUP_NAME.test(name)) {
    throwValidationError(
      'InvalidAthenaWorkGroupProps',
      `workGroupName must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-' (Athena's workgroup name pattern), got ${JSON.stringify(name)}. ` +
        'Pick a name such as "analytics-prod", or omit workGroupName for a generated one.',
      scope,
    );
  }
}

function validateResultsPrefix(scope: Construct, prefix: string): void {
  const problem = resultsPrefixProblem('resultsPrefix', prefix);
  if (problem) {
    throwValidationError('InvalidAthenaWorkGroupProps', problem, scope);
  }
}

function validateBytesScannedCutoff(scope: Construct, bytes: number | undefined): void {
  if (bytes === undefined || Token.isUnresolved(bytes)) return;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < MIN_BYTES_SCANNED_CUTOFF) {
    throwValidationError(
      'InvalidAthenaWorkGroupProps',
      `bytesScannedCutoffPerQuery must be a whole number of bytes of at least ${MIN_BYTES_SCANNED_CUTOFF.toLocaleString('en-US')} (10 MB, Athena's minimum), got ${JSON.stringify(bytes)}. ` +
        'Use e.g. 1_000_000_000 for 1 GB, or omit it for no limit.',
      scope,
    );
  }
}


/**
 * What an escape hatch or an Aspect changed in the workgroup's results
 * location, key or expected owner on the final template, as errors; a
 * missing encryption is DP28's.
 */
function changedResultConfiguration(self: EncryptedAthenaWorkGroup): string[] {
  const stack = Stack.of(self);
  const result = render(self.workGroup).props.WorkGroupConfiguration?.ResultConfiguration;
  if (result === undefined || result === null || typeof result !== 'object') {
    return [];
  }
  const same = (actual: unknown, expected: unknown) => JSON.stringify(actual) === JSON.stringify(stack.resolve(expected));
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  const found: string[] = [];
  if (!same(result.OutputLocation, self.outputLocation)) {
    found.push(`OutputLocation is ${show(result.OutputLocation)}, not the results bucket ${self.resultsBucket.node.path} (${JSON.stringify(stack.resolve(self.outputLocation))}): results would land outside the EncryptedBucket and its policies`);
  }
  if (!same(result.ExpectedBucketOwner, stack.account)) {
    found.push(`ExpectedBucketOwner is ${show(result.ExpectedBucketOwner)}, not the account ${JSON.stringify(stack.resolve(stack.account))}: Athena would write results into a bucket of whichever account owns that name`);
  }
  const kmsKey = result.EncryptionConfiguration?.KmsKey;
  if (kmsKey !== undefined && !same(kmsKey, self.encryptionKey.keyArn)) {
    found.push(
      `EncryptionConfiguration.KmsKey is ${show(kmsKey)}, not encryptionKey ${self.encryptionKey.node.path} (${JSON.stringify(stack.resolve(self.encryptionKey.keyArn))}): ` +
        'results would be under a key whose policy this construct did not write (and the results bucket denies uploads under any key but its own)',
    );
  }
  return found.map(
    (f) =>
      `${self.workGroup.node.path} on the final template breaks what EncryptedAthenaWorkGroup ${self.node.path} promises: ${f}. ` +
      'Undo the change (an escape hatch through node.defaultChild, addOverride/addPropertyOverride, an Aspect); to use another bucket or key, pass resultsBucket and encryptionKey.',
  );
}
