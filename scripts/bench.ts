/**
 * Benchmark of the language server as an editor sees it, side by side with yaml-language-server: both are started
 * over stdio and given the same generated multi-document manifests and the same edits (AKS Policy Live under
 * Restricted + Deny; yaml-language-server with `yaml.validate` and its Kubernetes schema mapped to `*.yaml`). Beside
 * them, the parse floor (the `yaml` package alone) and the extension's activation cost (loading dist/extension.js).
 * Run with `npm run bench` (builds first) or `node --import tsx scripts/bench.ts`. Reports numbers; asserts nothing.
 * BENCH_SIZES=1,100 measures fewer sizes; BENCH_SKIP_YLS=1 leaves yaml-language-server out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments, parseDocument } from 'yaml';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { seededRandom } from '../test/fuzz/manifests';
import { applyContentChanges, isCodeAction, LspClient, REPOSITORY_ROOT } from '../test/protocol/lspClient';

const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000,5000').split(',').map(Number);
const OUR_EDITS = 40;
const CODE_ACTION_REQUESTS = 10;
/** yaml-language-server takes seconds per edit on large files: it gets at least this many edits, and more while its budget lasts. */
const THEIR_MIN_EDITS = 5;
const THEIR_MAX_EDITS = 20;
const THEIR_EDIT_BUDGET_MS = 20_000;
const ACTIVATION_RUNS = 11;
const SEED = 0x5eed_a15;
/** Parsed as the server parses (model/parse.ts): YAML 1.1 scalars, merge keys, duplicate keys refused. */
const YAML_OPTIONS = { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false } as const;
const OUR_SETTINGS = { initiative: 'restricted', effect: 'deny' };
const YAML_LANGUAGE_SERVER = resolve(REPOSITORY_ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
/** What a user of the YAML extension configures for Kubernetes manifests. */
const THEIR_SETTINGS = { yaml: { validate: true, schemas: { kubernetes: '*.yaml' } }, http: { proxy: '', proxyStrictSSL: false }, '[yaml]': {}, editor: { tabSize: 2 } };
/** Far above any wait on a healthy server. */
const WAIT_MS = 180_000;

// ---- Deterministic manifests ----

type Kind = 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Service' | 'ConfigMap';
type Violation = 'privileged' | 'hostPID' | 'hostPort' | 'capability' | 'hostPath' | 'escalation' | 'root' | 'noSeccomp';

const KINDS: Kind[] = ['Pod', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'ConfigMap'];
const VIOLATIONS: Violation[] = ['privileged', 'hostPID', 'hostPort', 'capability', 'hostPath', 'escalation', 'root', 'noSeccomp'];
/** Pod-bearing documents violate with this probability, so that about a third of all documents do. */
const VIOLATION_RATE = 0.45;

interface Manifest {
  text: string;
  documents: number;
  withViolations: number;
  /** The line of a comment in the middle document, where the edits type. */
  editLine: number;
}

function generateManifest(count: number, seed: number): Manifest {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const documents: string[] = [];
  let withViolations = 0;
  for (let index = 0; index < count; index++) {
    const kind = pick(KINDS);
    const violations: Violation[] = [];
    if (kind !== 'Service' && kind !== 'ConfigMap' && random() < VIOLATION_RATE) {
      violations.push(pick(VIOLATIONS));
      if (random() < 0.3) violations.push(pick(VIOLATIONS));
      withViolations++;
    }
    documents.push(generateDocument(kind, index, violations, random));
  }
  const text = documents.join('---\n');
  // Every document starts with its `# <kind> <name>: generated` comment.
  const middle = `-${Math.floor(count / 2)}: generated for the benchmark`;
  const editLine = text.split('\n').findIndex((line) => line.startsWith('# ') && line.endsWith(middle));
  return { text, documents: count, withViolations, editLine };
}

function generateDocument(kind: Kind, index: number, violations: readonly Violation[], random: () => number): string {
  const name = `${kind.toLowerCase()}-${index}`;
  const namespace = `team-${index % 7}`;
  const header = [`# ${kind} ${name}: generated for the benchmark`, `apiVersion: ${apiVersionOf(kind)}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`];
  if (kind === 'ConfigMap') {
    return [...header, 'data:', `  LOG_LEVEL: ${random() < 0.5 ? 'info' : 'debug'}`, '  config.yaml: |', '    retries: 3', `    endpoint: https://${name}.example.com`, ''].join('\n');
  }
  if (kind === 'Service') {
    return [...header, 'spec:', '  selector:', `    app: ${name.replace('service', 'app')}`, '  ports:', '    - port: 80', `      targetPort: ${8000 + (index % 100)}`, ''].join('\n');
  }
  const labels = [`  labels: &labels`, `    app: ${name}`, `    tier: ${random() < 0.5 ? 'web' : 'worker'}`];
  if (kind === 'Pod') return [...header, ...labels, 'spec:', ...podSpec('  ', name, violations, random, false), ''].join('\n');
  const restartable = kind === 'Job' || kind === 'CronJob';
  const template = (indent: string) => [`${indent}template:`, `${indent}  metadata:`, `${indent}    labels: *labels`, `${indent}  spec:`, ...podSpec(`${indent}    `, name, violations, random, restartable)];
  if (kind === 'CronJob') {
    return [...header, ...labels, 'spec:', `  schedule: "${index % 60} 3 * * *"`, '  jobTemplate:', '    spec:', ...template('      '), ''].join('\n');
  }
  if (kind === 'Job') return [...header, ...labels, 'spec:', '  backoffLimit: 2', ...template('  '), ''].join('\n');
  const selector = ['  selector:', '    matchLabels: *labels'];
  const replicas = kind === 'DaemonSet' ? [] : [`  replicas: ${1 + (index % 3)}`];
  const serviceName = kind === 'StatefulSet' ? [`  serviceName: ${name}`] : [];
  return [...header, ...labels, 'spec:', ...replicas, ...serviceName, ...selector, ...template('  '), ''].join('\n');
}

function apiVersionOf(kind: Kind): string {
  if (kind === 'Pod' || kind === 'Service' || kind === 'ConfigMap') return 'v1';
  if (kind === 'Job' || kind === 'CronJob') return 'batch/v1';
  return 'apps/v1';
}

/** A pod spec that passes Restricted, with the given violations worked in; two containers share an anchored securityContext. */
function podSpec(indent: string, name: string, violations: readonly Violation[], random: () => number, restartable: boolean): string[] {
  const has = (violation: Violation) => violations.includes(violation);
  const lines: string[] = [];
  if (restartable) lines.push('restartPolicy: OnFailure');
  if (has('hostPID')) lines.push('hostPID: true');
  lines.push(
    'securityContext:',
    `  runAsUser: ${has('root') ? 0 : 10001}`,
    '  runAsGroup: 10001',
    '  fsGroup: 10001',
    '  supplementalGroups: [10001]',
  );
  if (!has('noSeccomp')) lines.push('  seccompProfile:', '    type: RuntimeDefault');
  lines.push('containers:', '  - name: app', `    image: myregistry.azurecr.io/${name}:1.${Math.floor(random() * 20)}.0`, '    ports:', '      - containerPort: 8080');
  if (has('hostPort')) lines.push('        hostPort: 8080');
  lines.push('    securityContext: &hardened', `      allowPrivilegeEscalation: ${has('escalation') ? 'true' : 'false'}`);
  if (has('privileged')) lines.push('      privileged: true');
  lines.push('      capabilities:', '        drop: ["ALL"]');
  if (has('capability')) lines.push('        add: ["NET_ADMIN"]');
  lines.push('    volumeMounts:', '      - name: config', '        mountPath: /etc/app');
  // Only mounted volumes are checked (k8sazurev2volumetypes), so the host path is mounted.
  if (has('hostPath')) lines.push('      - name: host', '        mountPath: /host/log', '        readOnly: true');
  if (random() < 0.4) lines.push('  # the sidecar shares the hardened context', '  - name: log-shipper', '    image: myregistry.azurecr.io/log-shipper:1.0.3', '    securityContext: *hardened');
  lines.push('volumes:', '  - name: config', '    configMap:', `      name: ${name}-config`);
  if (has('hostPath')) lines.push('  - name: host', '    hostPath:', '      path: /var/log');
  return lines.map((line) => indent + line);
}

// ---- Servers under test ----

/** A language server as the benchmark drives it: open a file, change it, each time waiting for the diagnostics that follow. */
interface BenchedServer {
  readonly pid: number | undefined;
  /** Opens `text` and resolves with its first diagnostics. */
  open(uri: string, text: string): Promise<Diagnostic[]>;
  /** Sends one change and resolves with the diagnostics published for it. */
  change(uri: string, change: TextDocumentContentChangeEvent): Promise<Diagnostic[]>;
  textOf(uri: string): string;
  shutdown(): Promise<void>;
}

/**
 * dist/server.js through the protocol tests' client. Pulling, as VS Code does, each change is followed by a
 * textDocument/diagnostic request (with the last result id); pushed, each change waits for the publish of its version.
 */
class OurServer implements BenchedServer {
  private constructor(
    readonly client: LspClient,
    readonly pulls: boolean,
  ) {}

  static async start(pulls: boolean): Promise<OurServer> {
    return new OurServer(await LspClient.start({ settings: OUR_SETTINGS, timeoutMs: WAIT_MS, pullDiagnostics: pulls }), pulls);
  }

  get pid(): number | undefined {
    return this.client.pid;
  }

  async open(uri: string, text: string): Promise<Diagnostic[]> {
    return (await this.client.open(uri, text)).diagnostics;
  }

  async change(uri: string, change: TextDocumentContentChangeEvent): Promise<Diagnostic[]> {
    const since = this.client.mark();
    const version = this.client.change(uri, [change]);
    return (await this.client.diagnosticsOf(uri, { version, since })).diagnostics;
  }

  textOf(uri: string): string {
    return this.client.textOf(uri);
  }

  shutdown(): Promise<void> {
    return this.client.shutdown();
  }
}

interface PublishWaiter {
  uri: string;
  resolve(diagnostics: Diagnostic[]): void;
}

/**
 * yaml-language-server over stdio, configured as a user of the YAML extension configures it for Kubernetes. Its
 * publishes carry no version; it validates the newest text 200 ms after the last change (`validationDelayMs`), and
 * the benchmark waits for each publish before the next change, so the first publish after a change is that change's.
 */
class TheirServer implements BenchedServer {
  private readonly texts = new Map<string, { text: string; version: number }>();
  private readonly waiters: PublishWaiter[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ReturnType<typeof spawn>,
    private readonly connection: MessageConnection,
  ) {
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  static async start(): Promise<TheirServer> {
    const child = spawn(process.execPath, [YAML_LANGUAGE_SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (!child.stdout || !child.stdin || !child.stderr) throw new Error('yaml-language-server has no stdio');
    child.stderr.resume();
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const server = new TheirServer(child, connection);
    let configured: () => void = () => undefined;
    const settingsPulled = new Promise<void>((done) => (configured = done));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      if (params.items.some((item) => item.section === 'yaml')) setImmediate(configured);
      return params.items.map((item) => (item.section !== undefined && item.section in THEIR_SETTINGS ? THEIR_SETTINGS[item.section as keyof typeof THEIR_SETTINGS] : null));
    });
    // client/registerCapability, window/workDoneProgress/create and the like.
    connection.onRequest(() => null);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => server.published(params));
    connection.listen();
    await withTimeout(
      connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {} } },
      }),
      WAIT_MS,
      'yaml-language-server initialize',
    );
    connection.sendNotification('initialized', {});
    await withTimeout(settingsPulled, WAIT_MS, 'yaml-language-server pulling its settings');
    return server;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  open(uri: string, text: string): Promise<Diagnostic[]> {
    const published = this.nextPublish(uri);
    this.texts.set(uri, { text, version: 1 });
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return withTimeout(published, WAIT_MS, `yaml-language-server diagnostics for ${uri}`);
  }

  change(uri: string, change: TextDocumentContentChangeEvent): Promise<Diagnostic[]> {
    const current = this.texts.get(uri);
    if (!current) throw new Error(`${uri} is not open`);
    const published = this.nextPublish(uri);
    const version = current.version + 1;
    this.texts.set(uri, { text: applyContentChanges(current.text, [change]), version });
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    return withTimeout(published, WAIT_MS, `yaml-language-server diagnostics for ${uri} version ${version}`);
  }

  textOf(uri: string): string {
    const current = this.texts.get(uri);
    if (!current) throw new Error(`${uri} is not open`);
    return current.text;
  }

  async shutdown(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 5_000, 'yaml-language-server shutdown');
      this.connection.sendNotification('exit');
    } catch {
      // Killed below.
    }
    const exited = await Promise.race([this.exited.then(() => true), delay(2_000).then(() => false)]);
    if (!exited) this.child.kill('SIGKILL');
    this.connection.dispose();
  }

  private nextPublish(uri: string): Promise<Diagnostic[]> {
    return new Promise((resolvePublish) => this.waiters.push({ uri, resolve: resolvePublish }));
  }

  private published(params: PublishDiagnosticsParams): void {
    const index = this.waiters.findIndex((waiter) => waiter.uri === params.uri);
    if (index >= 0) this.waiters.splice(index, 1)[0].resolve(params.diagnostics);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- Measurement ----

interface ServerFigures {
  openMs: number;
  diagnostics: number;
  editTimes: number[];
  peakRssMb: number | undefined;
}

interface OurExtras {
  /** Line breaks typed in the middle document (every later finding moves): the worst case of a keystroke. */
  lineBreakTimes: number[];
  /** Documents the server reported on: matches the generator's count when its clean documents are clean. */
  withFindings: number;
  /** A code action request without `only`, as VS Code sends for the light bulb. */
  lightBulbMedianMs: number;
  /** The same request with `only: ['quickfix']`. */
  quickFixMedianMs: number;
  codeActionsOffered: number;
}

interface SizeResult {
  documents: number;
  lines: number;
  bytes: number;
  withViolations: number;
  ours: ServerFigures & OurExtras;
  oursPushed: ServerFigures;
  /** Open → diagnostics in three fresh servers: pulling, pushing, and one that only opens the file. */
  opens: number[];
  theirs: ServerFigures | undefined;
  theirError?: string;
  parseFileMs: number;
  parseDocumentMs: number;
}

function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

/** The middle value, or the mean of the two middle values of an even count. */
function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function timeMedian(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** A process's peak resident set (VmHWM), where /proc exists. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The document (between `---` markers) that holds `line`. */
function documentAround(text: string, line: number): string {
  const lines = text.split('\n');
  let start = line;
  while (start > 0 && lines[start] !== '---') start--;
  let end = line + 1;
  while (end < lines.length && lines[end] !== '---') end++;
  return lines.slice(start, end).join('\n');
}

function documentsWithFindings(text: string, diagnostics: readonly Diagnostic[]): number {
  const markers: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line === '---') markers.push(index);
  });
  const documentOf = (line: number) => markers.filter((marker) => marker <= line).length;
  return new Set(diagnostics.filter((diagnostic) => diagnostic.code !== undefined).map((diagnostic) => documentOf(diagnostic.range.start.line))).size;
}

