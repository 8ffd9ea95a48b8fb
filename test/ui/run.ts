// `npm run test:ui`: the UI smoke tests beside this file (bundled to out/ui), driven by playwright-core in
// headless Chromium against code-server with the packaged .vsix installed. Ends with `N passed, N failed`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { SummaryReporter } from '../e2e/summaryReporter';

/** Per scenario: an editor start, an extension install and a few interactions, each bounded on its own. */
const SCENARIO_TIMEOUT_MS = 180_000;

async function main(): Promise<number> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: SCENARIO_TIMEOUT_MS, reporter: SummaryReporter });
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}: run scripts/build-e2e.mjs first`);
  for (const file of files) mocha.addFile(join(__dirname, file));
  return new Promise<number>((resolve) => mocha.run(resolve));
}

main().then(
  (failures) => process.exit(failures > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(`UI tests: ${error instanceof Error ? error.message : String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
