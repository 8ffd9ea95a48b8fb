// Settings written to the workspace's .vscode/settings.json on disk (by a person, or a git pull) apply at
// once, without a reload of the window.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  extensionApi,
  hasTemplate,
  lacksTemplate,
  openManifest,
  resetSettings,
  waitForDiagnostics,
  workspaceFile,
  writeWorkspaceSettings,
} from './helpers';

suite('Workspace settings', () => {
  suiteSetup(async () => {
    await extensionApi();
    await resetSettings();
  });
  teardown(async () => {
    await closeAllEditors();
    await resetSettings();
  });

  test('the effect and a per-policy override apply without a reload, and going back restores the findings', async () => {
    const uri = workspaceFile('settings-target.yaml');
    await openManifest('settings-target.yaml');
    await waitForDiagnostics(uri, (d) => d.length === 4, 'four Baseline findings');

    writeWorkspaceSettings({ 'aksPolicy.effect': 'deny' });
    await waitForDiagnostics(uri, (d) => d.length === 4 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Error), 'four errors');

    writeWorkspaceSettings({ 'aksPolicy.effect': 'deny', 'aksPolicy.policies': { NoPrivilegedContainers: { effect: 'disabled' } } });
    const withoutPrivileged = await waitForDiagnostics(uri, lacksTemplate('k8sazurev2noprivilege'), 'the privileged finding to go');
    assert.equal(withoutPrivileged.length, 3);

    writeWorkspaceSettings({ 'aksPolicy.effect': 'audit' });
    await waitForDiagnostics(uri, (d) => d.length === 4 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning), 'warnings again');

    writeWorkspaceSettings({ 'aksPolicy.exclude': ['**/settings-*.yaml'] });
    await waitForDiagnostics(uri, (d) => d.length === 0, 'nothing for an excluded file');

    writeWorkspaceSettings({});
    const back = await waitForDiagnostics(uri, (d) => d.length === 4, 'the four findings back');
    assert.ok(hasTemplate('k8sazurev2noprivilege')(back));
  });
});
