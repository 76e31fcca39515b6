import { App, Stack } from 'aws-cdk-lib';

/** Placeholders shared with ../shared/cases: producer, partner, third account, region. */
export const PRODUCER = '111111111111';
export const PARTNER = '222222222222';
export const THIRD = '333333333333';
export const REGION = 'eu-west-1';

/** A fresh app and a producer stack in 111111111111 / eu-west-1. */
export function producerStack(id = 'Producer'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id, { env: { account: PRODUCER, region: REGION } });
  return { app, stack };
}

/** A fresh app and an environment-agnostic stack (account and region are tokens). */
export function agnosticStack(id = 'Agnostic'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id);
  return { app, stack };
}