function nearest(diagnostics: readonly Diagnostic[], line: number): Diagnostic | undefined {
  return [...diagnostics].sort((a, b) => Math.abs(a.range.start.line - line) - Math.abs(b.range.start.line - line))[0];
}

/** One character typed at the end of the comment line in the middle document. */
function typedCharacter(server: BenchedServer, uri: string, line: number, edit: number): TextDocumentContentChangeEvent {
  const column = server.textOf(uri).split('\n', line + 1)[line].length;
  return { range: { start: { line, character: column }, end: { line, character: column } }, text: String.fromCharCode(97 + (edit % 26)) };
}

/** A line break typed at the end of the comment line in the middle document: every finding below it moves down a line. */
function typedLineBreak(server: BenchedServer, uri: string, line: number): TextDocumentContentChangeEvent {
  const column = server.textOf(uri).split('\n', line + 1)[line].length;
  return { range: { start: { line, character: column }, end: { line, character: column } }, text: '\n' };
}

/** Opens the manifest and types into it, each edit waiting for its diagnostics; stops at `maxEdits`, or at `budgetMs` once `minEdits` are done. */
async function measureServer(server: BenchedServer, manifest: Manifest, uri: string, limits: { minEdits: number; maxEdits: number; budgetMs: number }): Promise<ServerFigures & { last: Diagnostic[] }> {
  const openStarted = performance.now();
  const opened = await server.open(uri, manifest.text);
  const openMs = performance.now() - openStarted;
  const editTimes: number[] = [];
  let last = opened;
  const editsStarted = performance.now();
  while (editTimes.length < limits.maxEdits && (editTimes.length < limits.minEdits || performance.now() - editsStarted < limits.budgetMs)) {
    const change = typedCharacter(server, uri, manifest.editLine, editTimes.length);
    const started = performance.now();
    last = await server.change(uri, change);
    editTimes.push(performance.now() - started);
  }
  return { openMs, diagnostics: opened.length, editTimes, peakRssMb: peakRssMb(server.pid), last };
}

