import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What CloudFormation receives for one resource: its type, logical id and resolved properties. */
export interface RenderedResource {
  readonly resource: CfnResource;
  readonly type: string;
  readonly logicalId: string;
  /** The resolved `Properties`, in CloudFormation's PascalCase, with property overrides applied. */
  readonly props: any;
  /** The whole resolved template entry (`Type`, `Properties`, `DeletionPolicy`, `Metadata`, ...), as written to the template. */
  readonly entry: any;
}

/**
 * What one run (a stack's pass at synthesis, a run of the pack) has already
 * computed, keyed by resource or stack, kept on each stack while the run
 * lasts. Rules stay pure functions of a resource: the tree does not change
 * during a run, so rendering each resource once is only faster.
 */
const RUN_CACHE = Symbol('cdk-data-protection.runCache');

type RunCache = WeakMap<object, Map<string, unknown>>;

function runCacheOf(stack: Stack): RunCache | undefined {
  return (stack as any)[RUN_CACHE];
}

/** The stack `scope` is in, if any (the nearest: a nested stack, not its parent). */
function stackOf(scope: IConstruct): Stack | undefined {
  return scope.node.scopes.reverse().find((c): c is Stack => Stack.isStack(c));
}

/**
 * Runs `fn` with the results of {@link memo} kept until it returns, for the
 * stack of `scope` and every stack under it (its nested stacks; every stack
 * of an app or stage). A run inside a run shares the outer run's cache.
 */
export function withRunCache<T>(scope: IConstruct, fn: () => T): T {
  const own = stackOf(scope);
  if (own && runCacheOf(own) !== undefined) {
    return fn();
  }
  const stacks = [...(own ? [own] : []), ...scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c !== own)];
  const opened = stacks.filter((stack) => runCacheOf(stack) === undefined);
  for (const stack of opened) {
    Object.defineProperty(stack, RUN_CACHE, { value: new WeakMap(), configurable: true, enumerable: false });
  }
  try {
    return fn();
  } finally {
    for (const stack of opened) {
      delete (stack as any)[RUN_CACHE];
    }
  }
}

/** `compute()`, remembered per `owner` and `name` during a run of its stack (see {@link withRunCache}). */
export function memo<T>(owner: IConstruct, name: string, compute: () => T): T {
  const cache = runCacheOf(Stack.of(owner));
  if (!cache) {
    return compute();
  }
  let entries = cache.get(owner);
  if (!entries) {
    entries = new Map();
    cache.set(owner, entries);
  }
  if (!entries.has(name)) {
    entries.set(name, compute());
  }
  return entries.get(name) as T;
}

/**
 * Renders a resource the way it is written to the template, so rules see
 * escape-hatch overrides and never depend on how an L2 built the L1.
 */
export function render(resource: CfnResource): RenderedResource {
  return memo(resource, 'render', () => renderNow(resource));
}

function renderNow(resource: CfnResource): RenderedResource {
  const stack = Stack.of(resource);
  const logicalId = stack.resolve(resource.logicalId) as string;
  let entry: any;
  try {
    const rendered = stack.resolve((resource as any)._toCloudFormation());
    entry = rendered?.Resources?.[logicalId] ?? {};
  } catch {
    // Not renderable (a required property missing, which synthesis reports itself):
    // fall back to the L1's own properties, top-level names in CloudFormation's case.
    entry = { Type: resource.cfnResourceType, Properties: fallbackProperties(stack, resource) };
  }
  return { resource, type: resource.cfnResourceType, logicalId, props: entry.Properties ?? {}, entry };
}

function fallbackProperties(stack: Stack, resource: CfnResource): Record<string, unknown> {
  try {
    const props = stack.resolve((resource as any).cfnProperties) ?? {};
    return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]));
  } catch {
    return {};
  }
}

/**
 * The `Resources` section of the stack's template as it is written (each
 * resource rendered once per run, shared with every check of the run).
 */
export function renderedResources(stack: Stack): Record<string, any> {
  return memo(stack, 'renderedResources', () =>
    Object.fromEntries(resourcesOfStack(stack).map((r) => {
      const rendered = render(r);
      return [rendered.logicalId, rendered.entry];
    })),
  );
}

/** Every CloudFormation resource of the stack `scope` belongs to (not of nested stacks). */
export function resourcesOfStack(scope: IConstruct, type?: string): CfnResource[] {
  const stack = Stack.of(scope);
  const all = memo(stack, 'resources', () =>
    stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack),
  );
  return type === undefined ? all : all.filter((c) => c.cfnResourceType === type);
}

/** The resource of the same stack with logical id `logicalId`. */
export function resourceByLogicalId(scope: IConstruct, logicalId: string): CfnResource | undefined {
  const stack = Stack.of(scope);
  const byId = memo(stack, 'byLogicalId', () => new Map(resourcesOfStack(scope).map((r) => [stack.resolve(r.logicalId) as string, r])));
  return byId.get(logicalId);
}

/** The logical id an intrinsic `{ Ref }` or `{ Fn::GetAtt }` points at, with the attribute. */
export function referencedLogicalId(value: unknown): { logicalId: string; attribute?: string } | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return undefined;
  }
  if (keys[0] === 'Ref' && typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) {
    return { logicalId: value.Ref };
  }
  if (keys[0] === 'Fn::GetAtt') {
    const att = value['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string' && typeof att[1] === 'string') {
      return { logicalId: att[0], attribute: att[1] };
    }
    if (typeof att === 'string' && att.includes('.')) {
      const [logicalId, ...rest] = att.split('.');
      return { logicalId, attribute: rest.join('.') };
    }
  }
  return undefined;
}

/** The stack's account when it is known at synth time. */
export function knownStackAccount(scope: IConstruct): string | undefined {
  const account = Stack.of(scope).resolve(Stack.of(scope).account);
  return typeof account === 'string' && /^\d{12}$/.test(account) ? account : undefined;
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value or a list of values as a list. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
