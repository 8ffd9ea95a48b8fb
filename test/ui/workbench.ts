// One UI scenario's editor: a fresh profile with the packaged .vsix installed, code-server with a scratch
// workspace open, and a Chromium page on its workbench, driven with the keys a person would press.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { Profile, cleanUp, launchBrowser, requireEditor, startCodeServer, within, type CodeServer } from '../e2e/editor';

// This file runs bundled as out/ui/*.js.
export const ROOT = resolve(__dirname, '..', '..');
export const VSIX = join(ROOT, 'aks-policy-live.vsix');
export const RESULTS = join(ROOT, 'test-results', 'ui');

/** Waits for what the workbench shows; the first load and the extension's activation take a few seconds. */
export const UI_TIMEOUT_MS = 30_000;
const INSTALL_TIMEOUT_MS = 60_000;

async function installExtension(profile: Profile, vsix: string): Promise<void> {
  const { codeServer } = requireEditor();
  const args = [codeServer, '--install-extension', vsix, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir];
  const child = spawn(process.execPath, args, { env: profile.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await within(
    INSTALL_TIMEOUT_MS,
    `code-server --install-extension ${basename(vsix)}`,
    new Promise<number | null>((done) => child.once('exit', done)),
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  if (code !== 0 || !/successfully installed/.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${code}):\n${output}`);
  }
}

export class Workbench {
  private screenshots = 0;

  private constructor(
    readonly scenario: string,
    readonly workspace: string,
    readonly page: Page,
    private readonly profile: Profile,
    private readonly server: CodeServer,
    private readonly browser: Browser,
  ) {}

  /** Copies `files` (workspace name → source path) into a scratch workspace and opens it with the .vsix installed. */
  static async start(scenario: string, files: Record<string, string>): Promise<Workbench> {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: npm run package builds it`);
    const profile = new Profile();
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    try {
      const workspace = join(profile.root, 'workspace');
      mkdirSync(workspace, { recursive: true });
      for (const [name, source] of Object.entries(files)) cpSync(source, join(workspace, name));
      await installExtension(profile, VSIX);
      server = await startCodeServer(profile, workspace);
      browser = await launchBrowser(profile);
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}`, { timeout: UI_TIMEOUT_MS });
      await page.locator('.monaco-workbench .part.statusbar').waitFor();
      await page.locator('.explorer-folders-view').waitFor();
      return new Workbench(scenario, workspace, page, profile, server, browser);
    } catch (error) {
      await cleanUp([
        ['the browser to close', () => browser?.close()],
        ['code-server to stop', () => server?.stop()],
        ['the profile to be removed', () => profile.dispose()],
      ]);
      throw error;
    }
  }

  /** Quick Open (Ctrl+P), as a person opens a file. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput();
    await input.waitFor();
    await input.fill(name);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
    await this.editor().locator('.view-lines').waitFor();
  }

  /** Runs a palette command by its title, then picks `choice` in the QuickPick the command opens. */
  async runCommand(title: string, choice?: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput();
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
    if (choice === undefined) return;
    // The command's own QuickPick replaces the palette in the same widget.
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
    await input.fill(choice);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: choice }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The widget's first `input` is a hidden checkbox; the text box is this one. */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  editor(): Locator {
    return this.page.locator('.editor-instance .monaco-editor').first();
  }

  statusBarItem(text: string): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text });
  }

  readWorkspaceFile(name: string): string {
    return readFileSync(join(this.workspace, name), 'utf8');
  }

  async screenshot(step: string): Promise<string> {
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, `${this.scenario}-${String(++this.screenshots).padStart(2, '0')}-${step}.png`);
    await within(15_000, `a screenshot of ${step}`, this.page.screenshot({ path }));
    return path;
  }

  async stop(): Promise<void> {
    await cleanUp([
      ['the browser to close', () => this.browser.close()],
      ['code-server to stop', () => this.server.stop()],
      ['the profile to be removed', () => this.profile.dispose()],
    ]);
  }
}

/** Waits until `read()` is true, checking every 100 ms, at most `timeoutMs`: for files on disk, which send no event. */
export async function eventually(read: () => boolean, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
