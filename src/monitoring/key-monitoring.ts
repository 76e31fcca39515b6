import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IConstruct } from 'constructs';
import { KEY_EVENT_KINDS } from './key-events';
import { keyPolicyStatements } from '../analysis/key';
import { render } from '../analysis/template';
import { keyAllowsServicePublish } from '../analysis/topic';
import { promise } from '../checks/guarantees';
import { throwValidationError } from '../core/errors';
import { StackFacts } from '../core/facts';
import { describeValue, eachString, KEY, optionalArrayOf, optionalBoolean, optionalConstruct, optionalString, requireArrayOf, requireObject } from '../core/props';
import { CrossAccountSharedKey } from '../kms/cross-account-shared-key';
import { allowCloudWatchAlarmsPublish, allowKeyEventRulesPublish, allowServiceTopicKeyUse, TOPIC_PUBLISHING_SERVICES } from '../statements/monitoring';

/** The topic shape `topic` must have. */
const TOPIC_SHAPE = {
  name: 'an sns.ITopic',
  members: { topicArn: 'string', addToResourcePolicy: 'function', node: 'object' } as Record<string, 'string' | 'function' | 'object'>,
  fix: 'Pass a topic construct, or import one with sns.Topic.fromTopicArn.',
};

/** The percentage of the quota the quota alarm fires at, unless `quotaAlarmThresholdPercent` says otherwise. */
const DEFAULT_THRESHOLD_PERCENT = 80;

/**
 * The dimensions of the `AWS/Usage` `CallCount` metric that counts the
 * account's requests for symmetric cryptographic operations (Decrypt,
 * Encrypt, GenerateDataKey*, ReEncrypt, GenerateRandom, GenerateMac,
 * VerifyMac) in one Region, the requests the quota "Cryptographic
 * operations (symmetric) request rate" limits.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Usage-Metrics.html
 * @see https://aws.amazon.com/blogs/security/manage-your-aws-kms-api-request-rates-using-service-quotas-and-amazon-cloudwatch/
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html
 */
const KMS_USAGE_DIMENSIONS = { Service: 'KMS', Type: 'API', Resource: 'CryptographicOperationsSymmetric', Class: 'None' };

/** The ids of the warnings `KeyMonitoring` gives; acknowledge them with `Annotations.of(scope).acknowledgeWarning(id)`. */
const WARNING_TOPIC_UNVERIFIED = 'cdk-data-protection:monitoringTopicUnverified';
const WARNING_NO_TRAIL = 'cdk-data-protection:monitoringNeedsTrail';

/**
 * Properties of a {@link KeyMonitoring}.
 */
export interface KeyMonitoringProps {
  /**
   * The keys to watch: keys of this stack's account and Region (e.g.
   * `CrossAccountSharedKey.key`, a `kms.Key`, or `kms.Key.fromKeyArn`).
   *
   * @throws if empty, if a key is an alias, or if a key is of another account
   * or Region than the stack (KMS and CloudTrail deliver a key's events to
   * EventBridge of the key's own account and Region only; also when a token
   * resolves to such an ARN at synthesis)
   * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kms.html
   */
  readonly keys: kms.IKey[];

  /**
   * The topic notifications go to.
   *
   * It must be in the stack's Region (EventBridge targets and alarm actions
   * are regional). If it is encrypted under a KMS key, the key policy must let
   * `cloudwatch.amazonaws.com` and `events.amazonaws.com` call
   * `kms:GenerateDataKey*` and `kms:Decrypt`, or SNS drops the notifications:
   * synthesis fails when the key's policy is in the app and does not, and a
   * warning (`cdk-data-protection:monitoringTopicUnverified`) says so when it
   * cannot be read (an imported topic or key). A topic of this app gets a
   * topic policy letting this construct's rules and the account's alarms
   * publish; an imported topic's policy is the owner's to write.
   *
   * @default - a topic created here, encrypted under a `CrossAccountSharedKey`
   * (`TopicKey`) whose policy lets CloudWatch and EventBridge use it through
   * SNS for this topic only (`kms:ViaService`, encryption context `aws:sns:topicArn`)
   * @throws if the topic is in another Region than the stack
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  readonly topic?: sns.ITopic;

  /**
   * E-mail addresses subscribed to the topic. Each address receives a
   * confirmation message first: nothing is delivered until it is confirmed.
   *
   * @default - no subscriptions
   * @throws if a value is not an e-mail address
   */
  readonly emailAddresses?: string[];

