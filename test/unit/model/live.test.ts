import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { liveDiagnostics, toDiagnostics } from '../../../server/src/engine/diagnostics';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { lineStartsOf, positionOf } from '../../../server/src/model/lines';
import { LiveDocument } from '../../../server/src/model/live';
import { splitDocuments } from '../../../server/src/model/split';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import { TextDocument } from 'vscode-languageserver-textdocument';

const policy = resolvePolicy(loadCatalog(), { ...DEFAULT_SETTINGS, initiative: 'restricted', effect: 'deny' });
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };
const never = () => false;

const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  hostPID: true
  containers:
    - name: ${name}
      image: nginx
      securityContext: {privileged: true}
`;

/** A small deterministic PRNG, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function expectedChunks(text: string) {
  const lineStarts = lineStartsOf(text);
  return splitDocuments(text).map((chunk) => ({ start: chunk.start, startLine: positionOf(lineStarts, chunk.start).line, text: chunk.text }));
}

describe('LiveDocument', () => {
  it('stays equal to a fresh split after any sequence of edits, markers included', () => {
    const next = random(7);
    const pieces = ['---\n', '\n', 'a: 1\n', '- x\n', '--', '-', ' ', 'kind: Pod\n', '\r\n', '# c\n', ''];
    let text = [pod('a'), pod('b'), pod('c')].join('---\n');
    const live = new LiveDocument(text);
    for (let step = 0; step < 2000; step++) {
      const start = Math.floor(next() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(next() * 6));
      const inserted = pieces[Math.floor(next() * pieces.length)];
      text = text.slice(0, start) + inserted + text.slice(end);
      live.applyEdit(start, end, inserted);
      const actual = live.liveChunks().map(({ start: s, startLine, text: t }) => ({ start: s, startLine, text: t }));
      assert.deepEqual(actual, expectedChunks(text), `after step ${step}`);
      assert.equal(live.length, text.length);
    }
    assert.equal(live.getText(), text);
  });

  it('maps positions and offsets as the editor text document does, with CRLF lines and positions past a line end', () => {
    const next = random(11);
    const text = [pod('a'), pod('b').replace(/\n/g, '\r\n'), '', pod('c')].join('---\n');
    const live = new LiveDocument(text);
    const editor = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
    for (let probe = 0; probe < 3000; probe++) {
      const position = { line: Math.floor(next() * (editor.lineCount + 2)) - 1, character: Math.floor(next() * 40) - 2 };
      assert.equal(live.offsetAt(position), editor.offsetAt(position), JSON.stringify(position));
      const offset = Math.floor(next() * (text.length + 4)) - 2;
      assert.deepEqual(live.positionAt(offset), editor.positionAt(offset), `offset ${offset}`);
    }
  });

  it('applies a batch of editor changes in order, each against the text the previous one left', () => {
    let text = [pod('a'), pod('b')].join('---\n');
    const live = new LiveDocument(text);
    const editor = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
    const changes = [
      { range: { start: { line: 3, character: 8 }, end: { line: 3, character: 9 } }, text: 'z\n# moved\n' },
      { range: { start: { line: 10, character: 0 }, end: { line: 12, character: 3 } }, text: '---\n' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# top\r\n' },
    ];
    for (const change of changes) live.applyChange(change);
    TextDocument.update(editor, changes, 2);
    text = editor.getText();
    assert.equal(live.getText(), text);
    assert.deepEqual(
      live.liveChunks().map(({ start, startLine, text: chunkText }) => ({ start, startLine, text: chunkText })),
      expectedChunks(text),
    );
    live.applyChange({ text: 'kind: Pod\n' });
    assert.equal(live.getText(), 'kind: Pod\n');
  });

  it('re-parses only the document an edit touches', () => {
    let text = [pod('a'), pod('b'), pod('c')].join('---\n');
    const live = new LiveDocument(text);
    live.evaluatePending(policy, OPTIONS, never);
    const before = live.liveChunks().map((chunk) => chunk.entry);
    const at = text.indexOf('name: b') + 'name: b'.length;
    text = `${text.slice(0, at)}x${text.slice(at)}`;
    live.applyEdit(at, at, 'x');
    const after = live.liveChunks().map((chunk) => chunk.entry);
    assert.equal(after[0], before[0]);
    assert.equal(after[1], undefined);
    assert.equal(after[2], before[2]);
  });

  it('gives the diagnostics a whole-file analysis gives, after edits that move lines', () => {
    let text = [pod('a'), pod('b'), pod('c')].join('---\n');
    const live = new LiveDocument(text);
    live.evaluatePending(policy, OPTIONS, never);
    for (const [needle, inserted] of [['name: a', '\n# a new line\n'], ['kind: Pod', 'x'], ['hostPID', '\n\n']] as const) {
      const at = text.indexOf(needle);
      text = text.slice(0, at) + inserted + text.slice(at);
      live.applyEdit(at, at, inserted);
      assert.ok(live.evaluatePending(policy, OPTIONS, never));
      const lineStarts = lineStartsOf(text);
      const expected = toDiagnostics(new FileAnalyzer().analyze(text, policy, OPTIONS), (offset) => positionOf(lineStarts, offset));
      assert.deepEqual(liveDiagnostics(live.liveChunks()), expected);
    }
  });

  it('pauses when asked and finishes on a later call', () => {
    const live = new LiveDocument([pod('a'), pod('b'), pod('c')].join('---\n'));
    assert.equal(live.evaluatePending(policy, OPTIONS, () => true), false);
    assert.ok(live.documents().length < 3);
    assert.equal(live.evaluatePending(policy, OPTIONS, never), true);
    assert.equal(live.documents().length, 3);
  });

  it('re-judges documents that read the others when another document changes (unique Service selectors)', () => {
    const service = (name: string, app: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {selector: {app: ${app}}, ports: [{port: 80}]}\n`;
    const unique = resolvePolicy(loadCatalog(), { ...DEFAULT_SETTINGS, policies: { UniqueServiceSelectors: { effect: 'deny', parameters: {} } } });
    let text = `${service('a', 'web')}---\n${service('b', 'api')}`;
    const live = new LiveDocument(text);
    assert.ok(live.evaluatePending(unique, OPTIONS, never));
    assert.equal(live.documents().flatMap((d) => d.verdict.findings).length, 0);
    const at = text.lastIndexOf('api');
    text = `${text.slice(0, at)}web${text.slice(at + 3)}`;
    live.applyEdit(at, at + 3, 'web');
    assert.ok(live.evaluatePending(unique, OPTIONS, never));
    const templates = live.documents().map((d) => d.verdict.findings.map((f) => f.template));
    assert.ok(templates[0].length > 0 && templates[1].length > 0, JSON.stringify(templates));
  });
});
