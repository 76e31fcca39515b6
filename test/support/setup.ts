// Newer aws-cdk-lib validates every synthesized template against the
// CloudFormation resource specification (about 3 s per test process) and finds
// nothing that these tests do not assert themselves. Turn it off for unit tests.
process.env.CDK_VALIDATION = 'false';
