import {
  CodeActionKind,
  createConnection,
  DiagnosticRefreshRequest,
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  DidChangeConfigurationNotification,
  MarkupKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catalogResult, loadCatalog, resolvePolicy, type PolicyCatalog } from './engine/catalog';
import type { FileProblem } from './custom/problems';
import { workspaceCatalog } from './custom/workspace';
import { reportOf, suitesOfTemplate, testableTemplateOf, testTemplate } from './custom/templateTests';
import { fixAll, quickFixes, type CodeActionContext } from './engine/codeActions';
import { liveDiagnostics, sameDiagnostics, toDiagnostics } from './engine/diagnostics';
import { explainAt } from './engine/hover';
import type { ResolvedPolicy } from './engine/types';
import { globToRegExp, isExcludedFile } from './model/exclude';
import { analyzeFiles } from './model/cache';
import { lineStartsOf, positionOf } from './model/lines';
import { LiveDocument } from './model/live';
import { findYamlFiles } from './model/workspaceFiles';
import {
  ActiveConstraintsRequest,
  CatalogRequest,
  CheckWorkspaceRequest,
  DiagnosticSource,
  FixAllKind,
  TemplateTestsRequest,
  TestTemplateRequest,
  type CatalogParams,
  type CheckWorkspaceResult,
  type TemplateTestsParams,
  type TemplateTestsResult,
  type TestTemplateParams,
  type TestTemplateResult,
  type ActiveConstraintsParams, type ActiveConstraintsResult } from './protocol';
import { withAssignmentFile } from './assignment';
import { evaluationOptions, normalizeSettings, type Settings } from './settings';

/** Wiring only: LSP in, domain calls, LSP out. */
const connection = createConnection(ProposedFeatures.all);
const catalog = loadCatalog();

interface DocumentSettings {
  settings: Settings;
  /** The built-ins with the custom definitions of the document's workspace folder. */
  catalog: PolicyCatalog;
  policy: ResolvedPolicy;
  /** Problems of the settings and of resolving the policy; each fell back to a default. */
  problems: string[];
}

/** An open file: its documents, kept up to date edit by edit (the text itself lives only in them). */
interface OpenFile {
  uri: string;
  version: number;
  live: LiveDocument;
  /** The settings of the last complete evaluation, for code actions. */
  evaluatedWith?: DocumentSettings;
  evaluatedVersion?: number;
}

let pullConfiguration = false;
/**
 * The client pulls diagnostics (LSP 3.17 textDocument/diagnostic, as VS Code does) and can be asked to pull again:
 * an open file's report then says `unchanged` when its diagnostics are, instead of resending all of them per keystroke.
 */
let pullDiagnostics = false;
/** Restricted mode: custom definitions and initiatives from the workspace are not loaded. */
let workspaceTrusted = true;
let pushedSettings: unknown;
let workspaceFolders: string[] = [];
const settingsCache = new Map<string, Promise<DocumentSettings>>();
/** Custom definitions and initiatives per workspace folder and their paths settings; emptied when a JSON file changes on disk. */
const customCatalogs = new Map<string, CustomCatalog>();

interface CustomCatalog {
  catalog: PolicyCatalog;
  problems: string[];
  /** The problems at their places in the policy files, published as those files' diagnostics. */
  fileProblems: FileProblem[];
  /** The policy files read, and the patterns that find Gatekeeper YAML: a change to such a file reloads. */
  sources: Set<string>;
  constraintFiles: RegExp[];
  folder: string;
}
const files = new Map<string, OpenFile>();
const reportedProblems = new Set<string>();
/** How long one slice of evaluation may run before the server looks at newer messages. */
const SLICE_MS = 8;

connection.onInitialize((params): InitializeResult => {
  workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: unknown } | undefined)?.workspaceTrusted !== false;
  if (!workspaceTrusted) connection.console.info('AKS Policy: the workspace is not trusted: its custom policies and initiatives are not loaded; the built-ins work.');
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined && params.capabilities.workspace?.diagnostics?.refreshSupport === true;
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
  connection.console.info(`AKS Policy server started; ${catalog.initiatives.length} initiatives loaded.`);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FixAllKind] },
      hoverProvider: true,
      ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'aksPolicy', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'AKS Policy Live' },
  };
});

