// Entry point: starts the bundled language server and the client-side pieces around it.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ActiveConstraintsRequest,
  CatalogRequest,
  CheckWorkspaceRequest,
  TemplateTestsRequest,
  TestTemplateRequest,
  type ActiveConstraintsParams,
  type ActiveConstraintsResult,
  type CatalogParams,
  type CatalogResult,
  type CheckWorkspaceResult,
  type TemplateTestsParams,
  type TemplateTestsResult,
  type TestTemplateParams,
  type TestTemplateResult,
} from '../../server/src/protocol';
import { registerCommands, type PolicyServer } from './commands';
import { SECTION, activeDocumentUri, readSettings } from './config';
import { ConstraintsView } from './constraintsView';
import { PolicyStatusBar } from './statusBar';
import { TEMPLATE_LENS_SELECTOR, TemplateTestLens } from './templateTestLens';

/** What `activate` returns, for tests and other extensions. */
export interface AksPolicyApi {
  /** `aksPolicy.initiative` for the active document. */
  activeInitiative(): string;
  /** `aksPolicy.effect` for the active document, lower case. */
  activeEffect(): string;
  statusText(): string;
  client: LanguageClient;
  /** Settles when the server has started (rejects when it could not). */
  ready: Promise<void>;
}

function createClient(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const module = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // Pushes aksPolicy.* to the server on every change, so settings apply without a reload.
    // In Restricted Mode the server loads no custom policies from the workspace (they run its Rego).
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    synchronize: {
      configurationSection: SECTION,
      // Keeps the workspace check's verdicts in step with files changed outside the editor.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}'),
    },
    outputChannel: log,
  };
  // The id 'aksPolicy' makes the library honour the `aksPolicy.trace.server` setting.
  return new LanguageClient('aksPolicy', 'AKS Policy', serverOptions, clientOptions);
}

/** Owns what the extension starts: the language client, the status bar and the commands. */
class AksPolicyContext implements PolicyServer {
  readonly client: LanguageClient;
  readonly ready: Promise<void>;
  readonly statusBar: PolicyStatusBar;
  private readonly disposables: vscode.Disposable[];

  constructor(extension: vscode.ExtensionContext) {
    const log = vscode.window.createOutputChannel('AKS Policy', { log: true });
    this.client = createClient(extension, log);
    this.ready = this.client.start();
    // The library already reports a failed start to the user; the log keeps the reason.
    this.ready.catch((error: unknown) => log.error(`The server did not start: ${error instanceof Error ? error.message : String(error)}`));
    const view = new ConstraintsView();
    this.statusBar = new PolicyStatusBar(this);
    // Once the user trusts the workspace, a restart lets the server load its custom policies.
    const trust = vscode.workspace.onDidGrantWorkspaceTrust(() => void this.client.restart().catch((error: unknown) => log.error(`Restarting after trust was granted failed: ${String(error)}`)));
    const lens = vscode.languages.registerCodeLensProvider(TEMPLATE_LENS_SELECTOR, new TemplateTestLens(this));
    this.disposables = [log, view, this.statusBar, trust, lens, ...registerCommands(this, view, log)];
  }

  /** Waits for the server; a failed start becomes one plain message instead of the library's. */
  private async running(): Promise<void> {
    try {
      await this.ready;
    } catch {
      throw new Error('the language server is not running; the "AKS Policy" output says why.');
    }
  }

  /** The built-in initiatives and those of the active document's workspace folder. */
  async catalog(): Promise<CatalogResult> {
    await this.running();
    const uri = activeDocumentUri();
    const params: CatalogParams = uri ? { uri: this.client.code2ProtocolConverter.asUri(uri) } : {};
    return this.client.sendRequest<CatalogResult>(CatalogRequest, params);
  }

  async checkWorkspace(): Promise<CheckWorkspaceResult> {
    await this.running();
    return this.client.sendRequest<CheckWorkspaceResult>(CheckWorkspaceRequest);
  }

  async activeConstraints(uri: vscode.Uri | undefined): Promise<ActiveConstraintsResult> {
    await this.running();
    const params: ActiveConstraintsParams = uri ? { uri: this.client.code2ProtocolConverter.asUri(uri) } : {};
    return this.client.sendRequest<ActiveConstraintsResult>(ActiveConstraintsRequest, params);
  }

  async testTemplate(uri: vscode.Uri): Promise<TestTemplateResult> {
    await this.running();
    const params: TestTemplateParams = { uri: this.client.code2ProtocolConverter.asUri(uri) };
    return this.client.sendRequest<TestTemplateResult>(TestTemplateRequest, params);
  }

  /** Whether a file is a template with a gator suite; a server that is not running yet answers no lens. */
  async templateTests(uri: vscode.Uri, text: string): Promise<TemplateTestsResult> {
    if (!this.client.isRunning()) return null;
    const params: TemplateTestsParams = { uri: this.client.code2ProtocolConverter.asUri(uri), text };
    return this.client.sendRequest<TemplateTestsResult>(TemplateTestsRequest, params);
  }

  async dispose(): Promise<void> {
    for (const disposable of this.disposables) disposable.dispose();
    // A client still starting (or one whose server failed to start) cannot be stopped: the library throws.
    if (this.client.isRunning()) await this.client.dispose();
  }
}

let current: AksPolicyContext | undefined;

export function activate(extension: vscode.ExtensionContext): AksPolicyApi {
  const context = new AksPolicyContext(extension);
  current = context;
  return {
    activeInitiative: () => readSettings(activeDocumentUri()).initiative,
    activeEffect: () => readSettings(activeDocumentUri()).effect,
    statusText: () => context.statusBar.text,
    client: context.client,
    ready: context.ready,
  };
}

/** Stops the server; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  await current?.dispose();
  current = undefined;
}
