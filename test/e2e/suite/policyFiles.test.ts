// The policy files themselves: problems of a custom definition and of its template as diagnostics in those files,
// written to disk while the editor runs (as a git pull would), and "Test This Template" on the template in
// test/e2e/workspace/template-tests, through its code lens and command.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { TestTemplateResult } from '../../../server/src/protocol';
import { closeAllEditors, describeDiagnostics, extensionApi, openManifest, readFromDisk, waitFor, waitForDiagnostics, workspaceFile } from './helpers';

const PROBLEMS_FOLDER = 'problems';
const DEFINITION_FILE = `${PROBLEMS_FOLDER}/owner.policy.json`;
const TEMPLATE_FILE = `${PROBLEMS_FOLDER}/owner-template.yaml`;

const DEFINITION = `{
  "name": "problem-owner",
  "properties": {
    "displayName": "Pods must have an owner label",
    "mode": "Microsoft.Kubernetes.Data",
    "parameters": {
      "effect": { "type": "String", "defaultValue": "Audit" }
    },
    "policyRule": {
      "if": { "field": "type", "in": ["Microsoft.ContainerService/managedClusters"] },
      "then": {
        "effect": "[parameters('effect')]",
        "details": {
          "templateInfo": { "sourceType": "PublicURL", "url": "owner-template.yaml" },
          "apiGroups": [""],
          "kinds": ["Pod"]
        }
      }
    }
  }
}
`;
/** Strict JSON allows no comma before a closing brace. */
const DEFINITION_WITH_TRAILING_COMMA = DEFINITION.replace('"kinds": ["Pod"]\n', '"kinds": ["Pod"],\n');

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sproblemowner
spec:
  crd:
    spec:
      names:
        kind: K8sProblemOwner
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sproblemowner

        violation[{"msg": msg}] {
          not input.review.object.metadata.labels.owner
          msg := sprintf("%v has no owner label", [input.review.object.metadata.name])
        }
