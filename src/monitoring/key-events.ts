import * as events from 'aws-cdk-lib/aws-events';

/**
 * The key events `KeyMonitoring` watches: the CloudTrail records of KMS API
 * calls that endanger a key, and the events KMS sends itself. One rule per
 * kind, for every monitored key, so that each notification says what to do.
 * Internal: the construct passes checked values.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kms.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/ct-schedule-key-deletion.html (a record: `resources[].ARN`, `responseElements.deletionDate`)
 */

/** The detail-type of every event CloudTrail delivers for an API call. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** One kind of key event: its rule's child id, what the rule matches and the notification. */
export interface KeyEventKind {
  /** The rule's child id (API: renaming replaces the rule). */
  readonly id: string;
  /** One line for the rule's description and the README. */
  readonly description: string;
  /** Whether the event comes from CloudTrail (needs a trail with management events) rather than from KMS itself. */
  readonly viaCloudTrail: boolean;
  /** The rule's event pattern for keys `keyArns` of account `account` (partition `partition`). */
  pattern(keyArns: string[], account: string, partition: string): events.EventPattern;
  /** The notification. */
  message(): events.RuleTargetInput;
}

const f = (path: string) => events.EventField.fromPath(path);

/** Fields of a CloudTrail record: the key (its ARN in `resources`), who called, when, where. */
const TRAIL = {
  key: () => f('$.detail.resources[0].ARN'),
  who: () => f('$.detail.userIdentity.arn'),
  when: () => f('$.detail.eventTime'),
  where: () => `account ${f('$.account')} (${f('$.region')})`,
};

/** Fields of an event KMS sends itself: the key is `resources[0]`. */
const KMS = {
  key: () => f('$.resources[0]'),
  when: () => f('$.time'),
  where: () => `account ${f('$.account')} (${f('$.region')})`,
};

/**
 * A CloudTrail-recorded KMS call, successful only (`errorCode` absent: a
 * refused call changed nothing), on one of the keys: CloudTrail lists the
 * key's ARN in the record's `resources`.
 */
function apiCall(eventName: string, extra: Record<string, unknown> = {}): (keyArns: string[]) => events.EventPattern {
  return (keyArns) => ({
    source: ['aws.kms'],
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: ['kms.amazonaws.com'],
      eventName: [eventName],
      errorCode: [{ exists: false }],
      resources: { ARN: keyArns },
      ...extra,
    },
  });
}

/** An event KMS sends itself about one of the keys (`resources` holds the key ARN). */
function serviceEvent(detailType: string): (keyArns: string[]) => events.EventPattern {
  return (keyArns) => ({ source: ['aws.kms'], detailType: [detailType], resources: keyArns });
}

const text = (s: string) => events.RuleTargetInput.fromText(s);

