// Select Initiative and Select Effect, invoked with their argument as a keybinding or script would, and the
// status bar that follows them. The choices land in the workspace settings; teardown puts them back.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { AksPolicyApi } from '../../../client/src/extension';
import {
  closeAllEditors,
  codeOf,
  extensionApi,
  hasTemplate,
  openManifest,
  resetSettings,
  waitFor,
  waitForDiagnostics,
  workspaceFile,
} from './helpers';

const RESTRICTED_TEMPLATES = ['k8sazurev2noprivilege', 'k8sazurev3allowedseccomp', 'k8sazurev3allowedusersgroups'];

suite('Commands and status bar', () => {
  let api: AksPolicyApi;
  suiteSetup(async () => {
    api = await extensionApi();
    await resetSettings();
  });
  teardown(async () => {
    await closeAllEditors();
    await resetSettings();
  });

  test('Select Initiative → restricted adds the Restricted findings; Select Effect → deny makes them errors', async () => {
    const uri = workspaceFile('privileged-pod.yaml');
    await openManifest('privileged-pod.yaml');
    await waitForDiagnostics(uri, (d) => d.length === 1 && hasTemplate('k8sazurev2noprivilege')(d), 'the one Baseline finding');

    assert.equal(await vscode.commands.executeCommand('aksPolicy.selectInitiative', 'restricted'), 'restricted');
    const restricted = await waitForDiagnostics(uri, hasTemplate('k8sazurev3allowedseccomp'), 'the Restricted findings');
    assert.deepEqual([...new Set(restricted.map(codeOf))].sort(), RESTRICTED_TEMPLATES);
    assert.ok(restricted.every((d) => d.severity === vscode.DiagnosticSeverity.Warning), 'still warnings under Audit');
    assert.equal(vscode.workspace.getConfiguration('aksPolicy').inspect('initiative')?.workspaceValue, 'restricted');

    assert.equal(await vscode.commands.executeCommand('aksPolicy.selectEffect', 'deny'), 'deny');
    const denied = await waitForDiagnostics(
      uri,
      (d) => d.length === restricted.length && d.every((x) => x.severity === vscode.DiagnosticSeverity.Error),
      'the same findings as errors',
    );
    assert.deepEqual(denied.map((d) => d.message).sort(), restricted.map((d) => d.message).sort());
    assert.equal(api.activeInitiative(), 'restricted');
    assert.equal(api.activeEffect(), 'deny');

    assert.equal(await vscode.commands.executeCommand('aksPolicy.selectEffect', 'disabled'), 'disabled');
    await waitForDiagnostics(uri, (d) => d.length === 0, 'nothing under Disabled');
  });

  test('the status bar follows the initiative and the effect of the active YAML file', async () => {
    await openManifest('privileged-pod.yaml');
    await waitFor(() => api.statusText(), (text) => text === '$(shield) AKS: Baseline · Audit', 'the default status');

    await vscode.commands.executeCommand('aksPolicy.selectInitiative', 'restricted');
    await waitFor(() => api.statusText(), (text) => text === '$(shield) AKS: Restricted · Audit', 'Restricted in the status bar');

    await vscode.commands.executeCommand('aksPolicy.selectEffect', 'Deny');
    await waitFor(() => api.statusText(), (text) => text === '$(shield) AKS: Restricted · Deny', 'Deny in the status bar');
    assert.equal(api.activeEffect(), 'deny', 'the effect is read in any letter case');
  });

  test('a bad argument changes nothing and says why', async () => {
    await openManifest('privileged-pod.yaml');
    // The command reports the error to the user and returns nothing, rather than throwing at the caller.
    assert.equal(await vscode.commands.executeCommand('aksPolicy.selectEffect', 'block'), undefined);
    assert.equal(await vscode.commands.executeCommand('aksPolicy.selectInitiative', 'no-such-initiative'), undefined);
    assert.equal(api.activeEffect(), 'audit');
    assert.equal(api.activeInitiative(), 'baseline');
  });
});