connection.onInitialized(() => {
  if (pullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'aksPolicy' }).catch(() => undefined);
  const folder = workspaceFolders[0];
  if (folder) {
    void settingsFor(folder)
      .then(({ settings }) => (settings.checkWorkspaceOnStartup ? checkWorkspace(true) : undefined))
      .catch((error: unknown) => connection.console.error(`AKS Policy: the workspace check failed: ${String(error)}`));
  }
});

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as { aksPolicy?: unknown } | undefined)?.aksPolicy;
  if (pushed !== undefined) pushedSettings = pushed;
  settingsCache.clear();
  reevaluateOpenFiles();
  recheckWorkspaceSoon();
});

function settingsFor(uri: string): Promise<DocumentSettings> {
  let cached = settingsCache.get(uri);
  if (!cached) {
    cached = (async () => {
      const raw = pullConfiguration
        ? await connection.workspace.getConfiguration({ scopeUri: uri, section: 'aksPolicy' }).catch(() => pushedSettings)
        : pushedSettings;
      const normalized = normalizeSettings(raw ?? pushedSettings ?? {});
      const { settings, problems: assignmentProblems } = withAssignmentFile(normalized.settings, folderPathOf(uri));
      const custom = customCatalogFor(folderPathOf(uri), settings);
      const policy = resolvePolicy(custom.catalog, settings);
      const all = [...normalized.problems, ...assignmentProblems, ...custom.problems, ...policy.problems];
      reportProblems(all);
      return { settings, catalog: custom.catalog, policy, problems: all };
    })();
    settingsCache.set(uri, cached);
  }
  return cached;
}

function customCatalogFor(folder: string | undefined, settings: Settings): { catalog: PolicyCatalog; problems: string[] } {
  // A workspace the user has not trusted gets the built-ins only: its own policies run its own Rego.
  if (folder === undefined || !workspaceTrusted) return { catalog, problems: [] };
  const key = JSON.stringify([folder, settings.customPolicyPaths, settings.templateEngine, settings.constraintTemplatePaths, settings.initiativePaths]);
  let custom = customCatalogs.get(key);
  if (!custom) {
    const loaded = workspaceCatalog(catalog, [folder], settings);
    custom = {
      catalog: loaded.catalog,
      problems: loaded.problems,
      fileProblems: loaded.fileProblems,
      sources: new Set(loaded.sources),
      constraintFiles: settings.constraintTemplatePaths.map(globToRegExp),
      folder,
    };
    customCatalogs.set(key, custom);
    publishPolicyFileProblems();
  }
  return custom;
}

/** Diagnostics that are not the file's verdict: problems of policy files, failed cases of suites. Merged into each publish. */
const policyFileDiagnostics = new Map<string, Diagnostic[]>();
const suiteDiagnostics = new Map<string, Diagnostic[]>();
/** The verdict last published per file, to publish again when the merged diagnostics change. */
const publishedVerdicts = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();

/** A file's verdict with its extra diagnostics; the verdict's own list when there are none (no copy per keystroke). */
function withExtraDiagnostics(uri: string, verdict: Diagnostic[]): Diagnostic[] {
  const extras = [...(policyFileDiagnostics.get(uri) ?? []), ...(suiteDiagnostics.get(uri) ?? [])];
  return extras.length === 0 ? verdict : [...verdict, ...extras];
}

function sendMerged(uri: string, verdict: { version?: number; diagnostics: Diagnostic[] }): void {
  if (verdict.diagnostics.length === 0 && verdict.version === undefined) publishedVerdicts.delete(uri);
  else publishedVerdicts.set(uri, verdict);
  // An open file's extra diagnostics reach a pulling client with its next report.
  if (pullDiagnostics && files.has(uri)) {
    refreshPulledDiagnostics();
    return;
  }
  const diagnostics = withExtraDiagnostics(uri, verdict.diagnostics);
  void connection.sendDiagnostics(verdict.version === undefined ? { uri, diagnostics } : { uri, version: verdict.version, diagnostics });
}

/** Publishes again every file whose extra diagnostics changed from `before` to `after`. */
function republishChanged(before: Map<string, Diagnostic[]>, after: Map<string, Diagnostic[]>, target: Map<string, Diagnostic[]>): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((uri) => JSON.stringify(before.get(uri)) !== JSON.stringify(after.get(uri)));
  target.clear();
  for (const [uri, diagnostics] of after) target.set(uri, diagnostics);
  for (const uri of changed) sendMerged(uri, publishedVerdicts.get(uri) ?? { diagnostics: [] });
}

