/**
 * The bundled server on the hostile inputs named by issue 4, over stdio: each case checks what the editor shows,
 * that the server stays up and keeps answering, and that it still checks an ordinary file afterwards.
 * Build first: `node scripts/build.mjs`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { CatalogRequest, FixAllKind } from '../../server/src/protocol';
import {
  billionLaughs,
  billionLaughsInLargeDocument,
  binaryGarbage,
  deepBlockSequence,
  deepFlowSequence,
  INVALID_UTF8_PRIVILEGED_LINE,
  largeFile,
  LONG_LINE_PRIVILEGED_LINE,
  manyEmptyDocumentsThenPod,
  MANY_VIOLATIONS_POD,
  ONLY_MARKERS,
  oneLinePod,
  POD_WITH_LONE_SURROGATES,
  podWithInvalidUtf8,
  podWithLongLine,
  PRIVILEGED_LINE,
  PRIVILEGED_POD,
  TAB_INDENTED_POD,
} from '../fuzz/hostile';
import { toCrlf } from '../fuzz/manifests';
import { applyTextEdits, DEFAULT_SERVER_PATH, editsOf, isCodeAction, LspClient, type SettingsSection } from './lspClient';

/** Bounds every wait: far above what a healthy server needs, so only a frozen one misses it. */
const ANSWER_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT = { timeout: 90_000 };
const PRIVILEGED = 'k8sazurev2noprivilege';
const WHOLE_FILE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

let documentNumber = 0;
const uniqueUri = (name: string) => `file:///hostile/${++documentNumber}-${name}.yaml`;

/** One server for the cases that must not disturb it; each case ends by checking that it still serves. */
let shared: LspClient | undefined;

async function withSharedServer(run: (client: LspClient) => Promise<void>): Promise<void> {
  shared ??= await LspClient.start({ timeoutMs: ANSWER_TIMEOUT_MS });
  await run(shared);
  await assertStillServing(shared);
}

/** A server of its own, for a case that may freeze it or needs other settings. */
async function withOwnServer(run: (client: LspClient) => Promise<void>, settings: SettingsSection = {}): Promise<void> {
  const client = await LspClient.start({ settings, timeoutMs: ANSWER_TIMEOUT_MS });
  try {
    await run(client);
    await assertStillServing(client);
  } finally {
    await client.shutdown();
  }
}

/** The server answers a request and still checks an ordinary file. */
async function assertStillServing(client: LspClient): Promise<void> {
  assert.ok(client.isAlive, 'the server exited');
  await client.request(CatalogRequest);
  const publish = await client.open(uniqueUri('ordinary'), PRIVILEGED_POD);
  assert.deepEqual(policyFindings(publish).map((diagnostic) => diagnostic.range.start.line), [PRIVILEGED_LINE], 'an ordinary file afterwards');
}

/** Diagnostics of constraint templates (notices carry no code). */
function policyFindings(publish: PublishDiagnosticsParams): Diagnostic[] {
  return publish.diagnostics.filter((diagnostic) => diagnostic.code !== undefined);
}

function describeAll(publish: PublishDiagnosticsParams): string {
  return JSON.stringify(publish.diagnostics.map((d) => [d.severity, d.code ?? null, d.range.start.line, d.message.slice(0, 100)]));
}

/** The one privileged finding, on `line`. */
function assertPrivilegedOnLine(publish: PublishDiagnosticsParams, line: number): Diagnostic {
  const findings = policyFindings(publish);
  assert.deepEqual(
    findings.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
    [[PRIVILEGED, line]],
    describeAll(publish),
  );
  return findings[0];
}

/** Exactly one diagnostic: an Information saying the document is not checked. */
function assertNotCheckedWithInformation(publish: PublishDiagnosticsParams): void {
  assert.equal(publish.diagnostics.length, 1, describeAll(publish));
  const [notice] = publish.diagnostics;
  assert.equal(notice.severity, DiagnosticSeverity.Information, describeAll(publish));
  assert.match(notice.message, /not checked/);
}

async function quickFixes(client: LspClient, uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return (await client.codeActions(uri, diagnostic.range, [diagnostic], ['quickfix'])).filter(isCodeAction);
}

/** Applies the preferred quick fix of `diagnostic` as the editor would; returns the publish of the fixed version. */
async function applyPreferredFix(client: LspClient, uri: string, diagnostic: Diagnostic): Promise<PublishDiagnosticsParams> {
  const preferred = (await quickFixes(client, uri, diagnostic)).filter((action) => action.isPreferred);
  assert.equal(preferred.length, 1, `one preferred fix for ${String(diagnostic.code)}`);
  return client.applyEdits(uri, editsOf(preferred[0], uri));
}

