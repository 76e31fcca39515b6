import { Annotations, Names, Stack, Token } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { ConsumerTarget } from './consumer-target';
import { RegionConcurrency, StackSetCallAs } from './enums';
import { ReaderPrincipal } from './reader-principal';
import { throwValidationError } from '../core/errors';
import { describeValue, optionalBoolean, optionalEnum, optionalString, requireArrayOf } from '../core/props';
import { checkOnceResolved } from '../core/validation';
import { checkOptions } from '../sharing/consumer-options';
import { consumerPolicyDocument } from '../sharing/consumer-policy-document';
import { CrossAccountConsumerPolicyOptions } from '../sharing/cross-account-consumer-policy';

/**
 * The largest template a StackSet takes inline (`TemplateBody`), in bytes.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html#cfn-cloudformation-stackset-templatebody
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html
 */
const STACK_SET_TEMPLATE_BODY_MAX_BYTES = 51_200;

/** Logical ids in the stack instances' template (API: renaming one replaces the resource in every target account). */
const POLICY_ID = 'ConsumerPolicy';
const ROLE_ID = 'ReaderRole';

/** A StackSet name: a letter, then letters, digits and hyphens, up to 128 characters. */
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
/** A managed policy name. */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** A role name. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * The reader role a {@link ConsumerPolicyStackSet} creates in each target
 * account, with the consumer policy attached.
 */
export interface ConsumerReaderRoleOptions {
  /**
   * Who may assume the role (`sts:AssumeRole` in its trust policy), e.g.
   * `[ReaderPrincipal.targetAccount()]`.
   *
   * @throws if empty
   */
  readonly trustedPrincipals: ReaderPrincipal[];

  /**
   * The role's name, the same in every target account. A named role needs
   * `CAPABILITY_NAMED_IAM` (set by the construct) and one Region per account:
   * IAM names are global, so a second Region's stack instance would fail.
   *
   * @default - a name CloudFormation generates in each account (read it from the stack instance's `ReaderRoleArn` output)
   * @throws if not a valid IAM role name (1 to 64 of letters, digits and `+=,.@_-`), or given with more than one Region
   */
  readonly roleName?: string;
}

/**
 * Properties of a {@link ConsumerPolicyStackSet}: the share (the same options
 * as {@link CrossAccountConsumerPolicy}) and where to roll it out.
 */
export interface ConsumerPolicyStackSetProps extends CrossAccountConsumerPolicyOptions {
  /**
   * Where the stack instances go: accounts of the organization, through their OUs.
   *
   * @throws if empty
   */
  readonly targets: ConsumerTarget[];

  /**
   * The StackSet's name: a letter, then letters, digits and hyphens, up to 128 characters.
   *
   * @default - a name unique in the app, from the construct path
   */
  readonly stackSetName?: string;

  /**
   * The managed policy's name, the same in every target account (needs
   * `CAPABILITY_NAMED_IAM`, set by the construct, and one Region per account).
   *
   * @default - a name CloudFormation generates in each account (read it from the stack instance's `ConsumerPolicyArn` output)
   */
  readonly managedPolicyName?: string;

  /**
   * A role created in each target account with the consumer policy attached.
   *
   * @default - no role: attach the policy to the account's own roles
   */
  readonly readerRole?: ConsumerReaderRoleOptions;

  /**
   * Whether the StackSet is managed from the management account or from a delegated administrator account.
   *
   * @default StackSetCallAs.SELF
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
   */
  readonly callAs?: StackSetCallAs;

  /**
   * Whether an account's stack instance (its consumer policy and reader
   * role) is kept when the account leaves a target OU. Kept, the account
   * keeps a grant no StackSet manages any more: a warning
   * (`cdk-data-protection:consumerStacksRetained`) says so.
   *
   * @default false - the stack instance is deleted with the account's removal
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-autodeployment.html
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * How many accounts, per Region, a stack operation may fail in before
   * CloudFormation stops it in that Region (and does not go on to the next Regions).
   * Does not apply to auto-deployment.
   *
   * @default 0 - the first failure stops the operation
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-operationpreferences.html
   */
  readonly failureToleranceCount?: number;