/** Line breaks typed at the edit line, each waiting for its diagnostics: the worst case of a keystroke, every later finding moves. */
async function measureLineBreaks(server: BenchedServer, manifest: Manifest, uri: string): Promise<number[]> {
  const times: number[] = [];
  for (let edit = 0; edit < OUR_EDITS; edit++) {
    const change = typedLineBreak(server, uri, manifest.editLine);
    const started = performance.now();
    await server.change(uri, change);
    times.push(performance.now() - started);
  }
  return times;
}

/** Our server as a pushing client (any editor without pull diagnostics) drives it: open and typed characters. */
async function measureOursPushed(manifest: Manifest, uri: string): Promise<ServerFigures> {
  const server = await OurServer.start(false);
  try {
    return await measureServer(server, manifest, uri, { minEdits: OUR_EDITS, maxEdits: OUR_EDITS, budgetMs: 0 });
  } finally {
    await server.shutdown();
  }
}

/** Open → diagnostics in a fresh server (pulling, as VS Code), and nothing else. */
async function measureOpenOnly(manifest: Manifest, uri: string): Promise<number> {
  const server = await OurServer.start(true);
  try {
    const started = performance.now();
    await server.open(uri, manifest.text);
    return performance.now() - started;
  } finally {
    await server.shutdown();
  }
}

