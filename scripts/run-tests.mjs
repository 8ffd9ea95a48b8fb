// Runs the test suites named on the command line (unit, protocol) with Node's test runner,
// TypeScript loaded through tsx. Node 20's runner takes no globs, so files are found here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2);
if (suites.length === 0) suites.push('unit');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.test\.(ts|mjs)$/.test(name)) files.push(path);
  }
};
for (const suite of suites) walk(join('test', suite));
if (files.length === 0) {
  console.error(`no test files found in ${suites.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
