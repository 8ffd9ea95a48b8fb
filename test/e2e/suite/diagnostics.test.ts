// Diagnostics through the real client: opening a manifest, editing it, and files the server must not judge.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  extensionApi,
  hasTemplate,
  openManifest,
  replaceText,
  waitForDiagnostics,
  workspaceFile,
} from './helpers';

const PRIVILEGED_MESSAGE = '[azurepolicy-k8sazurev2noprivilege] Privileged container is not allowed: app, securityContext: {"privileged": true}';
const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: pasted
spec:
  containers:
    - name: app
      image: nginx
      securityContext:
        privileged: true
`;

suite('Diagnostics', () => {
  suiteSetup(async () => {
    await extensionApi();
  });
  teardown(closeAllEditors);

  test('a privileged Pod gets the cluster message at `privileged: true`, as a warning under Audit', async () => {
    const uri = workspaceFile('privileged-pod.yaml');
    await openManifest('privileged-pod.yaml');
    const diagnostics = await waitForDiagnostics(uri, hasTemplate('k8sazurev2noprivilege'), 'the privileged finding');
    assert.equal(diagnostics.length, 1, 'Baseline finds only the privileged container');
    const [privileged] = diagnostics;
    assert.equal(codeOf(privileged!), 'k8sazurev2noprivilege');
    assert.equal(privileged!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(privileged!.message, PRIVILEGED_MESSAGE);
    // Line 11 of the file, `        privileged: true`: the range covers the key and its value.
    assert.deepEqual(
      [privileged!.range.start.line, privileged!.range.start.character, privileged!.range.end.line, privileged!.range.end.character],
      [10, 8, 10, 24],
    );
    const code = privileged!.code;
    assert.ok(typeof code === 'object' && code.target.scheme === 'https', 'the code links to the policy definition');
  });

  test('an edit updates the diagnostics: a finding appears, moves with the text, and goes away', async () => {
    const uri = workspaceFile('edit-me.yaml');
    const editor = await openManifest('edit-me.yaml');
    const original = editor.document.getText();

    await editor.edit((builder) => builder.insert(new vscode.Position(editor.document.lineCount, 0), '      securityContext:\n        privileged: true\n'));
    const added = await waitForDiagnostics(uri, hasTemplate('k8sazurev2noprivilege'), 'the finding the edit introduced');
    assert.equal(added.length, 1);
    assert.equal(added[0]!.range.start.line, 10);

    // Two comment lines above move the finding down by two.
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# one\n# two\n'));
    const moved = await waitForDiagnostics(uri, (d) => d.length === 1 && d[0]!.range.start.line === 12, 'the finding two lines lower');
    assert.equal(codeOf(moved[0]!), 'k8sazurev2noprivilege');

    await replaceText(editor, original);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no findings once the edit is undone');
  });

  test('YAML that is not a Kubernetes object gets no diagnostics, even with `privileged: true` in it', async () => {
    const uri = workspaceFile('services.yaml');
    const editor = await openManifest('services.yaml');
    // Not docker-compose.yaml: VS Code gives that name its own language, which the extension never sees.
    assert.equal(editor.document.languageId, 'yaml');
    const compose = editor.document.getText();
    assert.match(compose, /privileged: true/);
    // A finding first proves the server judges this file; going back to the compose file must clear it.
    await replaceText(editor, PRIVILEGED_POD);
    await waitForDiagnostics(uri, hasTemplate('k8sazurev2noprivilege'), 'the finding for the pasted Pod');
    await replaceText(editor, compose);
    const diagnostics = await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics for the compose file');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(vscode.languages.getDiagnostics(uri), [], 'not even a hint');
  });
});
