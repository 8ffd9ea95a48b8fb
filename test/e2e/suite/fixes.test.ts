// Quick fixes and Fix All through VS Code's own code action command, applied and saved as the editor would.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, extensionApi, hasTemplate, openManifest, readFromDisk, waitForDiagnostics, workspaceFile } from './helpers';

/** Resolve this many actions, in case the server computes edits lazily (codeAction/resolve). */
const RESOLVE_ALL = 100;

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind,
    RESOLVE_ALL,
  );
  // Bare commands have a string `command`; code actions do not.
  return (actions ?? []).filter((action): action is vscode.CodeAction => typeof action.command !== 'string');
}

suite('Quick fixes', () => {
  suiteSetup(async () => {
    await extensionApi();
  });
  teardown(closeAllEditors);

  test('the preferred quick fix for `privileged: true` removes it, and the saved file passes', async () => {
    const uri = workspaceFile('quick-fix.yaml');
    const editor = await openManifest('quick-fix.yaml');
    const [privileged] = await waitForDiagnostics(uri, hasTemplate('k8sazurev2noprivilege'), 'the privileged finding');

    const actions = await codeActions(uri, privileged!.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((action) => action.title);
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix, `a preferred fix among: ${titles.join(' | ')}`);
    assert.match(fix.title, /privileged/);
    assert.ok(titles.some((title) => /^Suppress k8sazurev2noprivilege/.test(title)), `a suppression among: ${titles.join(' | ')}`);

    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)), 'the fix applies');
    assert.ok(await editor.document.save(), 'the file saves');
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no findings after the fix');

    const saved = readFromDisk(uri);
    assert.doesNotMatch(saved, /privileged: true/);
    // A minimal edit: the sibling key, its indentation and the other lines are as they were.
    assert.match(saved, /^ {6}securityContext:\n {8}readOnlyRootFilesystem: true\n$/m);
    assert.match(saved, /^# The privileged quick fix is applied to this file\.$/m);
  });

  test('source.fixAll removes every Baseline violation of a Deployment at once', async () => {
    const uri = workspaceFile('several-violations.yaml');
    const editor = await openManifest('several-violations.yaml');
    const before = await waitForDiagnostics(uri, (d) => d.length === 4, 'four Baseline findings');
    assert.deepEqual(before.map(codeOf).sort(), [
      'k8sazurev2blockhostnamespace',
      'k8sazurev2blockhostnamespace',
      'k8sazurev2noprivilege',
      'k8sazurev3allowedcapabilities',
    ]);

    const document = editor.document;
    const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
    const [fixAll, ...others] = await codeActions(uri, whole, vscode.CodeActionKind.SourceFixAll.value);
    assert.ok(fixAll, 'a fix-all action');
    assert.equal(others.length, 0, 'one fix-all action');
    assert.ok(fixAll.kind && vscode.CodeActionKind.SourceFixAll.contains(fixAll.kind), `kind ${fixAll.kind?.value}`);
    assert.ok(fixAll.edit && (await vscode.workspace.applyEdit(fixAll.edit)), 'the fixes apply');
    assert.ok(await document.save(), 'the file saves');
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no findings after Fix All');

    const saved = readFromDisk(uri);
    for (const gone of ['hostPID', 'hostIPC', 'privileged', 'NET_ADMIN']) assert.ok(!saved.includes(gone), `${gone} is gone:\n${saved}`);
    assert.match(saved, /^ {10}image: mcr\.microsoft\.com\/oss\/nginx\/nginx:1\.15\.5-alpine$/m, 'the rest of the container is kept');
  });
});