before(() => {
  assert.ok(existsSync(DEFAULT_SERVER_PATH), `${DEFAULT_SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
});

after(async () => {
  await shared?.shutdown();
});

describe('server, hostile input: alias bombs and nesting', () => {
  it('a billion laughs: one Information, no freeze, the server keeps serving', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      assertNotCheckedWithInformation(await client.open(uniqueUri('laughs'), billionLaughs()));
    });
  });

  it('a billion laughs in a 1,000-label Pod (25 KB): one Information, published within the usual bound', TEST_TIMEOUT, async () => {
    await withOwnServer(async (client) => {
      // Each alias expansion walks the whole document (see test/unit/fuzz/hostile.test.ts): the server is busy for
      // about a minute and misses the publish bound; its own server is killed afterwards instead of waited for.
      assertNotCheckedWithInformation(await client.open(uniqueUri('laughs-large'), billionLaughsInLargeDocument(1_000)));
    });
  });

  for (const [name, text] of [
    ['flow', deepFlowSequence(20_000)],
    ['block', deepBlockSequence(20_000)],
  ] as const) {
    it(`20,000-deep ${name} nesting: one Information, the server keeps serving`, TEST_TIMEOUT, async () => {
      await withSharedServer(async (client) => {
        assertNotCheckedWithInformation(await client.open(uniqueUri(`deep-${name}`), text));
      });
    });
  }
});

describe('server, hostile input: file size (aksPolicy.maxFileSize)', () => {
  it('a 50 MB file over the default 10 MB: one Information on line 0 saying it is larger than the limit, no policy diagnostics', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('fifty-megabytes');
      const text = largeFile(50);
      assert.ok(text.length >= 50 * 1024 * 1024);
      const publish = await client.open(uri, text, { timeoutMs: 60_000 });
      assert.equal(publish.diagnostics.length, 1, describeAll(publish));
      const [notice] = publish.diagnostics;
      assert.equal(notice.severity, DiagnosticSeverity.Information);
      assert.equal(notice.range.start.line, 0);
      assert.match(notice.message, /larger than/);
      // Typing into it stays cheap and keeps the notice.
      const since = client.mark();
      const version = client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# edited\n' }]);
      const edited = await client.waitForDiagnostics(uri, { version, since, timeoutMs: 60_000 });
      assert.deepEqual(edited.diagnostics.map((d) => d.message), [notice.message]);
      client.close(uri);
    });
  });

  it('a lowered limit applies, and a file edited back under it is checked again', TEST_TIMEOUT, async () => {
    await withOwnServer(
      async (client) => {
        const uri = uniqueUri('over-small-limit');
        const big = largeFile(0.02);
        const publish = await client.open(uri, big);
        assert.equal(policyFindings(publish).length, 0, describeAll(publish));
        assert.match(publish.diagnostics[0]?.message ?? '', /larger than/);
        assertPrivilegedOnLine(await client.replaceText(uri, PRIVILEGED_POD), PRIVILEGED_LINE);
      },
      { maxFileSize: 0.01 },
    );
  });
});

describe('server, hostile input: binary and broken text', () => {
  for (const encoding of ['utf8', 'latin1'] as const) {
    it(`a megabyte of random bytes read as ${encoding}: no policy diagnostics, edits still work`, TEST_TIMEOUT, async () => {
      await withSharedServer(async (client) => {
        const uri = uniqueUri(`garbage-${encoding}`);
        assert.deepEqual(policyFindings(await client.open(uri, binaryGarbage(1 << 20, 0xbad, encoding))), []);
        const since = client.mark();
        const version = client.change(uri, [{ range: { start: { line: 3, character: 2 }, end: { line: 40, character: 0 } }, text: 'privileged: true\n\u0000' }]);
        await client.waitForDiagnostics(uri, { version, since });
      });
    });
  }

  it('invalid UTF-8 decoded with replacement characters: the finding stays on its line', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      assertPrivilegedOnLine(await client.open(uniqueUri('invalid-utf8'), podWithInvalidUtf8()), INVALID_UTF8_PRIVILEGED_LINE);
    });
  });

  it('lone surrogates and an emoji before the culprit: the column counts UTF-16 units', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('surrogates');
      const publish = await client.open(uri, POD_WITH_LONE_SURROGATES);
      const lines = POD_WITH_LONE_SURROGATES.split('\n');
      const line = lines.findIndex((text) => text.includes('privileged: true'));
      const diagnostic = assertPrivilegedOnLine(publish, line);
      assert.equal(diagnostic.range.start.character, lines[line].indexOf('privileged: true'));
      assert.deepEqual(policyFindings(await applyPreferredFix(client, uri, diagnostic)), []);
    });
  });
});

describe('server, hostile input: BOM, CRLF, tabs', () => {
  it('a BOM: the finding is on its line, and the quick fix keeps the BOM and removes the finding', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('bom');
      const diagnostic = assertPrivilegedOnLine(await client.open(uri, `\uFEFF${PRIVILEGED_POD}`), PRIVILEGED_LINE);
      assert.deepEqual(policyFindings(await applyPreferredFix(client, uri, diagnostic)), []);
      assert.ok(client.textOf(uri).startsWith('\uFEFF'), 'the BOM is kept');
    });
  });

  it('CRLF: every quick fix and Fix All keep CRLF, and Fix All removes every finding it fixes', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('crlf');
      const text = toCrlf(MANY_VIOLATIONS_POD);
      const publish = await client.open(uri, text);
      assert.ok(policyFindings(publish).length >= 4, describeAll(publish));
      for (const diagnostic of policyFindings(publish)) {
        for (const action of await quickFixes(client, uri, diagnostic)) {
          const fixed = applyTextEdits(text, editsOf(action, uri));
          assert.ok(!/(^|[^\r])\n/.test(fixed), `"${action.title}" wrote a bare LF: ${JSON.stringify(fixed)}`);
        }
      }
      const [fixAll] = (await client.codeActions(uri, WHOLE_FILE, [], [FixAllKind])).filter(isCodeAction);
      assert.ok(fixAll, 'Fix All is offered');
      const fixed = await client.applyEdits(uri, editsOf(fixAll, uri));
      assert.ok(!/(^|[^\r])\n/.test(client.textOf(uri)), `Fix All wrote a bare LF: ${JSON.stringify(client.textOf(uri))}`);
      assert.deepEqual(policyFindings(fixed), [], describeAll(fixed));
    });
  });

  it('tab indentation: one Hint that the document is not checked until it parses, nothing else', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const publish = await client.open(uniqueUri('tabs'), TAB_INDENTED_POD);
      assert.deepEqual(
        publish.diagnostics.map((diagnostic) => diagnostic.severity),
        [DiagnosticSeverity.Hint],
        describeAll(publish),
      );
      assert.match(publish.diagnostics[0].message, /not checked until it parses/);
    });
  });
});

describe('server, hostile input: long lines and empty documents', () => {
  it('a one-megabyte line: the finding is on the line below it, and its fix works', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('long-line');
      const diagnostic = assertPrivilegedOnLine(await client.open(uri, podWithLongLine()), LONG_LINE_PRIVILEGED_LINE);
      assert.deepEqual(policyFindings(await applyPreferredFix(client, uri, diagnostic)), []);
    });
  });

  it('a whole Pod on one megabyte-long line: the finding is at its column, and its fix works', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('one-line');
      const text = oneLinePod();
      const diagnostic = assertPrivilegedOnLine(await client.open(uri, text), 0);
      assert.equal(diagnostic.range.start.character, text.indexOf('privileged: true'));
      assert.deepEqual(policyFindings(await applyPreferredFix(client, uri, diagnostic)), []);
    });
  });

  it('documents that are only a marker: nothing published, nothing offered', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      for (const text of ONLY_MARKERS) {
        const uri = uniqueUri('only-marker');
        assert.deepEqual((await client.open(uri, text)).diagnostics, [], JSON.stringify(text));
        assert.deepEqual(await client.codeActions(uri, WHOLE_FILE, [], ['quickfix', FixAllKind]), [], JSON.stringify(text));
        client.close(uri);
      }
    });
  });

  it('10,000 empty documents before a Pod: the finding is 10,000 lines down, and follows an edit at the top', TEST_TIMEOUT, async () => {
    await withSharedServer(async (client) => {
      const uri = uniqueUri('many-empty');
      assertPrivilegedOnLine(await client.open(uri, manyEmptyDocumentsThenPod(10_000)), 10_000 + PRIVILEGED_LINE);
      const since = client.mark();
      const version = client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
      assertPrivilegedOnLine(await client.waitForDiagnostics(uri, { version, since }), 10_000 - 2 + PRIVILEGED_LINE);
    });
  });
});
