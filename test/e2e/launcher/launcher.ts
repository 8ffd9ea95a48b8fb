// Stands in for the VS Code executable in @vscode/test-electron's runTests({ vscodeExecutablePath }): takes
// VS Code's CLI flags, runs the extension tests in code-server's real extension host with headless Chromium
// as the window, prints what the tests print, and exits with their exit code.
//
// code-server rejects --extensionTestsPath on its command line; the workbench reads the test paths from the
// page URL's `payload` instead, and reports the end through window.codeAutomationExit.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { Profile, cleanUp, launchBrowser, startCodeServer, within, type CodeServer } from '../editor';
import type { Browser } from 'playwright-core';

/** The whole run, editor start included; the suite itself takes about a minute. */
const RUN_TIMEOUT_MS = Number(process.env.AKS_POLICY_E2E_TIMEOUT_MS ?? 10 * 60_000);
const PAGE_LOAD_TIMEOUT_MS = 60_000;

interface LaunchOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder: string | undefined;
}

/**
 * Reads `--name=value`, `--name value` and positional folders. Flags runTests always adds (--no-sandbox,
 * --disable-updates, …) mean nothing here; its profile flags are replaced by a fresh temporary profile.
 */
export function parseArgs(argv: string[]): LaunchOptions {
  const values = new Map<string, string[]>();
  const folders: string[] = [];
  const takesValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!flag) {
      folders.push(arg);
      continue;
    }
    const [, name, inline] = flag as unknown as [string, string, string | undefined];
    let value = inline;
    if (value === undefined && takesValue.has(name) && i + 1 < argv.length) value = argv[++i]!;
    values.set(name, [...(values.get(name) ?? []), value ?? '']);
  }
  const one = (name: string): string => {
    const found = values.get(name) ?? [];
    if (found.length !== 1 || found[0] === '') throw new Error(`the launcher needs exactly one --${name}=<path>, got ${found.length}`);
    return resolve(found[0]!);
  };
  if (folders.length > 1) throw new Error(`the launcher opens one folder, got ${folders.join(', ')}`);
  return {
    extensionDevelopmentPath: one('extensionDevelopmentPath'),
    extensionTestsPath: one('extensionTestsPath'),
    folder: folders[0] === undefined ? undefined : resolve(folders[0]),
  };
}

/** The workbench URL: the folder to open, and the test paths as vscode-remote URIs on this server. */
export function workbenchUrl(origin: string, port: number, options: LaunchOptions): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
  ];
  const query = new URLSearchParams();
  if (options.folder) query.set('folder', options.folder);
  query.set('payload', JSON.stringify(payload));
  return `${origin}/?${query.toString()}`;
}

const VERBOSE = process.env.AKS_POLICY_E2E_VERBOSE === '1';
const WORKBENCH_LINES_KEPT = 100;
/** Console errors of the workbench itself that only say the machine is offline (the extension gallery). */
const OFFLINE_NOISE = /ENOTFOUND|Failed to fetch|vsda/;

/**
 * The workbench reports two kinds of lines. The extension host's console (the tests' output) arrives as
 * console arguments, a format string first; it is printed as Node would print it. The workbench's own log
 * arrives as one string, and its offline noise (gallery lookups, "vsda not found") is kept for a failure
 * report rather than printed.
 */
class AutomationLog {
  private readonly workbench: string[] = [];

  write(type: unknown, message: unknown): void {
    const text = Array.isArray(message) ? format(...(message as unknown[])) : String(message);
    if (Array.isArray(message) && !OFFLINE_NOISE.test(text)) {
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
      return;
    }
    const line = `[workbench ${String(type)}] ${text}`;
    if (VERBOSE) process.stderr.write(`${line}\n`);
    this.workbench.push(line);
    this.workbench.splice(0, Math.max(0, this.workbench.length - WORKBENCH_LINES_KEPT));
  }

  workbenchTail(): string {
    return this.workbench.join('\n');
  }
}

async function run(options: LaunchOptions): Promise<number> {
  const profile = new Profile();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let stopping = false;
  const log = new AutomationLog();
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await cleanUp([
      ['the browser to close', () => browser?.close()],
      ['code-server to stop', () => server?.stop()],
      ['the profile to be removed', () => profile.dispose()],
    ]);
  };
  // runTests sends SIGINT on Ctrl+C; the editor must not outlive us.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  }
  try {
    server = await startCodeServer(profile, options.folder ?? profile.root);
    browser = await launchBrowser(profile);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let exit!: (code: number) => void;
    let crash!: (error: Error) => void;
    const exitCode = new Promise<number>((resolveExit, reject) => {
      exit = resolveExit;
      crash = reject;
    });
    // Without these, a dead window would only end at RUN_TIMEOUT_MS.
    page.once('crash', () => crash(new Error('the workbench page crashed')));
    browser.once('disconnected', () => crash(new Error('Chromium went away')));
    await page.exposeFunction('codeAutomationLog', (type: unknown, message: unknown) => log.write(type, message));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => exit(typeof code === 'number' ? code : 1));
    const url = workbenchUrl(server.origin, server.port, options);
    await page.goto(url, { timeout: PAGE_LOAD_TIMEOUT_MS });
    try {
      return await within(RUN_TIMEOUT_MS, 'the extension tests to finish', exitCode);
    } catch (error) {
      mkdirSync('test-results', { recursive: true });
      await within(10_000, 'a screenshot', page.screenshot({ path: 'test-results/integration-timeout.png' })).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    console.error(`launcher: ${error instanceof Error ? error.message : String(error)}`);
    if (server) console.error(`launcher: code-server's last output:\n${server.output()}`);
    console.error(`launcher: the workbench's last log lines:\n${log.workbenchTail()}`);
    return 1;
  } finally {
    await stop();
  }
}

if (require.main === module) {
  let options: LaunchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`launcher: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  void run(options).then((code) => process.exit(code));
}
