import { CfnResource } from 'aws-cdk-lib';
import { conditionKeys, coversAction, flatten, isAllow, requiredValues, Statement, statementsOf } from '../../analysis/policy';
import { asList, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';
import { actionsText, listText, resourcesText, statementName, valueText } from '../statement-text';

/** Identity-policy resources and where their documents are. */
const IDENTITY_TYPES: Record<string, (props: Record<string, any>) => unknown[]> = {
  'AWS::IAM::Policy': (p) => [p.PolicyDocument],
  'AWS::IAM::ManagedPolicy': (p) => [p.PolicyDocument],
  'AWS::IAM::Role': (p) => asList(p.Policies).map((x: any) => x?.PolicyDocument),
  'AWS::IAM::User': (p) => asList(p.Policies).map((x: any) => x?.PolicyDocument),
  'AWS::IAM::Group': (p) => asList(p.Policies).map((x: any) => x?.PolicyDocument),
};

/** Actions that use a key's material, or change who may, rather than describe it. */
const USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
];

/**
 * Conditions that narrow a statement on every key to some keys or to use
 * through a service, when they require a value (`kms:CallerAccount` does
 * not narrow an identity policy: it is always the caller's own account).
 */
const SCOPING_KEYS = ['kms:ViaService', 'kms:ResourceAliases', 'kms:EncryptionContextKeys'];
const SCOPING_PREFIXES = ['aws:resourcetag/', 'kms:encryptioncontext:'];

/** The statements of an identity policy that use every key (`Resource: "*"`) unscoped; undefined when not applicable. */
function unscopedOnEveryKey(node: CfnResource): string[] | undefined {
  const documents = IDENTITY_TYPES[node.cfnResourceType];
  if (!documents) {
    return undefined;
  }
  const props = render(node).props;
  const principal = principalOf(node.cfnResourceType, props);
  const found: string[] = [];
  for (const document of documents(props)) {
    (statementsOf(document) ?? []).forEach((s, i) => {
      if (isAllow(s) && USE_ACTIONS.some((a) => coversAction(s, a) === true) && onEveryKey(s) && !isScoped(s)) {
        found.push(
          `${statementName(s, i)} grants ${principal} ${actionsText(s)} on ${resourcesText(s)} ` +
            '(missing: a key ARN, or a kms:ViaService, kms:ResourceAliases, aws:ResourceTag or kms:EncryptionContext condition)',
        );
      }
    });
  }
  return found;
}

/** Who an identity policy applies to: the roles, users and groups a policy is attached to, or the role, user or group that holds it inline. */
function principalOf(type: string, props: Record<string, any>): string {
  if (type === 'AWS::IAM::Role' || type === 'AWS::IAM::User' || type === 'AWS::IAM::Group') {
    return `its ${type.slice('AWS::IAM::'.length).toLowerCase()}`;
  }
  const attached = [
    ...asList(props.Roles).map((r) => `role ${valueText(r)}`),
    ...asList(props.Users).map((u) => `user ${valueText(u)}`),
    ...asList(props.Groups).map((g) => `group ${valueText(g)}`),
  ];
  return attached.length > 0 ? listText(attached) : 'whoever it is attached to';
}

/** `Resource: "*"`, `NotResource`, or KMS ARNs of every Region, account or key (`arn:aws:kms:*:*:*`, `…:key/*`). */
function onEveryKey(s: Statement): boolean {
  if (s.NotResource !== undefined) {
    return true;
  }
  return asList(s.Resource).some((r) => {
    const text = flatten(r);
    const arn = /^arn:[^:]*:kms:([^:]*):([^:]*):(.*)$/.exec(text);
    return text === '*' || (arn !== null && (arn[1] === '*' || arn[2] === '*' || arn[3] === '*' || arn[3] === 'key/*'));
  });
}

function isScoped(s: Statement): boolean {
  if (SCOPING_KEYS.some((k) => requiredValues(s, k) !== undefined)) {
    return true;
  }
  const keys = conditionKeys(s).filter((k) => SCOPING_PREFIXES.some((p) => k.startsWith(p)));
  return keys.some((k) => requiredValues(s, k) !== undefined);
}

/**
 * DP18: an identity policy that lets its principal use every KMS key
 * (`Resource: "*"`, or every key of every account or Region), not scoped by
 * `kms:ViaService`, an alias, a tag or an encryption context. aws-cdk-lib
 * writes one when a key is granted to a role in a stack of another Region or
 * account (no reference reaches across environments).
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html
 */
export const IdentityKeyWildcard: RuleDefinition = {
  id: 'DP18',
  level: RuleLevel.WARNING,
  info: 'An IAM policy lets its principal use or administer every KMS key (Resource "*", or every key of an account) without scoping.',
  explanation:
    'The principal may decrypt anything encrypted under any key whose key policy delegates to IAM, in every account that trusts it, not only the data it was meant for. ' +
    'Fix: name the key ARN, or arn:<partition>:kms:<region>:<account>:key/* with Condition kms:ViaService s3.<region>.amazonaws.com and the bucket\'s encryption context ' +
    '(EncryptedBucket.grantRead and CrossAccountConsumerPolicy write that for a role of another Region or account).',
  check(node: CfnResource): RuleCompliance {
    const found = unscopedOnEveryKey(node);
    if (found === undefined) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    return found.length > 0 ? RuleCompliance.NON_COMPLIANT : RuleCompliance.COMPLIANT;
  },
  details(node: CfnResource): string | undefined {
    const found = unscopedOnEveryKey(node);
    return found && found.length > 0 ? `IAM policy ${found.join('; ')}.` : undefined;
  },
};