/** Our server as VS Code drives it (pull diagnostics): open, typed characters, code actions, then line breaks. */
async function measureOurs(manifest: Manifest, uri: string): Promise<ServerFigures & OurExtras> {
  const server = await OurServer.start(true);
  try {
    const figures = await measureServer(server, manifest, uri, { minEdits: OUR_EDITS, maxEdits: OUR_EDITS, budgetMs: 0 });
    // At the finding closest to the edits: the light bulb as VS Code asks for it (no `only`), and quick fixes alone.
    const target = nearest(
      figures.last.filter((diagnostic) => diagnostic.code !== undefined),
      manifest.editLine,
    );
    const lightBulbTimes: number[] = [];
    const quickFixTimes: number[] = [];
    let offered = 0;
    for (let request = 0; target && request < CODE_ACTION_REQUESTS; request++) {
      let started = performance.now();
      const actions = await server.client.codeActions(uri, target.range, [target]);
      lightBulbTimes.push(performance.now() - started);
      offered = actions.filter(isCodeAction).length;
      started = performance.now();
      await server.client.codeActions(uri, target.range, [target], ['quickfix']);
      quickFixTimes.push(performance.now() - started);
    }
    const lineBreakTimes = await measureLineBreaks(server, manifest, uri);
    return {
      ...figures,
      lineBreakTimes,
      peakRssMb: peakRssMb(server.pid),
      withFindings: documentsWithFindings(manifest.text, figures.last),
      lightBulbMedianMs: median(lightBulbTimes),
      quickFixMedianMs: median(quickFixTimes),
      codeActionsOffered: offered,
    };
  } finally {
    await server.shutdown();
  }
}

