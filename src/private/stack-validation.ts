import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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
