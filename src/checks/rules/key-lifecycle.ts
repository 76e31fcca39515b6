import { CfnResource } from 'aws-cdk-lib';
import { bucketsUsingKey, KEY, keyReference } from '../../analysis/bucket';
import { render, resourcesOfStack } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/** AWS KMS limits on automatic rotation, in days. */
const ROTATION_DAYS = { min: 90, max: 2560 };
/** AWS KMS limits on the waiting period before a key is deleted, in days. */
const PENDING_WINDOW_DAYS = { min: 7, max: 30 };

/**
 * The resources other than buckets whose data outlives them only as long as
 * their key does, by type: how the resource names its key, and what the
 * message calls it. A stream keeps its records for its retention period, a
 * Redshift cluster or namespace its tables (and a final snapshot).
 */
const DATA_UNDER_KEY: ReadonlyArray<readonly [string, string, (props: Record<string, any>) => unknown]> = [
  ['AWS::Kinesis::Stream', 'stream', (p) => p.StreamEncryption?.KeyId],
  ['AWS::Redshift::Cluster', 'Redshift cluster', (p) => p.KmsKeyId],
  ['AWS::RedshiftServerless::Namespace', 'Redshift Serverless namespace', (p) => p.KmsKeyId],
];

/**
 * The resources whose data stays encrypted under the key even once they leave
 * the stack: deleting the Data Catalog's encryption settings does not decrypt
 * the tables and connection passwords written under them, so the key must be
 * kept whatever the settings' own policies say.
 */
const ALWAYS_UNDER_KEY: ReadonlyArray<readonly [string, string, (props: Record<string, any>) => unknown[]]> = [
  [
    'AWS::Glue::DataCatalogEncryptionSettings',
    'Data Catalog',
    (p) => [
      p.DataCatalogEncryptionSettings?.EncryptionAtRest?.SseAwsKmsKeyId,
      p.DataCatalogEncryptionSettings?.ConnectionPasswordEncryption?.KmsKeyId,
    ],
  ],
];

/** The resources of the key's stack of `types` that name `key`. */
function namingKey(key: CfnResource, types: ReadonlyArray<readonly [string, string, (props: Record<string, any>) => unknown]>, always: boolean) {
  return types.flatMap(([type, what, keyOf]) =>
    resourcesOfStack(key, type)
      .filter((r) => [keyOf(render(r).props)].flat().some((value) => {
        const ref = keyReference(r, value);
        return ref.kind === 'stack' && ref.key === key;
      }))
      .map((resource) => ({ what, resource, always })),
  );
}

/** The buckets, streams, Redshift clusters and namespaces and the Data Catalog of the key's stack encrypted under it, with what messages call them. */
function dataUsingKey(key: CfnResource): Array<{ what: string; resource: CfnResource; always: boolean }> {
  return [
    ...bucketsUsingKey(key).map((resource) => ({ what: 'bucket', resource, always: false })),
    ...namingKey(key, DATA_UNDER_KEY, false),
    ...namingKey(key, ALWAYS_UNDER_KEY, true),
  ];
}

/** CloudFormation keeps a resource on stack deletion (or replacement) unless the policy is Delete or absent. */
function kept(policy: unknown): boolean {
  return policy !== undefined && policy !== 'Delete';
}

/** What is wrong with the key's lifecycle settings, as sentences; empty when nothing is. */
function problems(node: CfnResource): string[] | undefined {
  if (node.cfnResourceType !== KEY) {
    return undefined;
  }
  const key = render(node);
  const found: string[] = [];
  const inRange = (value: unknown, range: { min: number; max: number }) =>
    typeof value !== 'number' || (Number.isInteger(value) && value >= range.min && value <= range.max);
  if (!inRange(key.props.RotationPeriodInDays, ROTATION_DAYS)) {
    found.push(`RotationPeriodInDays is ${JSON.stringify(key.props.RotationPeriodInDays)}, outside the ${ROTATION_DAYS.min}–${ROTATION_DAYS.max} days KMS accepts.`);
  }
  if (!inRange(key.props.PendingWindowInDays, PENDING_WINDOW_DAYS)) {
    found.push(`PendingWindowInDays is ${JSON.stringify(key.props.PendingWindowInDays)}, outside the ${PENDING_WINDOW_DAYS.min}–${PENDING_WINDOW_DAYS.max} days KMS accepts.`);
  }
  for (const { what, resource, always } of dataUsingKey(node)) {
    const b = render(resource);
    if (always) {
      const loose = (['DeletionPolicy', 'UpdateReplacePolicy'] as const).filter((a) => !kept(key.entry[a]));
      if (loose.length > 0) {
        found.push(
          `The ${what} of ${resource.node.path} is encrypted under this key, and its tables and connection passwords stay encrypted under it when the settings leave the stack, ` +
            `but the key is not kept (${loose.map((a) => `${a} ${key.entry[a] ?? 'absent, so Delete'}`).join(', ')}): the catalog would become unreadable once the key is deleted.`,
        );
      }
      continue;
    }
    const weaker = (['DeletionPolicy', 'UpdateReplacePolicy'] as const).filter((a) => kept(b.entry[a]) && !kept(key.entry[a]));
    if (weaker.length > 0) {
      const show = (entry: any) => weaker.map((a) => `${a} ${entry[a] ?? 'absent, so Delete'}`).join(', ');
      found.push(
        `The ${what} ${resource.node.path} encrypted under this key is kept (${show(b.entry)}) but the key is not (${show(key.entry)}): the kept ${what === 'bucket' ? 'objects' : 'data'} would become unreadable once the key is deleted.`,
      );
    }
  }
  return found;
}

/**
 * DP14: a KMS key's lifecycle settings keep the data it protects readable:
 * rotation period and deletion waiting period within what KMS accepts, and
 * the key kept (DeletionPolicy and UpdateReplacePolicy) whenever a bucket,
 * a Kinesis stream, a Redshift cluster or a Redshift Serverless namespace of
 * the stack encrypted under it is kept, and always when the stack's Glue Data
 * Catalog encryption settings name it (the catalog stays encrypted under the
 * key after the settings are gone).
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export const KeyLifecycle: RuleDefinition = {
  id: 'DP14',
  level: RuleLevel.ERROR,
  info: 'The KMS key is less durable than the data it protects, or its rotation or deletion waiting period is outside what KMS accepts.',
  explanation:
    'A key deleted while the bucket (stream, Redshift cluster or namespace) encrypted under it is kept, or while the Glue Data Catalog is encrypted under it, makes every object (record, table, snapshot, catalog entry) unreadable for good; a rotation period outside 90–2560 days or a waiting period outside 7–30 days fails at deployment. ' +
    'Fix: give the key the data\'s removal policy or a stronger one (RemovalPolicy.RETAIN; DeletionPolicy and UpdateReplacePolicy Retain), and rotationPeriod / pendingWindow within the KMS limits.',
  check(node: CfnResource): RuleCompliance {
    const found = problems(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = problems(node);
    return found && found.length > 0 ? found.join(' ') : undefined;
  },
};
