/** Problems of policy files as diagnostics in those files, and "Test This Template", against the real server. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { CatalogRequest, TemplateTestsRequest, TestTemplateRequest, type CatalogResult, type TemplateTestsResult, type TestTemplateResult } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredowner
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredOwner
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredowner

        violation[{"msg": msg}] {
          not input.review.object.metadata.labels.owner
          msg := sprintf("%v has no owner label", [input.review.object.metadata.name])
        }
`;

const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredOwner
metadata:
  name: must-have-owner
spec:
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Pod"]
`;

const pod = (name: string, labels: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {${labels}}\nspec:\n  containers:\n    - name: c\n      image: nginx\n`;

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aks-policy-files-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));
const uriOf = (root: string, path: string) => pathToFileURL(join(root, path)).toString();

describe('policy files', () => {
  it('publishes a broken definition and a broken template at their lines without opening them, and clears them when fixed', TEST_TIMEOUT, async () => {
    const definition = '{\n  "properties": {\n    "mode": "Microsoft.Kubernetes.Data",\n    "policyRule": { "then": { "effect": "audit" } },\n  }\n}\n';
    const brokenTemplate = TEMPLATE.replace('not input.review.object.metadata.labels.owner', 'not input.review.object.metadata.labels.owner )');
    const root = workspace({ 'broken.policy.json': definition, 'owner/template.yaml': brokenTemplate, 'owner/constraint.yaml': CONSTRAINT });
    const client = await LspClient.start({ workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const definitionUri = uriOf(root, 'broken.policy.json');
      const templateUri = uriOf(root, 'owner/template.yaml');
      const [definitionPublish, templatePublish] = await Promise.all([client.waitForDiagnostics(definitionUri, { since: 0 }), client.waitForDiagnostics(templateUri, { since: 0 })]);
      // The trailing comma: strict JSON wants a property name after it, on the line of the closing brace.
      assert.deepEqual(definitionPublish.diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.severity, diagnostic.message]), [[4, 1, 'not valid JSON: property name expected']]);
      assert.deepEqual(templatePublish.diagnostics.map((diagnostic) => diagnostic.range.start.line), [lineOf(brokenTemplate, 'labels.owner )')]);
      assert.match(templatePublish.diagnostics[0].message, /^rego_parse_error: /);

      // Fixed on disk: the watcher's notice reloads them, the diagnostics go, and the constraint is a policy.
      const since = client.mark();
      writeFileSync(join(root, 'broken.policy.json'), definition.replace('"audit" } },\n', '"audit" } }\n'));
      writeFileSync(join(root, 'owner/template.yaml'), TEMPLATE);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: definitionUri, type: 2 }, { uri: templateUri, type: 2 }] });
      const cleared = await client.waitForDiagnostics(templateUri, { since });
      assert.deepEqual(cleared.diagnostics, []);
      const definitionNow = await client.waitForDiagnostics(definitionUri, { since });
      // Valid JSON now, but a definition still without details: said on `then`.
      assert.deepEqual(definitionNow.diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]), [[3, 'policyRule.then.details is missing']]);
      const catalog = await client.request<CatalogResult>(CatalogRequest);
      assert.ok(catalog.definitions.some((entry) => entry.name === 'must-have-owner' && entry.template === 'k8srequiredowner'), JSON.stringify(catalog.definitions.slice(-3)));
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('evaluates an assigned constraint live, and leaves the template and constraint files alone', TEST_TIMEOUT, async () => {
    const root = workspace({ 'owner/template.yaml': TEMPLATE, 'owner/constraint.yaml': CONSTRAINT });
    const client = await LspClient.start({ settings: { initiative: 'none', policies: { 'must-have-owner': {} } }, workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const published = await client.open(uriOf(root, 'pod.yaml'), pod('web', 'app: web'));
      assert.deepEqual(published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.message]), [['k8srequiredowner', 1, '[must-have-owner] web has no owner label']]);
      assert.deepEqual((await client.open(uriOf(root, 'owner/template.yaml'), TEMPLATE)).diagnostics, []);
      assert.deepEqual((await client.open(uriOf(root, 'owner/constraint.yaml'), CONSTRAINT)).diagnostics, []);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('tests a template with the gator suite beside it: counts, reasons, and the failing case on its suite line', TEST_TIMEOUT, async () => {
    const suite = `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
metadata:
  name: owner
tests:
  - name: owner
    template: template.yaml
    constraint: constraint.yaml
    cases:
      - name: owned
        object: owned.yaml
        assertions:
          - violations: no
      - name: wrongly-expected
        object: owned.yaml
        assertions:
          - violations: yes
      - name: unowned
        object: unowned.yaml
        assertions:
          - violations: 1
            message: no owner
`;
    const root = workspace({
      'owner/template.yaml': TEMPLATE,
      'owner/constraint.yaml': CONSTRAINT,
      'owner/suite.yaml': suite,
      'owner/owned.yaml': pod('owned', 'owner: me'),
      'owner/unowned.yaml': pod('unowned', 'app: web'),
    });
    const client = await LspClient.start({ workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const templateUri = uriOf(root, 'owner/template.yaml');
      const suiteUri = uriOf(root, 'owner/suite.yaml');
      const lens = await client.request<TemplateTestsResult>(TemplateTestsRequest, { uri: templateUri, text: TEMPLATE });
      assert.deepEqual(lens, { line: lineOf(TEMPLATE, 'kind: ConstraintTemplate'), suites: [suiteUri] });
      assert.equal(await client.request<TemplateTestsResult>(TemplateTestsRequest, { uri: uriOf(root, 'owner/owned.yaml'), text: pod('owned', 'owner: me') }), null);

      const since = client.mark();
      const result = await client.request<TestTemplateResult>(TestTemplateRequest, { uri: templateUri });
      assert.deepEqual([result.passed, result.failed, result.skipped], [2, 1, 0]);
      assert.deepEqual(result.cases.map((testCase) => [testCase.name, testCase.status, testCase.line]), [
        ['owned', 'pass', lineOf(suite, 'name: owned')],
        ['wrongly-expected', 'fail', lineOf(suite, 'name: wrongly-expected')],
        ['unowned', 'pass', lineOf(suite, 'name: unowned')],
      ]);
      assert.match(result.cases[1].reason ?? '', /got 0 violations but want at least 1/);
      const failures = await client.waitForDiagnostics(suiteUri, { since });
      assert.deepEqual(failures.diagnostics.map((diagnostic) => diagnostic.range.start.line), [lineOf(suite, 'name: wrongly-expected')]);

      // The suite fixed: running again clears its diagnostics.
      writeFileSync(join(root, 'owner/suite.yaml'), suite.replace('          - violations: yes\n      - name: unowned', '          - violations: no\n      - name: unowned'));
      const again = client.mark();
      const fixed = await client.request<TestTemplateResult>(TestTemplateRequest, { uri: templateUri });
      assert.deepEqual([fixed.passed, fixed.failed], [3, 0]);
      assert.deepEqual((await client.waitForDiagnostics(suiteUri, { since: again })).diagnostics, []);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('runs no template in a workspace that is not trusted', TEST_TIMEOUT, async () => {
    const root = workspace({ 'owner/template.yaml': TEMPLATE });
    const client = await LspClient.start({ workspaceFolders: [pathToFileURL(root).toString()], initializationOptions: { workspaceTrusted: false } });
    try {
      const result = await client.request<TestTemplateResult>(TestTemplateRequest, { uri: uriOf(root, 'owner/template.yaml') });
      assert.match(result.problem ?? '', /not trusted/);
      assert.equal(await client.request<TemplateTestsResult>(TemplateTestsRequest, { uri: uriOf(root, 'owner/template.yaml'), text: TEMPLATE }), null);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
