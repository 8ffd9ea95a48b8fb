/** Custom initiatives: policy sets of the workspace folder, selected, listed, reported and re-read by the real server. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { CatalogRequest, type CatalogParams, type CatalogResult } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };
const FILE_CHANGED = 2;

/** A set as `az policy set-definition show -o json` exports it: NoPrivilege denied, host networking audited with a port range. */
const teamSet = {
  displayName: 'Team baseline',
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/policySetDefinitions/team-baseline',
  name: 'team-baseline',
  parameters: { effect: { type: 'String', allowedValues: ['Audit', 'Deny', 'Disabled'], defaultValue: 'Deny' } },
  policyDefinitions: [
    { policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/95edb821-ddaf-4404-9732-666045e056b4', policyDefinitionReferenceId: 'noPrivileged', parameters: { effect: { value: "[parameters('effect')]" } } },
    {
      policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/82985f06-dc18-4a48-bc1c-b9f4f0098cfe',
      policyDefinitionReferenceId: 'hostNetwork',
      definitionVersion: '6.*.*',
      parameters: { effect: { value: 'Audit' }, allowHostNetwork: { value: true }, minPort: { value: 80 }, maxPort: { value: 443 } },
    },
  ],
  policyType: 'Custom',
};

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 8080
          hostPort: 8080
      securityContext:
        privileged: true
`;

function workspace(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'aks-policy-initiatives-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

describe('custom initiatives', () => {
  it('judges with a policy set of the workspace, selected by its name, and lists it for the pickers', TEST_TIMEOUT, async () => {
    const root = workspace({ '.aks-policy/initiatives/team.json': teamSet });
    const client = await LspClient.start({ settings: { initiative: 'team-baseline', effect: 'deny' }, workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const uri = pathToFileURL(join(root, 'pod.yaml')).toString();
      const published = await client.open(uri, pod);
      assert.deepEqual(
        published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
        [
          ['k8sazurev2noprivilege', 1],
          ['k8sazurev3hostnetworkingports', 2],
        ],
      );
      assert.deepEqual(client.shownMessages, []);
      const params: CatalogParams = { uri };
      const catalog = await client.request<CatalogResult>(CatalogRequest, params);
      const team = catalog.initiatives.find((initiative) => initiative.id === 'team-baseline');
      assert.deepEqual(team && [team.alias, team.displayName, team.members.map((member) => member.referenceId)], ['team', 'Team baseline', ['noPrivileged', 'hostNetwork']]);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a broken set as a settings problem naming the file, keeps checking, and re-reads it when it changes on disk', TEST_TIMEOUT, async () => {
    const broken = { ...teamSet, name: 'ops', policyDefinitions: [{ policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/00000000-0000-0000-0000-00000000dead' }] };
    const root = workspace({ 'sets/ops.initiative.json': broken });
    const client = await LspClient.start({ settings: { initiative: 'ops' }, workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const uri = pathToFileURL(join(root, 'pod.yaml')).toString();
      const published = await client.open(uri, pod);
      const messages = client.shownMessages.map((shown) => shown.message);
      assert.ok(messages.some((message) => message.includes('ops.initiative.json: member 00000000-0000-0000-0000-00000000dead names definition')), JSON.stringify(messages));
      assert.ok(messages.some((message) => message.includes('aksPolicy.initiative: no initiative is called "ops"')), 'the default is used instead');
      assert.ok(published.diagnostics.some((diagnostic) => diagnostic.code === 'k8sazurev2noprivilege'), 'Baseline still checks');

      writeFileSync(join(root, 'sets', 'ops.initiative.json'), JSON.stringify({ ...teamSet, name: 'ops' }));
      const since = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, 'sets', 'ops.initiative.json')).toString(), type: FILE_CHANGED }] });
      const [latest] = (await client.settle(uri, since)).slice(-1);
      assert.deepEqual(latest?.diagnostics.map((diagnostic) => diagnostic.code), ['k8sazurev2noprivilege', 'k8sazurev3hostnetworkingports']);
      const catalog = await client.request<CatalogResult>(CatalogRequest);
      assert.ok(catalog.initiatives.some((initiative) => initiative.alias === 'ops'));
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
