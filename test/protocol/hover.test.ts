/** Hover over the real server: scope explained over a resource's kind and over a flagged field. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { LspClient, readRepositoryFile } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };

describe('hover', () => {
  it('explains scope over kind and a flagged field, and stays quiet elsewhere', TEST_TIMEOUT, async () => {
    const client = await LspClient.start({ settings: { initiative: 'baseline', effect: 'deny' } });
    try {
      const uri = 'file:///workspace/node-exporter.yaml';
      const text = readRepositoryFile('examples/node-exporter-daemonset.yaml');
      await client.open(uri, text);
      const hoverAt = (needle: string) => {
        const line = text.split('\n').findIndex((candidate) => candidate.includes(needle));
        return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: text.split('\n')[line].indexOf(needle) + 1 } });
      };
      const onKind = (await hoverAt('kind: DaemonSet')) as Hover;
      const markdown = (onKind.contents as MarkupContent).value;
      assert.equal((onKind.contents as MarkupContent).kind, 'markdown');
      assert.match(markdown, /`DaemonSet` `node-exporter` in namespace `monitoring`/);
      assert.match(markdown, /BlockUsingHostProcessIDAndIPC .* \| deny \| yes: the Pods this DaemonSet creates \| the DaemonSet is accepted, its Pods are \*\*rejected\*\* when created \|/);
      const onField = (await hoverAt('hostPID: true')) as Hover;
      assert.match((onField.contents as MarkupContent).value, /⛔ `k8sazurev2blockhostnamespace`: \[azurepolicy-k8sazurev2blockhostnamespace\] Sharing the host namespace is not allowed: node-exporter/);
      assert.equal(await hoverAt('image: quay.io'), null);
    } finally {
      await client.shutdown();
    }
  });
});
