// Proves which aws-cdk-lib the unit tests run against: the 2.257.0 floor in
// `npm test`, the newest release in `npx projen test:cdk-latest` (which sets
// EXPECTED_AWS_CDK_LIB to the version it installed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('aws-cdk-lib/package.json').version;

describe('aws-cdk-lib', () => {
  test('the tests run against the expected version', () => {
    expect(version).toBe(process.env.EXPECTED_AWS_CDK_LIB ?? '2.257.0');
  });
});
