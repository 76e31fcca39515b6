// Copies mermaid's self-contained browser build (dist/mermaid.min.js, MIT) and its license into
// lib/report/vendor/, where the HTML report (src/report/html.ts) inlines it: the report opens
// without a network. Runs after jsii has compiled src/ into lib/ (the compile task).
const fs = require('fs');
const path = require('path');

const root = path.dirname(require.resolve('mermaid/package.json'));
const version = require('mermaid/package.json').version;
const out = path.join(__dirname, '..', 'lib', 'report', 'vendor');
fs.mkdirSync(out, { recursive: true });
fs.copyFileSync(path.join(root, 'dist', 'mermaid.min.js'), path.join(out, 'mermaid.min.js'));
fs.writeFileSync(
  path.join(out, 'mermaid.LICENSE'),
  `mermaid ${version} (https://github.com/mermaid-js/mermaid), bundled in the HTML report.\n\n` + fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'),
);
console.log(`vendored mermaid ${version} into ${path.relative(process.cwd(), out)}/`);