  /**
   * Whether to create a CloudTrail trail of this Region's write management
   * events. The rules for DisableKey, ScheduleKeyDeletion, PutKeyPolicy,
   * CreateGrant, DisableKeyRotation and DeleteImportedKeyMaterial match
   * CloudTrail's records of those calls, which reach EventBridge only while a
   * trail logs management events in the account and Region (an
   * organization trail counts). KMS's own events (deletion, rotation, expiry
   * of imported material) need no trail.
   *
   * @default false - a warning (`cdk-data-protection:monitoringNeedsTrail`) reminds that a trail must exist
   * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kms.html
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
   */
  readonly trail?: boolean;

  /**
   * Whether to alarm when the account's requests for symmetric cryptographic
   * operations in this Region near the applied KMS quota. Only one
   * `KeyMonitoring` of an account and Region may have it: give the others
   * `quotaAlarm: false`.
   *
   * @default true
   * @throws if another `KeyMonitoring` of the app in the same account and Region has a quota alarm
   */
  readonly quotaAlarm?: boolean;

  /**
   * The quota alarm's threshold: the request rate, in percent (1 to 100)
   * of the applied quota "Cryptographic operations (symmetric) request rate"
   * (requests per second, measured as each minute's average), reached in 3
   * of 5 consecutive minutes.
   *
   * @default 80
   * @throws if not a number from 1 to 100 (also when a token resolves to such a value at synthesis)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html
   */
  readonly quotaAlarmThresholdPercent?: number;

  /**
   * The name of the CloudWatch dashboard: 1 to 255 letters, digits, `-` or `_`.
   *
   * @default - a name CloudFormation generates
   * @throws if not a valid dashboard name
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
   */
  readonly dashboardName?: string;
}

/**
 * Watches KMS keys in production: a notification for each event that
 * endangers a key (disabled, scheduled for deletion, policy replaced, a grant
 * to an outsider, rotation turned off, imported material deleted or expired,
 * deleted), saying which key, who did it and what to do; an alarm before the
 * account's KMS request quota throttles S3 and every other caller; a
 * CloudWatch dashboard of both.
 *
 * Notifications go to an SNS topic encrypted under a key whose policy lets
 * CloudWatch and EventBridge use it (an encrypted topic whose key does not
 * silently drops alarm notifications), or to a topic you give.
 *
 * @example
 * const key = new CrossAccountSharedKey(this, 'Key', { alias: 'alias/partner-exchange' });
 * new KeyMonitoring(this, 'Monitoring', {
 *   keys: [key.key],
 *   emailAddresses: ['security@example.com'],
 *   trail: true,
 * });
 */
export class KeyMonitoring extends Construct {
  /** The topic notifications go to. */
  public readonly topic: sns.ITopic;
  /** The key the topic is encrypted under, when this construct created the topic. */
  public readonly topicKey?: CrossAccountSharedKey;
  /** The EventBridge rules, one per kind of key event (every monitored key in each). */
  public readonly rules: events.Rule[];
  /** The alarm on the KMS request quota (`quotaAlarm`). */
  public readonly quotaAlarm?: cloudwatch.Alarm;
  /** The alarm on failed deliveries of the rules' notifications to the topic. */
  public readonly notificationFailureAlarm: cloudwatch.Alarm;
  /** The trail (`trail: true`). */
  public readonly trail?: cloudtrail.Trail;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The quota alarm's threshold, in percent of the applied quota. */
  public readonly quotaAlarmThresholdPercent: number;

