/**
 * Pull diagnostics (LSP 3.17 textDocument/diagnostic), as VS Code asks for them: the server reports an open file's
 * diagnostics when asked, answers `unchanged` when they are the same, and asks the client to pull again when
 * settings change. Build first: `node scripts/build.mjs`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { LspClient, readRepositoryFile } from './lspClient';

const TEST_TIMEOUT = { timeout: 60_000 };
const PRIVILEGED = 'k8sazurev2noprivilege';
const URI = 'file:///workspace/pod.yaml';
const privilegedPod = readRepositoryFile('examples/nginx-privileged.yaml');

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length - 1;
}

async function withPullingClient(run: (client: LspClient) => Promise<void>, settings: Record<string, unknown> = { initiative: 'baseline', effect: 'deny' }): Promise<void> {
  const client = await LspClient.start({ settings, pullDiagnostics: true });
  try {
    await run(client);
  } finally {
    await client.shutdown();
  }
}

describe('pull diagnostics', () => {
  it('reports an open file when asked, and pushes nothing for it', TEST_TIMEOUT, async () => {
    await withPullingClient(async (client) => {
      const since = client.mark();
      const opened = await client.open(URI, privilegedPod);
      const finding = opened.diagnostics.find((diagnostic) => diagnostic.code === PRIVILEGED);
      assert.ok(finding, JSON.stringify(opened.diagnostics));
      assert.equal(finding.severity, DiagnosticSeverity.Error);
      assert.equal(finding.range.start.line, lineOf(privilegedPod, 'privileged: true'));
      // The one push for the file clears what a workspace check may have pushed; it carries nothing.
      await client.settle(URI, since, 200).catch(() => []);
      assert.deepEqual(
        client.publishes.filter((publish) => publish.uri === URI && publish.diagnostics.length > 0),
        [],
      );
    });
  });

  it('answers unchanged while an edit leaves the diagnostics as they are, and in full when it changes them', TEST_TIMEOUT, async () => {
    await withPullingClient(async (client) => {
      await client.open(URI, privilegedPod);
      const commentLine = { line: 0, character: 0 };
      client.change(URI, [{ range: { start: commentLine, end: commentLine }, text: '# typed\n' }]);
      const shifted = await client.pullDiagnostics(URI);
      assert.equal(shifted.kind, 'full', 'a line added above moves every finding');
      assert.equal(shifted.items.find((diagnostic) => diagnostic.code === PRIVILEGED)?.range.start.line, lineOf(privilegedPod, 'privileged: true') + 1);

      client.change(URI, [{ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 7 } }, text: ' more' }]);
      const same = await client.pullDiagnostics(URI);
      assert.equal(same.kind, 'unchanged');
      assert.deepEqual(same.items, shifted.items);

      const text = client.textOf(URI);
      const at = text.indexOf('privileged: true') + 'privileged: '.length;
      const line = lineOf(text, 'privileged: true');
      const character = at - text.lastIndexOf('\n', at - 1) - 1;
      client.change(URI, [{ range: { start: { line, character }, end: { line, character: character + 4 } }, text: 'false' }]);
      const fixed = await client.pullDiagnostics(URI);
      assert.equal(fixed.kind, 'full');
      assert.equal(fixed.items.filter((diagnostic) => diagnostic.code === PRIVILEGED).length, 0, JSON.stringify(fixed.items));
    });
  });

  it('asks for no refresh when a file is opened or edited: the client pulls those by itself', TEST_TIMEOUT, async () => {
    await withPullingClient(async (client) => {
      await client.open(URI, privilegedPod);
      client.change(URI, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# typed\n' }]);
      await client.pullDiagnostics(URI);
      // A refresh would be asked for right after the change; a catalog round trip lets it arrive first.
      await client.request('aksPolicy/catalog');
      assert.equal(client.refreshRequests, 0);
    });
  });

  it('asks the client to pull again when the settings change, and reports under the new ones', TEST_TIMEOUT, async () => {
    await withPullingClient(async (client) => {
      await client.open(URI, privilegedPod);
      const before = client.refreshRequests;
      client.changeSettings({ initiative: 'baseline', effect: 'audit' });
      const deadline = Date.now() + 10_000;
      while (client.refreshRequests === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(client.refreshRequests > before, 'no workspace/diagnostic/refresh after the settings changed');
      const report = await client.pullDiagnostics(URI);
      assert.equal(report.kind, 'full');
      assert.equal(report.items.find((diagnostic) => diagnostic.code === PRIVILEGED)?.severity, DiagnosticSeverity.Warning);
    });
  });

  it('reports the newest text when an edit arrives while it evaluates an older one', TEST_TIMEOUT, async () => {
    await withPullingClient(async (client) => {
      await client.open(URI, privilegedPod);
      // Two hundred documents take many evaluation slices, so the second change arrives in between.
      const many = Array.from({ length: 200 }, (_, index) => privilegedPod.replace('name: nginx', `name: nginx-${index}`)).join('---\n');
      client.change(URI, [{ text: many }]);
      const pending = client.pullDiagnostics(URI);
      client.change(URI, [{ text: many.replaceAll('privileged: true', 'privileged: false') }]);
      const report = await pending;
      assert.equal(report.items.filter((diagnostic) => diagnostic.code === PRIVILEGED).length, 0, 'the report is of the older text');
    });
  });
});