/** The problems of every loaded custom catalog as diagnostics of their files; files fixed since are cleared. */
function publishPolicyFileProblems(): void {
  const after = new Map<string, Diagnostic[]>();
  for (const custom of customCatalogs.values()) {
    for (const problem of custom.fileProblems) {
      const uri = pathToFileURL(problem.file).toString();
      const diagnostics = after.get(uri) ?? [];
      if (diagnostics.some((known) => known.message === problem.message && known.range.start.line === problem.range.start.line)) continue;
      const severity = problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
      diagnostics.push({ range: problem.range, severity, source: DiagnosticSource, message: problem.message });
      after.set(uri, diagnostics);
    }
  }
  republishChanged(new Map(policyFileDiagnostics), after, policyFileDiagnostics);
}

/** Reads the workspace's policy files again, re-evaluates the open files, and publishes the policy files' problems. */
function reloadCustomPolicies(): void {
  customCatalogs.clear();
  settingsCache.clear();
  reevaluateOpenFiles();
  recheckWorkspaceSoon();
  // Without an open file nothing would read them again: the first folder's settings do, and publish their problems.
  const folder = workspaceFolders[0];
  if (folder) void settingsFor(folder).catch((error: unknown) => connection.console.error(`AKS Policy: reading the custom policies failed: ${String(error)}`));
}

/** Whether a changed file may be a policy file of a loaded catalog, or become one. */
function isPolicyFile(uri: string): boolean {
  if (!uri.startsWith('file:')) return false;
  const path = fileURLToPath(uri);
  return [...customCatalogs.values()].some((custom) => {
    if (custom.sources.has(path)) return true;
    const relativePath = path.startsWith(`${custom.folder}/`) ? path.slice(custom.folder.length + 1) : undefined;
    return relativePath !== undefined && custom.constraintFiles.some((pattern) => pattern.test(relativePath));
  });
}

/** The file system path of the workspace folder holding `uri` (the first folder otherwise). */
function folderPathOf(uri: string): string | undefined {
  const folder = workspaceFolders.find((candidate) => uri.startsWith(candidate.endsWith('/') ? candidate : `${candidate}/`)) ?? workspaceFolders[0];
  return folder?.startsWith('file:') ? fileURLToPath(folder) : undefined;
}

/** Each distinct settings problem is shown once; the setting already fell back to its default. */
function reportProblems(problems: readonly string[]): void {
  for (const problem of problems) {
    if (reportedProblems.has(problem)) continue;
    reportedProblems.add(problem);
    connection.console.warn(problem);
    void connection.window.showWarningMessage(`AKS Policy: ${problem}`);
  }
}

const scheduled = new Set<string>();

/**
 * Coalesces bursts of changes: a file is evaluated once for its newest version and published. A pulling client asks
 * for an opened or edited file by itself, so nothing is scheduled for it.
 */
function schedule(uri: string): void {
  if (pullDiagnostics || scheduled.has(uri)) return;
  scheduled.add(uri);
  setImmediate(() => {
    scheduled.delete(uri);
    void validate(uri).catch((error: unknown) => connection.console.error(`AKS Policy: checking ${uri} failed: ${String(error)}`));
  });
}

/** Evaluates the file's current version and publishes it (push mode). */
async function validate(uri: string): Promise<void> {
  const report = await diagnose(uri);
  if (report) sendMerged(uri, report);
}

/**
 * The verdict diagnostics of the open file's current version. The documents an edit left pending are evaluated in
 * slices; a newer version arriving in between abandons this run (undefined: the newer one's run reports), so
 * diagnostics of an old version never follow a newer one's.
 */
