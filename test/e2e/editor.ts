// The real editor the integration and UI tests run in: code-server (VS Code 1.96.4's server and workbench,
// installed by scripts/setup-editor.sh outside the repository) with headless Chromium as its window, driven
// by playwright-core. See ../shared/docs/real-editor-testing.md for why each flag is here.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const PREFIX = process.env.AKS_POLICY_EDITOR_PREFIX ?? '/opt/aks-policy-editor';
const CHROMIUM = process.env.AKS_POLICY_CHROMIUM ?? '/usr/bin/chromium';
const CODE_SERVER = join(PREFIX, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** How long code-server may take to answer its health check; a cold start is 2–4 s. */
const SERVER_START_TIMEOUT_MS = 60_000;
/** How long a killed process group gets to exit on SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/** Fails with the command that fixes it, never silently: the tests are worthless without the editor. */
export function requireEditor(): { codeServer: string; chromium: string } {
  const missing: string[] = [];
  if (!existsSync(CODE_SERVER)) missing.push(`code-server is not installed in ${PREFIX}`);
  if (!existsSync(CHROMIUM)) missing.push(`no browser at ${CHROMIUM}`);
  if (missing.length > 0) {
    throw new Error(`${missing.join('; ')}. Run scripts/setup-editor.sh (as root, it installs both).`);
  }
  return { codeServer: CODE_SERVER, chromium: CHROMIUM };
}

/** Rejects after `ms` with a message that says what was being waited for. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh profile: code-server also writes to ~/.config and ~/.local/share unless XDG_* point elsewhere. */
export class Profile {
  readonly root = mkdtempSync(join(tmpdir(), 'aks-policy-editor-'));
  readonly userDataDir = join(this.root, 'user-data');
  readonly extensionsDir = join(this.root, 'extensions');
  readonly env: NodeJS.ProcessEnv;

  constructor(settings: Record<string, unknown> = {}) {
    for (const dir of [join(this.userDataDir, 'User'), this.extensionsDir, join(this.root, 'config'), join(this.root, 'data')]) {
      mkdirSync(dir, { recursive: true });
    }
    // The Welcome page would take the focus, and the trust dialog would block the workbench.
    const userSettings = {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.tips.enabled': false,
      ...settings,
    };
    writeFileSync(join(this.userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
    this.env = { ...process.env, XDG_CONFIG_HOME: join(this.root, 'config'), XDG_DATA_HOME: join(this.root, 'data') };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Kills a process group started with `detached: true`: code-server leaves a file watcher behind otherwise. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  try {
    await within(KILL_GRACE_MS, 'code-server to stop', exited);
  } catch {
    signalGroup('SIGKILL');
  }
  // Children of the group may outlive its leader.
  signalGroup('SIGKILL');
}

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  /** The last lines code-server printed, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 200;

/** Starts code-server on a free 127.0.0.1 port with `folder` open and resolves once it answers. */
export async function startCodeServer(profile: Profile, folder: string): Promise<CodeServer> {
  const { codeServer } = requireEditor();
  const port = await freePort();
  const args = [
    codeServer,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    folder,
  ];
  const child = spawn(process.execPath, args, { env: profile.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const origin = `http://127.0.0.1:${port}`;
  const server: CodeServer = { port, origin, output: () => lines.join('\n'), stop: () => killGroup(child) };

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) before it answered:\n${server.output()}`))),
  );
  const healthy = (async () => {
    for (;;) {
      try {
        if ((await fetch(`${origin}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    await within(SERVER_START_TIMEOUT_MS, `code-server on port ${port}`, Promise.race([healthy, exited]));
  } catch (error) {
    await server.stop();
    throw error;
  }
  exited.catch(() => undefined);
  return server;
}

/**
 * Headless Chromium with a throw-away profile (Playwright makes one per launch); the profile's XDG_* keep
 * its crash reporter out of the home folder too.
 */
export async function launchBrowser(profile: Profile): Promise<Browser> {
  const { chromium: executablePath } = requireEditor();
  return chromium.launch({
    executablePath,
    headless: true,
    env: profile.env,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Runs `cleanup` steps in order, each bounded, so one that hangs does not keep the others (or the process) alive. */
export async function cleanUp(steps: [string, () => Promise<void> | void][]): Promise<void> {
  for (const [what, step] of steps) {
    try {
      await within(15_000, what, Promise.resolve().then(step));
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
