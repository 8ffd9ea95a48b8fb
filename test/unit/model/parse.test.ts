import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYamlDocument, releaseSyntaxTree } from '../../../server/src/model/parse';
import { splitDocuments } from '../../../server/src/model/split';
import { findResources } from '../../../server/src/model/resources';

describe('splitDocuments', () => {
  it('splits at --- markers in column 0 only', () => {
    const text = 'a: 1\n---\nb: |\n  --- not a marker\n--- # comment\nc: 3\n----\n';
    const chunks = splitDocuments(text);
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      ['a: 1\n', '---\nb: |\n  --- not a marker\n', '--- # comment\nc: 3\n----\n'],
    );
    assert.equal(chunks[2].start, text.indexOf('--- # comment'));
  });

  it('keeps CRLF inside chunks and the text joins back unchanged', () => {
    const text = 'a: 1\r\n---\r\nb: 2\r\n';
    assert.equal(splitDocuments(text).map((chunk) => chunk.text).join(''), text);
  });
});

describe('parseYamlDocument', () => {
  it('reads YAML 1.1 scalars as Kubernetes does', () => {
    const parsed = parseYamlDocument('a: yes\nb: on\nc: 0777\nd: off\ne: "yes"\nf: 2001-12-14\n');
    assert.equal(parsed.status, 'ok');
    assert.deepEqual(parsed.value, { a: true, b: true, c: 511, d: false, e: 'yes', f: '2001-12-14' });
  });

  it('expands merge keys and aliases; local keys win', () => {
    const parsed = parseYamlDocument('base: &b {p: 1, q: 2}\nc:\n  <<: *b\n  q: 3\nd: *b\n');
    assert.deepEqual(parsed.value, { base: { p: 1, q: 2 }, c: { p: 1, q: 3 }, d: { p: 1, q: 2 } });
  });

  it('reads the key `y` as the boolean true, as go-yaml v2 does', () => {
    assert.deepEqual(parseYamlDocument('y: 1\n').value, { true: 1 });
  });

  it('reads flow style and quoted keys', () => {
    const parsed = parseYamlDocument('{"kind": Pod, spec: {containers: [{name: a}]}}');
    assert.deepEqual(parsed.value, { kind: 'Pod', spec: { containers: [{ name: 'a' }] } });
  });

  it('reports a syntax error with its offset and does not judge it', () => {
    const parsed = parseYamlDocument('kind: Pod\nspec: [\n');
    assert.equal(parsed.status, 'syntax-error');
    assert.equal(typeof parsed.reasonOffset, 'number');
    assert.ok(parsed.reason);
  });

  it('refuses an alias whose anchor is in another document', () => {
    const parsed = parseYamlDocument('kind: Pod\nspec: *elsewhere\n');
    assert.equal(parsed.status, 'syntax-error');
    assert.match(parsed.reason ?? '', /unknown anchor "elsewhere"/);
    assert.equal(parsed.reasonOffset, 16);
  });

  it('refuses duplicate keys like the API server', () => {
    assert.equal(parseYamlDocument('a: 1\na: 2\n').status, 'syntax-error');
  });

  it('treats Helm templates as templates, not YAML', () => {
    assert.equal(parseYamlDocument('kind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n').status, 'template');
    assert.equal(parseYamlDocument('{{- if .Values.enabled }}\nkind: Pod\n{{- end }}\n').status, 'template');
    assert.equal(parseYamlDocument('# {{ only in a comment }}\nkind: Pod\n').status, 'ok');
  });

  it('stops an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 8; i++) {
      const name = String.fromCharCode(98 + i);
      const prev = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const parsed = parseYamlDocument(lines.join('\n'));
    assert.equal(parsed.status, 'too-complex');
    assert.match(parsed.reason ?? '', /aliases/);
  });

  it('gives up on absurd nesting without throwing', () => {
    const flow = parseYamlDocument('['.repeat(20_000) + ']'.repeat(20_000));
    assert.ok(flow.status === 'too-complex' || flow.status === 'syntax-error', flow.status);
    const block = parseYamlDocument(Array.from({ length: 20_000 }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n'));
    assert.ok(block.status === 'too-complex' || block.status === 'syntax-error', block.status);
  });

  it('calls comment-only and marker-only documents empty', () => {
    assert.equal(parseYamlDocument('---\n# nothing\n').status, 'empty');
    assert.equal(parseYamlDocument('---').status, 'empty');
  });
});

describe('findResources', () => {
  it('finds a Kubernetes object and its API group', () => {
    const [resource] = findResources(parseYamlDocument('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n').value);
    assert.equal(resource.group, 'apps');
    assert.equal(resource.name, 'web');
    assert.equal(resource.namespace, 'shop');
  });

  it('finds the items of a List', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n- {apiVersion: v1, kind: Pod, metadata: {name: b}}\n';
    const resources = findResources(parseYamlDocument(text).value);
    assert.deepEqual(resources.map((r) => [r.name, r.path]), [['a', ['items', 0]], ['b', ['items', 1]]]);
  });

  it('ignores YAML that is not a Kubernetes object', () => {
    assert.deepEqual(findResources(parseYamlDocument('services:\n  web:\n    image: nginx\n    privileged: true\n').value), []);
    assert.deepEqual(findResources(parseYamlDocument('on: push\njobs:\n  build: {runs-on: ubuntu-latest}\n').value), []);
  });
});

describe('releaseSyntaxTree', () => {
  it('lets the tree go and parses the same tree again when it is asked for', () => {
    const parsed = parseYamlDocument('kind: Pod\nspec:\n  hostPID: true # here\n');
    const tree = parsed.doc!;
    releaseSyntaxTree(parsed);
    const again = parsed.doc!;
    assert.notEqual(again, tree);
    assert.equal(again.toString(), tree.toString());
    assert.deepEqual((again.getIn(['spec', 'hostPID'], true) as { range: unknown }).range, (tree.getIn(['spec', 'hostPID'], true) as { range: unknown }).range);
    assert.equal(parsed.doc, again, 'kept until released again');
    assert.deepEqual(parsed.value, { kind: 'Pod', spec: { hostPID: true } });
  });

  it('keeps a tree parsed again while it is in use, however often it was released before', () => {
    const parsed = parseYamlDocument('kind: Pod\nmetadata: {name: p}\n');
    const others = Array.from({ length: 40 }, (_, index) => parseYamlDocument(`kind: Pod\nmetadata: {name: p${index}}\n`));
    for (let round = 0; round < 100; round++) {
      releaseSyntaxTree(parsed);
      assert.ok(parsed.doc, `round ${round}`);
      // Other documents asked for again push the oldest trees out, never the one just asked for.
      const other = others[round % others.length];
      releaseSyntaxTree(other);
      assert.ok(other.doc);
      assert.ok(parsed.doc?.contents, `round ${round}, after another tree was parsed again`);
    }
  });

  it('splits after a newline only, so that every document starts a line', () => {
    assert.deepEqual(splitDocuments('a: 1\r---\nb: 2\n').map((chunk) => chunk.start), [0]);
    assert.deepEqual(splitDocuments('a: 1\r\n---\r\nb: 2\n').map((chunk) => chunk.start), [0, 6]);
  });
});
