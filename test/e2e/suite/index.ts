// The extensionTestsPath module: VS Code's extension host calls `run` once the extension under test is
// loaded, and ends the editor with its outcome. Every *.test.js beside it runs in this one editor start.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { SummaryReporter } from '../summaryReporter';

/** Per test; the slowest waits in a test are bounded well below this by their own timeouts. */
const TEST_TIMEOUT_MS = 60_000;

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: TEST_TIMEOUT_MS, reporter: SummaryReporter });
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}: run scripts/build-e2e.mjs first`);
  for (const file of files) mocha.addFile(join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
