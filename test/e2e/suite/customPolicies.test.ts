// The workspace's own policies, live in the editor: custom Azure definitions with a Rego or a CEL ConstraintTemplate,
// and a plain Gatekeeper template and constraint, each assigned in the workspace settings. The files are in
// test/e2e/workspace/custom and gatekeeper; they are loaded only because the workspace is trusted.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  describeDiagnostics,
  extensionApi,
  hasTemplate,
  lacksTemplate,
  openManifest,
  replaceText,
  resetSettings,
  waitForDiagnostics,
  workspaceFile,
  writeWorkspaceSettings,
} from './helpers';

const TEAM_LABEL_TEMPLATE = 'k8srequiredteamlabel';
const TEAM_LABEL_MESSAGE = '[azurepolicy-k8srequiredteamlabel] Pod web has no "team" label; every Pod must say which team owns it';
const REGISTRIES_TEMPLATE = 'k8sallowedregistries';
const REGISTRIES_MESSAGE = '[azurepolicy-k8sallowedregistries] container sidecar (docker.io/library/busybox:1.36) pulls from outside the allowed registries: mcr.microsoft.com/';
const OWNER_TEMPLATE = 'k8srequiredowner';
const OWNER_MESSAGE = '[must-have-owner] unowned has no owner label';

/** The 0-based line whose trimmed text is `text`; fails when there is none, so a changed fixture is noticed. */
function lineOf(document: vscode.TextDocument, text: string): number {
  const line = document.getText().split('\n').findIndex((candidate) => candidate.trim() === text);
  assert.notEqual(line, -1, `no line \`${text}\` in ${vscode.workspace.asRelativePath(document.uri)}`);
  return line;
}

suite('Custom policies', () => {
  suiteSetup(async () => {
    await extensionApi();
    // Custom policies run the workspace's own code: the server loads none in Restricted Mode. The launcher
    // (--disable-workspace-trust, security.workspace.trust.enabled: false) and runTests both trust it.
    assert.equal(vscode.workspace.isTrusted, true, 'the e2e workspace is trusted');
    await resetSettings();
  });
  teardown(async () => {
    await closeAllEditors();
    await resetSettings();
  });

  test('a custom definition with a Base64 Rego template: its message on the labels, as an error under deny; adding the label clears it', async () => {
    writeWorkspaceSettings({ 'aksPolicy.policies': { 'required-team-label': { effect: 'deny' } } });
    const uri = workspaceFile('custom/pod-without-team.yaml');
    const editor = await openManifest('custom/pod-without-team.yaml');
    const diagnostics = await waitForDiagnostics(uri, hasTemplate(TEAM_LABEL_TEMPLATE), 'the team label finding');
    assert.equal(diagnostics.length, 1, `only the custom finding:\n  ${describeDiagnostics(diagnostics)}`);
    const [missingTeam] = diagnostics;
    assert.equal(missingTeam!.message, TEAM_LABEL_MESSAGE);
    assert.equal(missingTeam!.severity, vscode.DiagnosticSeverity.Error);
    // The template read metadata.labels.team, which is missing: the finding is on the labels it looked in.
    const labels = lineOf(editor.document, 'labels:');
    assert.equal(missingTeam!.range.start.line, labels);

    await editor.edit((builder) => builder.insert(new vscode.Position(labels + 1, 0), '    team: payments\n'));
    const fixed = await waitForDiagnostics(uri, lacksTemplate(TEAM_LABEL_TEMPLATE), 'the finding to go once the label is typed');
    assert.deepEqual(fixed, []);
  });

  test('a custom definition whose CEL template is named by templateInfo.url: its message on the image it read; an allowed image clears it', async () => {
    writeWorkspaceSettings({ 'aksPolicy.policies': { 'allowed-registries': { effect: 'deny' } } });
    const uri = workspaceFile('custom/pod-from-docker-hub.yaml');
    const editor = await openManifest('custom/pod-from-docker-hub.yaml');
    const diagnostics = await waitForDiagnostics(uri, hasTemplate(REGISTRIES_TEMPLATE), 'the registry finding');
    assert.equal(diagnostics.length, 1, `only the custom finding:\n  ${describeDiagnostics(diagnostics)}`);
    const [outsider] = diagnostics;
    assert.equal(outsider!.message, REGISTRIES_MESSAGE);
    assert.equal(outsider!.severity, vscode.DiagnosticSeverity.Error);
    // A CEL violation goes on the field its validation read: the image of the container its message names.
    const image = lineOf(editor.document, 'image: docker.io/library/busybox:1.36');
    assert.equal(outsider!.range.start.line, image);

    const imageRange = editor.document.lineAt(image).range;
    await editor.edit((builder) => builder.replace(imageRange, '      image: mcr.microsoft.com/azurelinux/busybox:1.36'));
    const fixed = await waitForDiagnostics(uri, lacksTemplate(REGISTRIES_TEMPLATE), 'the finding to go once the image is allowed');
    assert.deepEqual(fixed, []);
  });

  test('a plain Gatekeeper template and constraint found through aksPolicy.constraintTemplatePaths give a live finding', async () => {
    const assigned = { 'aksPolicy.policies': { 'must-have-owner': {} } };
    writeWorkspaceSettings({ ...assigned, 'aksPolicy.constraintTemplatePaths': ['gatekeeper/policy/*.yaml'] });
    const uri = workspaceFile('gatekeeper/unowned-pod.yaml');
    const editor = await openManifest('gatekeeper/unowned-pod.yaml');
    const original = editor.document.getText();
    const diagnostics = await waitForDiagnostics(uri, hasTemplate(OWNER_TEMPLATE), 'the constraint finding');
    assert.equal(diagnostics.length, 1, `only the constraint's finding:\n  ${describeDiagnostics(diagnostics)}`);
    const [unowned] = diagnostics;
    assert.equal(codeOf(unowned!), OWNER_TEMPLATE, "the code is the template's name");
    assert.equal(unowned!.message, OWNER_MESSAGE);
    // The constraint's enforcementAction: deny.
    assert.equal(unowned!.severity, vscode.DiagnosticSeverity.Error);
    const labels = lineOf(editor.document, 'labels:');
    assert.equal(unowned!.range.start.line, labels);

    await editor.edit((builder) => builder.insert(new vscode.Position(labels + 1, 0), '    owner: shop\n'));
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the finding to go once the owner label is typed');
    await replaceText(editor, original);
    await waitForDiagnostics(uri, hasTemplate(OWNER_TEMPLATE), 'the finding back with the label removed');

    // The files' names are not among the defaults: without the setting the constraint is not found.
    writeWorkspaceSettings(assigned);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no finding without aksPolicy.constraintTemplatePaths');
  });
});
