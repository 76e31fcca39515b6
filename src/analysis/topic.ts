import { CfnResource } from 'aws-cdk-lib';
import { KEY, KeyReference, keyReference } from './bucket';
import { Coverage } from './key';
import { coversAction, flatten, isAllow, Statement } from './policy';
import { asList, isObject, referencedLogicalId, render, resourcesOfStack } from './template';

/**
 * SNS topics, the CloudWatch alarms that notify them and the EventBridge
 * rules that watch keys, read from the resolved template (DP21, DP22,
 * `KeyMonitoring`'s own checks).
 */

export const TOPIC = 'AWS::SNS::Topic';
export const ALARM = 'AWS::CloudWatch::Alarm';
export const EVENT_RULE = 'AWS::Events::Rule';

/** The KMS actions SNS calls on behalf of a service publishing to an encrypted topic (`kms:GenerateDataKey*` covers the first). */
const PUBLISH_KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** What a topic's `KmsMasterKeyId` points at: `none` when the topic is not encrypted. */
export type TopicKey = { readonly kind: 'none' } | KeyReference;

/**
 * The key a topic is encrypted under. An absent `KmsMasterKeyId` is an
 * unencrypted topic (not the AWS-managed key, as for a bucket).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html#cfn-sns-topic-kmsmasterkeyid
 */
export function topicKey(topic: CfnResource): TopicKey {
  const keyId = render(topic).props.KmsMasterKeyId;
  if (keyId === undefined || keyId === '') {
    return { kind: 'none' };
  }
  return keyReference(topic, keyId);
}

/** The alarms of the topic's stack with the topic (by `Ref`) among their alarm, OK or insufficient-data actions. */
export function alarmsNotifying(topic: CfnResource): CfnResource[] {
  const logicalId = render(topic).logicalId;
  return resourcesOfStack(topic, ALARM).filter((alarm) => {
    const props = render(alarm).props;
    return ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((p) =>
      asList(props[p]).some((action) => referencedLogicalId(action)?.logicalId === logicalId),
    );
  });
}

/** Whether a statement's `Principal` names the service principal `service` (or everyone). */
function namesService(statement: Statement, service: string): Coverage {
  if (statement.NotPrincipal !== undefined) {
    return 'unknown';
  }
  const principal = statement.Principal;
  if (principal === '*') {
    return 'yes';
  }
  if (!isObject(principal)) {
    return 'no';
  }
  if (asList(principal.AWS).some((v) => v === '*')) {
    return 'yes';
  }
  const services = asList(principal.Service).map((v) => flatten(v));
  return services.includes(service) ? 'yes' : 'no';
}

/**
 * Whether a key policy lets `service` (e.g. `cloudwatch.amazonaws.com`)
 * publish to a topic encrypted under the key: an `Allow` to the service
 * principal (or to everyone) of `kms:GenerateDataKey*` and `kms:Decrypt`.
 * Conditions are taken as met (their values are the service's own, which
 * only AWS knows); `Deny` statements are not weighed.
 */
export function keyAllowsServicePublish(statements: Statement[], service: string): Coverage {
  let unknown = false;
  const covered = new Set<string>();
  for (const s of statements) {
    if (!isAllow(s)) {
      continue;
    }
    const who = namesService(s, service);
    if (who === 'no') {
      continue;
    }
    for (const action of PUBLISH_KMS_ACTIONS) {
      const c = coversAction(s, action);
      if (c === true && who === 'yes') {
        covered.add(action);
      } else if (c !== false) {
        unknown = true;
      }
    }
  }
  if (PUBLISH_KMS_ACTIONS.every((a) => covered.has(a))) {
    return 'yes';
  }
  return unknown ? 'unknown' : 'no';
}

/**
 * The EventBridge rules of the key's stack whose event pattern names the key
 * (by `Ref` or `Fn::GetAtt`, e.g. `resources: [<key ARN>]`).
 */
export function rulesWatchingKey(key: CfnResource): CfnResource[] {
  if (key.cfnResourceType !== KEY) {
    return [];
  }
  const logicalId = render(key).logicalId;
  return resourcesOfStack(key, EVENT_RULE).filter((rule) => mentions(render(rule).props.EventPattern, logicalId));
}

/** Whether `value` holds a `Ref` or `Fn::GetAtt` of `logicalId` anywhere. */
function mentions(value: unknown, logicalId: string): boolean {
  if (referencedLogicalId(value)?.logicalId === logicalId) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some((v) => mentions(v, logicalId));
  }
  if (isObject(value)) {
    return Object.values(value).some((v) => mentions(v, logicalId));
  }
  return false;
}