/** The kinds, in the order of the rules. */
export const KEY_EVENT_KINDS: readonly KeyEventKind[] = [
  {
    id: 'DisableKey',
    description: 'DisableKey: the key was disabled',
    viaCloudTrail: true,
    pattern: apiCall('DisableKey'),
    message: () =>
      text(
        `KMS key ${TRAIL.key()} in ${TRAIL.where()} was DISABLED by ${TRAIL.who()} at ${TRAIL.when()}. ` +
          'Every Encrypt, Decrypt and GenerateDataKey with it now fails: data encrypted under it cannot be read. ' +
          `If this was not intended, enable it again: aws kms enable-key --key-id ${TRAIL.key()}`,
      ),
  },
  {
    id: 'ScheduleKeyDeletion',
    description: 'ScheduleKeyDeletion: the key was scheduled for deletion',
    viaCloudTrail: true,
    pattern: apiCall('ScheduleKeyDeletion'),
    message: () =>
      text(
        `KMS key ${TRAIL.key()} in ${TRAIL.where()} was SCHEDULED FOR DELETION by ${TRAIL.who()} at ${TRAIL.when()}: ` +
          `KMS deletes it on ${f('$.detail.responseElements.deletionDate')}, and everything encrypted under it becomes unreadable for good. ` +
          `If this was not intended, cancel the deletion within the waiting period: aws kms cancel-key-deletion --key-id ${TRAIL.key()} ` +
          `then aws kms enable-key --key-id ${TRAIL.key()}`,
      ),
  },
  {
    id: 'PutKeyPolicy',
    description: 'PutKeyPolicy: the key policy was replaced',
    viaCloudTrail: true,
    pattern: apiCall('PutKeyPolicy'),
    message: () =>
      text(
        `The key policy of KMS key ${TRAIL.key()} in ${TRAIL.where()} was REPLACED by ${TRAIL.who()} at ${TRAIL.when()}. ` +
          `If it was not your deployment, compare it with the policy your stack deploys (aws kms get-key-policy --key-id ${TRAIL.key()} --policy-name default) ` +
          'and deploy the stack again to restore it.',
      ),
  },
  {
    id: 'CreateGrantOutsideAccount',
    description: 'CreateGrant: a grant was created for a principal that is not an IAM principal of the key\'s account',
    viaCloudTrail: true,
    pattern: (keyArns, account, partition) =>
      apiCall('CreateGrant', {
        // EventBridge content filtering: anything but the IAM principals of the key's own account
        requestParameters: { granteePrincipal: [{ 'anything-but': { prefix: `arn:${partition}:iam::${account}:` } }] },
      })(keyArns),
    message: () =>
      text(
        `A GRANT on KMS key ${TRAIL.key()} in ${TRAIL.where()} was created by ${TRAIL.who()} at ${TRAIL.when()} ` +
          `for ${f('$.detail.requestParameters.granteePrincipal')}, which is not an IAM principal of the key's account. ` +
          `If it is not an AWS service acting for you, revoke it: aws kms revoke-grant --key-id ${TRAIL.key()} --grant-id ${f('$.detail.responseElements.grantId')}`,
      ),
  },
  {
    id: 'DisableKeyRotation',
    description: 'DisableKeyRotation: automatic rotation was turned off',
    viaCloudTrail: true,
    pattern: apiCall('DisableKeyRotation'),
    message: () =>
      text(
        `Automatic rotation of KMS key ${TRAIL.key()} in ${TRAIL.where()} was TURNED OFF by ${TRAIL.who()} at ${TRAIL.when()}. ` +
          `Turn it on again: aws kms enable-key-rotation --key-id ${TRAIL.key()} (or deploy the stack again).`,
      ),
  },
  {
    id: 'DeleteImportedKeyMaterial',
    description: 'DeleteImportedKeyMaterial: the key\'s imported material was deleted',
    viaCloudTrail: true,
    pattern: apiCall('DeleteImportedKeyMaterial'),
    message: () =>
      text(
        `The imported key material of KMS key ${TRAIL.key()} in ${TRAIL.where()} was DELETED by ${TRAIL.who()} at ${TRAIL.when()}: ` +
          'the key cannot be used until the same key material is imported again (aws kms get-parameters-for-import, then aws kms import-key-material).',
      ),
  },
  {
    id: 'KeyDeleted',
    description: 'KMS CMK Deletion: KMS deleted the key at the end of its waiting period',
    viaCloudTrail: false,
    pattern: serviceEvent('KMS CMK Deletion'),
    message: () =>
      text(
        `KMS key ${KMS.key()} in ${KMS.where()} was DELETED by AWS KMS at ${KMS.when()}, at the end of its deletion waiting period. ` +
          'Data encrypted under it can no longer be decrypted. Find who scheduled the deletion (CloudTrail, ScheduleKeyDeletion) and restore the data from copies under another key.',
      ),
  },
  {
    id: 'KeyRotated',
    description: 'KMS CMK Rotation: the key material was rotated',
    viaCloudTrail: false,
    pattern: serviceEvent('KMS CMK Rotation'),
    message: () =>
      text(
        `The key material of KMS key ${KMS.key()} in ${KMS.where()} was ROTATED (${f('$.detail.rotation-type')}) at ${KMS.when()}. ` +
          'Nothing to do: KMS keeps the earlier key material to decrypt existing data.',
      ),
  },
  {
    id: 'ImportedKeyMaterialExpired',
    description: 'KMS Imported Key Material Expiration: the imported key material expired',
    viaCloudTrail: false,
    pattern: serviceEvent('KMS Imported Key Material Expiration'),
    message: () =>
      text(
        `The imported key material of KMS key ${KMS.key()} in ${KMS.where()} EXPIRED at ${KMS.when()}: KMS deleted it and the key cannot be used. ` +
          'Import the same key material again (aws kms get-parameters-for-import, then aws kms import-key-material) to use the key again.',
      ),
  },
];
