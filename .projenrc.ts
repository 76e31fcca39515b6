import { awscdk, javascript } from 'projen';
import { addNagPackage, NAG_PACKAGE_DIR, NAG_PACKAGE_NAME } from './projenrc/nag-package';

// aws-cdk-lib floor: the newest release whose cloud assembly the current
// @aws-cdk/integ-runner (2.197.x) can read. Snapshots are made against it.
const CDK_FLOOR = '2.257.0';
/** cdk-nag 3, for the adapter package (packages/cdk-data-protection-nag) and the tests; the constructs' package does not depend on it. */
const CDK_NAG = '^3.0.2';
const CONSTRUCTS_FLOOR = '10.5.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-data-protection',
  description:
    'AWS CDK constructs that make encryption at rest and in transit correct by default: SSE-KMS buckets, shareable customer-managed keys, TLS-only and VPC-endpoint-only access.',
  author: 'cdk-data-protection maintainers',
  authorAddress: 'maintainers@cdk-data-protection.dev',
  repositoryUrl: 'https://github.com/cdk-data-protection/cdk-data-protection.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 's3', 'kms', 'encryption', 'sse-kms', 'tls', 'cross-account', 'vpc-endpoint', 'cdk-nag'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // jsii supports Node.js ^22 and ^24; Node.js 20 is end of life.
  minNodeVersion: '22.0.0',
  stability: 'experimental',
  // The release workflow (GitHub Actions) publishes dist/ to npm, PyPI, Maven Central, NuGet and the Go
  // repository; it does not run here. Dependency upgrades stay manual (the aws-cdk-lib window is pinned).
  github: true,
  release: true,
  releaseToNpm: true,
  depsUpgrade: false,
  pullRequestTemplate: false,
  workflowNodeVersion: '22.x',

  cdkVersion: CDK_FLOOR,
  constructsVersion: CONSTRUCTS_FLOOR,
  jsiiVersion: '~6.0.0',
  devDeps: [
    `cdk-nag@${CDK_NAG}`,
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // The version aws-cdk-lib 2.257's Go module requires: jsii-pacmak writes the installed version into
    // the Go module's go.mod, and the Go proxy serves v53.25.0 (not v53.28.0).
    '@aws-cdk/cloud-assembly-schema@53.25.0',
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    'fast-check@^4',
    // The HTML report bundles mermaid's browser build (copied into lib/report/vendor at compile, MIT, see NOTICE);
    // tests parse every diagram with it, run the report in jsdom and in headless Chromium (playwright-core).
    'mermaid@^12',
    'jsdom@^30',
    '@types/jsdom@^30',
    'playwright-core@^1',
    // Types of the SARIF 2.1.0 log the scan command writes (type-only import: nothing at runtime), and the
    // validator its tests check the log with against the SARIF schema (draft-04: ajv 8's draft-04 build, with formats).
    '@types/sarif@^2.1.7',
    'ajv-draft-04@^1',
    'ajv-formats@^3',
    // ts-node resolves the packages of this repository by name (test/tsconfig.json paths) for demo/
    'tsconfig-paths@^4',
  ],

  // PartnerRegistry.fromFile/fromJson: YAML 1.2 (and JSON, a subset of it) parsed with source positions, so every
  // bad entry is reported with its line, and validated against the registry's JSON Schema (ajv, all errors at once).
  // Bundled, as jsii requires of dependencies that are not jsii libraries. yaml: ISC; ajv and its dependencies: MIT.
  bundledDeps: ['ajv@^8', 'yaml@^2'],

  // `npx cdk-data-protection scan|report`: the command that scans any CDK app or cloud assembly.
  bin: { 'cdk-data-protection': 'lib/cli/main.js' },

  publishToPypi: { distName: 'cdk-data-protection', module: 'cdk_data_protection' },
  publishToMaven: {
    javaPackage: 'io.github.cdkdataprotection',
    mavenGroupId: 'io.github.cdk-data-protection',
    mavenArtifactId: 'cdk-data-protection',
  },
  publishToGo: { moduleName: 'github.com/cdk-data-protection/cdk-data-protection-go' },
  publishToNuget: { dotNetNamespace: 'CdkDataProtection', packageId: 'CdkDataProtection' },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/setup.ts'],
      // Both packages of the repository by name, from their sources, as a user's app imports them.
      moduleNameMapper: {
        '^cdk-data-protection$': '<rootDir>/src/index.ts',
        [`^${NAG_PACKAGE_NAME}$`]: `<rootDir>/${NAG_PACKAGE_DIR}/src/index.ts`,
      },
      collectCoverage: false,
    },
  },
  eslintOptions: { dirs: ['src', `${NAG_PACKAGE_DIR}/src`], devdirs: ['test', 'integ', 'demo', 'bench', 'projenrc'] },
  gitignore: ['cdk.out', '/.cdk-latest/', '/bench/out/', '/.venv/', '**/*.snapshot/asset.*', 'cdk-integ.out.*'],
  npmIgnoreOptions: { ignorePatterns: ['/integ/', '/demo/', '/bench/', '/.ci/', '/cdk.out/'] },
  tsconfigDev: {
    include: ['../integ/**/*.ts', '../demo/**/*.ts', '../bench/**/*.ts', `../${NAG_PACKAGE_DIR}/src/**/*.ts`],
    compilerOptions: {
      // relative to test/tsconfig.json (TypeScript 6 drops baseUrl)
      paths: { 'cdk-data-protection': ['../src/index.ts'], [NAG_PACKAGE_NAME]: [`../${NAG_PACKAGE_DIR}/src/index.ts`] },
    },
  },
});