`;
const TEMPLATE_WITH_REGO_ERROR = TEMPLATE.replace('labels.owner\n', 'labels.owner )\n');

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** Written through VS Code's file service, so the extension's file watcher reports it as any change on disk. */
async function writeWorkspaceText(name: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceFile(name), Buffer.from(text, 'utf8'));
}

suite('Policy-file problems', () => {
  suiteSetup(async () => {
    await extensionApi();
  });
  teardown(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(workspaceFile(PROBLEMS_FOLDER), { recursive: true, useTrash: false });
    // Deleted policy files are cleared, so no later test sees them in the Problems panel.
    for (const name of [DEFINITION_FILE, TEMPLATE_FILE]) await waitForDiagnostics(workspaceFile(name), (d) => d.length === 0, 'no diagnostics once deleted');
  });

  test('a definition that is not valid JSON gets the error at its line without being opened; fixed on disk, it is cleared', async () => {
    const uri = workspaceFile(DEFINITION_FILE);
    await writeWorkspaceText(TEMPLATE_FILE, TEMPLATE);
    await writeWorkspaceText(DEFINITION_FILE, DEFINITION_WITH_TRAILING_COMMA);
    const [syntaxError, ...others] = await waitForDiagnostics(uri, (d) => d.length > 0, 'the JSON error');
    assert.equal(others.length, 0, `one problem:\n  ${describeDiagnostics([syntaxError!, ...others])}`);
    assert.equal(syntaxError!.message, 'not valid JSON: property name expected');
    assert.equal(syntaxError!.severity, vscode.DiagnosticSeverity.Error);
    // Where a property name should follow the comma: the closing brace on the next line.
    assert.equal(syntaxError!.range.start.line, lineOf(DEFINITION_WITH_TRAILING_COMMA, '"kinds": ["Pod"],') + 1);
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()), 'the definition was never opened');

    await writeWorkspaceText(DEFINITION_FILE, DEFINITION);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the error to be cleared once the JSON is valid');
  });

  test('a Rego error in the template a definition names: at its line in the template, and on the definition\'s url; fixed, both are cleared', async () => {
    const definitionUri = workspaceFile(DEFINITION_FILE);
    const templateUri = workspaceFile(TEMPLATE_FILE);
    await writeWorkspaceText(TEMPLATE_FILE, TEMPLATE_WITH_REGO_ERROR);
    await writeWorkspaceText(DEFINITION_FILE, DEFINITION);
    const [regoError, ...others] = await waitForDiagnostics(templateUri, (d) => d.length > 0, 'the Rego error in the template');
    assert.equal(others.length, 0, 'one problem in the template');
    assert.match(regoError!.message, /^rego_parse_error: /);
    assert.equal(regoError!.range.start.line, lineOf(TEMPLATE_WITH_REGO_ERROR, 'labels.owner )'));
    const [onUrl, ...moreOnDefinition] = await waitForDiagnostics(definitionUri, (d) => d.length > 0, 'the problem on the definition');
    assert.equal(moreOnDefinition.length, 0, 'one problem in the definition');
    assert.equal(onUrl!.range.start.line, lineOf(DEFINITION, '"url": "owner-template.yaml"'));
    assert.match(onUrl!.message, /rego_parse_error/);

    await writeWorkspaceText(TEMPLATE_FILE, TEMPLATE);
    await waitForDiagnostics(templateUri, (d) => d.length === 0, 'the template error to be cleared');
    await waitForDiagnostics(definitionUri, (d) => d.length === 0, 'the definition problem to be cleared');
  });
});

const SUITE_FILE = 'template-tests/suite.yaml';
const TEST_TEMPLATE_COMMAND = 'aksPolicy.testTemplate';
const TESTS_CHANNEL = 'AKS Policy Tests';

async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri);
  return (lenses ?? []).filter((lens) => lens.command?.command === TEST_TEMPLATE_COMMAND);
}

/** The Output view's text of one of our channels: VS Code gives extensions a channel it shows as an `output:` document. */
async function channelText(channel: string, accept: (text: string) => boolean, what: string): Promise<string> {
  const text = () => vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'output' && decodeURIComponent(document.uri.path).endsWith(channel))?.getText() ?? '';
  return waitFor(text, accept, `${what} in the ${channel} output`);
}

suite('Test This Template', () => {
  let originalSuite: string;
  suiteSetup(async () => {
    await extensionApi();
    originalSuite = readFromDisk(workspaceFile(SUITE_FILE));
  });
  teardown(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.writeFile(workspaceFile(SUITE_FILE), Buffer.from(originalSuite, 'utf8'));
  });

  test('the code lens is offered on a template with a suite, and only there', async () => {
    const templateUri = workspaceFile('template-tests/template.yaml');
    const template = (await openManifest('template-tests/template.yaml')).document;
    const [lens, ...others] = await codeLenses(templateUri);
    assert.ok(lens, 'a Test This Template lens');
    assert.equal(others.length, 0, 'one lens');
    assert.equal(lens.command!.title, 'AKS Policy: Test This Template');
    assert.equal(lens.range.start.line, lineOf(template.getText(), 'kind: ConstraintTemplate'));
    assert.deepEqual(lens.command!.arguments?.map(String), [templateUri.toString()]);
    // A template no suite tests gets none (the lens provider command needs the document open).
    const untested = (await openManifest('gatekeeper/policy/owner-template.yaml')).document;
    assert.match(untested.getText(), /kind: ConstraintTemplate/);
    assert.deepEqual(await codeLenses(untested.uri), []);
  });

  test('the lens\'s command runs the suite: the counts, each case in the output, and the failing case on its suite line', async () => {
    const templateUri = workspaceFile('template-tests/template.yaml');
    const suiteUri = workspaceFile(SUITE_FILE);
    await openManifest('template-tests/template.yaml');
    const [lens] = await codeLenses(templateUri);
    assert.ok(lens?.command, 'a Test This Template lens');
    const result = await vscode.commands.executeCommand<TestTemplateResult>(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(result.problem, undefined);
    assert.deepEqual([result.passed, result.failed, result.skipped], [2, 1, 0]);
    assert.deepEqual(
      result.cases.map((testCase) => [testCase.name, testCase.status, testCase.line]),
      [
        ['pinned', 'pass', lineOf(originalSuite, 'name: pinned')],
        ['wrongly-expected', 'fail', lineOf(originalSuite, 'name: wrongly-expected')],
        ['latest', 'pass', lineOf(originalSuite, 'name: latest')],
      ],
    );

    const [failure, ...others] = await waitForDiagnostics(suiteUri, (d) => d.length > 0, 'the failing case in the suite');
    assert.equal(others.length, 0, 'one failing case');
    assert.equal(failure!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(failure!.range.start.line, lineOf(originalSuite, 'name: wrongly-expected'));
    assert.match(failure!.message, /^disallow-latest\/wrongly-expected failed: got 0 violations but want at least 1/);

    const output = await channelText(TESTS_CHANNEL, (text) => text.includes('2 passed, 1 failed'), 'the summary');
    assert.deepEqual(
      output.trimEnd().split('\n').map((line) => line.replace(/: got .*$/, '')),
      [
        'Testing template-tests/template.yaml with template-tests/suite.yaml',
        `PASS  template-tests/suite.yaml:${lineOf(originalSuite, 'name: pinned') + 1}  disallow-latest/pinned`,
        `FAIL  template-tests/suite.yaml:${lineOf(originalSuite, 'name: wrongly-expected') + 1}  disallow-latest/wrongly-expected`,
        `PASS  template-tests/suite.yaml:${lineOf(originalSuite, 'name: latest') + 1}  disallow-latest/latest`,
        '2 passed, 1 failed',
      ],
    );

    // The suite fixed on disk: the next run passes and clears the suite's diagnostic.
    const fixedSuite = originalSuite.replace('        object: pinned-pod.yaml\n        assertions:\n          - violations: yes', '        object: pinned-pod.yaml\n        assertions:\n          - violations: no');
    assert.notEqual(fixedSuite, originalSuite, 'the fixture has the case to fix');
    await vscode.workspace.fs.writeFile(suiteUri, Buffer.from(fixedSuite, 'utf8'));
    const rerun = await vscode.commands.executeCommand<TestTemplateResult>(TEST_TEMPLATE_COMMAND, templateUri);
    assert.deepEqual([rerun.passed, rerun.failed, rerun.skipped], [3, 0, 0]);
    await waitForDiagnostics(suiteUri, (d) => d.length === 0, 'the suite diagnostic to be cleared');
    await channelText(TESTS_CHANNEL, (text) => text.trimEnd().endsWith('3 passed, 0 failed') && !text.includes('FAIL'), 'the passing run');
  });
});
