export * from './statements';
export * from './cross-account-shared-key';
export * from './encrypted-bucket';
export * from './tls-only-bucket-policy';
export * from './partner';
export * from './vpc-endpoint-access';
export * from './cross-account-consumer-policy';
export * from './checks/data-protection-checks';