  constructor(scope: Construct, id: string, props: KeyMonitoringProps) {
    super(scope, id);
    requireObject('props', props, 'an object of KeyMonitoringProps ({ keys, ... })');
    requireArrayOf('keys', props.keys, (p, v) => requireKeyShape(p, v), 'an array of kms.IKey');
    optionalConstruct('topic', props.topic, TOPIC_SHAPE);
    optionalArrayOf('emailAddresses', props.emailAddresses, eachString, 'an array of e-mail addresses');
    optionalBoolean('trail', props.trail);
    optionalBoolean('quotaAlarm', props.quotaAlarm);
    optionalString('dashboardName', props.dashboardName);
    if (props.dashboardName !== undefined && !Token.isUnresolved(props.dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName)) {
      throw new Error(`dashboardName must be 1 to 255 letters, digits, '-' or '_' (CloudWatch dashboard names), got ${describeValue(props.dashboardName)}. Omit it for a generated name.`);
    }
    if (props.keys.length === 0) {
      throwValidationError('InvalidMonitoredKeys', 'keys must list at least one kms.IKey, got []. Pass the keys to watch, e.g. keys: [sharedKey.key].', this);
    }
    const stack = Stack.of(this);
    props.keys.forEach((key, i) => validateKeyEnvironment(`keys[${i}]`, key, this));
    if (props.topic) {
      validateTopicRegion(props.topic, this);
    }
    (props.emailAddresses ?? []).forEach((address, i) => validateEmailAddress(`emailAddresses[${i}]`, address, this));
    this.quotaAlarmThresholdPercent = props.quotaAlarmThresholdPercent ?? DEFAULT_THRESHOLD_PERCENT;
    validateThreshold(props.quotaAlarmThresholdPercent, this);
    const wantsQuotaAlarm = props.quotaAlarm ?? true;
    if (wantsQuotaAlarm) {
      refuseSecondQuotaAlarm(this);
    }

    // The topic
    if (props.topic) {
      this.topic = props.topic;
      this.checkGivenTopic(props.topic);
    } else {
      const topicName = Names.uniqueResourceName(this, { maxLength: 256, separator: '-' });
      const topicArn = stack.formatArn({ service: 'sns', resource: topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
      this.topicKey = new CrossAccountSharedKey(this, 'TopicKey', { description: `Encrypts the notifications of ${this.node.path} (KeyMonitoring)` });
      for (const { service, sid } of TOPIC_PUBLISHING_SERVICES) {
        this.topicKey.key.addToResourcePolicy(allowServiceTopicKeyUse(service, sid, topicArn, stack.region));
      }
      this.topic = new sns.Topic(this, 'Topic', { topicName, masterKey: this.topicKey.key, displayName: 'KMS key monitoring' });
      // CloudWatch can use the topic's key, on the final template, whatever changed the key policy after this
      promise(this, 'KeyMonitoring', this.topic.node.defaultChild as sns.CfnTopic, ['DP21']);
    }
    for (const address of props.emailAddresses ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    }

    // The key-event rules: one per kind, for every key (the topic key included, when created here)
    const keyArns = [...new Set([...props.keys.map((k) => k.keyArn), ...(this.topicKey ? [this.topicKey.keyArn] : [])])];
    const rulesScope = new Construct(this, 'Events');
    this.rules = KEY_EVENT_KINDS.map((kind) => {
      const rule = new events.Rule(rulesScope, kind.id, {
        description: `${kind.description} (KeyMonitoring ${this.node.path})`,
        eventPattern: kind.pattern(keyArns, stack.account, stack.partition),
      });
      rule.addTarget(new TopicTarget(this.topic, kind.message()));
      return rule;
    });
    const ruleArns = this.rules.map((r) => r.ruleArn);
    const rulesPolicy = this.topic.addToResourcePolicy(allowKeyEventRulesPublish(this.topic.topicArn, stack.account, ruleArns));
    const alarmsPolicy = this.topic.addToResourcePolicy(
      allowCloudWatchAlarmsPublish(this.topic.topicArn, stack.account, stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })),
    );
    if (!rulesPolicy.statementAdded || !alarmsPolicy.statementAdded) {
      Annotations.of(this).addWarningV2(
        WARNING_TOPIC_UNVERIFIED,
        `topic ${this.topic.node.path} is imported: its topic policy cannot be changed here. It must let events.amazonaws.com (aws:SourceArn: the rules of ${rulesScope.node.path}) ` +
          'and cloudwatch.amazonaws.com (aws:SourceAccount: this account) call sns:Publish, or the notifications are dropped.',
      );
    }

    // CloudTrail
    if (props.trail) {
      // The log bucket keeps TLS 1.2 and no SSE-C; SSE-S3, as CloudTrail needs no key policy for it (DP1 reports it).
      const bucket = new s3.Bucket(this, 'TrailBucket', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.trail = new cloudtrail.Trail(this, 'Trail', {
        bucket,
        managementEvents: cloudtrail.ReadWriteType.WRITE_ONLY,
        isMultiRegionTrail: false,
        includeGlobalServiceEvents: false,
      });
    } else {
      Annotations.of(this).addWarningV2(
        WARNING_NO_TRAIL,
        'trail is not set: the rules for DisableKey, ScheduleKeyDeletion, PutKeyPolicy, CreateGrant, DisableKeyRotation and DeleteImportedKeyMaterial fire only if a CloudTrail trail ' +
          'logs write management events in this account and Region (an organization trail counts). Set trail: true to create one, or acknowledge this warning if a trail exists.',
      );
    }

    // Alarms
    const failed = this.rules.map((r, i) => [`failed${i}`, ruleMetric(r, 'FailedInvocations')] as const);
    this.notificationFailureAlarm = new cloudwatch.Alarm(this, 'NotificationFailureAlarm', {
      metric: new cloudwatch.MathExpression({
        expression: `SUM([${failed.map(([n]) => n).join(', ')}])`,
        usingMetrics: Object.fromEntries(failed),
        label: 'Key-event notifications EventBridge failed to deliver',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        `EventBridge failed to deliver key-event notifications of ${this.node.path} to the topic: events about the monitored KMS keys are not reaching anyone. ` +
        'Check the rules\' FailedInvocations, the topic policy (events.amazonaws.com sns:Publish) and the topic key\'s policy (events.amazonaws.com kms:GenerateDataKey*, kms:Decrypt).',
    });
    this.notificationFailureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));

    const quotaUsage = kmsQuotaUsagePercent();
    if (wantsQuotaAlarm) {
      this.quotaAlarm = new cloudwatch.Alarm(this, 'QuotaAlarm', {
        metric: quotaUsage,
        threshold: this.quotaAlarmThresholdPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: quotaAlarmDescription(this.quotaAlarmThresholdPercent),
      });
      this.quotaAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
    }

    // Dashboard
    const alarms = [...(this.quotaAlarm ? [this.quotaAlarm] : []), this.notificationFailureAlarm];
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'KMS symmetric cryptographic requests, % of the applied quota',
            left: [quotaUsage],
            leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
            leftAnnotations: [{ value: this.quotaAlarmThresholdPercent, label: 'alarm threshold', color: cloudwatch.Color.RED }],
            width: 12,
          }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 12 }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Key events (notifications sent, per rule)',
            left: this.rules.map((r, i) => ruleMetric(r, 'Invocations', KEY_EVENT_KINDS[i].id)),
            stacked: true,
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Key-event notifications that failed',
            left: this.rules.map((r, i) => ruleMetric(r, 'FailedInvocations', KEY_EVENT_KINDS[i].id)),
            stacked: true,
            width: 12,
          }),
        ],
      ],
    });
  }

  /** A topic the user gave: can CloudWatch and EventBridge use its key? Decided on the final template. */
  private checkGivenTopic(topic: sns.ITopic): void {
    const key = topic.masterKey;
    const cfnKey = key?.node.defaultChild as kms.CfnKey | undefined;
    const ownedTopic = Resource.isOwnedResource(topic);
    if (!ownedTopic && key === undefined) {
      Annotations.of(this).addWarningV2(
        WARNING_TOPIC_UNVERIFIED,
        `topic ${topic.node.path} is imported without its key: if it is encrypted, the key policy must let cloudwatch.amazonaws.com and events.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt, ` +
          'or SNS drops every notification. Import it with sns.Topic.fromTopicAttributes({ topicArn, keyArn }) or acknowledge this warning once checked.',
      );
      return;
    }
    if (key === undefined) {
      return; // an unencrypted topic of the app: nothing to allow
    }
    if (!cfnKey || !(cfnKey instanceof kms.CfnKey)) {
      Annotations.of(this).addWarningV2(
        WARNING_TOPIC_UNVERIFIED,
        `topic ${topic.node.path} is encrypted under ${key.keyArn.startsWith('arn:') ? key.keyArn : `the imported key ${key.node.path}`}, whose policy is not in this app: it must let cloudwatch.amazonaws.com and ` +
          'events.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt, or SNS drops every notification. Acknowledge this warning once checked.',
      );
      return;
    }
    StackFacts.of(cfnKey).addCheck(
      () => {
        const statements = keyPolicyStatements(render(cfnKey));
        const missing = statements === undefined ? [] : TOPIC_PUBLISHING_SERVICES.filter(({ service }) => keyAllowsServicePublish(statements, service) === 'no').map((s) => s.service);
        if (missing.length === 0) {
          return [];
        }
        return [
          `topic: ${topic.node.path} is encrypted under ${key.node.path}, whose key policy does not let ${missing.join(' and ')} call kms:GenerateDataKey* and kms:Decrypt: SNS would drop every notification of ${this.node.path}. ` +
            `Add a key-policy statement allowing the service principal(s) ${missing.join(', ')} those actions (condition kms:ViaService sns.<region>.amazonaws.com), or leave topic unset for a topic KeyMonitoring encrypts itself.`,
        ];
      },
      { scope: this },
    );
  }
}

