import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { catalogResult, loadCatalog, resolvePolicy } from './engine/catalog';
import { fixAll, quickFixes, type CodeActionContext } from './engine/codeActions';
import { toDiagnostics } from './engine/diagnostics';
import type { ResolvedPolicy } from './engine/types';
import { FileAnalyzer, type AnalyzedDocument } from './model/cache';
import { isExcludedFile } from './model/exclude';
import { ActiveConstraintsRequest, CatalogRequest, FixAllKind, type ActiveConstraintsParams, type ActiveConstraintsResult } from './protocol';
import { normalizeSettings, type Settings } from './settings';

/** Wiring only: LSP in, domain calls, LSP out. */
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const catalog = loadCatalog();

interface DocumentSettings {
  settings: Settings;
  policy: ResolvedPolicy;
  /** Problems of the settings and of resolving the policy; each fell back to a default. */
  problems: string[];
}

interface FileState {
  analyzer: FileAnalyzer;
  /** The last analysis and the version it belongs to. */
  analysis?: { version: number; documents: AnalyzedDocument[]; config: DocumentSettings };
}

let pullConfiguration = false;
let pushedSettings: unknown;
let workspaceFolders: string[] = [];
const settingsCache = new Map<string, Promise<DocumentSettings>>();
const files = new Map<string, FileState>();
const reportedProblems = new Set<string>();

connection.onInitialize((params): InitializeResult => {
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
  connection.console.info(`AKS Policy server started; ${catalog.initiatives.length} initiatives loaded.`);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FixAllKind] },
    },
    serverInfo: { name: 'AKS Policy Live' },
  };
});

connection.onInitialized(() => {
  if (pullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'aksPolicy' }).catch(() => undefined);
});

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as { aksPolicy?: unknown } | undefined)?.aksPolicy;
  if (pushed !== undefined) pushedSettings = pushed;
  settingsCache.clear();
  for (const document of documents.all()) schedule(document.uri);
});

function settingsFor(uri: string): Promise<DocumentSettings> {
  let cached = settingsCache.get(uri);
  if (!cached) {
    cached = (async () => {
      const raw = pullConfiguration
        ? await connection.workspace.getConfiguration({ scopeUri: uri, section: 'aksPolicy' }).catch(() => pushedSettings)
        : pushedSettings;
      const { settings, problems } = normalizeSettings(raw ?? pushedSettings ?? {});
      const policy = resolvePolicy(catalog, settings);
      const all = [...problems, ...policy.problems];
      reportProblems(all);
      return { settings, policy, problems: all };
    })();
    settingsCache.set(uri, cached);
  }
  return cached;
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

/** Coalesces bursts of changes: a document is analysed once for its newest version. */
function schedule(uri: string): void {
  if (scheduled.has(uri)) return;
  scheduled.add(uri);
  setImmediate(() => {
    scheduled.delete(uri);
    void validate(uri).catch((error: unknown) => connection.console.error(`AKS Policy: checking ${uri} failed: ${String(error)}`));
  });
}

async function validate(uri: string): Promise<void> {
  const document = documents.get(uri);
  if (!document) return;
  const config = await settingsFor(uri);
  const current = documents.get(uri);
  // A newer version arrived while the settings were fetched: its own run publishes.
  if (!current || current.version !== document.version) return;
  if (isExcludedFile(uri, config.settings.exclude, workspaceFolders)) {
    files.delete(uri);
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: [] });
    return;
  }
  const state = files.get(uri) ?? { analyzer: new FileAnalyzer() };
  files.set(uri, state);
  const analyzed = state.analyzer.analyze(document.getText(), config.policy, evaluationOptions(config.settings));
  state.analysis = { version: document.version, documents: analyzed, config };
  const diagnostics = toDiagnostics(analyzed, (offset) => document.positionAt(offset), document.version);
  void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
}

function evaluationOptions(settings: Settings) {
  return { defaultNamespace: settings.defaultNamespace, allowSuppressions: settings.allowSuppressions };
}

documents.onDidOpen((event) => schedule(event.document.uri));
documents.onDidChangeContent((event) => schedule(event.document.uri));
documents.onDidClose((event) => {
  files.delete(event.document.uri);
  settingsCache.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  await validateIfStale(document);
  const analysis = files.get(document.uri)?.analysis;
  if (!analysis || analysis.version !== document.version) return [];
  const context: CodeActionContext = {
    uri: document.uri,
    text: document.getText(),
    documents: analysis.documents,
    policy: analysis.config.policy,
    options: evaluationOptions(analysis.config.settings),
    positionAt: (offset) => document.positionAt(offset),
  };
  const only = params.context.only;
  const requested = (kind: string) => only?.some((asked) => kind === asked || kind.startsWith(`${asked}.`)) ?? false;
  // The lightbulb asks without `only`: it gets quick fixes. Fix-all checks every fix of the file, so it is built only when asked for.
  const wants = (kind: string) => (only ? requested(kind) : kind === CodeActionKind.QuickFix);
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    actions.push(...quickFixes(context, start, end, params.context.diagnostics));
  }
  if (wants(FixAllKind)) {
    const all = fixAll(context);
    if (all) actions.push(all);
  }
  return actions;
});

async function validateIfStale(document: TextDocument): Promise<void> {
  const analysis = files.get(document.uri)?.analysis;
  if (!analysis || analysis.version !== document.version) await validate(document.uri);
}

connection.onRequest(CatalogRequest, () => catalogResult(catalog));

connection.onRequest(ActiveConstraintsRequest, async (params: ActiveConstraintsParams | undefined): Promise<ActiveConstraintsResult> => {
  const uri = params?.uri ?? documents.all()[0]?.uri ?? workspaceFolders[0] ?? '';
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

documents.listen(connection);
connection.listen();
