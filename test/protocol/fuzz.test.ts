/**
 * The bundled server under random edit sequences, over stdio as an editor drives it: bursts of incremental
 * didChange notifications (several changes in one notification, random ranges and texts, now and then a whole-text
 * replacement) with code action requests in between. After each burst the server must still answer, publish the
 * newest version, and never publish an older version after it; after the sequence, its diagnostics must equal
 * those of the same text opened fresh (incremental evaluation gives the same answer as evaluation from scratch).
 * Build first: `node scripts/build.mjs`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { MessageType } from 'vscode-languageserver';
import { CatalogRequest } from '../../server/src/protocol';
import { fuzzParameters, testTimeout } from '../fuzz/config';
import { manifestText, mutatedManifestText } from '../fuzz/manifests';
import { applyContentChanges, DEFAULT_SERVER_PATH, LspClient, positionAt } from './lspClient';

const BUDGET_MS = 10_000;
/** A request or publish the server owes us; far above what it needs, so only a hung server misses it. */
const ANSWER_TIMEOUT_MS = 15_000;

/**
 * Texts without carriage returns: a lone CR is a line break to the server's TextDocument but not to the client's
 * position arithmetic, so random ranges around one would desynchronise the two copies (a client artefact, not a
 * server bug). CRLF files are covered by the hostile-input tests.
 */
const withoutCarriageReturns = (text: string) => text.replace(/\r/g, '');

const FRAGMENTS = ['', ' ', '\n', ':', '- ', '#', 'true', 'privileged: true\n', '  hostPID: yes\n', '---\n', '{', '}', '[', ']', '&a ', '*a', '\t', '"', "'", '😀', '\uD800', '\u0000', 'kind: Pod\n'];

/** One change, positioned by fractions of the text it applies to. */
interface ChangeSpec {
  from: number;
  length: number;
  text: string;
  /** Replace the whole text instead (a full-document change). */
  whole: boolean;
}

const changeSpec: fc.Arbitrary<ChangeSpec> = fc.record({
  from: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  length: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 400 })),
  text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 16, unit: 'binary' }).map(withoutCarriageReturns)),
  whole: fc.integer({ min: 0, max: 19 }).map((roll) => roll === 0),
});

