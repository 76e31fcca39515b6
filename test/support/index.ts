/**
 * The one support module of the tests: the placeholder accounts, Region and
 * organization of ../shared/cases, the stack factories, the template helpers,
 * the intrinsic resolver and the cdk-nag runner. Every test imports these from
 * here (`import { PARTNER, producerStack, resolver } from './support'`) rather
 * than typing them again.
 *
 * The access proofs (./access) build on the same module.
 */
export * from './stack';
export * from './template';
export * from './resolve';
export * from './nag';
