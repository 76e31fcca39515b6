import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { withRunCache } from '../analysis/template';

/**
 * A kind of fact the constructs of a stack share (the shares of a bucket,
 * the merged partner statements of a policy, which construct owns a key,
 * what the report shows). Declared by the module that owns the fact, next to
 * the functions that read and write it; the value is created per stack on
 * first use.
 *
 * A `FactKey` holds no state itself: the state lives in the {@link StackFacts}
 * of each stack, which the construct tree reaches (`StackFacts.of(scope)`).
 */
export class FactKey<T> {
  constructor(
    /** A name for debugging, e.g. `sharing.shares`. */
    public readonly name: string,
    /** Creates the empty fact of one stack. */
    public readonly create: () => T,
  ) {}
}

/** A check of one stack at synthesis, returning its problems (each one fails synthesis). */
export type StackCheck = (stack: Stack) => string[];

/**
 * Where a stack's facts are kept on the stack object (not enumerable, one per
 * stack). A symbol of this module, so two copies of the library loaded in one
 * process keep apart.
 */
const FACTS_PROPERTY = Symbol('cdk-data-protection.StackFacts');

/**
 * The one store of what the constructs of this library know about a stack,
 * and the one pass that checks it at synthesis.
 *
 * Constructs tie themselves together here (a `VpcEndpointAccess` reads the
 * shares an `EncryptedBucket` recorded; the report reads every construct's
 * facts) instead of through module-level maps: every fact belongs to the
 * stack it describes, and nothing is kept at import time.
 *
 * The stack gets exactly one validation from this library. It runs during
 * `app.synth()`, after Aspects and `prepare`, so it sees the final tree; every
 * check registered for the stack runs in it, in registration order, sharing
 * one cache of the rendered resources (`withRunCache`), so the stack is
 * rendered once for all of them.
 */
export class StackFacts {
  /** The facts of the stack `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): StackFacts {
    const stack = Stack.of(scope);
    const existing = (stack as any)[FACTS_PROPERTY] as StackFacts | undefined;
    if (existing) {
      return existing;
    }
    const facts = new StackFacts(stack);
    Object.defineProperty(stack, FACTS_PROPERTY, { value: facts, enumerable: false });
    return facts;
  }

  private readonly values = new Map<FactKey<unknown>, unknown>();
  private readonly checks: Array<{ readonly check: StackCheck; readonly scope?: IConstruct }> = [];
  private readonly named = new Set<string>();
  /** Problems of scoped checks found by this synthesis' pass, until their construct's validation returns them. */
  private readonly found = new Map<StackCheck, string[]>();

  private constructor(public readonly stack: Stack) {}

  /** The fact `key` of this stack (created empty on first use). */
  public get<T>(key: FactKey<T>): T {
    if (!this.values.has(key)) {
      this.values.set(key, key.create());
    }
    return this.values.get(key) as T;
  }

  /**
   * Adds a check to the stack's one pass at synthesis.
   *
   * @param check returns the problems it finds; each fails synthesis
   * @param options.name a check of the whole stack: added once per stack, however often it is asked for
   * @param options.scope the construct the problems are reported on (default: the stack). The check
   *   still runs in the stack's pass (aws-cdk-lib validates a stack before its children), and the
   *   construct's own validation returns what it found.
   */
  public addCheck(check: StackCheck, options: { readonly name?: string; readonly scope?: IConstruct } = {}): void {
    if (options.name !== undefined) {
      if (this.named.has(options.name)) {
        return;
      }
      this.named.add(options.name);
    }
    if (this.checks.length === 0) {
      this.stack.node.addValidation({ validate: () => this.runPass() });
    }
    const scope = options.scope !== undefined && options.scope !== this.stack ? options.scope : undefined;
    this.checks.push({ check, scope });
    if (scope) {
      scope.node.addValidation({
        validate: () => {
          const problems = this.found.get(check);
          this.found.delete(check);
          return problems ?? withRunCache(this.stack, () => check(this.stack));
        },
      });
    }
  }

  /** Runs every check with one cache of the stack's rendered resources; returns the stack's own problems. */
  private runPass(): string[] {
    return withRunCache(this.stack, () => {
      const own: string[] = [];
      for (const { check, scope } of this.checks) {
        const problems = check(this.stack);
        if (scope) {
          this.found.set(check, problems);
        } else {
          own.push(...problems);
        }
      }
      return own;
    });
  }
}
