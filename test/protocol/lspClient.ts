/**
 * A small LSP client over stdio for the protocol tests and the benchmark: it drives the real
 * bundled server (dist/server.js) the way an editor does, with every wait bounded by a timeout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  CodeAction,
  Command,
  Diagnostic,
  LogMessageParams,
  PublishDiagnosticsParams,
  Range,
  ShowMessageParams,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver';

/** Settings answered for section `aksPolicy`; the test may replace them at any time. */
export type SettingsSection = Record<string, unknown>;

export interface LspClientOptions {
  /** The bundled server; defaults to dist/server.js of the repository. */
  serverPath?: string;
  settings?: SettingsSection;
  /** Announce `workspace.configuration` so the server pulls settings (as VS Code does). Default true. */
  pullConfiguration?: boolean;
  workspaceFolders?: string[];
  /** Sent as `initializationOptions`, as the VS Code client does (e.g. `{ workspaceTrusted: false }`). */
  initializationOptions?: unknown;
  /** Default bound of a request and of a diagnostics wait. */
  timeoutMs?: number;
  /** Announce pull diagnostics (textDocument/diagnostic with refresh support), as VS Code does. Default false: the server pushes. */
  pullDiagnostics?: boolean;
}

/** A pulled report with the items it stands for (an `unchanged` report stands for the previous full one's). */
export interface PulledDiagnostics {
  kind: 'full' | 'unchanged';
  resultId?: string;
  items: Diagnostic[];
}

interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

interface PendingRequest {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface DiagnosticsWaiter {
  uri: string;
  version?: number;
  resolve(params: PublishDiagnosticsParams): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A message the server showed: `window/showMessage` or `window/showMessageRequest`. */
export interface ShownMessage extends ShowMessageParams {
  method: 'window/showMessage' | 'window/showMessageRequest';
}

export interface WaitOptions {
  /** Only a publish for this document version counts. */
  version?: number;
  /** Also accept a publish recorded at or after this mark (see `mark()`), so nothing sent before the wait is missed. */
  since?: number;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const EXIT_GRACE_MS = 1_000;
const STDERR_KEPT = 4_000;

export const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
/** AKS_POLICY_SERVER runs the same tests against another build of the server. */
export const DEFAULT_SERVER_PATH = process.env.AKS_POLICY_SERVER ? resolve(process.env.AKS_POLICY_SERVER) : resolve(REPOSITORY_ROOT, 'dist', 'server.js');

export class LspClient {
  /** What the client answers to `workspace/configuration`; change it, then call `changeSettings` or `notifyConfigurationChanged`. */
  settings: SettingsSection;
  /** Every publishDiagnostics, in arrival order. */
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly shownMessages: ShownMessage[] = [];
  readonly logMessages: LogMessageParams[] = [];
  /** The scopeUri of each `workspace/configuration` item the server asked for. */
  readonly configurationScopes: (string | undefined)[] = [];

  private readonly child: ChildProcessWithoutNullStreams;
  private readonly timeoutMs: number;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly waiters = new Set<DiagnosticsWaiter>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  /** Bytes received and not yet dispatched, and how many must be there before the next message is whole. */
  private received: Buffer[] = [];
  /** The last pulled report per document, for `previousResultId` and `unchanged` reports. */
  private readonly pulled = new Map<string, { resultId?: string; items: Diagnostic[] }>();
  private readonly pullsDiagnostics: boolean;
  /** How many times the server asked to pull again (workspace/diagnostic/refresh). */
  refreshRequests = 0;
  private receivedBytes = 0;
  private awaitedBytes: number | undefined;
  private nextId = 1;
  private stderrTail = '';
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(options: LspClientOptions) {
    this.settings = options.settings ?? {};
    this.pullsDiagnostics = options.pullDiagnostics ?? false;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const serverPath = options.serverPath ?? DEFAULT_SERVER_PATH;
    this.child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    // Writing after the server died raises EPIPE here; the exit handler already reports it.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((done) => {
      this.child.on('exit', (code, signal) => {
        this.exitError = new Error(`the language server exited (code ${code}, signal ${signal})${this.stderrTail ? `; stderr: ${this.stderrTail}` : ''}`);
        this.failEverything(this.exitError);
        done();
      });
      this.child.on('error', (error) => {
        this.exitError = new Error(`the language server could not be started: ${error.message}`);
        this.failEverything(this.exitError);
        done();
      });
    });
  }

