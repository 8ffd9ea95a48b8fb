/**
 * Soak: one server opens, edits and closes many multi-document files for a bounded time, as a long editing session
 * does, and its memory must not creep up: per-document state (texts, parses, verdicts, diagnostics, settings) must
 * not outlive the document. Memory is the server's resident set (VmRSS in /proc), sampled after each cycle, when
 * every file is closed. The garbage collector runs when it likes, so one sample says little; the lowest sample of
 * the first cycles after a warm-up is compared with the lowest of the last ones. A leak of the files opened here
 * raises that floor by tens of megabytes per cycle; collector noise does not raise it.
 * Build first: `node scripts/build.mjs`. SOAK_MS sets the duration (default 20 s).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver';
import { FixAllKind } from '../../server/src/protocol';
import { manifestText } from '../fuzz/manifests';
import { DEFAULT_SERVER_PATH, LspClient, positionAt } from './lspClient';

const SOAK_MS = Number(process.env.SOAK_MS ?? '20000');
const WARM_UP_CYCLES = 2;
/** Cycles whose lowest sample is compared: the first ones after the warm-up, and the last ones. */
const WINDOW_CYCLES = 3;
/** At least this many cycles are measured however long they take, so that the two windows are apart. */
const MIN_MEASURED_CYCLES = 2 * WINDOW_CYCLES + 1;
const FILES_PER_CYCLE = 4;
/** Manifests joined into one file: about 200 KB, so that a leaked file is worth megabytes once parsed. */
const DOCUMENTS_PER_FILE = 100;
const EDITS_PER_FILE = 6;
const GROWTH_LIMIT_MB = 50;
const ANSWER_TIMEOUT_MS = 20_000;

/** A deterministic pool of manifests to build files from. */
const POOL = fc.sample(manifestText(2), { numRuns: 200, seed: 0x50a4 });

function fileText(cycle: number, index: number): string {
  const documents: string[] = [];
  for (let offset = 0; offset < DOCUMENTS_PER_FILE; offset++) documents.push(POOL[(cycle * 31 + index * 7 + offset) % POOL.length]);
  return documents.join('---\n');
}

function residentMb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The lowest of a few samples over half a second. */
async function settledResidentMb(pid: number): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let sample = 0; sample < 4; sample++) {
    await delay(125);
    lowest = Math.min(lowest, residentMb(pid) ?? Number.POSITIVE_INFINITY);
  }
  return lowest;
}

/** Opens files, types into them, asks for code actions, and closes them; every step waits for the server. */
async function cycle(client: LspClient, cycleNumber: number): Promise<void> {
  const uris: string[] = [];
  for (let index = 0; index < FILES_PER_CYCLE; index++) {
    const uri = `file:///soak/cycle-${cycleNumber}/file-${index}.yaml`;
    uris.push(uri);
    let publish = await client.open(uri, fileText(cycleNumber, index));
    for (let edit = 0; edit < EDITS_PER_FILE; edit++) {
      const text = client.textOf(uri);
      const at = positionAt(text, Math.floor((text.length * (edit + 1)) / (EDITS_PER_FILE + 1)));
      // Typing a comment line, then deleting it again: the text changes, its documents mostly do not.
      const change = edit % 2 === 0 ? { range: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, text: `# soak ${edit}\n` } : { range: { start: { line: at.line - 1, character: 0 }, end: { line: at.line, character: 0 } }, text: '' };
      const since = client.mark();
      const version = client.change(uri, [change]);
      publish = await client.waitForDiagnostics(uri, { version, since });
    }
    const target: Diagnostic | undefined = publish.diagnostics.find((diagnostic) => diagnostic.code !== undefined);
    if (target) await client.codeActions(uri, target.range, [target]);
    // Fix All checks every fix of the file: once per cycle is enough to keep its state in play.
    if (index === 0) await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FixAllKind]);
  }
  // A settings change re-checks every open file and drops the settings cache.
  const since = client.mark();
  client.changeSettings({ initiative: cycleNumber % 2 === 0 ? 'baseline' : 'restricted', effect: 'deny' });
  for (const uri of uris) await client.waitForDiagnostics(uri, { since });
  for (const uri of uris) {
    const closing = client.mark();
    client.close(uri);
    const cleared = await client.waitForDiagnostics(uri, { since: closing });
    assert.deepEqual(cleared.diagnostics, [], `closing ${uri} clears its diagnostics`);
  }
}

describe('soak', () => {
  it(`opens, edits and closes files for ${SOAK_MS / 1000} s, and the server's memory does not creep up`, { timeout: SOAK_MS * 6 + 180_000 }, async (t) => {
    assert.ok(existsSync(DEFAULT_SERVER_PATH), `${DEFAULT_SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    const client = await LspClient.start({ settings: { effect: 'deny' }, timeoutMs: ANSWER_TIMEOUT_MS });
    try {
      const pid = client.pid;
      if (pid === undefined || residentMb(pid) === undefined) {
        t.skip('no /proc/<pid>/status here: memory cannot be read');
        return;
      }
      let cycles = 0;
      for (; cycles < WARM_UP_CYCLES; cycles++) await cycle(client, cycles);
      const samples: number[] = [];
      const started = Date.now();
      // Bounded: as many cycles as fit in SOAK_MS (at least MIN_MEASURED_CYCLES), then it stops by itself.
      while (Date.now() - started < SOAK_MS || samples.length < MIN_MEASURED_CYCLES) {
        await cycle(client, cycles++);
        samples.push(await settledResidentMb(pid));
      }
      const first = Math.min(...samples.slice(0, WINDOW_CYCLES));
      const last = Math.min(...samples.slice(-WINDOW_CYCLES));
      t.diagnostic(`${cycles} cycles: ${cycles * FILES_PER_CYCLE} files of ${DOCUMENTS_PER_FILE} documents opened, edited ${EDITS_PER_FILE} times and closed`);
      t.diagnostic(`resident set after each measured cycle (MB): ${samples.map((sample) => sample.toFixed(0)).join(', ')}`);
      assert.ok(
        last - first < GROWTH_LIMIT_MB,
        `the server's lowest resident set rose from ${first.toFixed(0)} MB (cycles ${WARM_UP_CYCLES + 1}-${WARM_UP_CYCLES + WINDOW_CYCLES}) ` +
          `to ${last.toFixed(0)} MB (the last ${WINDOW_CYCLES} of ${cycles} cycles): per-document state outlives its document`,
      );
      assert.ok(client.isAlive);
    } finally {
      await client.shutdown();
    }
  });
});
