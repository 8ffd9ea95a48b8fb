/** A custom Azure policy definition in the workspace, evaluated live by the real server. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { CatalogRequest, type CatalogResult } from '../../server/src/protocol';
import { LspClient, REPOSITORY_ROOT } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };
const CUSTOM_EXAMPLE = join(REPOSITORY_ROOT, 'examples', 'custom');

describe('custom policy definitions', () => {
  it('evaluates a workspace definition with a Base64 Rego template live, on the labels it reads, and follows edits', TEST_TIMEOUT, async () => {
    const root = mkdtempSync(join(tmpdir(), 'aks-policy-custom-'));
    cpSync(CUSTOM_EXAMPLE, root, { recursive: true });
    const client = await LspClient.start({
      settings: { policies: { 'required-team-label': { effect: 'deny' } } },
      workspaceFolders: [pathToFileURL(root).toString()],
    });
    try {
      const uri = pathToFileURL(join(root, 'pod-without-team.yaml')).toString();
      const manifest = readFileSync(join(root, 'pod-without-team.yaml'), 'utf8');
      const published = await client.open(uri, manifest);
      const custom = published.diagnostics.filter((diagnostic) => diagnostic.code === 'k8srequiredteamlabel');
      assert.equal(custom.length, 1);
      // The template read metadata.labels.team, which is missing: the finding is on the labels.
      const labelsLine = manifest.split('\n').findIndex((line) => line.trim() === 'labels:');
      assert.equal(custom[0].range.start.line, labelsLine);
      assert.equal(custom[0].severity, 1);
      assert.match(custom[0].message, /^\[azurepolicy-k8srequiredteamlabel\] Pod web has no "team" label/);

      // Adding the label, as you type, clears it.
      const fixed = await client.applyEdits(uri, [{ range: { start: { line: labelsLine + 1, character: 0 }, end: { line: labelsLine + 1, character: 0 } }, newText: '    team: payments\n' }]);
      assert.deepEqual(fixed.diagnostics.filter((diagnostic) => diagnostic.code === 'k8srequiredteamlabel'), []);

      // The picker lists the custom definition beside the built-ins.
      const catalog = await client.request<CatalogResult>(CatalogRequest);
      assert.ok(catalog.definitions.some((definition) => definition.name === 'required-team-label' && definition.template === 'k8srequiredteamlabel'));

      // A Deployment is checked through the Pod it creates: the finding is on its pod template's labels,
      // or, when the template has none, on the template's metadata.
      const deploymentUri = pathToFileURL(join(root, 'deployment.yaml')).toString();
      const deployment = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        '  labels:',
        '    team: payments',
        'spec:',
        '  selector:',
        '    matchLabels:',
        '      app: web',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: web',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: mcr.microsoft.com/azurelinux/base/nginx:1.25',
        '',
      ].join('\n');
      const onDeployment = (await client.open(deploymentUri, deployment)).diagnostics.filter((diagnostic) => diagnostic.code === 'k8srequiredteamlabel');
      assert.deepEqual(onDeployment.map((diagnostic) => diagnostic.range.start.line), [deployment.split('\n').indexOf('      labels:')]);
      const unlabelled = deployment.replace('      labels:\n        app: web\n', '      annotations:\n        owner: web\n');
      const onUnlabelled = (await client.applyEdits(deploymentUri, [{ range: { start: { line: 0, character: 0 }, end: { line: deployment.split('\n').length - 1, character: 0 } }, newText: unlabelled }])).diagnostics;
      const templateMetadataLine = unlabelled.split('\n').indexOf('    metadata:');
      assert.deepEqual(onUnlabelled.filter((diagnostic) => diagnostic.code === 'k8srequiredteamlabel').map((diagnostic) => diagnostic.range.start.line), [templateMetadataLine]);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('loads no custom policy in a workspace that is not trusted, and keeps the built-ins', TEST_TIMEOUT, async () => {
    const root = mkdtempSync(join(tmpdir(), 'aks-policy-custom-'));
    cpSync(CUSTOM_EXAMPLE, root, { recursive: true });
    const client = await LspClient.start({
      settings: { policies: { 'required-team-label': { effect: 'deny' } } },
      workspaceFolders: [pathToFileURL(root).toString()],
      initializationOptions: { workspaceTrusted: false },
    });
    try {
      const uri = pathToFileURL(join(root, 'pod-without-team.yaml')).toString();
      const manifest = readFileSync(join(root, 'pod-without-team.yaml'), 'utf8');
      const published = await client.open(uri, manifest.replace('allowPrivilegeEscalation: false', 'privileged: true'));
      const codes = published.diagnostics.map((diagnostic) => diagnostic.code);
      assert.ok(!codes.includes('k8srequiredteamlabel'), JSON.stringify(codes));
      assert.ok(codes.includes('k8sazurev2noprivilege'), JSON.stringify(codes));
      const catalog = await client.request<CatalogResult>(CatalogRequest);
      assert.ok(!catalog.definitions.some((definition) => definition.name === 'required-team-label'));
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a broken definition file as a settings problem naming the file, and keeps checking', TEST_TIMEOUT, async () => {
    const root = mkdtempSync(join(tmpdir(), 'aks-policy-custom-'));
    writeFileSync(join(root, 'broken.policy.json'), '{ "properties": ');
    const client = await LspClient.start({ workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const uri = pathToFileURL(join(root, 'pod.yaml')).toString();
      await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n');
      // Settings problems are shown before the file's first diagnostics are published.
      const shown = client.shownMessages.filter((message) => message.message.includes('broken.policy.json'));
      assert.equal(shown.length, 1, JSON.stringify(client.shownMessages));
      assert.match(shown[0].message, /broken\.policy\.json: not valid JSON/);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
