import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { CrossAccountSharedKey, DataProtectionStatements, KeyMonitoring } from '../src';
import { findings } from './checks/helpers';
import { ENV, kmsKeyArn, nagFindings, PARTNER, PRODUCER, producerStack, REGION, resolver, stackIn, THIRD } from './support';

/** A producer stack with a shared key and a KeyMonitoring of it. */
function monitored(props: Partial<ConstructorParameters<typeof KeyMonitoring>[2]> = {}) {
  const { app, stack } = producerStack();
  const key = new CrossAccountSharedKey(stack, 'Key');
  const monitoring = new KeyMonitoring(stack, 'Monitoring', { keys: [key.key], ...props });
  return { app, stack, key, monitoring, template: Template.fromStack(stack) };
}

const keyArnOf = (logicalIdPrefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), 'Arn'] });

describe('KeyMonitoring', () => {
  describe('key-event rules', () => {
    test.each(['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'DisableKeyRotation', 'DeleteImportedKeyMaterial'])(
      '%s: a successful CloudTrail-recorded call on one of the keys (by the key ARN CloudTrail lists in resources)',
      (eventName) => {
        const { template } = monitored();
        template.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: {
            'source': ['aws.kms'],
            'detail-type': ['AWS API Call via CloudTrail'],
            'detail': {
              eventSource: ['kms.amazonaws.com'],
              eventName: [eventName],
              errorCode: [{ exists: false }],
              resources: { ARN: Match.arrayWith([keyArnOf('Key'), keyArnOf('MonitoringTopicKey')]) },
            },
          },
        });
      },
    );

    test('CreateGrant: only grants to a principal that is not an IAM principal of the account (anything-but prefix)', () => {
      const { template } = monitored();
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          detail: Match.objectLike({
            eventName: ['CreateGrant'],
            requestParameters: { granteePrincipal: [{ 'anything-but': { prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${PRODUCER}:`]] } } }] },
          }),
        },
      });
    });

    test.each(['KMS CMK Deletion', 'KMS CMK Rotation', 'KMS Imported Key Material Expiration'])('%s: the event KMS sends itself, for the keys', (detailType) => {
      const { template } = monitored();
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': ['aws.kms'], 'detail-type': [detailType], 'resources': Match.arrayWith([keyArnOf('Key')]) },
      });
    });

    test('nine rules, each publishing to the topic with a message naming the key, who and what to do', () => {
      const { template, monitoring } = monitored();
      expect(monitoring.rules).toHaveLength(9);
      template.resourceCountIs('AWS::Events::Rule', 9);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { detail: Match.objectLike({ eventName: ['ScheduleKeyDeletion'] }) },
        Targets: [
          {
            Arn: { Ref: Match.stringLikeRegexp('^MonitoringTopic') },
            InputTransformer: {
              InputPathsMap: Match.objectLike({
                'detail-resources-0--ARN': '$.detail.resources[0].ARN',
                'detail-userIdentity-arn': '$.detail.userIdentity.arn',
                'detail-responseElements-deletionDate': '$.detail.responseElements.deletionDate',
              }),
              InputTemplate: Match.stringLikeRegexp(
                'KMS key <detail-resources-0--ARN> .* was SCHEDULED FOR DELETION by <detail-userIdentity-arn> .*aws kms cancel-key-deletion --key-id <detail-resources-0--ARN>',
              ),
            },
          },
        ],
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'detail-type': ['KMS CMK Deletion'] },
        Targets: [{ InputTransformer: { InputPathsMap: Match.objectLike({ 'resources-0-': '$.resources[0]' }), InputTemplate: Match.stringLikeRegexp('was DELETED by AWS KMS') } }],
      });
    });

    test('an imported key of the account is watched by its ARN', () => {
      const { stack } = producerStack();
      new KeyMonitoring(stack, 'Monitoring', { keys: [kms.Key.fromKeyArn(stack, 'Imported', kmsKeyArn())] });
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'detail-type': ['KMS CMK Rotation'], 'resources': Match.arrayWith([kmsKeyArn()]) },
      });
    });
  });

  describe('the topic', () => {
    test('is encrypted under a CrossAccountSharedKey whose policy lets CloudWatch and EventBridge use it through SNS, for this topic only', () => {
      const { template } = monitored();
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArnOf('MonitoringTopicKey'), TopicName: Match.stringLikeRegexp('^Producer-Monitoring-') });
      for (const [sid, service] of [
        [DataProtectionStatements.SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE, 'cloudwatch.amazonaws.com'],
        [DataProtectionStatements.SID_ALLOW_EVENTBRIDGE_TOPIC_KEY_USE, 'events.amazonaws.com'],
      ]) {
        template.hasResourceProperties('AWS::KMS::Key', {
          KeyPolicy: {
            Statement: Match.arrayWith([
              {
                Sid: sid,
                Effect: 'Allow',
                Principal: { Service: service },
                Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                Resource: '*',
                Condition: {
                  StringEquals: {
                    'kms:ViaService': `sns.${REGION}.amazonaws.com`,
                    'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(`^:sns:${REGION}:${PRODUCER}:Producer-Monitoring-`)]] },
                  },
                },
              },
            ]),
          },
        });
      }
    });

    test('its policy lets the rules (by ARN) and the account\'s alarms publish, and no one else', () => {
      const { template } = monitored();
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: [
            {
              Sid: DataProtectionStatements.SID_ALLOW_KEY_EVENT_RULES_PUBLISH,
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: { StringEquals: { 'aws:SourceAccount': PRODUCER }, ArnEquals: { 'aws:SourceArn': Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringEventsDisableKey'), 'Arn'] }]) } },
            },
            {
              Sid: DataProtectionStatements.SID_ALLOW_CLOUDWATCH_ALARMS_PUBLISH,
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': PRODUCER },
                ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${REGION}:${PRODUCER}:alarm:*`]] } },
              },
            },
          ],
        },
      });
    });

    test('fails at synthesis if an escape hatch takes CloudWatch out of the topic key\'s policy (DP21, promised on the final template)', () => {
      const { app, stack } = producerStack();
      const monitoring = new KeyMonitoring(stack, 'Monitoring', { keys: [new CrossAccountSharedKey(stack, 'Key').key] });
      const cfnKey = monitoring.topicKey!.key.node.defaultChild as kms.CfnKey;
      const policy = stack.resolve(cfnKey.keyPolicy);
      cfnKey.addPropertyOverride('KeyPolicy.Statement', policy.Statement.filter((st: any) => st.Sid !== DataProtectionStatements.SID_ALLOW_CLOUDWATCH_TOPIC_KEY_USE));
      expect(() => app.synth()).toThrow(/Producer\/Monitoring\/Topic\/Resource fails DataProtection-DP21 on the final template, which KeyMonitoring Producer\/Monitoring promises/);
    });

    test('e-mail subscriptions', () => {
      const { template } = monitored({ emailAddresses: ['security@example.com'] });
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com' });
    });

    test('a topic of the app whose key policy does not allow CloudWatch and EventBridge fails synthesis, naming the prop', () => {
      const { app, stack } = producerStack();
      const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true }) });
      new KeyMonitoring(stack, 'Monitoring', { keys: [new CrossAccountSharedKey(stack, 'Key').key], topic, quotaAlarm: false });
      expect(() => app.synth()).toThrow(/topic: Producer\/Alerts is encrypted under Producer\/AlertsKey, whose key policy does not let cloudwatch.amazonaws.com and events.amazonaws.com call kms:GenerateDataKey\* and kms:Decrypt/);
    });

    test('a topic of the app whose key policy allows them synthesizes, with the topic policy added', () => {
      const { app, stack } = producerStack();
      const topicKey = new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true });
      for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
        topicKey.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal(service)], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }));
      }
      const topic = new sns.Topic(stack, 'Alerts', { masterKey: topicKey });
      new KeyMonitoring(stack, 'Monitoring', { keys: [new CrossAccountSharedKey(stack, 'Key').key], topic });
      expect(() => app.synth()).not.toThrow();
      Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', { Topics: [{ Ref: Match.stringLikeRegexp('^Alerts') }] });
    });

    test('an imported topic: a warning with an id says its key and policy cannot be shown to allow the services', () => {
      const { stack } = producerStack();
      const topic = sns.Topic.fromTopicArn(stack, 'Alerts', `arn:aws:sns:${REGION}:${PRODUCER}:alerts`);
      new KeyMonitoring(stack, 'Monitoring', { keys: [new CrossAccountSharedKey(stack, 'Key').key], topic });
      const warnings = Annotations.fromStack(stack).findWarning('/Producer/Monitoring', Match.stringLikeRegexp('monitoringTopicUnverified'));
      expect(warnings.length).toBeGreaterThan(0);
    });
  });

  describe('quota headroom', () => {
    test('an alarm on AWS/Usage CallCount of KMS symmetric cryptographic operations as a percentage of SERVICE_QUOTA, per second', () => {
      const { template } = monitored();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 80,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringTopic') }],
        AlarmDescription: Match.stringLikeRegexp('reached 80 % of the applied quota'),
        Metrics: [
          { Expression: '(usage / 60) / SERVICE_QUOTA(usage) * 100', Id: 'expr_1', ReturnData: true, Label: Match.anyValue() },
          {
            Id: 'usage',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Usage',
                MetricName: 'CallCount',
                Dimensions: [
                  { Name: 'Class', Value: 'None' },
                  { Name: 'Resource', Value: 'CryptographicOperationsSymmetric' },
                  { Name: 'Service', Value: 'KMS' },
                  { Name: 'Type', Value: 'API' },
                ],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      });
    });

    test('quotaAlarmThresholdPercent sets the threshold', () => {
      const { template, monitoring } = monitored({ quotaAlarmThresholdPercent: 60 });
      expect(monitoring.quotaAlarmThresholdPercent).toBe(60);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 60, AlarmDescription: Match.stringLikeRegexp('60 %') });
    });

    test('quotaAlarm: false: no quota alarm', () => {
      const { template, monitoring } = monitored({ quotaAlarm: false });
      expect(monitoring.quotaAlarm).toBeUndefined();
      template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Id: 'usage' })]) }, 0);
    });

    test('fails if a second KeyMonitoring of the same account and Region alarms on the quota, naming the prop', () => {
      const app = new App();
      const a = stackIn(app, 'A');
      const b = stackIn(app, 'B');
      new KeyMonitoring(a, 'Monitoring', { keys: [new CrossAccountSharedKey(a, 'Key').key] });
      expect(() => new KeyMonitoring(b, 'Monitoring', { keys: [new CrossAccountSharedKey(b, 'Key').key] })).toThrow(
        `quotaAlarm: A/Monitoring already alarms on the KMS request quota of account ${PRODUCER}, ${REGION}, which every key of the account shares: a second alarm would notify twice. Set quotaAlarm: false on this KeyMonitoring.`,
      );
      expect(() => new KeyMonitoring(b, 'Second', { keys: [kms.Key.fromKeyArn(b, 'K', kmsKeyArn())], quotaAlarm: false })).not.toThrow();
      const other = stackIn(app, 'C', { env: { account: PRODUCER, region: 'us-east-1' } });
      expect(() => new KeyMonitoring(other, 'Monitoring', { keys: [new CrossAccountSharedKey(other, 'Key').key] })).not.toThrow();
    });
  });

  describe('dashboard', () => {
    test('quota usage graph, alarm status and key-event widgets', () => {
      const { template, stack } = monitored();
      const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
      expect(Object.keys(dashboards)).toHaveLength(1);
      const body = JSON.stringify(stack.resolve(Object.values(dashboards)[0].Properties.DashboardBody));
      expect(body).toContain('KMS symmetric cryptographic requests, % of the applied quota');
      expect(body).toContain('(usage / 60) / SERVICE_QUOTA(usage) * 100');
      expect(body).toContain('\\"type\\":\\"alarm\\"');
      expect(body).toContain('Key events (notifications sent, per rule)');
      expect(body).toContain('\\"AWS/Events\\",\\"Invocations\\",\\"RuleName\\"');
    });

    test('an alarm on failed deliveries of the notifications', () => {
      const { template } = monitored();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('^SUM\\(\\[failed0, failed1,') })]),
        AlarmDescription: Match.stringLikeRegexp('EventBridge failed to deliver key-event notifications'),
      });
    });
  });

  describe('CloudTrail', () => {
    test('trail: true creates a trail of write management events', () => {
      const { template } = monitored({ trail: true });
      template.hasResourceProperties('AWS::CloudTrail::Trail', { IsLogging: true, IsMultiRegionTrail: false, EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }] });
    });

    test('without trail, a warning with an id says the API-call rules need one', () => {
      const { stack } = monitored();
      expect(Annotations.fromStack(stack).findWarning('/Producer/Monitoring', Match.stringLikeRegexp('monitoringNeedsTrail'))).toHaveLength(1);
      Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
    });
  });

  describe('scanners', () => {
    test('the default configuration passes the DataProtection pack and the AwsSolutions, NIST 800-53 R5, HIPAA and PCI DSS packs', () => {
      const { app } = monitored({ emailAddresses: ['security@example.com'] });
      expect(findings(app)).toEqual([]);
      expect(nagFindings(app)).toEqual([]);
    });

    test('trail: true: the trail bucket is SSE-S3 (DP1 reports it), as README says', () => {
      const { app } = monitored({ trail: true });
      expect(findings(app)).toEqual(['DataProtection-DP1 Producer/Monitoring/TrailBucket/Resource']);
    });
  });

  describe('bad input', () => {
    test.each([0, 101, -5, 100.5, NaN])('fails if quotaAlarmThresholdPercent is %p', (value) => {
      expect(() => monitored({ quotaAlarmThresholdPercent: value })).toThrow(
        `quotaAlarmThresholdPercent must be a number from 1 to 100 (percent of the applied KMS request quota), got ${value}. Use e.g. 80 to be told at 80 % of the quota; omit it for 80.`,
      );
    });

    test('fails if quotaAlarmThresholdPercent is a string', () => {
      expect(() => monitored({ quotaAlarmThresholdPercent: '80' as any })).toThrow(/quotaAlarmThresholdPercent must be a number from 1 to 100 .*got "80" \(a string\)/);
    });

    test('fails at synthesis if quotaAlarmThresholdPercent is a token that resolves to 150', () => {
      const { app, stack } = producerStack();
      new KeyMonitoring(stack, 'Monitoring', { keys: [new CrossAccountSharedKey(stack, 'Key').key], quotaAlarmThresholdPercent: Lazy.number({ produce: () => 150 }) });
      expect(() => app.synth()).toThrow(/a value that was a token at construction is refused once resolved at synthesis: quotaAlarmThresholdPercent must be a number from 1 to 100 .*got 150/);
    });

    test('fails if keys is empty or not keys', () => {
      const { stack } = producerStack();
      expect(() => new KeyMonitoring(stack, 'M', { keys: [] })).toThrow('keys must list at least one kms.IKey, got []');
      expect(() => new KeyMonitoring(stack, 'N', { keys: ['arn:aws:kms:eu-west-1:111111111111:key/x' as any] })).toThrow(/keys\[0\] must be a kms.IKey, got "arn:aws:kms/);
      expect(() => new KeyMonitoring(stack, 'O', undefined as any)).toThrow(/props must be an object of KeyMonitoringProps/);
    });

    test('fails if a key is of another account: its events arrive in that account', () => {
      const { stack } = producerStack();
      const outsider = kms.Key.fromKeyArn(stack, 'Outsider', kmsKeyArn(REGION, PARTNER));
      expect(() => new KeyMonitoring(stack, 'Monitoring', { keys: [outsider] })).toThrow(
        new RegExp(`^keys\\[0\\] is a key of account ${PARTNER} in ${REGION} .*KMS and CloudTrail deliver a key's events to EventBridge of the key's own account and Region only.*Add the key to a KeyMonitoring in a stack of account ${PARTNER}`),
      );
    });

    test('fails if a key is of another Region', () => {
      const { stack } = producerStack();
      expect(() => new KeyMonitoring(stack, 'Monitoring', { keys: [kms.Key.fromKeyArn(stack, 'K', kmsKeyArn('us-east-1'))] })).toThrow(/keys\[0\] is a key of account 111111111111 in us-east-1/);
    });

    test('fails at synthesis if an imported key ARN is a token that resolves to another account', () => {
      const { app, stack } = producerStack();
      const arn = Lazy.string({ produce: () => kmsKeyArn(REGION, PARTNER) });
      new KeyMonitoring(stack, 'Monitoring', { keys: [kms.Key.fromKeyArn(stack, 'K', arn)] });
      expect(() => app.synth()).toThrow(/refused once resolved at synthesis: keys\[0\] is a key of account 222222222222/);
    });

    test('fails if a key is an alias', () => {
      const { stack } = producerStack();
      const alias = kms.Alias.fromAliasName(stack, 'A', 'alias/exchange');
      expect(() => new KeyMonitoring(stack, 'Monitoring', { keys: [alias] })).toThrow(/keys\[0\] is the alias "alias\/exchange"/);
    });

    test('fails if the topic is in another Region (also when a token resolves to one)', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      const topic = sns.Topic.fromTopicArn(stack, 'T', `arn:aws:sns:us-east-1:${PRODUCER}:alerts`);
      expect(() => new KeyMonitoring(stack, 'Monitoring', { keys: [key.key], topic })).toThrow(
        `topic arn:aws:sns:us-east-1:${PRODUCER}:alerts is in us-east-1, this stack in ${REGION}: EventBridge rule targets and alarm actions must be topics of their own Region.`,
      );
      const late = producerStack();
      const lateTopic = sns.Topic.fromTopicArn(late.stack, 'T', Lazy.string({ produce: () => `arn:aws:sns:us-east-1:${PRODUCER}:alerts` }));
      new KeyMonitoring(late.stack, 'Monitoring', { keys: [new CrossAccountSharedKey(late.stack, 'Key').key], topic: lateTopic });
      expect(() => late.app.synth()).toThrow(/refused once resolved at synthesis: topic arn:aws:sns:us-east-1:111111111111:alerts is in us-east-1/);
    });

    test('fails if an e-mail address is not one', () => {
      expect(() => monitored({ emailAddresses: ['security'] })).toThrow('emailAddresses[0] must be an e-mail address such as security@example.com, got "security".');
      expect(() => monitored({ emailAddresses: 'a@example.com' as any })).toThrow(/emailAddresses must be an array of e-mail addresses/);
    });

    test('the errors carry stable names a caller can match on', () => {
      const nameOf = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          return (e as Error).name;
        }
        return undefined;
      };
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key').key;
      expect(nameOf(() => new KeyMonitoring(stack, 'A', { keys: [key], quotaAlarmThresholdPercent: 0 }))).toBe('InvalidQuotaAlarmThreshold');
      expect(nameOf(() => new KeyMonitoring(stack, 'B', { keys: [] }))).toBe('InvalidMonitoredKeys');
      expect(nameOf(() => new KeyMonitoring(stack, 'C', { keys: [kms.Key.fromKeyArn(stack, 'Out', kmsKeyArn(REGION, PARTNER))] }))).toBe('MonitoredKeyOutsideEnvironment');
      expect(nameOf(() => new KeyMonitoring(stack, 'D', { keys: [key], emailAddresses: ['x'] }))).toBe('InvalidEmailAddress');
      const topic = sns.Topic.fromTopicArn(stack, 'T', `arn:aws:sns:us-east-1:${PRODUCER}:alerts`);
      expect(nameOf(() => new KeyMonitoring(stack, 'E', { keys: [key], topic }))).toBe('MonitoringTopicOutsideRegion');
      new KeyMonitoring(stack, 'F', { keys: [key] });
      expect(nameOf(() => new KeyMonitoring(stack, 'G', { keys: [key] }))).toBe('DuplicateQuotaAlarm');
    });

    test('a key given twice is watched once', () => {
      const { stack } = producerStack();
      const key = new CrossAccountSharedKey(stack, 'Key');
      new KeyMonitoring(stack, 'Twice', { keys: [key.key, key.key] });
      const rule = Template.fromStack(stack).findResources('AWS::Events::Rule', { Properties: { Description: Match.stringLikeRegexp('^DisableKey.*Producer/Twice') } });
      expect(Object.values<any>(rule)[0].Properties.EventPattern.detail.resources.ARN).toHaveLength(2); // the key and the topic key
    });

    test('fails if dashboardName is not a CloudWatch dashboard name', () => {
      expect(() => monitored({ dashboardName: 'key health' })).toThrow('dashboardName must be 1 to 255 letters, digits, \'-\' or \'_\' (CloudWatch dashboard names), got "key health" (a string). Omit it for a generated name.');
    });

    test('property: whatever a caller passes, KeyMonitoring synthesizes or throws our error naming a prop, never a TypeError', () => {
      const anything = fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.integer({ min: -10, max: 200 }),
        fc.string(),
        fc.emailAddress(),
        fc.array(fc.oneof(fc.string(), fc.emailAddress(), fc.integer())),
        fc.object(),
        fc.bigInt(),
      );
      // mostly left out, so that some props synthesize
      const maybe = fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: anything, weight: 1 });
      const outcomes = new Set<string>();
      fc.assert(
        fc.property(
          fc.record({
            quotaAlarmThresholdPercent: maybe,
            emailAddresses: maybe,
            trail: maybe,
            quotaAlarm: maybe,
            dashboardName: maybe,
            topic: maybe,
          }),
          (props) => {
            const { stack } = producerStack();
            try {
              new KeyMonitoring(stack, 'Monitoring', { keys: [kms.Key.fromKeyArn(stack, 'K', kmsKeyArn())], ...(props as any) });
              Template.fromStack(stack);
              outcomes.add('synthesized');
            } catch (e) {
              expect(e).not.toBeInstanceOf(TypeError);
              expect((e as Error).message).toMatch(/^(\S+: a value that was a token|quotaAlarmThresholdPercent|emailAddresses|trail|quotaAlarm|dashboardName|topic)/);
              outcomes.add('refused');
            }
          }),
        { numRuns: 150 },
      );
      expect([...outcomes].sort()).toEqual(['refused', 'synthesized']);
    });

    test('an environment-agnostic stack synthesizes (account and Region are tokens)', () => {
      const app = new App();
      const stack = new Stack(app, 'Agnostic');
      new KeyMonitoring(stack, 'Monitoring', { keys: [new kms.Key(stack, 'Key', { enableKeyRotation: true })] });
      expect(() => app.synth()).not.toThrow();
      expect(ENV.account).toBe(PRODUCER);
    });
  });
});

