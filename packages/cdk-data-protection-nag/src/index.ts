export * from './data-protection-checks';
