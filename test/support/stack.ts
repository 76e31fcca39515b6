import { App, Stack, StackProps } from 'aws-cdk-lib';

/** Placeholders shared with ../shared/cases: producer, partner, third account, region, organization. */
export const PRODUCER = '111111111111';
export const PARTNER = '222222222222';
export const THIRD = '333333333333';
export const REGION = 'eu-west-1';
export const ORG = 'o-a1b2c3d4e5';

/** The producer's environment: 111111111111 / eu-west-1. */
export const ENV = { account: PRODUCER, region: REGION };
/** The partner's environment: 222222222222 / eu-west-1. */
export const PARTNER_ENV = { account: PARTNER, region: REGION };

/** The key id of the KMS keys the tests import by ARN. */
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

/** The ARN of key {@link KEY_ID} in `region` of `account`: `arn:aws:kms:eu-west-1:111111111111:key/1234abcd-...` by default. */
export function kmsKeyArn(region = REGION, account = PRODUCER): string {
  return `arn:aws:kms:${region}:${account}:key/${KEY_ID}`;
}

/** `arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`: a key of the producer, imported by ARN. */
export const KEY_ARN = kmsKeyArn();

/** `n` distinct 12-digit account ids, `200000000000 + offset` upwards (partners in bulk, for the policy-size cases). */
export function accounts(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, i) => String(200000000000 + offset + i));
}

/** A stack `id` in `app`, in the producer's environment unless `props.env` says otherwise. */
export function stackIn(app: App, id: string, props: StackProps = {}): Stack {
  return new Stack(app, id, { env: ENV, ...props });
}

/** A fresh app and a producer stack in 111111111111 / eu-west-1. */
export function producerStack(id = 'Producer', props: StackProps = {}): { app: App; stack: Stack } {
  const app = new App();
  const stack = stackIn(app, id, props);
  return { app, stack };
}

/** A partner (consumer) stack in 222222222222 / eu-west-1, in `app` or in a fresh one. */
export function partnerStack(app = new App(), id = 'Consumer'): Stack {
  return stackIn(app, id, { env: PARTNER_ENV });
}

/** A fresh app and an environment-agnostic stack (account and region are tokens). */
export function agnosticStack(id = 'Agnostic'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id);
  return { app, stack };
}
