/**
 * Release: gives packages/cdk-data-protection-nag the version of the release (its own `version`, and
 * the exact `cdk-data-protection` it depends on), after projen's bump wrote the root package.json;
 * with `--reset`, back to 0.0.0 (unbump). Run by the bump and unbump tasks (.projenrc.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { NAG_PACKAGE_DIR } from './nag-package';

const root = path.join(__dirname, '..');
const file = path.join(root, NAG_PACKAGE_DIR, 'package.json');
const version = process.argv.includes('--reset') ? '0.0.0' : JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const text = fs.readFileSync(file, 'utf8');
const stamped = text
  .replace(/^(  "version": )"[^"]*"/m, `$1"${version}"`)
  .replace(/^(    "cdk-data-protection": )"[^"]*"/gm, `$1"${version}"`);
fs.chmodSync(file, 0o644);
fs.writeFileSync(file, stamped);
console.log(`${path.relative(root, file)}: version ${version}`);