async function diagnose(uri: string): Promise<{ version: number; diagnostics: Diagnostic[] } | undefined> {
  const file = files.get(uri);
  if (!file) return undefined;
  const version = file.version;
  const config = await settingsFor(uri);
  if (files.get(uri) !== file || file.version !== version) return undefined;
  if (isExcludedFile(uri, config.settings.exclude, workspaceFolders)) return { version, diagnostics: [] };
  const limit = config.settings.maxFileSize * 1024 * 1024;
  if (file.live.length > limit) {
    const message = `AKS Policy: this file is larger than ${config.settings.maxFileSize} MB (aksPolicy.maxFileSize), so it is not checked.`;
    return { version, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: DiagnosticSource, message }] };
  }
  const options = evaluationOptions(config.settings);
  for (;;) {
    const deadline = performance.now() + SLICE_MS;
    if (file.live.evaluatePending(config.policy, options, () => performance.now() > deadline)) break;
    await new Promise((resolve) => setImmediate(resolve));
    if (files.get(uri) !== file || file.version !== version) return undefined;
  }
  file.evaluatedWith = config;
  file.evaluatedVersion = version;
  return { version, diagnostics: liveDiagnostics(file.live.liveChunks()) };
}

/** Settings or policies changed: every open file is judged again (a pulling client is asked to pull again). */
function reevaluateOpenFiles(): void {
  if (pullDiagnostics) refreshPulledDiagnostics();
  else for (const uri of files.keys()) schedule(uri);
}

let refreshRequested = false;

/** Asks a pulling client to pull the open files again (settings, policies or extra diagnostics changed); once per burst. */
function refreshPulledDiagnostics(): void {
  if (refreshRequested) return;
  refreshRequested = true;
  setImmediate(() => {
    refreshRequested = false;
    // Sent as a plain request: its answer (or a client's refusal) needs no handling beyond not crashing.
    connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
  });
}

/** The last full report per open file: a pull whose diagnostics are the same objects again is answered `unchanged`. */
const pulledReports = new Map<string, { resultId: string; items: Diagnostic[] }>();
let reportCount = 0;

connection.languages.diagnostics.on(async ({ textDocument: { uri }, previousResultId }) => {
  let report = await diagnose(uri);
  // Typing went on while this version was evaluated: the newest version is the one to report.
  while (!report && files.has(uri)) report = await diagnose(uri);
  if (!report) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const items = withExtraDiagnostics(uri, report.diagnostics);
  const last = pulledReports.get(uri);
  if (last && last.resultId === previousResultId && sameDiagnostics(last.items, items)) {
    return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
  }
  const resultId = String(++reportCount);
  pulledReports.set(uri, { resultId, items });
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
});

connection.onDidOpenTextDocument(({ textDocument }) => {
  files.set(textDocument.uri, { uri: textDocument.uri, version: textDocument.version, live: new LiveDocument(textDocument.text) });
  // A pulling client shows pulled and pushed diagnostics side by side: what the workspace check pushed for this file goes.
  if (pullDiagnostics) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  schedule(textDocument.uri);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const file = files.get(textDocument.uri);
  if (!file) return;
  // Each change's range is in the text the previous changes left, as LSP orders them.
  for (const change of contentChanges) file.live.applyChange(change);
  file.version = textDocument.version;
  schedule(textDocument.uri);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  files.delete(textDocument.uri);
  settingsCache.delete(textDocument.uri);
  pulledReports.delete(textDocument.uri);
  sendMerged(textDocument.uri, { diagnostics: [] });
  // A file the workspace check covers goes back to its verdict from disk.
  recheckWorkspaceSoon();
});

/** Files whose diagnostics come from the workspace check (read from disk, not open). */
const checkedOnDisk = new Set<string>();
let workspaceChecked = false;
let recheckTimer: NodeJS.Timeout | undefined;

connection.onRequest(CheckWorkspaceRequest, () => checkWorkspace(true));

/**
 * Checks every YAML file of the workspace folders that is not open, as one apply per folder (templates
 * that compare objects see every file, as the CLI does), and publishes each file's diagnostics.
 */