/**
 * Access proof: the topic policy and the topic key's policy, resolved as AWS
 * would see them, evaluated with @cloud-copilot/iam-simulate: the two legs of a
 * publication to an encrypted topic are SNS (sns:Publish, topic policy) and KMS
 * (SNS calls kms:GenerateDataKey and kms:Decrypt for the publisher, key policy).
 */
describe('KeyMonitoring access proof', () => {
  const { template } = monitored();
  const json = template.toJSON();
  const r = resolver({
    template: json,
    physicalId: (_id, resource) => (resource.Type === 'AWS::SNS::Topic' ? `arn:aws:sns:${REGION}:${PRODUCER}:${resource.Properties.TopicName}` : undefined),
  });
  const byType = (type: string) => Object.values<any>(json.Resources).filter((res) => res.Type === type);
  const topicPolicy = r.resolve(byType('AWS::SNS::TopicPolicy')[0].Properties.PolicyDocument);
  const topicArn: string = topicPolicy.Statement[0].Resource;
  const [topicKeyId] = Object.entries<any>(json.Resources).find(([id, res]) => res.Type === 'AWS::KMS::Key' && id.startsWith('MonitoringTopicKey'))!;
  const topicKeyArn: string = r.getAtt(topicKeyId, 'Arn');
  const keyPolicy = r.resolve(json.Resources[topicKeyId].Properties.KeyPolicy);
  // the test resolver names a rule's Arn attribute `<physical id>.Arn`: give the rules the ARNs EventBridge would
  const ruleArns: string[] = topicPolicy.Statement[0].Condition.ArnEquals['aws:SourceArn'].map((a: string) => `arn:aws:events:${REGION}:${PRODUCER}:rule/${a.replace(/\.Arn$/, '')}`);
  topicPolicy.Statement[0].Condition.ArnEquals['aws:SourceArn'] = ruleArns;
  const alarmArn = `arn:aws:cloudwatch:${REGION}:${PRODUCER}:alarm:Producer-MonitoringQuotaAlarm`;
  const SNS_CONTEXT = 'kms:EncryptionContext:aws:sns:topicArn';
  const EVERYTHING = { name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

  /**
   * The simulator does not know the condition key `kms:EncryptionContext:aws:sns:topicArn`
   * (as test/support/access evaluates `kms:EncryptionContext:aws:s3:arn` itself): a
   * statement whose StringEquals on it does not hold the request's value is dropped,
   * one whose does keeps its other conditions for the simulator.
   */
  function withTopicContext(policy: any, context: Record<string, string>): any {
    const actual = context[SNS_CONTEXT];
    const statements = policy.Statement.flatMap((st: any) => {
      const expected = st.Condition?.StringEquals?.[SNS_CONTEXT];
      if (expected === undefined) return [st];
      if (expected !== actual) return [];
      const { [SNS_CONTEXT]: _done, ...rest } = st.Condition.StringEquals;
      return [{ ...st, Condition: { ...st.Condition, StringEquals: rest } }];
    });
    return { ...policy, Statement: statements };
  }

  type Context = Record<string, string>;

  async function decide(principal: string, action: string, resource: string, policy: any, context: Context, identity = false): Promise<string> {
    const resourcePolicy = action.startsWith('kms:') ? withTopicContext(policy, context) : policy;
    const { [SNS_CONTEXT]: _evaluated, ...contextVariables } = context;
    const result = await runSimulation(
      {
        request: { principal, action, resource: { resource, accountId: PRODUCER }, contextVariables },
        identityPolicies: identity ? [EVERYTHING] : [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
      },
      { simulationMode: 'Strict' },
    );
    if (result.resultType === 'error') {
      throw new Error(JSON.stringify(result.errors));
    }
    return result.resultType === 'single' ? result.result.analysis.result : result.results[0].analysis.result;
  }

  /** What SNS asks KMS for a publisher to the topic. */
  const viaSns = { 'kms:ViaService': `sns.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:sns:topicArn': '' };

  test('CloudWatch, for an alarm of the account, may publish (topic policy) and SNS may use the topic key for it (key policy)', async () => {
    const context = { 'aws:SourceAccount': PRODUCER, 'aws:SourceArn': alarmArn };
    expect(await decide('cloudwatch.amazonaws.com', 'sns:Publish', topicArn, topicPolicy, context)).toBe('Allowed');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect(await decide('cloudwatch.amazonaws.com', action, topicKeyArn, keyPolicy, { ...context, ...viaSns, 'kms:EncryptionContext:aws:sns:topicArn': topicArn })).toBe('Allowed');
    }
  });

  test('EventBridge, for the monitoring rules only, may publish and use the key', async () => {
    const context = { 'aws:SourceAccount': PRODUCER, 'aws:SourceArn': ruleArns[0] };
    expect(await decide('events.amazonaws.com', 'sns:Publish', topicArn, topicPolicy, context)).toBe('Allowed');
    expect(await decide('events.amazonaws.com', 'kms:GenerateDataKey', topicKeyArn, keyPolicy, { ...context, ...viaSns, 'kms:EncryptionContext:aws:sns:topicArn': topicArn })).toBe('Allowed');
    const otherRule = `arn:aws:events:${REGION}:${PRODUCER}:rule/someone-elses-rule`;
    expect(await decide('events.amazonaws.com', 'sns:Publish', topicArn, topicPolicy, { ...context, 'aws:SourceArn': otherRule })).not.toBe('Allowed');
  });

  test('CloudWatch for an alarm of another account may not publish; the key serves no other topic and no direct call', async () => {
    expect(await decide('cloudwatch.amazonaws.com', 'sns:Publish', topicArn, topicPolicy, { 'aws:SourceAccount': THIRD, 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${THIRD}:alarm:x` })).not.toBe('Allowed');
    const otherTopic = `arn:aws:sns:${REGION}:${PRODUCER}:other`;
    expect(await decide('cloudwatch.amazonaws.com', 'kms:Decrypt', topicKeyArn, keyPolicy, { ...viaSns, 'kms:EncryptionContext:aws:sns:topicArn': otherTopic })).not.toBe('Allowed');
    expect(await decide('cloudwatch.amazonaws.com', 'kms:Decrypt', topicKeyArn, keyPolicy, { 'kms:EncryptionContext:aws:sns:topicArn': topicArn })).not.toBe('Allowed');
  });

  test('an outsider with every permission in its own account can neither publish nor use the topic key', async () => {
    const stranger = `arn:aws:iam::${THIRD}:role/stranger`;
    expect(await decide(stranger, 'sns:Publish', topicArn, topicPolicy, { 'aws:PrincipalAccount': THIRD }, true)).not.toBe('Allowed');
    expect(await decide(stranger, 'kms:Decrypt', topicKeyArn, keyPolicy, { 'aws:PrincipalAccount': THIRD, ...viaSns, 'kms:EncryptionContext:aws:sns:topicArn': topicArn }, true)).not.toBe('Allowed');
  });
});