/** A burst: notifications sent back to back, each with one to three changes, and a code action request among them. */
const burst = fc.record({
  notifications: fc.array(fc.array(changeSpec, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
  codeActionAfter: fc.nat({ max: 3 }),
});

const startText = fc.oneof(manifestText(3), mutatedManifestText(3)).map(withoutCarriageReturns);

/** Turns change specs into LSP content changes, each range relative to the text the previous change left. */
function contentChanges(text: string, specs: readonly ChangeSpec[], replacement: string): { changes: TextDocumentContentChangeEvent[]; text: string } {
  const changes: TextDocumentContentChangeEvent[] = [];
  let current = text;
  for (const spec of specs) {
    let change: TextDocumentContentChangeEvent;
    if (spec.whole) {
      change = { text: replacement };
    } else {
      const start = Math.floor(spec.from * (current.length + 1));
      const end = Math.min(current.length, start + spec.length);
      change = { range: { start: positionAt(current, start), end: positionAt(current, end) }, text: spec.text };
    }
    changes.push(change);
    current = applyContentChanges(current, [change]);
  }
  return { changes, text: current };
}

/** A diagnostic as the user sees it, for comparing two publishes. */
function shown(diagnostic: Diagnostic): string {
  return JSON.stringify([diagnostic.range, diagnostic.severity, diagnostic.code ?? null, diagnostic.message]);
}

function shownSorted(publish: Pick<PublishDiagnosticsParams, 'diagnostics'>): string[] {
  return publish.diagnostics.map(shown).sort();
}

describe('server fuzzing: random edit sequences', () => {
  let client: LspClient;
  let caseNumber = 0;

  before(async () => {
    assert.ok(existsSync(DEFAULT_SERVER_PATH), `${DEFAULT_SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    client = await LspClient.start({ settings: { initiative: 'restricted', effect: 'deny' }, timeoutMs: ANSWER_TIMEOUT_MS });
  });

  after(async () => {
    await client?.shutdown();
  });

  it('keeps answering, publishes the newest version last, and agrees with a fresh evaluation', testTimeout(BUDGET_MS), async (t) => {
    const casesBefore = caseNumber;
    await fc.assert(
      fc.asyncProperty(startText, fc.array(burst, { minLength: 1, maxLength: 5 }), startText, async (initial, bursts, replacement) => {
        const uri = `file:///fuzz/edited-${++caseNumber}.yaml`;
        const caseStart = client.mark();
        const logsBefore = client.logMessages.length;
        await client.open(uri, initial);
        for (const { notifications, codeActionAfter } of bursts) {
          const since = client.mark();
          const pendingActions: Promise<unknown>[] = [];
          notifications.forEach((specs, index) => {
            const { changes } = contentChanges(client.textOf(uri), specs, replacement);
            client.change(uri, changes);
            if (index === codeActionAfter) {
              const text = client.textOf(uri);
              const at = positionAt(text, Math.floor(text.length / 2));
              pendingActions.push(client.codeActions(uri, { start: at, end: at }, []));
            }
          });
          const newest = client.versionOf(uri);
          // Every handler answers (an exception would come back as an error response and reject here).
          await Promise.all(pendingActions);
          await client.request(CatalogRequest);
          await client.waitForDiagnostics(uri, { version: newest, since });
        }
        const published = await client.settle(uri, caseStart, 150);
        const versions = published.map((publish) => publish.version ?? -1);
        assert.deepEqual([...versions].sort((a, b) => a - b), versions, `publishes went back in version: ${versions.join(', ')}`);
        const last = published[published.length - 1];
        assert.equal(last.version, client.versionOf(uri), `the last publish is for version ${last.version}, not the newest ${client.versionOf(uri)}`);

        const finalText = client.textOf(uri);
        client.close(uri);
        const fresh = await client.open(`${uri}.fresh.yaml`, finalText);
        client.close(`${uri}.fresh.yaml`);
        assert.deepEqual(shownSorted(last), shownSorted(fresh), 'incremental diagnostics differ from a fresh evaluation of the same text');

        const errors = client.logMessages.slice(logsBefore).filter((log) => log.type === MessageType.Error);
        assert.deepEqual(errors, [], 'the server logged errors');
        assert.ok(client.isAlive);
      }),
      fuzzParameters(60, BUDGET_MS),
    );
    t.diagnostic(`${caseNumber - casesBefore} edit sequences`);
  });
});

describe('server fuzzing: random edit sequences, pulled as VS Code pulls', () => {
  let client: LspClient;
  let caseNumber = 0;

  before(async () => {
    assert.ok(existsSync(DEFAULT_SERVER_PATH), `${DEFAULT_SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    client = await LspClient.start({ settings: { initiative: 'restricted', effect: 'deny' }, timeoutMs: ANSWER_TIMEOUT_MS, pullDiagnostics: true });
  });

  after(async () => {
    await client?.shutdown();
  });

  it('never answers "unchanged" wrongly: after each burst the report agrees with a fresh evaluation of the text', testTimeout(BUDGET_MS), async (t) => {
    const casesBefore = caseNumber;
    await fc.assert(
      fc.asyncProperty(startText, fc.array(burst, { minLength: 1, maxLength: 5 }), startText, async (initial, bursts, replacement) => {
        const uri = `file:///fuzz/pulled-${++caseNumber}.yaml`;
        await client.open(uri, initial);
        for (const { notifications } of bursts) {
          for (const specs of notifications) client.change(uri, contentChanges(client.textOf(uri), specs, replacement).changes);
          // The report for the newest text, whole or `unchanged` against the previous one.
          const report = await client.pullDiagnostics(uri);
          const fresh = await client.open(`${uri}.fresh-${client.versionOf(uri)}.yaml`, client.textOf(uri));
          client.close(`${uri}.fresh-${client.versionOf(uri)}.yaml`);
          assert.deepEqual(shownSorted({ diagnostics: report.items }), shownSorted(fresh), `the ${report.kind} report differs from a fresh evaluation`);
        }
        client.close(uri);
        assert.ok(client.isAlive);
      }),
      fuzzParameters(40, BUDGET_MS),
    );
    t.diagnostic(`${caseNumber - casesBefore} edit sequences`);
  });
});
