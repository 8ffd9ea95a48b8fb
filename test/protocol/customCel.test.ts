/** A custom Azure policy definition whose ConstraintTemplate is CEL (K8sNativeValidation), evaluated live by the real server. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { LspClient, REPOSITORY_ROOT } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };
const CUSTOM_EXAMPLE = join(REPOSITORY_ROOT, 'examples', 'custom');
const TEMPLATE = 'k8sallowedregistries';

describe('custom policy definitions with a CEL template', () => {
  it('evaluates the CEL template named by templateInfo.url live, on the image its validation read, and follows edits', TEST_TIMEOUT, async () => {
    const root = mkdtempSync(join(tmpdir(), 'aks-policy-custom-cel-'));
    cpSync(CUSTOM_EXAMPLE, root, { recursive: true });
    const client = await LspClient.start({
      settings: { initiative: 'none', policies: { 'allowed-registries': { effect: 'deny' } } },
      workspaceFolders: [pathToFileURL(root).toString()],
    });
    try {
      const uri = pathToFileURL(join(root, 'pod-from-docker-hub.yaml')).toString();
      const manifest = readFileSync(join(root, 'pod-from-docker-hub.yaml'), 'utf8');
      const lines = manifest.split('\n');
      const published = await client.open(uri, manifest);
      const custom = published.diagnostics.filter((diagnostic) => diagnostic.code === TEMPLATE);
      assert.equal(custom.length, 1);
      // The validation read each container's image; the sidecar's is the one outside the allowed registries.
      assert.equal(custom[0].range.start.line, lines.findIndex((line) => line.trim() === 'image: docker.io/library/busybox:1.36'));
      assert.equal(custom[0].severity, 1);
      assert.equal(
        custom[0].message,
        `[azurepolicy-${TEMPLATE}] container sidecar (docker.io/library/busybox:1.36) pulls from outside the allowed registries: mcr.microsoft.com/`,
      );

      // Pulling the sidecar from the allowed registry, as you type, clears it.
      const imageLine = lines.findIndex((line) => line.includes('docker.io/library/busybox:1.36'));
      const fixed = await client.applyEdits(uri, [
        { range: { start: { line: imageLine, character: 0 }, end: { line: imageLine + 1, character: 0 } }, newText: '      image: mcr.microsoft.com/azurelinux/busybox:1.36\n' },
      ]);
      assert.deepEqual(fixed.diagnostics.filter((diagnostic) => diagnostic.code === TEMPLATE), []);
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

});
