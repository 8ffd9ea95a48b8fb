// UI smoke tests: what a person sees and does in VS Code with the packaged extension installed.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, teardown, test } from 'mocha';
import { ROOT, UI_TIMEOUT_MS, Workbench, eventually } from './workbench';

const EXAMPLE = join(ROOT, 'examples', 'nginx-privileged.yaml');
const FILE = 'nginx-privileged.yaml';
const MESSAGE = '[azurepolicy-k8sazurev2noprivilege] Privileged container is not allowed: nginx-privileged, securityContext: {"privileged": true}';
/** Line of `privileged: true` in the example. */
const PRIVILEGED_LINE = 11;

suite('In VS Code (code-server + Chromium)', () => {
  let workbench: Workbench | undefined;

  teardown(async function () {
    // A screenshot of every failure, before the editor goes away.
    if (this.currentTest?.state === 'failed' && workbench) {
      const path = await workbench.screenshot('failure').catch(() => undefined);
      if (path) console.log(`    screenshot of the failure: ${path}`);
    }
    await workbench?.stop();
    workbench = undefined;
  });

  test('privileged: true is underlined and listed in Problems; Ctrl+. then Enter fixes it, and the saved file passes', async () => {
    workbench = await Workbench.start('quick-fix', { [FILE]: EXAMPLE });
    const { page } = workbench;
    await workbench.openFile(FILE);
    await workbench.editor().locator('.squiggly-warning').first().waitFor();
    await workbench.statusBarItem('AKS: Baseline · Audit').waitFor();

    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Privileged container is not allowed' });
    await problem.first().waitFor();
    const row = await problem.first().innerText();
    assert.ok(row.includes(MESSAGE), `the Problems entry carries the cluster's message: ${row}`);
    await workbench.screenshot('problems');

    // Back to the editor, on the finding: Go to Line, then the end of that line.
    await workbench.editor().click();
    await page.keyboard.press('Control+G');
    await workbench.quickInput().fill(`:${PRIVILEGED_LINE}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor();
    const focused = await menu.locator('.monaco-list-row.focused').innerText();
    assert.match(focused, /privileged/i, `the preferred fix comes first: ${focused}`);
    await workbench.screenshot('quick-fix-menu');
    // An overlay takes clicks on the menu: Enter picks the focused fix.
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+S');

    await eventually(() => !workbench!.readWorkspaceFile(FILE).includes('privileged: true'), 'the fix to be saved to disk');
    const saved = workbench.readWorkspaceFile(FILE);
    const original = readFileSync(EXAMPLE, 'utf8');
    const kept = original.slice(0, original.indexOf('      securityContext:'));
    assert.ok(saved.startsWith(kept), `the rest of the Pod is kept as it was:\n${saved}`);
    await workbench.editor().locator('.squiggly-warning').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await workbench.screenshot('fixed');
  });

  test('AKS Policy: Select Effect → deny from the palette turns the warning into an error', async () => {
    workbench = await Workbench.start('effect', { [FILE]: EXAMPLE });
    await workbench.openFile(FILE);
    await workbench.editor().locator('.squiggly-warning').first().waitFor();

    await workbench.runCommand('AKS Policy: Select Effect', 'deny');
    await workbench.editor().locator('.squiggly-error').first().waitFor();
    assert.equal(await workbench.editor().locator('.squiggly-warning').count(), 0, 'no warning is left');
    await workbench.statusBarItem('AKS: Baseline · Deny').waitFor();
    await workbench.screenshot('deny');

    const settings = JSON.parse(workbench.readWorkspaceFile('.vscode/settings.json')) as Record<string, unknown>;
    assert.equal(settings['aksPolicy.effect'], 'deny', 'the choice is written to the workspace settings');
  });
});