/**
 * The account's symmetric cryptographic requests as a percentage of the
 * applied quota: `CallCount` is the sum of requests per minute, the quota is
 * per second, so the minute's sum is divided by 60 before `SERVICE_QUOTA`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html#metric-math-syntax-functions-list (SERVICE_QUOTA)
 * @see https://aws.amazon.com/blogs/security/manage-your-aws-kms-api-request-rates-using-service-quotas-and-amazon-cloudwatch/
 */
function kmsQuotaUsagePercent(): cloudwatch.MathExpression {
  const usage = new cloudwatch.Metric({
    namespace: 'AWS/Usage',
    metricName: 'CallCount',
    dimensionsMap: KMS_USAGE_DIMENSIONS,
    statistic: 'Sum',
    period: Duration.minutes(1),
  });
  return new cloudwatch.MathExpression({
    expression: '(usage / 60) / SERVICE_QUOTA(usage) * 100',
    usingMetrics: { usage },
    label: 'Symmetric cryptographic requests per second, % of the applied KMS quota',
    period: Duration.minutes(1),
  });
}

function quotaAlarmDescription(threshold: number): string {
  return (
    `The account's KMS requests for symmetric cryptographic operations (Decrypt, Encrypt, GenerateDataKey, ReEncrypt, ...) in this Region reached ${Token.isUnresolved(threshold) ? 'the threshold' : `${threshold} %`} ` +
    'of the applied quota (requests per second, each minute\'s average) in 3 of the last 5 minutes. Every key of the account shares this quota; past it KMS throttles ' +
    '(ThrottlingException, and S3 answers SSE-KMS requests with 503 SlowDown). Turn on S3 Bucket Keys, cache data keys, or request an increase of ' +
    '"Cryptographic operations (symmetric) request rate" in Service Quotas (AWS Key Management Service).'
  );
}