async function measureTheirs(manifest: Manifest, uri: string): Promise<ServerFigures> {
  const server = await TheirServer.start();
  try {
    return await measureServer(server, manifest, uri, { minEdits: THEIR_MIN_EDITS, maxEdits: THEIR_MAX_EDITS, budgetMs: THEIR_EDIT_BUDGET_MS });
  } finally {
    await server.shutdown();
  }
}

async function measureSize(size: number, withTheirs: boolean): Promise<SizeResult> {
  const manifest = generateManifest(size, SEED + size);
  const uri = `file:///bench/generated-${size}.yaml`;
  // The whole-file parse floor is taken before, between and after our three opens: the machine's speed drifts, and
  // the ratio should compare work done at the same time.
  const wholeFileParse = () => timeMedian(1, () => parseAllDocuments(manifest.text, YAML_OPTIONS));
  const wholeFileParses = [wholeFileParse()];
  process.stderr.write(`bench: ${size} documents, AKS Policy Live (pull, as VS Code)…\n`);
  const ours = await measureOurs(manifest, uri);
  wholeFileParses.push(wholeFileParse());
  process.stderr.write(`bench: ${size} documents, AKS Policy Live (push)…\n`);
  const oursPushed = await measureOursPushed(manifest, uri);
  wholeFileParses.push(wholeFileParse());
  // A third open (a fresh server that only opens the file), so that open ÷ parse is a median of three on each side.
  const openOnly = await measureOpenOnly(manifest, uri);
  wholeFileParses.push(wholeFileParse());
  let theirs: ServerFigures | undefined;
  let theirError: string | undefined;
  if (withTheirs) {
    process.stderr.write(`bench: ${size} documents, yaml-language-server…\n`);
    try {
      theirs = await measureTheirs(manifest, uri);
    } catch (error) {
      theirError = error instanceof Error ? error.message : String(error);
    }
  }
  // The parse floor of the document the edits typed into, as they left it (the same for both servers).
  let editedText = manifest.text;
  for (let edit = 0; edit < OUR_EDITS; edit++) {
    const column = editedText.split('\n', manifest.editLine + 1)[manifest.editLine].length;
    editedText = applyContentChanges(editedText, [{ range: { start: { line: manifest.editLine, character: column }, end: { line: manifest.editLine, character: column } }, text: 'a' }]);
  }
  const parseFileMs = median(wholeFileParses);
  const editedDocument = documentAround(editedText, manifest.editLine);
  const parseDocumentMs = timeMedian(50, () => parseDocument(editedDocument, YAML_OPTIONS));
  return {
    documents: size,
    lines: manifest.text.split('\n').length,
    bytes: Buffer.byteLength(manifest.text),
    withViolations: manifest.withViolations,
    ours,
    oursPushed,
    opens: [ours.openMs, oursPushed.openMs, openOnly],
    theirs,
    theirError,
    parseFileMs,
    parseDocumentMs,
  };
}

