/** The workspace check over the real server: every YAML file on disk, open or not, in step with changes. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { CheckWorkspaceRequest, type CheckWorkspaceResult } from '../../server/src/protocol';
import { LspClient, readRepositoryFile } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };
const privileged = readRepositoryFile('examples/nginx-privileged.yaml');
const clean = readRepositoryFile('examples/nginx-unprivileged.yaml');

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aks-policy-ws-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('aksPolicy/checkWorkspace', () => {
  it('checks every YAML file, skips dependencies and excluded files, and follows disk changes', TEST_TIMEOUT, async () => {
    const root = workspace({
      'apps/web.yaml': privileged,
      'apps/ok.yml': clean,
      'apps/compose.yaml': 'services:\n  web:\n    privileged: true\n',
      'node_modules/chart/pod.yaml': privileged,
      'vendor/pod.yaml': privileged,
      'README.md': '# not yaml',
    });
    const uri = (path: string) => pathToFileURL(join(root, path)).toString();
    const client = await LspClient.start({ settings: { effect: 'deny', exclude: ['vendor/**'] }, workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      const since = client.mark();
      const result = await client.request<CheckWorkspaceResult>(CheckWorkspaceRequest);
      assert.deepEqual(result, { files: 3, filesWithFindings: 1, findings: 1, skipped: 0 });
      const web = await client.waitForDiagnostics(uri('apps/web.yaml'), { since });
      assert.deepEqual(web.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['k8sazurev2noprivilege', 1, 10]]);
      assert.deepEqual((await client.waitForDiagnostics(uri('apps/ok.yml'), { since })).diagnostics, []);

      // A fix made on disk, outside the editor, is followed.
      const fixed = client.mark();
      writeFileSync(join(root, 'apps/web.yaml'), clean);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('apps/web.yaml'), type: 2 }] });
      assert.deepEqual((await client.waitForDiagnostics(uri('apps/web.yaml'), { since: fixed })).diagnostics, []);

      // A deleted file's diagnostics are cleared.
      const deleted = client.mark();
      rmSync(join(root, 'apps/ok.yml'));
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('apps/ok.yml'), type: 3 }] });
      assert.deepEqual((await client.waitForDiagnostics(uri('apps/ok.yml'), { since: deleted })).diagnostics, []);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('judges the files of a folder as one apply: Services in two files may not share a selector', TEST_TIMEOUT, async () => {
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`;
    const root = workspace({ 'a/web.yaml': service('web'), 'b/web-copy.yaml': service('web-copy') });
    const uri = (path: string) => pathToFileURL(join(root, path)).toString();
    const client = await LspClient.start({
      settings: { policies: { UniqueServiceSelectors: { effect: 'deny' } } },
      workspaceFolders: [pathToFileURL(root).toString()],
    });
    try {
      const since = client.mark();
      const result = await client.request<CheckWorkspaceResult>(CheckWorkspaceRequest);
      assert.equal(result.filesWithFindings, 2);
      for (const path of ['a/web.yaml', 'b/web-copy.yaml']) {
        const published = await client.waitForDiagnostics(uri(path), { since });
        assert.ok(published.diagnostics.some((d) => d.code === 'k8sazurev1uniqueserviceselector'), path);
      }
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
