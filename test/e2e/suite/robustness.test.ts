// Broken input must cost nothing but its own verdict: the server keeps running and judging.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { AksPolicyApi } from '../../../client/src/extension';
import { closeAllEditors, extensionApi, hasTemplate, openManifest, replaceText, waitForDiagnostics, workspaceFile } from './helpers';

/** Text no YAML parser likes, with a `kind:` so that the server looks at it. */
const GARBAGE = 'kind: Pod\n\t: : - ]]][[{\n"unterminated\n&anchor *alias <<: *nowhere\n\u0000\u0001\ufffe\n';

suite('Robustness', () => {
  let api: AksPolicyApi;
  suiteSetup(async () => {
    api = await extensionApi();
  });
  teardown(closeAllEditors);

  test('a manifest with a YAML syntax error gets one hint, and its findings come back once it parses', async () => {
    const uri = workspaceFile('broken.yaml');
    const editor = await openManifest('broken.yaml');
    const [hint] = await waitForDiagnostics(uri, (d) => d.length === 1, 'the "not checked" hint');
    assert.equal(hint!.severity, vscode.DiagnosticSeverity.Hint);
    assert.match(hint!.message, /not checked until it parses/);

    const line = editor.document.getText().split('\n').findIndex((text) => text.includes('{app: broken'));
    await editor.edit((builder) => builder.insert(editor.document.lineAt(line).range.end, '}'));
    const fixed = await waitForDiagnostics(uri, hasTemplate('k8sazurev2noprivilege'), 'the privileged finding once the file parses');
    assert.ok(fixed.every((d) => d.severity !== vscode.DiagnosticSeverity.Hint), 'the hint is gone');
  });

  test('garbage in one file leaves the server running and judging the others', async () => {
    const garbage = await vscode.workspace.openTextDocument({ language: 'yaml', content: GARBAGE });
    await vscode.window.showTextDocument(garbage);
    await waitForDiagnostics(garbage.uri, (d) => d.length > 0, 'a hint that the garbage is not checked');

    const uri = workspaceFile('privileged-pod.yaml');
    const editor = await openManifest('privileged-pod.yaml');
    await waitForDiagnostics(uri, hasTemplate('k8sazurev2noprivilege'), 'the privileged finding after the garbage');
    // A change after the garbage is still judged: the server did not just answer once and die.
    await replaceText(editor, editor.document.getText().replace('privileged: true', 'privileged: false'));
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no findings once privileged is false');
    assert.ok(api.client.isRunning(), 'the language client still reports a running server');
  });
});
