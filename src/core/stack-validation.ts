import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { withRunCache } from '../analysis/template';

const REGISTERED = new Map<string, WeakSet<Stack>>();

/**
 * Adds `validate` to the stack of `construct` the first time `name` is
 * registered for that stack, and never again: checks that look at a whole
 * stack run once at synthesis, however many constructs ask for them.
 */
export function addStackValidationOnce(construct: IConstruct, name: string, validate: (stack: Stack) => string[]): void {
  const stack = Stack.of(construct);
  let stacks = REGISTERED.get(name);
  if (!stacks) {
    stacks = new WeakSet<Stack>();
    REGISTERED.set(name, stacks);
  }
  if (stacks.has(stack)) {
    return;
  }
  stacks.add(stack);
  stack.node.addValidation({ validate: () => validate(stack) });
}

const STACK_CHECKS = new WeakMap<Stack, Array<() => string[]>>();

/**
 * Adds a check that reads the rendered stack (policy sizes): all such checks
 * of a stack run in one validation, sharing one cache of the stack's
 * resources, so a stack of N buckets is read once, not N times.
 */
export function addRenderedStackCheck(construct: IConstruct, check: () => string[]): void {
  const stack = Stack.of(construct);
  let checks = STACK_CHECKS.get(stack);
  if (!checks) {
    const list: Array<() => string[]> = [];
    checks = list;
    STACK_CHECKS.set(stack, list);
    stack.node.addValidation({ validate: () => withRunCache(() => list.flatMap((c) => c())) });
  }
  checks.push(check);
}