/**
 * A rule's `AWS/Events` metric (`Invocations`: targets invoked, i.e.
 * notifications sent; `FailedInvocations`: deliveries that failed), summed
 * over 5 minutes.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
 */
function ruleMetric(rule: events.Rule, metricName: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/Events', metricName, dimensionsMap: { RuleName: rule.ruleName }, statistic: 'Sum', period: Duration.minutes(5), label });
}

/** A target that publishes to the topic with the rule's message, granting nothing itself (the topic policy is written once, with a Sid). */
class TopicTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly input: events.RuleTargetInput,
  ) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: this.input };
  }
}

function requireKeyShape(prop: string, value: unknown): void {
  optionalConstruct(prop, value, KEY);
  if (value === undefined) {
    throw new Error(`${prop} must be a kms.IKey, got undefined. ${KEY.fix}`);
  }
}

/** The account and Region of an ARN (`arn:<partition>:<service>:<region>:<account>:...`), if it is one. */
function arnEnvironment(arn: string): { region: string; account: string } | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? { region: parts[3], account: parts[4] } : undefined;
}

function known(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value) && value !== '';
}

/** Throws unless the key can be watched from the stack of `scope`: not an alias, same account and Region. */
function validateKeyEnvironment(prop: string, key: kms.IKey, scope: Construct): void {
  const alias = (key as Partial<kms.IAlias>).aliasName;
  if (alias !== undefined) {
    throwValidationError(
      'InvalidMonitoredKeys',
      `${prop} is the alias ${Token.isUnresolved(alias) ? key.node.path : `"${alias}"`}: KMS and CloudTrail name the key itself in its events, never the alias. Pass the key (alias.aliasTargetKey, or kms.Key.fromKeyArn).`,
      scope,
    );
  }
  const check = (account: string | undefined, region: string | undefined, shown: string) => {
    const stack = Stack.of(scope);
    const wrongAccount = known(account) && known(stack.account) && account !== stack.account;
    const wrongRegion = known(region) && known(stack.region) && region !== stack.region;
    if (wrongAccount || wrongRegion) {
      throwValidationError(
        'MonitoredKeyOutsideEnvironment',
        `${prop} is a key of account ${account} in ${region} (${shown}), but this stack is in account ${stack.account}, ${stack.region}: ` +
          'KMS and CloudTrail deliver a key\'s events to EventBridge of the key\'s own account and Region only, so rules here would never fire. ' +
          `Add the key to a KeyMonitoring in a stack of account ${account}, ${region}.`,
        scope,
      );
    }
  };
  const env = (key as Partial<Resource>).env;
  check(env?.account, env?.region, Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn);
  if (Token.isUnresolved(key.keyArn) && !Resource.isOwnedResource(key)) {
    // an imported ARN that is a token (context lookup, Lazy): checked again once resolved
    afterResolution(scope, key.keyArn, (arn) => {
      const e = arnEnvironment(arn);
      if (e) check(e.account, e.region, arn);
    });
  }
}

