// `$(shield) AKS: Baseline · Audit` on the right while a YAML editor is active; a click selects the
// initiative. Settings are per resource, so it follows the active editor as well as setting changes.
import * as vscode from 'vscode';
import type { CatalogResult } from '../../server/src/protocol';
import { capitalize, findInitiative, shortInitiativeName } from './catalog';
import { SELECT_INITIATIVE, type PolicyServer } from './commands';
import { SECTION, memberEffect, readSettings } from './config';
import { renderInitiativeTooltip } from './render';

export class PolicyStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('aksPolicy.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  /** Bumped by each refresh, so an older one that finishes late does not overwrite a newer one. */
  private generation = 0;

  constructor(private readonly server: PolicyServer) {
    this.item.name = 'AKS Policy';
    this.item.command = SELECT_INITIATIVE;
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) void this.refresh();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      // Changing a document's language reopens it.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (document === vscode.window.activeTextEditor?.document) void this.refresh();
      }),
    ];
    void this.refresh();
  }

  get text(): string {
    return this.item.text;
  }

  /** Shows what the settings say at once, then the catalog's names and tooltip when the server answers. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId !== 'yaml') {
      this.item.hide();
      return;
    }
    const settings = readSettings(document.uri);
    const effect = capitalize(settings.effect);
    this.item.text = `$(shield) AKS: ${shortInitiativeName(settings.initiative, undefined)} · ${effect}`;
    this.item.tooltip = 'AKS Policy: asking the server about the initiative…';
    this.item.backgroundColor = undefined;
    this.item.show();

    let catalog: CatalogResult;
    try {
      catalog = await this.server.catalog();
    } catch (error) {
      if (generation !== this.generation) return;
      this.item.tooltip = `The AKS Policy server is not available: ${error instanceof Error ? error.message : String(error)}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    if (generation !== this.generation) return;
    const initiative = findInitiative(catalog.initiatives, settings.initiative);
    if (!initiative) {
      this.item.tooltip = `AKS Policy: unknown initiative '${settings.initiative}'. Click to choose one.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    this.item.text = `$(shield) AKS: ${shortInitiativeName(settings.initiative, initiative)} · ${effect}`;
    const members = initiative.members.map((member) => ({ ...member, effect: memberEffect(settings, member.referenceId) }));
    this.item.tooltip = new vscode.MarkdownString(renderInitiativeTooltip(initiative, effect, members));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