  /** Spawns the server and completes `initialize`/`initialized`. */
  static async start(options: LspClientOptions = {}): Promise<LspClient> {
    const client = new LspClient(options);
    const pull = options.pullConfiguration ?? true;
    const folders = options.workspaceFolders ?? [];
    try {
      await client.request('initialize', {
        processId: process.pid,
        rootUri: folders[0] ?? null,
        workspaceFolders: folders.map((uri) => ({ uri, name: uri.split('/').pop() ?? uri })),
        initializationOptions: options.initializationOptions,
        capabilities: {
          workspace: { configuration: pull, didChangeConfiguration: { dynamicRegistration: true }, ...(options.pullDiagnostics ? { diagnostics: { refreshSupport: true } } : {}) },
          textDocument: {
            ...(options.pullDiagnostics ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
            synchronization: { dynamicRegistration: false },
            publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
          },
          window: { showMessage: {} },
        },
      });
      client.notify('initialized', {});
    } catch (error) {
      await client.kill();
      throw error;
    }
    return client;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.exitError === undefined;
  }

  /** A position in the publish log: pass it as `since` to wait for a publish caused by what is sent next. */
  mark(): number {
    return this.publishes.length;
  }

  /** The diagnostics of `uri` at `version`: its publish, or with pull diagnostics what a pull right now reports. */
  async diagnosticsOf(uri: string, options: WaitOptions & { version: number }): Promise<PublishDiagnosticsParams> {
    if (!this.pullsDiagnostics) return this.waitForDiagnostics(uri, options);
    return { uri, version: options.version, diagnostics: (await this.pullDiagnostics(uri)).items };
  }

  /**
   * Pulls the diagnostics of `uri` as VS Code does after a change: with the result id of the last report, so that
   * the server may answer `unchanged`.
   */
  async pullDiagnostics(uri: string): Promise<PulledDiagnostics> {
    const previous = this.pulled.get(uri);
    const report = await this.request<{ kind: 'full' | 'unchanged'; resultId?: string; items?: Diagnostic[] }>('textDocument/diagnostic', {
      textDocument: { uri },
      ...(previous?.resultId ? { previousResultId: previous.resultId } : {}),
    });
    const items = report.kind === 'full' ? (report.items ?? []) : (previous?.items ?? []);
    this.pulled.set(uri, { resultId: report.resultId, items });
    return { kind: report.kind, resultId: report.resultId, items };
  }

  request<Result>(method: string, params?: unknown, timeoutMs = this.timeoutMs): Promise<Result> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<Result>((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rejectPromise(new Error(`no answer to ${method} (id ${id}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: (result) => resolvePromise(result as Result), reject: rejectPromise, timer });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    if (this.exitError) throw this.exitError;
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Opens a document and waits for its first publish. */
  open(uri: string, text: string, options: { version?: number; languageId?: string; timeoutMs?: number } = {}): Promise<PublishDiagnosticsParams> {
    const version = options.version ?? 1;
    const since = this.mark();
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: options.languageId ?? 'yaml', version, text } });
    return this.diagnosticsOf(uri, { version, since, timeoutMs: options.timeoutMs });
  }

  /**
   * Sends one didChange with the given changes (incremental when they have ranges) under the next version,
   * keeps the client's copy of the text in step, and returns that version. Does not wait.
   */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const previous = this.versions.get(uri);
    const text = this.texts.get(uri);
    if (previous === undefined || text === undefined) throw new Error(`change of ${uri}, which is not open`);
    const version = previous + 1;
    this.versions.set(uri, version);
    // Sent first: an editor has applied the edit before it notifies, so its bookkeeping is not the server's latency.
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    this.texts.set(uri, applyContentChanges(text, changes));
    return version;
  }

  /** Applies LSP text edits (e.g. a code action's) as one incremental change and waits for that version's publish. */
  async applyEdits(uri: string, edits: readonly TextEdit[], timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    const since = this.mark();
    // Applied last-to-first, each edit's range still refers to the text the server holds.
    const ordered = [...edits].sort((a, b) => comparePositions(b.range.start, a.range.start) || comparePositions(b.range.end, a.range.end));
    const version = this.change(uri, ordered.map((edit) => ({ range: edit.range, text: edit.newText })));
    return this.diagnosticsOf(uri, { version, since, timeoutMs });
  }

  /** Replaces the whole text (a full-document change) and waits for that version's publish. */
  replaceText(uri: string, text: string, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    const since = this.mark();
    const version = this.change(uri, [{ text }]);
    return this.diagnosticsOf(uri, { version, since, timeoutMs });
  }

  close(uri: string): void {
    this.versions.delete(uri);
    this.texts.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** The client's copy of an open document. */
  textOf(uri: string): string {
    const text = this.texts.get(uri);
    if (text === undefined) throw new Error(`${uri} is not open`);
    return text;
  }

  versionOf(uri: string): number {
    const version = this.versions.get(uri);
    if (version === undefined) throw new Error(`${uri} is not open`);
    return version;
  }

  /** Replaces the settings and pushes them as `workspace/didChangeConfiguration`, as VS Code does. */
  changeSettings(settings: SettingsSection): void {
    this.settings = settings;
    this.notify('workspace/didChangeConfiguration', { settings: { aksPolicy: settings } });
  }

  /**
   * Resolves with the next publishDiagnostics for `uri` (for `version`, when given). With `since`, a matching
   * publish already recorded at or after that mark counts too. Rejects after the timeout or when the server exits.
   */
  waitForDiagnostics(uri: string, options: WaitOptions = {}): Promise<PublishDiagnosticsParams> {
    const matches = (params: PublishDiagnosticsParams) => params.uri === uri && (options.version === undefined || params.version === options.version);
    if (options.since !== undefined) {
      const recorded = this.publishes.slice(options.since).find(matches);
      if (recorded) return Promise.resolve(recorded);
    }
    if (this.exitError) return Promise.reject(this.exitError);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolvePromise, rejectPromise) => {
      const waiter: DiagnosticsWaiter = {
        uri,
        version: options.version,
        resolve: resolvePromise,
        reject: rejectPromise,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.publishes.filter((p) => p.uri === uri).map((p) => p.version ?? 'none');
          const wanted = options.version === undefined ? '' : ` (version ${options.version})`;
          rejectPromise(new Error(`no publishDiagnostics for ${uri}${wanted} within ${timeoutMs} ms; versions published so far: [${seen.join(', ')}]`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Waits until no publish for `uri` has arrived for `quietMs` (bounded by `timeoutMs`) and returns the publishes
   * recorded since `since`. Used only to show that nothing further (e.g. a stale publish) follows.
   */
  async settle(uri: string, since: number, quietMs = 300, timeoutMs = this.timeoutMs): Promise<PublishDiagnosticsParams[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = this.publishes.length;
      await delay(quietMs);
      const arrived = this.publishes.slice(count).some((p) => p.uri === uri);
      if (!arrived) return this.publishes.slice(since).filter((p) => p.uri === uri);
      if (Date.now() > deadline) throw new Error(`publishes for ${uri} did not settle within ${timeoutMs} ms`);
    }
  }

  /** Code actions for a range, with the given diagnostics and optional `only` kinds. */
  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[]> {
    return this.request<(CodeAction | Command)[] | null>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    }).then((actions) => actions ?? []);
  }

  /** shutdown/exit, then SIGKILL if the server has not exited after a grace period. */
  async shutdown(): Promise<void> {
    if (this.exitError) return;
    try {
      await this.request('shutdown', undefined, 2_000);
      this.notify('exit');
    } catch {
      // A server that cannot shut down cleanly is killed below.
    }
    await this.kill(EXIT_GRACE_MS);
  }

  /** Kills the server (after `graceMs`, if it has not exited by then). */
  async kill(graceMs = 0): Promise<void> {
    if (this.exitError) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private send(message: JsonRpcMessage): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    // Chunks are joined once a whole message is there: joining on every chunk would copy a large publish quadratically.
    this.received.push(chunk);
    this.receivedBytes += chunk.length;
    if (this.awaitedBytes !== undefined && this.receivedBytes < this.awaitedBytes) return;
    let buffer = this.received.length === 1 ? this.received[0] : Buffer.concat(this.received, this.receivedBytes);
    this.awaitedBytes = undefined;
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const header = buffer.subarray(0, headerEnd).toString('ascii');
      const length = /Content-Length:\s*(\d+)/i.exec(header);
      if (!length) {
        this.failEverything(new Error(`a message from the server has no Content-Length: ${JSON.stringify(header)}`));
        buffer = Buffer.alloc(0);
        break;
      }
      const bodyStart = headerEnd + 4;
      const bodyEnd = bodyStart + Number(length[1]);
      if (buffer.length < bodyEnd) {
        this.awaitedBytes = bodyEnd;
        break;
      }
      const body = buffer.subarray(bodyStart, bodyEnd).toString('utf8');
      buffer = buffer.subarray(bodyEnd);
      this.dispatch(JSON.parse(body) as JsonRpcMessage);
    }
    this.received = buffer.length > 0 ? [buffer] : [];
    this.receivedBytes = buffer.length;
  }

  private dispatch(message: JsonRpcMessage): void {
    if (message.method === undefined) {
      this.settleRequest(message);
      return;
    }
    if (message.id !== undefined && message.id !== null) {
      this.answerServerRequest(message.id, message.method, message.params);
      return;
    }
    switch (message.method) {
      case 'textDocument/publishDiagnostics':
        this.recordPublish(message.params as PublishDiagnosticsParams);
        break;
      case 'window/showMessage':
        this.shownMessages.push({ method: 'window/showMessage', ...(message.params as ShowMessageParams) });
        break;
      case 'window/logMessage':
        this.logMessages.push(message.params as LogMessageParams);
        break;
    }
  }

  private settleRequest(message: JsonRpcMessage): void {
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.error) pending.reject(new Error(`${pending.method} failed: ${message.error.message} (code ${message.error.code})`));
    else pending.resolve(message.result);
  }

  private answerServerRequest(id: number | string, method: string, params: unknown): void {
    let result: unknown = null;
    if (method === 'workspace/configuration') {
      const items = (params as { items: { scopeUri?: string; section?: string }[] }).items;
      result = items.map((item) => {
        this.configurationScopes.push(item.scopeUri);
        return this.configurationFor(item.section);
      });
    } else if (method === 'workspace/diagnostic/refresh') {
      this.refreshRequests++;
    } else if (method === 'window/showMessageRequest') {
      this.shownMessages.push({ method: 'window/showMessageRequest', ...(params as ShowMessageParams) });
    }
    // client/registerCapability, window/showMessageRequest, window/workDoneProgress/create and the rest: null.
    this.send({ jsonrpc: '2.0', id, result });
  }

  private configurationFor(section: string | undefined): unknown {
    if (section === 'aksPolicy') return this.settings;
    if (section?.startsWith('aksPolicy.')) return this.settings[section.slice('aksPolicy.'.length)] ?? null;
    if (!section) return { aksPolicy: this.settings };
    return null;
  }

  private recordPublish(params: PublishDiagnosticsParams): void {
    this.publishes.push(params);
    for (const waiter of [...this.waiters]) {
      if (waiter.uri !== params.uri || (waiter.version !== undefined && waiter.version !== params.version)) continue;
      this.waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(params);
    }
  }

  private failEverything(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${pending.method}: ${error.message}`));
    }
    this.pending.clear();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function comparePositions(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

/** Offset of an LSP position (UTF-16 code units, as JavaScript strings count) in `text`; clamped like the LSP spec asks. */
export function offsetAt(text: string, position: { line: number; character: number }): number {
  let lineStart = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', lineStart);
    if (next < 0) return text.length;
    lineStart = next + 1;
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  else if (text[lineEnd - 1] === '\r') lineEnd -= 1;
  return Math.min(lineStart + position.character, lineEnd);
}

/** The LSP position of an offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  let line = 0;
  for (let at = before.indexOf('\n'); at >= 0; at = before.indexOf('\n', at + 1)) line++;
  return { line, character: before.length - (lastBreak + 1) };
}

/** Applies LSP TextEdits (all relative to `text`, non-overlapping) to a string. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) throw new Error(`overlapping text edits at offset ${span.start}`);
    out += text.slice(cursor, span.start) + span.newText;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/** Applies didChange content changes in order, as the server's TextDocument does. */
export function applyContentChanges(text: string, changes: readonly TextDocumentContentChangeEvent[]): string {
  let current = text;
  for (const change of changes) {
    if ('range' in change) {
      const start = offsetAt(current, change.range.start);
      const end = offsetAt(current, change.range.end);
      current = current.slice(0, start) + change.text + current.slice(end);
    } else {
      current = change.text;
    }
  }
  return current;
}

/** The TextEdits of a code action's WorkspaceEdit for one document. */
export function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const fromChanges = action.edit?.changes?.[uri];
  if (fromChanges) return fromChanges;
  const fromDocumentChanges = action.edit?.documentChanges?.flatMap((change) =>
    'textDocument' in change && change.textDocument.uri === uri ? change.edits.filter((edit): edit is TextEdit => 'range' in edit) : [],
  );
  return fromDocumentChanges ?? [];
}

export function isCodeAction(action: CodeAction | Command): action is CodeAction {
  // A Command's `command` is its id (a string); a CodeAction's is an optional nested Command.
  return typeof action.command !== 'string';
}

/** Reads a file of the repository (examples, fixtures). */
export function readRepositoryFile(path: string): string {
  return readFileSync(resolve(REPOSITORY_ROOT, path), 'utf8');
}