  /**
   * How many accounts, per Region, an operation acts on at once. Under the
   * default concurrency mode (`STRICT_FAILURE_TOLERANCE`) CloudFormation uses
   * at most `failureToleranceCount + 1`. Does not apply to auto-deployment.
   *
   * @default 1
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-operationpreferences.html
   */
  readonly maxConcurrentCount?: number;

  /**
   * Whether an operation goes through the Regions one after the other or all at once.
   *
   * @default RegionConcurrency.SEQUENTIAL
   */
  readonly regionConcurrency?: RegionConcurrency;
}

/**
 * The consumer side of a share rolled out to the accounts of an
 * organization: a service-managed AWS CloudFormation StackSet whose stack
 * instances hold the IAM managed policy {@link CrossAccountConsumerPolicy}
 * writes for the same share (the same statements, Sids included), and
 * optionally a reader role with it attached.
 *
 * Auto-deployment is on: an account that joins a target OU gets the policy,
 * one that leaves loses it (unless `retainStacksOnAccountRemoval`). Managed
 * execution is on, so operations that do not conflict run at once and the
 * others are queued.
 *
 * Deploy the stack holding it in the organization's management account, or
 * in an account registered as a delegated administrator of StackSets (then
 * set `callAs: StackSetCallAs.DELEGATED_ADMIN`); trusted access for StackSets
 * must be on in AWS Organizations. Stack instances never go to the
 * management account itself.
 *
 * The stack instances' template is rendered from the share into the
 * StackSet's `TemplateBody` (at most 51,200 bytes). Values of the share that
 * are tokens (a bucket or key of another stack of the app) are resolved by
 * the stack holding the StackSet, before the template reaches the target
 * accounts, exactly as `CrossAccountConsumerPolicy` resolves them in a
 * consumer stack: a bucket or key of another environment is named by its
 * physical name (the key as `key/*` of its account and Region), and one of
 * an environment-agnostic stack is refused.
 *
 * Built on aws-cdk-lib's `CfnStackSet` rather than cdklabs' cdk-stacksets:
 * that library is 0.x and its Java and Go artifacts would be a dependency of
 * every binding of this library.
 *
 * @example
 * new ConsumerPolicyStackSet(this, 'PartnerReaders', {
 *   bucketArn: 'arn:aws:s3:::producer-exchange',
 *   keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 *   access: AccessLevel.READ,
 *   targets: [ConsumerTarget.organizationalUnits(['ou-ab12-34cd56ef'], ['eu-west-1'])],
 *   readerRole: { trustedPrincipals: [ReaderPrincipal.targetAccount()] },
 * });
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html
 */
