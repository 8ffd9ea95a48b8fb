/**
 * Benchmark of the language server as an editor sees it: the real dist/server.js over stdio, driven by the
 * protocol tests' client, on generated multi-document manifests under Restricted + Deny.
 * Run with `npm run bench` (builds first) or `node --import tsx scripts/bench.ts`. Reports numbers; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parseDocument } from 'yaml';
import type { Diagnostic } from 'vscode-languageserver';
import { isCodeAction, LspClient } from '../test/protocol/lspClient';

const SIZES = [100, 1000];
/** 5000 documents are measured only when the 1000-document run suggests they finish within this budget. */
const LARGE_SIZE = 5000;
const LARGE_BUDGET_MS = 60_000;
const EDITS = 25;
const CODE_ACTION_REQUESTS = 10;
const SEED = 0x5eed_a15;
/** Parsed as the server parses: YAML 1.1 scalars, merge keys, source tokens for fixes. */
const YAML_OPTIONS = { version: '1.1', merge: true, keepSourceTokens: true, uniqueKeys: true, prettyErrors: false } as const;

// ---- Deterministic manifests ----

/** mulberry32: small, fast, and the same sequence on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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

// ---- Measurement ----

interface Result {
  documents: number;
  lines: number;
  bytes: number;
  withViolations: number;
  /** Documents the server reported on: matches withViolations when the generator's clean documents are clean. */
  withFindings: number;
  diagnostics: number;
  openMs: number;
  edits: number;
  editMedianMs: number;
  editP95Ms: number;
  /** A code action request without `only`, as VS Code sends for the light bulb: quick fixes and fix-all. */
  lightBulbMedianMs: number;
  /** The same request with `only: ['quickfix']`. */
  quickFixMedianMs: number;
  codeActionsOffered: number;
  peakRssMb: number | undefined;
  parseFileMs: number;
  parseDocumentMs: number;
  totalMs: number;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

const median = (values: readonly number[]) => percentile(values, 0.5);

function timeMedian(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The server's peak resident set (VmHWM), where /proc exists. */
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
  return new Set(diagnostics.map((diagnostic) => documentOf(diagnostic.range.start.line))).size;
}

function nearest(diagnostics: readonly Diagnostic[], line: number): Diagnostic | undefined {
  return [...diagnostics].sort((a, b) => Math.abs(a.range.start.line - line) - Math.abs(b.range.start.line - line))[0];
}