// eslint's TypeScript project service looks for the nearest tsconfig.json:
// give each folder of dev-only code one that extends the test config.
for (const dir of ['integ', 'demo', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../test/tsconfig.json']),
    include: ['**/*.ts'],
    exclude: ['**/*.snapshot/**', 'out/**'],
    compilerOptions: {},
  });
}

// TypeScript outside src/ (tests, integ, demo, bench) is type-checked here.
// ts-jest and ts-node run transpile-only, so this is the one place it is checked.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, integ tests, the demo and benchmarks',
  exec: 'tsc -p test/tsconfig.json --noEmit',
});

const tsNodeEnv = { TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' };

const integ = project.addTask('integ', {
  description: 'Verify the integ tests against their committed snapshots (offline, no AWS credentials)',
  env: tsNodeEnv,
  exec: 'integ-runner --directory integ --language typescript --parallel-regions eu-west-1 --max-workers 2',
});
project.addTask('integ:update', {
  description: 'Deploy the integ tests to a sandbox account, run their assertions, then update the snapshots',
  env: tsNodeEnv,
  exec: 'integ-runner --directory integ --language typescript --update-on-failed',
  receiveArgs: true,
});
project.addTask('integ:snapshot', {
  description: 'Re-synthesize the integ snapshots without deploying (review the diff before committing)',
  env: tsNodeEnv,
  exec: 'integ-runner --directory integ --language typescript --update-on-failed --dry-run',
  receiveArgs: true,
});

project.testTask.spawn(typecheck);
project.testTask.spawn(integ);

// mermaid's self-contained browser build, shipped in the package for the HTML report (no network).
project.compileTask.exec('node projenrc/vendor-mermaid.js');

// Chromium for the browser test of the HTML report (test/report-html.browser.test.ts): Debian's package.
const browserSetup = project.addTask('browser:setup', {
  description: 'Install headless Chromium (Debian package chromium) for the HTML report\'s browser test, unless it is there',
  condition: '! test -x /usr/bin/chromium',
  steps: [{ exec: 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core > /dev/null' }],
});
project.testTask.prependSpawn(browserSetup);

project.addTask('scan', {
  description: 'The package\'s command from source: cdk-data-protection scan|report [--app "<command>" | <cloud assembly>]',
  env: tsNodeEnv,
  receiveArgs: true,
  exec: 'ts-node src/cli/main.ts',
});

project.addTask('demo', {
  description: 'Synthesize the reference app in demo/ (or --app "<command>"), print its access report and run the scanners',
  env: tsNodeEnv,
  // an argv, not a shell string: `--app "npx ts-node my-app.ts"` arrives as one argument
  execArgs: ['ts-node', '-r', 'tsconfig-paths/register', 'demo/run.ts', '$@'],
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Benchmarks against plain aws-cdk-lib (writes bench/results.md)',
  env: tsNodeEnv,
  exec: 'ts-node bench/run.ts',
  receiveArgs: true,
});

project.addTask('test:cdk-latest', {
  description: 'Run the unit tests against the newest aws-cdk-lib (installed into .cdk-latest/)',
  steps: [
    {
      exec: 'npm install --no-save --no-package-lock --prefix .cdk-latest aws-cdk-lib@latest constructs@^10',
    },
    {
      exec: `EXPECTED_AWS_CDK_LIB=$(node -p "require('./.cdk-latest/node_modules/aws-cdk-lib/package.json').version") && echo "aws-cdk-lib $EXPECTED_AWS_CDK_LIB" && EXPECTED_AWS_CDK_LIB=$EXPECTED_AWS_CDK_LIB jest --ci --modulePaths "<rootDir>/.cdk-latest/node_modules" --moduleNameMapper '{"^aws-cdk-lib$":"<rootDir>/.cdk-latest/node_modules/aws-cdk-lib","^aws-cdk-lib/(.*)$":"<rootDir>/.cdk-latest/node_modules/aws-cdk-lib/$1","^constructs$":"<rootDir>/.cdk-latest/node_modules/constructs","^cdk-data-protection$":"<rootDir>/src/index.ts","^${NAG_PACKAGE_NAME}$":"<rootDir>/${NAG_PACKAGE_DIR}/src/index.ts"}'`,
    },
  ],
});

// Python tools in a project-local virtual environment: cfn-lint for the scanners of `npm run demo`
// (and test/demo.test.ts), pytest for the Python binding test. Pinned in requirements-dev.txt;
// reinstalled only when that file changes.
const scanSetup = project.addTask('scan:setup', {
  description: 'Install the Python tools of requirements-dev.txt (cfn-lint, pytest) into .venv/, unless up to date',
  condition: '! cmp -s requirements-dev.txt .venv/requirements-dev.txt',
  steps: [
    { exec: 'python3 -m venv .venv' },
    { exec: '.venv/bin/pip install --disable-pip-version-check --quiet -r requirements-dev.txt' },
    { exec: 'cp requirements-dev.txt .venv/requirements-dev.txt' },
  ],
});
project.tasks.tryFind('demo')!.prependSpawn(scanSetup);
project.testTask.prependSpawn(scanSetup);

// The bindings: build the Python wheel, the Java jar and the Go module, then synthesize the reference
// app written in Python (test/python, in a fresh virtual environment with aws-cdk-lib for Python), Java
// (test/java, Maven) and Go (test/go) and require the templates of the TypeScript one (demo/app.ts).
// The npm tarball is installed into a new app and `npx cdk-data-protection scan` run there (test/python/test_npm_package.py).
const bindingsEnv = { PYTHONDONTWRITEBYTECODE: '1', JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' };
const pytest = (files: string) => `.venv/bin/pytest -p no:cacheprovider -q ${files}`;
project.addTask('test:python', {
  description: 'Build the Python wheel and check the reference app synthesizes the same templates from Python',
  env: bindingsEnv,
  steps: [{ spawn: scanSetup.name }, { spawn: 'compile' }, { spawn: 'package:python' }, { exec: pytest('test/python/test_binding.py') }],
});
project.addTask('test:java-go', {
  description: 'Build the Java and Go packages and check the reference app synthesizes the same templates from Java (Maven) and Go',
  env: bindingsEnv,
  steps: [{ spawn: scanSetup.name }, { spawn: 'compile' }, { spawn: 'package:java' }, { spawn: 'package:go' }, { exec: pytest('test/python/test_jvm_go.py') }],
});
const testBindings = project.addTask('test:bindings', {
  description: 'Every package: the Python, Java and Go ones built, the reference app in each synthesizing the TypeScript templates; the npm tarball installed in a new app and its command run with npx',
  env: bindingsEnv,
  steps: [
    { spawn: scanSetup.name },
    { spawn: 'compile' },
    { spawn: 'package:js' },
    { spawn: 'package:python' },
    { spawn: 'package:java' },
    { spawn: 'package:go' },
    { exec: pytest('test/python') },
  ],
});
project.testTask.spawn(testBindings);

// .NET is configured for release (publishToNuget) but no .NET SDK is reachable from this repository's
// CI: without one, package:dotnet says so and builds nothing, so that `npm run build` works here.
const hasDotnet = 'node -e "process.exit(require(\'child_process\').spawnSync(\'dotnet\', [\'--version\']).status === 0 ? 0 : 1)"';
const packageDotnet = project.tasks.tryFind('package:dotnet')!;
packageDotnet.reset('jsii-pacmak -v --target dotnet', { condition: hasDotnet });
packageDotnet.exec('echo "package:dotnet: no .NET SDK (dotnet) on this machine; the .NET package is built by the release workflow"', { condition: `! ${hasDotnet}` });
project.npmignore?.exclude('/requirements-dev.txt', '/.cfnlintrc.yaml');

// What ships is what users need: an allow-list, so virtual environments (.venv/), the newest
// aws-cdk-lib of test:cdk-latest (.cdk-latest/), cloud assemblies and earlier tarballs never
// reach the npm package, nor the Python, Java and Go packages that embed it
// (test/package.test.ts checks the packed file list).
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', 'lib/report/vendor/*', '.jsii', 'API.md', 'NOTICE']);

// eslint's import resolver reads the test config too, whose paths name both packages of the repository.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './test/tsconfig.json']);
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);

// The adapter package is released with the same version (and depends on exactly that cdk-data-protection).
project.tasks.tryFind('bump')?.exec('ts-node --project projenrc/tsconfig.json projenrc/stamp-nag-version.ts');
project.tasks.tryFind('unbump')?.exec('ts-node --project projenrc/tsconfig.json projenrc/stamp-nag-version.ts --reset');

// Maven's build output of the Java binding test app.
project.gitignore.exclude('/test/java/target/');

addNagPackage(project, { cdkNagVersion: CDK_NAG, cdkVersion: CDK_FLOOR, constructsVersion: CONSTRUCTS_FLOOR });

project.synth();