export class ConsumerPolicyStackSet extends Construct {
  /** The StackSet. */
  public readonly stackSet: CfnStackSet;
  /** The bucket ARN the policy names. */
  public readonly bucketArn: string;
  /** The key ARN the policy names (`.../key/*` when the producer's key is in another environment). */
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: ConsumerPolicyStackSetProps) {
    super(scope, id);
    if (!props || typeof props !== 'object') {
      throwValidationError('InvalidStackSetOptions', `props must be { bucketArn, keyArn, access, targets, ... }, got ${describeValue(props)}`, this);
    }
    const { bucketArn, keyArn, viaService } = checkOptions(props, this);
    this.bucketArn = bucketArn;
    this.keyArn = keyArn;
    requireArrayOf('targets', props.targets, (prop, t) => {
      if (!(t instanceof ConsumerTarget)) {
        throwValidationError('InvalidStackSetOptions', `${prop} must be a ConsumerTarget (ConsumerTarget.organizationalUnits(...)), got ${describeValue(t)}`, this);
      }
    }, 'an array of ConsumerTarget');
    if (props.targets.length === 0) {
      throwValidationError('InvalidStackSetOptions', 'targets must name at least one ConsumerTarget, got []. Use ConsumerTarget.organizationalUnits([\'ou-...\'], [\'<region>\']).', this);
    }
    optionalEnum('callAs', props.callAs, StackSetCallAs, 'StackSetCallAs');
    optionalEnum('regionConcurrency', props.regionConcurrency, RegionConcurrency, 'RegionConcurrency');
    optionalBoolean('retainStacksOnAccountRemoval', props.retainStacksOnAccountRemoval);
    const failureToleranceCount = this.count('failureToleranceCount', props.failureToleranceCount, 0, 0);
    const maxConcurrentCount = this.count('maxConcurrentCount', props.maxConcurrentCount, 1, 1);
    this.name('stackSetName', props.stackSetName, STACK_SET_NAME, 'a letter, then letters, digits and hyphens, up to 128 characters');
    this.name('managedPolicyName', props.managedPolicyName, POLICY_NAME, '1 to 128 letters, digits and +=,.@_-');
    if (props.readerRole !== undefined) {
      if (props.readerRole === null || typeof props.readerRole !== 'object') {
        throwValidationError('InvalidStackSetOptions', `readerRole must be { trustedPrincipals, roleName? }, got ${describeValue(props.readerRole)}`, this);
      }
      const principals = props.readerRole.trustedPrincipals;
      if (!Array.isArray(principals) || principals.length === 0 || principals.some((p) => !(p instanceof ReaderPrincipal))) {
        throwValidationError(
          'InvalidStackSetOptions',
          `readerRole.trustedPrincipals must be a non-empty array of ReaderPrincipal, got ${describeValue(principals)}. Use [ReaderPrincipal.targetAccount()] or [ReaderPrincipal.arn('arn:aws:iam::<account>:role/<name>')].`,
          this,
        );
      }
      this.name('readerRole.roleName', props.readerRole.roleName, ROLE_NAME, '1 to 64 letters, digits and +=,.@_-');
    }

    const bound = props.targets.map((t) => t._bind());
    for (const b of bound) {
      for (const { value, check } of b.values) {
        checkOnceResolved(this, [value], ([resolved]) => check(resolved!));
      }
    }
    const regions = [...new Set(bound.flatMap((b) => b.regions))];
    const named = [
      ...(props.managedPolicyName !== undefined ? ['managedPolicyName'] : []),
      ...(props.readerRole?.roleName !== undefined ? ['readerRole.roleName'] : []),
    ];
    if (named.length > 0 && regions.length > 1) {
      throwValidationError(
        'InvalidStackSetOptions',
        `${named.join(' and ')} name IAM resources, which are global: the stack instances of a second Region would fail on the name the first one created, got Regions ${JSON.stringify(regions)}. ` +
          'Give the targets one Region (the policy applies in every Region), or leave the names unset.',
        this,
      );
    }

    const template = this.template(props, consumerPolicyDocument(
      bucketArn, keyArn, props.access, props.prefix, viaService, undefined, props.clientSideEncryption, props.accessPointArn,
    ));
    const stack = Stack.of(this);
    const templateBody = stack.toJsonString(template);
    checkTemplateBodySize(this, stack.resolve(templateBody));

    if (props.retainStacksOnAccountRemoval === true) {
      Annotations.of(this).addWarningV2(
        'cdk-data-protection:consumerStacksRetained',
        'retainStacksOnAccountRemoval is true: an account that leaves the target OUs keeps its consumer policy (and reader role), a grant no StackSet manages any more. Remove it by hand, or leave the option unset.',
      );
    }

    this.stackSet = new CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName ?? defaultName(this),
      description: 'Consumer-side IAM policy of a shared bucket and key (cdk-data-protection ConsumerPolicyStackSet)',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? false },
      callAs: props.callAs ?? StackSetCallAs.SELF,
      capabilities: [named.length > 0 ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureToleranceCount,
        maxConcurrentCount,
        regionConcurrencyType: props.regionConcurrency ?? RegionConcurrency.SEQUENTIAL,
      },
      stackInstancesGroup: bound.map((b) => b.group),
      templateBody,
    });
  }

  /** The stack instances' template: the managed policy, the optional reader role, their ARNs as outputs. */
  private template(props: ConsumerPolicyStackSetProps, document: unknown): Record<string, unknown> {
    const resources: Record<string, unknown> = {
      [POLICY_ID]: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description: 'Access to a bucket and key shared by another account (cdk-data-protection ConsumerPolicyStackSet)',
          ...(props.managedPolicyName !== undefined ? { ManagedPolicyName: props.managedPolicyName } : {}),
          PolicyDocument: document,
        },
      },
    };
    const outputs: Record<string, unknown> = {
      ConsumerPolicyArn: { Description: 'The consumer policy', Value: { Ref: POLICY_ID } },
    };
    const role = props.readerRole;
    if (role) {
      resources[ROLE_ID] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'Reads the bucket shared with this account (cdk-data-protection ConsumerPolicyStackSet)',
          ...(role.roleName !== undefined ? { RoleName: role.roleName } : {}),
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: role.trustedPrincipals.map((p) => p._principal) }, Action: 'sts:AssumeRole' }],
          },
          ManagedPolicyArns: [{ Ref: POLICY_ID }],
        },
      };
      outputs.ReaderRoleArn = { Description: 'The reader role', Value: { 'Fn::GetAtt': [ROLE_ID, 'Arn'] } };
      for (const p of role.trustedPrincipals) {
        for (const token of p._tokens) {
          checkOnceResolved(this, [token], ([resolved]) => {
            ReaderPrincipal.arn(resolved!);
          });
        }
      }
    }
    return {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: 'Consumer-side IAM policy of a shared bucket and key (cdk-data-protection ConsumerPolicyStackSet)',
      Resources: resources,
      Outputs: outputs,
    };
  }

  private count(prop: string, value: unknown, min: number, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throwValidationError('InvalidStackSetOptions', `${prop} must be a whole number of accounts, at least ${min}, got ${describeValue(value)}`, this);
    }
    return value;
  }

  private name(prop: string, value: unknown, pattern: RegExp, what: string): void {
    optionalString(prop, value);
    if (typeof value === 'string' && !Token.isUnresolved(value) && !pattern.test(value)) {
      throwValidationError('InvalidStackSetOptions', `${prop} must be ${what}, got ${JSON.stringify(value)}`, this);
    }
  }
}

function defaultName(scope: Construct): string {
  const name = Names.uniqueResourceName(scope, { maxLength: 120, separator: '-' });
  return /^[a-zA-Z]/.test(name) ? name : `C-${name}`;
}

/**
 * Throws when the template is over the `TemplateBody` limit. A template with
 * values known only at deployment (the resolved body is an `Fn::Join`) is
 * measured by its literal parts: the values themselves are not counted.
 */
function checkTemplateBodySize(scope: Construct, resolved: unknown): void {
  const parts = typeof resolved === 'string' ? [resolved] : ((resolved as any)?.['Fn::Join']?.[1] ?? []);
  const bytes = (parts as unknown[]).reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : 0), 0);
  if (bytes > STACK_SET_TEMPLATE_BODY_MAX_BYTES) {
    throwValidationError(
      'StackSetTemplateTooLarge',
      `the StackSet's template (TemplateBody) is ${bytes} bytes${typeof resolved === 'string' ? '' : ' or more'}, over the AWS CloudFormation limit of ${STACK_SET_TEMPLATE_BODY_MAX_BYTES} bytes. ` +
        'Trust fewer principals in readerRole.trustedPrincipals (or name a role that they assume instead), or split the share across StackSets.',
      scope,
    );
  }
}