async function measure(size: number): Promise<Result> {
  const started = performance.now();
  const manifest = generateManifest(size, SEED + size);
  const { text, editLine } = manifest;
  const uri = `file:///bench/generated-${size}.yaml`;
  const timeoutMs = 120_000;
  const client = await LspClient.start({ settings: { initiative: 'restricted', effect: 'deny' }, timeoutMs });
  try {
    const openStarted = performance.now();
    const opened = await client.open(uri, text, { timeoutMs });
    const openMs = performance.now() - openStarted;

    // Single characters typed at the end of a comment in the middle document, one publish awaited per version.
    const editTimes: number[] = [];
    let last = opened;
    for (let edit = 0; edit < EDITS; edit++) {
      const column = client.textOf(uri).split('\n', editLine + 1)[editLine].length;
      const since = client.mark();
      const editStarted = performance.now();
      const version = client.change(uri, [{ range: { start: { line: editLine, character: column }, end: { line: editLine, character: column } }, text: String.fromCharCode(97 + (edit % 26)) }]);
      last = await client.waitForDiagnostics(uri, { version, since, timeoutMs });
      editTimes.push(performance.now() - editStarted);
    }

    // At the finding closest to the edits: the light bulb as VS Code asks for it (no `only`), and quick fixes alone.
    const target = nearest(last.diagnostics, editLine);
    const lightBulbTimes: number[] = [];
    const quickFixTimes: number[] = [];
    let offered = 0;
    if (target) {
      for (let request = 0; request < CODE_ACTION_REQUESTS; request++) {
        let requestStarted = performance.now();
        const actions = await client.codeActions(uri, target.range, [target]);
        lightBulbTimes.push(performance.now() - requestStarted);
        offered = actions.filter(isCodeAction).length;
        requestStarted = performance.now();
        await client.codeActions(uri, target.range, [target], ['quickfix']);
        quickFixTimes.push(performance.now() - requestStarted);
      }
    }
    const rss = peakRssMb(client.pid);

    const editedText = client.textOf(uri);
    const parseFileMs = timeMedian(size >= LARGE_SIZE ? 1 : 3, () => parseAllDocuments(editedText, YAML_OPTIONS));
    const editedDocument = documentAround(editedText, editLine);
    const parseDocumentMs = timeMedian(50, () => parseDocument(editedDocument, YAML_OPTIONS));

    return {
      documents: size,
      lines: text.split('\n').length,
      bytes: Buffer.byteLength(text),
      withViolations: manifest.withViolations,
      withFindings: documentsWithFindings(text, opened.diagnostics),
      diagnostics: opened.diagnostics.length,
      openMs,
      edits: EDITS,
      editMedianMs: median(editTimes),
      editP95Ms: percentile(editTimes, 0.95),
      lightBulbMedianMs: lightBulbTimes.length > 0 ? median(lightBulbTimes) : Number.NaN,
      quickFixMedianMs: quickFixTimes.length > 0 ? median(quickFixTimes) : Number.NaN,
      codeActionsOffered: offered,
      peakRssMb: rss,
      parseFileMs,
      parseDocumentMs,
      totalMs: performance.now() - started,
    };
  } finally {
    await client.shutdown();
  }
}

function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return 'n/a';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(ms >= 10 ? 1 : 2);
}

function table(results: readonly Result[]): string {
  const header = [
    'documents',
    'lines',
    'size',
    'docs with violations / with findings',
    'diagnostics',
    'open → diagnostics (ms)',
    `edit → diagnostics median / p95 (ms, ${EDITS} edits)`,
    `code actions median (ms, ${CODE_ACTION_REQUESTS} requests): all kinds / quickfix only`,
    'server peak RSS (MB)',
    'parse floor: whole file (ms)',
    'parse floor: edited document (ms)',
  ];
  const rows = results.map((r) => [
    String(r.documents),
    String(r.lines),
    `${(r.bytes / 1024).toFixed(0)} KiB`,
    `${r.withViolations} / ${r.withFindings}`,
    String(r.diagnostics),
    formatMs(r.openMs),
    `${formatMs(r.editMedianMs)} / ${formatMs(r.editP95Ms)}`,
    `${formatMs(r.lightBulbMedianMs)} (${r.codeActionsOffered} actions) / ${formatMs(r.quickFixMedianMs)}`,
    r.peakRssMb === undefined ? 'n/a' : r.peakRssMb.toFixed(0),
    formatMs(r.parseFileMs),
    formatMs(r.parseDocumentMs),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const size of SIZES) {
    process.stderr.write(`bench: ${size} documents…\n`);
    results.push(await measure(size));
  }
  const largest = results[results.length - 1];
  // Work grows about linearly with the documents; the estimate decides whether the large size fits the budget.
  const estimate = (largest.totalMs * LARGE_SIZE) / largest.documents;
  let skipped = '';
  if (estimate < LARGE_BUDGET_MS) {
    process.stderr.write(`bench: ${LARGE_SIZE} documents…\n`);
    results.push(await measure(LARGE_SIZE));
  } else {
    skipped = `\n${LARGE_SIZE} documents skipped: estimated ${(estimate / 1000).toFixed(0)} s, over the ${LARGE_BUDGET_MS / 1000} s budget.`;
  }
  console.log(`## AKS Policy Live server benchmark (Restricted, Deny; node ${process.version})\n`);
  console.log(table(results));
  console.log(
    `\nEdits: single characters typed into a comment of the middle document, each waiting for that version's publish. ` +
      `Parse floor: the \`yaml\` package alone, with the server's options.${skipped}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