/**
 * The extension's activation cost as far as it is ours: loading dist/extension.js in a fresh Node process, with a
 * stand-in `vscode` module (VS Code itself is not here). The median over fresh processes, so no module is cached.
 */
function measureActivation(): { medianMs: number; runs: number } | { error: string } {
  const folder = mkdtempSync(join(tmpdir(), 'aks-policy-bench-'));
  try {
    const stub = join(folder, 'vscode-stub.js');
    writeFileSync(
      stub,
      [
        '// Every property is a callable, constructible stand-in: enough for module-level code such as `class X extends vscode.Y`.',
        'const standIns = new Map();',
        'const handler = { get: (target, property) => (property === "prototype" ? target.prototype : typeof property === "symbol" || property === "then" ? undefined : standIn(property)) };',
        'function standIn(name) { if (!standIns.has(name)) standIns.set(name, new Proxy(function () {}, handler)); return standIns.get(name); }',
        'module.exports = new Proxy({}, { get: (_, property) => (typeof property === "symbol" || property === "then" || property === "__esModule" ? undefined : standIn(property)) });',
      ].join('\n'),
    );
    const probe = [
      'const Module = require("node:module");',
      'const { performance } = require("node:perf_hooks");',
      'const [stub, extension] = process.argv.slice(1);',
      'const resolveFilename = Module._resolveFilename;',
      'Module._resolveFilename = function (request, ...rest) { return request === "vscode" ? stub : resolveFilename.call(this, request, ...rest); };',
      'const started = performance.now();',
      'require(extension);',
      'process.stdout.write(String(performance.now() - started));',
    ].join('\n');
    const times: number[] = [];
    for (let run = 0; run < ACTIVATION_RUNS; run++) {
      const result = spawnSync(process.execPath, ['-e', probe, stub, resolve(REPOSITORY_ROOT, 'dist', 'extension.js')], { encoding: 'utf8', timeout: 60_000 });
      const ms = Number(result.stdout);
      if (result.status !== 0 || !Number.isFinite(ms)) return { error: (result.stderr || `exit ${result.status}`).split('\n').slice(0, 3).join(' ') };
      times.push(ms);
    }
    return { medianMs: median(times), runs: times.length };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---- Report ----

function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  return `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(ms >= 10 ? 1 : 2)} ms`;
}

function formatMb(mb: number | undefined): string {
  return mb === undefined ? 'n/a' : `${mb.toFixed(0)} MB`;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}

/** Ours over theirs: below 1 means faster (or smaller). */
function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !(theirs > 0) || Number.isNaN(ours)) return 'n/a';
  const value = ours / theirs;
  return value >= 0.1 ? value.toFixed(2) : value >= 0.001 ? value.toFixed(3) : value.toExponential(1);
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function comparisonTable(results: readonly SizeResult[]): string {
  const header = [
    'documents',
    'size',
    'open → diagnostics: ours / yaml-ls (ratio)',
    'edit → diagnostics median: ours / yaml-ls (ratio)',
    'edit → diagnostics p95: ours / yaml-ls (ratio)',
    'peak RSS: ours / yaml-ls (ratio)',
    'parse floor: whole file / edited document',
  ];
  const rows = results.map((r) => {
    const theirs = r.theirs;
    const pair = (ours: number, their: number | undefined) => `${formatMs(ours)} / ${their === undefined ? 'n/a' : formatMs(their)} (${ratio(ours, their)})`;
    return [
      r.documents.toLocaleString('en'),
      formatSize(r.bytes),
      pair(r.ours.openMs, theirs?.openMs),
      pair(median(r.ours.editTimes), theirs && median(theirs.editTimes)),
      pair(percentile(r.ours.editTimes, 0.95), theirs && percentile(theirs.editTimes, 0.95)),
      `${formatMb(r.ours.peakRssMb)} / ${formatMb(theirs?.peakRssMb)} (${ratio(r.ours.peakRssMb, theirs?.peakRssMb)})`,
      `${formatMs(r.parseFileMs)} / ${formatMs(r.parseDocumentMs)}`,
    ];
  });
  return markdownTable(header, rows);
}

