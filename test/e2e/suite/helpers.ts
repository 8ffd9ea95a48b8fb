// What the integration tests share: the extension's API, the workspace's files, and waits that are driven by
// VS Code's events and always bounded, so a test fails with what it saw instead of hanging or sleeping.
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { AksPolicyApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'aks-policy-live.aks-policy-live';
/** The `source` of every diagnostic the server publishes. */
export const SOURCE = 'AKS Policy';
/** How long the server may take to publish after a change: it usually answers in milliseconds. */
export const DIAGNOSTICS_TIMEOUT_MS = 20_000;

export async function extensionApi(): Promise<AksPolicyApi> {
  const extension = vscode.extensions.getExtension<AksPolicyApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this editor`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the test/e2e/workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openManifest(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document);
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

/** The template name a diagnostic carries as its code (the code may link to the definition's page). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const { code } = diagnostic;
  return String(typeof code === 'object' ? code.value : code);
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} ${codeOf(d)} ${d.message}`)
    .join('\n  ');
}

/**
 * Resolves with our diagnostics for `uri` as soon as they satisfy `accept`: now, or after one of the
 * diagnostic-change events that follow. Rejects after `timeoutMs` with what the diagnostics were.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = DIAGNOSTICS_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = ourDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      done();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      const name = vscode.workspace.asRelativePath(uri);
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} in ${name}; its diagnostics:\n  ${describeDiagnostics(ourDiagnostics(uri))}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/** For state without an event of its own (the status bar): checks on every tick of the event loop's timers, bounded. */
export async function waitFor<T>(read: () => T, accept: (value: T) => boolean, what: string, timeoutMs = DIAGNOSTICS_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const hasTemplate = (template: string) => (diagnostics: vscode.Diagnostic[]) => diagnostics.some((d) => codeOf(d) === template);
export const lacksTemplate = (template: string) => (diagnostics: vscode.Diagnostic[]) => !diagnostics.some((d) => codeOf(d) === template);

/** The workspace's .vscode/settings.json, written as a person (or git checkout) would: straight to disk. */
export function writeWorkspaceSettings(settings: Record<string, unknown>): void {
  writeFileSync(workspaceFile('.vscode/settings.json').fsPath, `${JSON.stringify(settings, null, 2)}\n`);
}

/** The aksPolicy.* settings the tests write to the workspace. */
const SETTINGS_WRITTEN = ['initiative', 'effect', 'policies', 'exclude', 'constraintTemplatePaths'];

/** Puts every aksPolicy.* setting back to its default and waits until VS Code has read that. */
export async function resetSettings(): Promise<void> {
  writeWorkspaceSettings({});
  await waitFor(
    () => SETTINGS_WRITTEN.every((key) => vscode.workspace.getConfiguration('aksPolicy').inspect(key)?.workspaceValue === undefined),
    (reset) => reset,
    'the workspace settings to be back at their defaults',
  );
}

/** Reverts edits left unsaved, then closes every editor, so no "save changes?" dialog can block a later test. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.isClosed) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function readFromDisk(uri: vscode.Uri): string {
  return readFileSync(uri.fsPath, 'utf8');
}

/** Replaces the whole text of an open document, unsaved. */
export async function replaceText(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const ok = await editor.edit((builder) => builder.replace(whole, text));
  if (!ok) throw new Error(`the edit of ${vscode.workspace.asRelativePath(document.uri)} was not applied`);
}
