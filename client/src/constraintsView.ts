// A read-only document showing what is in force: a virtual document rather than an untitled one, so
// it cannot be edited by mistake and closing it never asks to save.
import * as vscode from 'vscode';

const SCHEME = 'aks-policy';

export class ConstraintsView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === SCHEME) this.contents.delete(document.uri.toString());
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    // Contents live in memory only: after a window reload the tab comes back empty-handed.
    return this.contents.get(uri.toString()) ?? 'Run "AKS Policy: Show Active Constraints" again to see this.\n';
  }

  /** Opens (or refreshes) the view for `target` beside the current editor; `.md` makes it Markdown. */
  async show(markdown: string, target: vscode.Uri | undefined): Promise<void> {
    const name = target ? target.path.slice(target.path.lastIndexOf('/') + 1) : 'workspace';
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/Active constraints (${name}).md`, query: target?.toString() ?? '' });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
  }
}