function detailTable(results: readonly SizeResult[]): string {
  const header = ['documents', 'lines', 'docs with violations / with findings', 'our diagnostics', 'our edits', 'code actions median: light bulb / quickfix only', 'open ÷ whole-file parse', "yaml-ls edits", 'yaml-ls diagnostics'];
  const rows = results.map((r) => [
    r.documents.toLocaleString('en'),
    r.lines.toLocaleString('en'),
    `${r.withViolations} / ${r.ours.withFindings}`,
    String(r.ours.diagnostics),
    String(r.ours.editTimes.length),
    `${formatMs(r.ours.lightBulbMedianMs)} (${r.ours.codeActionsOffered} actions) / ${formatMs(r.ours.quickFixMedianMs)}`,
    openRatio(r).toFixed(2),
    r.theirs ? String(r.theirs.editTimes.length) : (r.theirError ?? 'not run'),
    r.theirs ? String(r.theirs.diagnostics) : 'n/a',
  ]);
  return markdownTable(header, rows);
}

/** Our server per client kind: pulling (VS Code) or pushing (other editors), and per kind of keystroke. */
/** Our open over the whole-file parse floor: the median of three fresh servers' opens over the median of the parses taken between them. */
function openRatio(r: SizeResult): number {
  return median(r.opens) / r.parseFileMs;
}

function clientTable(results: readonly SizeResult[]): string {
  const header = [
    'documents',
    'pull (VS Code): typed character, median / p95',
    'pull: line break (every later finding moves), median / p95',
    'push: typed character, median / p95',
    'push: open → diagnostics',
  ];
  const spread = (times: readonly number[]) => `${formatMs(median(times))} / ${formatMs(percentile(times, 0.95))}`;
  const rows = results.map((r) => [r.documents.toLocaleString('en'), spread(r.ours.editTimes), spread(r.ours.lineBreakTimes), spread(r.oursPushed.editTimes), formatMs(r.oursPushed.openMs)]);
  return markdownTable(header, rows);
}