async function checkWorkspace(showProgress: boolean): Promise<CheckWorkspaceResult> {
  workspaceChecked = true;
  const result: CheckWorkspaceResult = { files: 0, filesWithFindings: 0, findings: 0, skipped: 0 };
  const progress = showProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
  progress?.begin('AKS Policy: checking the workspace', 0, 'finding YAML files', false);
  const checkedNow = new Set<string>();
  const count = (findings: number) => {
    if (findings > 0) {
      result.filesWithFindings++;
      result.findings += findings;
    }
  };
  for (const folder of workspaceFolders.filter((candidate) => candidate.startsWith('file:'))) {
    const { settings, policy } = await settingsFor(folder);
    const paths = findYamlFiles(fileURLToPath(folder), settings.exclude);
    result.files += paths.length;
    const onDisk: { uri: string; text: string }[] = [];
    for (const [index, path] of paths.entries()) {
      const uri = pathToFileURL(path).toString();
      const open = files.get(uri);
      if (open) count(open.live.documents().reduce((sum, document) => sum + document.verdict.findings.length, 0));
      else {
        const text = readIfSmall(path, settings.maxFileSize);
        if (text === undefined) result.skipped++;
        else onDisk.push({ uri, text });
      }
      if (index % 50 === 0) {
        progress?.report(Math.round((100 * index) / paths.length), `${index}/${paths.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const analyzed = analyzeFiles(onDisk.map((file) => file.text), policy, evaluationOptions(settings));
    onDisk.forEach(({ uri, text }, index) => {
      const documents = analyzed[index] ?? [];
      const lineStarts = lineStartsOf(text);
      sendMerged(uri, { diagnostics: toDiagnostics(documents, (offset) => positionOf(lineStarts, offset)) });
      count(documents.reduce((sum, document) => sum + document.verdict.findings.length, 0));
      checkedNow.add(uri);
    });
  }
  // Files the last check published that are gone, excluded or open now.
  for (const uri of checkedOnDisk) if (!checkedNow.has(uri) && !files.has(uri)) sendMerged(uri, { diagnostics: [] });
  checkedOnDisk.clear();
  for (const uri of checkedNow) checkedOnDisk.add(uri);
  progress?.done();
  connection.console.info(`AKS Policy: workspace checked: ${result.findings} findings in ${result.filesWithFindings} of ${result.files} YAML files.`);
  return result;
}

function readIfSmall(path: string, maxMegabytes: number): string | undefined {
  try {
    return statSync(path).size > maxMegabytes * 1024 * 1024 ? undefined : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** After the workspace was checked once, changes on disk re-run it; a burst (a git checkout) runs it once. */
function recheckWorkspaceSoon(): void {
  if (!workspaceChecked) return;
  clearTimeout(recheckTimer);
  recheckTimer = setTimeout(() => void checkWorkspace(false).catch((error: unknown) => connection.console.error(`AKS Policy: the workspace check failed: ${String(error)}`)), 300);
}

/** Files changed on disk stay in step with the workspace check; open files follow the editor instead. */
connection.onDidChangeWatchedFiles(({ changes }) => {
  if (changes.some((change) => !files.has(change.uri) && /\.ya?ml$/i.test(change.uri))) recheckWorkspaceSoon();
  // A JSON file may be a custom definition or initiative (or stop being one), a YAML file a template or constraint: read them again.
  if (changes.some((change) => /\.json$/i.test(change.uri) || isPolicyFile(change.uri))) reloadCustomPolicies();
});

/** The open file evaluated at its current version, with the settings used; undefined when it is gone or not checked. */
async function evaluatedFile(uri: string): Promise<(OpenFile & { evaluatedWith: DocumentSettings }) | undefined> {
  const file = files.get(uri);
  if (!file) return undefined;
  if (file.evaluatedVersion !== file.version) await diagnose(uri);
  const config = file.evaluatedWith;
  return config && file.evaluatedVersion === file.version ? { ...file, evaluatedWith: config } : undefined;
}

connection.onHover(async (params) => {
  const file = await evaluatedFile(params.textDocument.uri);
  if (!file) return null;
  const offset = file.live.offsetAt(params.position);
  const markdown = explainAt(file.live.documents(), offset, file.evaluatedWith.policy, evaluationOptions(file.evaluatedWith.settings));
  return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown } } : null;
});

connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  const file = await evaluatedFile(params.textDocument.uri);
  if (!file) return [];
  const { live, evaluatedWith: config } = file;
  const context: CodeActionContext = {
    uri: file.uri,
    documents: live.documents(),
    policy: config.policy,
    options: evaluationOptions(config.settings),
    positionAt: (offset) => live.positionAt(offset),
  };
  const only = params.context.only;
  const requested = (kind: string) => only?.some((asked) => kind === asked || kind.startsWith(`${asked}.`)) ?? false;
  // The lightbulb asks without `only`: it gets quick fixes. Fix-all checks every fix of the file, so it is built only when asked for.
  const wants = (kind: string) => (only ? requested(kind) : kind === CodeActionKind.QuickFix);
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const start = live.offsetAt(params.range.start);
    const end = live.offsetAt(params.range.end);
    actions.push(...quickFixes(context, start, end, params.context.diagnostics));
  }
  if (wants(FixAllKind)) {
    const all = fixAll(context);
    if (all) actions.push(all);
  }
  return actions;
});

// The initiatives of the document's workspace folder (of the first folder without one) beside the built-ins.
connection.onRequest(CatalogRequest, async (params: CatalogParams | undefined) => {
  const scope = params?.uri ?? workspaceFolders[0];
  return catalogResult(scope ? (await settingsFor(scope)).catalog : catalog);
});

connection.onRequest(ActiveConstraintsRequest, async (params: ActiveConstraintsParams | undefined): Promise<ActiveConstraintsResult> => {
  const uri = params?.uri ?? files.keys().next().value ?? workspaceFolders[0] ?? '';
  const { policy, problems } = await settingsFor(uri);
  return {
    initiative: { id: policy.initiative.id, displayName: policy.initiative.displayName, version: policy.initiative.version },
    effect: policy.effect,
    problems,
    constraints: policy.constraints.map((constraint) => ({
      referenceId: constraint.referenceId,
      displayName: constraint.displayName,
      template: constraint.template.name,
      kind: constraint.template.kind,
      effect: constraint.effect,
      parameters: constraint.parameters,
      match: {
        kinds: constraint.match.kinds.flatMap((entry) => entry.kinds),
        namespaces: constraint.match.namespaces,
        excludedNamespaces: constraint.match.excludedNamespaces,
        labelSelector: constraint.match.labelSelector,
      },
    })),
  };
});

/** The text of a file: the editor's for an open one, else the disk's (JSON definitions are not synchronised). */
function textOf(uri: string): string | undefined {
  const open = files.get(uri);
  if (open) return open.live.getText();
  try {
    return uri.startsWith('file:') ? readFileSync(fileURLToPath(uri), 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

// The code lens of "Test This Template": only in a trusted workspace, where the template's Rego may run.
connection.onRequest(TemplateTestsRequest, (params: TemplateTestsParams): TemplateTestsResult => {
  const folder = folderPathOf(params.uri);
  if (!workspaceTrusted || folder === undefined || !params.uri.startsWith('file:')) return null;
  const testable = testableTemplateOf(fileURLToPath(params.uri), params.text, folder);
  if (!testable) return null;
  const suites = suitesOfTemplate(testable.templatePath, folder);
  return suites.length === 0 ? null : { line: testable.line, suites: suites.map((suite) => pathToFileURL(suite.path).toString()) };
});

connection.onRequest(TestTemplateRequest, async (params: TestTemplateParams): Promise<TestTemplateResult> => {
  const result: TestTemplateResult = { suites: [], cases: [], passed: 0, failed: 0, skipped: 0 };
  const folder = folderPathOf(params.uri);
  const text = textOf(params.uri);
  if (!workspaceTrusted) return { ...result, problem: 'the workspace is not trusted, so its templates are not run' };
  const testable = folder === undefined || text === undefined ? undefined : testableTemplateOf(fileURLToPath(params.uri), text, folder);
  if (!testable || folder === undefined) return { ...result, problem: 'this file is no ConstraintTemplate, nor a definition whose templateInfo.url names one in the workspace' };
  const run = testTemplate(testable.templatePath, folder, (await settingsFor(params.uri)).settings.templateEngine);
  const report = reportOf(run, testable.templatePath, (path) => pathToFileURL(path).toString());
  const failures = new Map<string, Diagnostic[]>();
  for (const [suite, failed] of report.failures) {
    failures.set(
      suite,
      failed.map(({ line, message }) => ({ range: { start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } }, severity: DiagnosticSeverity.Error, source: DiagnosticSource, message })),
    );
  }
  // The suites just run get their failures; a suite that passes now is cleared.
  const after = new Map([...suiteDiagnostics].filter(([uri]) => !failures.has(uri)));
  for (const [uri, diagnostics] of failures) if (diagnostics.length > 0) after.set(uri, diagnostics);
  republishChanged(new Map(suiteDiagnostics), after, suiteDiagnostics);
  return report.result;
});

connection.listen();
