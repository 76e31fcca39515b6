/**
 * Preloaded (`node -r`) into the child processes of tests that run an app in its own process
 * (test/integ-snapshots.test.ts): under `test:cdk-latest`, aws-cdk-lib and constructs resolve
 * from .cdk-latest/node_modules there too, as jest's moduleNameMapper makes them resolve in the
 * tests themselves. Does nothing unless CDK_LATEST_NODE_MODULES is set.
 */
import Module from 'module';
import * as path from 'path';

const latest = process.env.CDK_LATEST_NODE_MODULES;
if (latest) {
  const resolve = (Module as any)._resolveFilename;
  (Module as any)._resolveFilename = function (request: string, ...rest: unknown[]) {
    const mapped = /^(aws-cdk-lib|constructs)(\/|$)/.test(request) ? path.join(latest, request) : request;
    return resolve.call(this, mapped, ...rest);
  };
}