/** Throws when the topic is in another Region than the stack (also once a token resolves). */
function validateTopicRegion(topic: sns.ITopic, scope: Construct): void {
  const check = (region: string | undefined, shown: string) => {
    const stack = Stack.of(scope);
    if (known(region) && known(stack.region) && region !== stack.region) {
      throwValidationError(
        'MonitoringTopicOutsideRegion',
        `topic ${shown} is in ${region}, this stack in ${stack.region}: EventBridge rule targets and alarm actions must be topics of their own Region. ` +
          `Pass a topic of ${stack.region}, or leave topic unset for one created here.`,
        scope,
      );
    }
  };
  check(topic.env?.region, Token.isUnresolved(topic.topicArn) ? topic.node.path : topic.topicArn);
  if (Token.isUnresolved(topic.topicArn) && !Resource.isOwnedResource(topic)) {
    afterResolution(scope, topic.topicArn, (arn) => check(arnEnvironment(arn)?.region, arn));
  }
}

/** Runs `validate` on `value` once it resolves to a string at synthesis; a value still unresolved (a deploy-time intrinsic) is skipped. */
function afterResolution(scope: IConstruct, value: unknown, validate: (resolved: any) => void): void {
  StackFacts.of(scope).addCheck(
    (stack) => {
      const resolved = stack.resolve(value);
      if (resolved === undefined || (typeof resolved !== 'string' && typeof resolved !== 'number') || Token.isUnresolved(resolved)) {
        return [];
      }
      try {
        validate(resolved);
      } catch (e) {
        return [`${scope.node.path}: a value that was a token at construction is refused once resolved at synthesis: ${(e as Error).message}`];
      }
      return [];
    },
    { scope },
  );
}

function validateThreshold(value: unknown, scope: Construct): void {
  if (value === undefined) {
    return;
  }
  const check = (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 100) {
      throwValidationError(
        'InvalidQuotaAlarmThreshold',
        `quotaAlarmThresholdPercent must be a number from 1 to 100 (percent of the applied KMS request quota), got ${typeof v === 'number' ? v : describeValue(v)}. ` +
          'Use e.g. 80 to be told at 80 % of the quota; omit it for 80.',
        scope,
      );
    }
  };
  if (typeof value === 'number' && Token.isUnresolved(value)) {
    afterResolution(scope, value, check);
    return;
  }
  check(value);
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function validateEmailAddress(prop: string, address: string, scope: Construct): void {
  if (!Token.isUnresolved(address) && !EMAIL.test(address)) {
    throwValidationError('InvalidEmailAddress', `${prop} must be an e-mail address such as security@example.com, got ${JSON.stringify(address)}.`, scope);
  }
}

/** Throws if another `KeyMonitoring` of the app already alarms on the KMS quota of the same account and Region. */
function refuseSecondQuotaAlarm(monitoring: KeyMonitoring): void {
  const stack = Stack.of(monitoring);
  for (const other of monitoring.node.root.node.findAll()) {
    if (other === monitoring || !(other instanceof KeyMonitoring) || other.quotaAlarm === undefined) {
      continue;
    }
    const otherStack = Stack.of(other);
    const sameEnv = known(stack.account) && known(stack.region) && stack.account === otherStack.account && stack.region === otherStack.region;
    const same = otherStack === stack || sameEnv;
    if (same) {
      throwValidationError(
        'DuplicateQuotaAlarm',
        `quotaAlarm: ${other.node.path} already alarms on the KMS request quota of ${known(stack.account) ? `account ${stack.account}, ${stack.region}` : `the environment of stack ${stack.stackName}`}, ` +
          'which every key of the account shares: a second alarm would notify twice. Set quotaAlarm: false on this KeyMonitoring.',
        monitoring,
      );
    }
  }
}