interface Target {
  what: string;
  limit: string;
  measured: number | undefined;
  met: boolean | undefined;
  format: (value: number) => string;
}

function targets(results: readonly SizeResult[], activation: ReturnType<typeof measureActivation>): string {
  const at = (documents: number) => results.find((r) => r.documents === documents);
  const list: Target[] = [];
  const add = (what: string, limit: string, measured: number | undefined, bound: number, format: (value: number) => string) =>
    list.push({ what, limit, measured, met: measured === undefined ? undefined : measured <= bound, format });
  // As VS Code drives the server: pulling. The pushed figures (other editors) are in the client table.
  add('edit → diagnostics p95, 1,000 documents (pull, as VS Code)', '≤ 15 ms', at(1000) && percentile(at(1000)!.ours.editTimes, 0.95), 15, formatMs);
  add('edit → diagnostics p95, 5,000 documents (pull, as VS Code)', '≤ 30 ms', at(5000) && percentile(at(5000)!.ours.editTimes, 0.95), 30, formatMs);
  add('open of 5,000 documents ÷ whole-file parse floor', '≤ 1.3', at(5000) && openRatio(at(5000)!), 1.3, (value) => value.toFixed(2));
  add('peak RSS, 5,000 documents', '≤ 400 MB', at(5000)?.ours.peakRssMb, 400, formatMb);
  add('activation (module load)', '≤ 50 ms', 'medianMs' in activation ? activation.medianMs : undefined, 50, formatMs);
  return markdownTable(
    ['target (issue 4)', 'limit', 'measured', 'met'],
    list.map((target) => [target.what, target.limit, target.measured === undefined ? 'not measured' : target.format(target.measured), target.met === undefined ? '–' : target.met ? 'yes' : '**no**']),
  );
}

async function main(): Promise<void> {
  const withTheirs = process.env.BENCH_SKIP_YLS !== '1';
  const started = performance.now();
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await measureSize(size, withTheirs));
  process.stderr.write('bench: activation…\n');
  const activation = measureActivation();
  const ylsVersion = (JSON.parse(readFileSync(resolve(REPOSITORY_ROOT, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')) as { version: string }).version;

  console.log(`## AKS Policy Live beside yaml-language-server ${ylsVersion}\n`);
  console.log(`Node ${process.version}, ${cpus().length} CPUs, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB. Ours: Restricted, Deny. Ratios are ours ÷ theirs (below 1: ours is faster or smaller).\n`);
  console.log(comparisonTable(results));
  console.log('');
  console.log(detailTable(results));
  console.log('');
  console.log(clientTable(results));
  console.log('');
  console.log(`Activation (module load): ${'medianMs' in activation ? `${formatMs(activation.medianMs)}, the median of ${activation.runs} fresh processes loading dist/extension.js with a stand-in \`vscode\` module` : `not measured (${activation.error})`}.\n`);
  console.log(targets(results, activation));
  console.log(
    `\nEdits: single characters typed into a comment of the middle document, each waiting for the diagnostics that follow it ` +
      `(ours: ${OUR_EDITS} edits; pulling as VS Code does, the textDocument/diagnostic report that follows each change, in the first table; pushed, the publish of that version; ` +
      `then ${OUR_EDITS} line breaks at the same place, after which every later finding has moved and the whole report is sent again; yaml-language-server: ${THEIR_MIN_EDITS}–${THEIR_MAX_EDITS} edits within a ${THEIR_EDIT_BUDGET_MS / 1000} s budget, ` +
      `the next publish, which it sends 200 ms after the last change by design). yaml-language-server runs with \`yaml.validate: true\` and ` +
      `\`yaml.schemas: {kubernetes: "*.yaml"}\`, but offline it cannot download its Kubernetes schema: each validation reports "Unable to load schema" ` +
      `and checks YAML syntax only, so it does less work here than for its users. Parse floor: the \`yaml\` package alone, with the server's options, in the benchmark's process; the whole file is parsed before, between and after our three opens (pulling, pushing, open only; the median is shown), and open ÷ parse is the median of those opens over it. ` +
      `Total ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
