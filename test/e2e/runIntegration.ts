// `npm run test:integration`: the mocha suite in test/e2e/suite runs inside a real VS Code extension host,
// through @vscode/test-electron's runTests. By default the editor is code-server with headless Chromium,
// started by our launcher (no download, works offline); with --download, runTests downloads VS Code itself
// (`npm run test:vscode`, for machines with internet and a display or xvfb).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

// This file runs as out/e2e/runIntegration.js.
const ROOT = resolve(__dirname, '..', '..');
const LAUNCHER = join(ROOT, 'out', 'e2e', 'launcher.js');
const TESTS = join(ROOT, 'out', 'e2e', 'suite', 'index.js');
/** The oldest VS Code that engines.vscode accepts, the same as code-server 4.96.4's. */
const DOWNLOADED_VERSION = process.env.AKS_POLICY_VSCODE_VERSION ?? '1.96.4';

async function main(): Promise<number> {
  const download = process.argv.includes('--download');
  for (const built of [TESTS, join(ROOT, 'dist', 'extension.js'), ...(download ? [] : [LAUNCHER])]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build and node scripts/build-e2e.mjs`);
  }
  // The tests edit, save and configure their workspace; they get a copy, so the repository stays clean.
  const scratch = mkdtempSync(join(tmpdir(), 'aks-policy-integration-'));
  const workspace = join(scratch, 'workspace');
  cpSync(join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const summary = join(scratch, 'summary.json');
  try {
    await runTests({
      ...(download ? { version: DOWNLOADED_VERSION } : { vscodeExecutablePath: LAUNCHER }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS,
      extensionTestsEnv: { AKS_POLICY_TEST_SUMMARY: summary },
      launchArgs: [workspace, '--disable-extensions'],
    });
    return 0;
  } catch (error) {
    console.error(`integration tests: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    // Repeated last, after the editor's own output, so the result is the run's closing line.
    if (existsSync(summary)) {
      const { passed, failed } = JSON.parse(readFileSync(summary, 'utf8')) as { passed: number; failed: number };
      console.log(`${passed} passed, ${failed} failed`);
    } else {
      console.log('0 passed, 1 failed');
      console.error('integration tests: the suite never reported a result (the editor did not start or crashed)');
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`integration tests: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
