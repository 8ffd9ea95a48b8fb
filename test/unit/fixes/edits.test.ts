import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, editsFor } from '../../../server/src/fixes/edits';
import { parseYamlDocument } from '../../../server/src/model/parse';
import type { FixOperation } from '../../../server/src/templates/types';

function fix(text: string, operations: FixOperation[]): string | undefined {
  const parsed = parseYamlDocument(text);
  assert.equal(parsed.status, 'ok', parsed.reason);
  const edits = editsFor(parsed.doc!, text, operations);
  if (!edits) return undefined;
  const result = applyEdits(text, edits);
  assert.equal(parseYamlDocument(result).status, 'ok', `result does not parse:\n${result}`);
  return result;
}

const pod = [
  'spec:',
  '  containers:',
  '    - name: app # the app',
  '      image: nginx',
  '      securityContext:',
  '        privileged: true # why?',
  '        runAsUser: 1000',
  '',
].join('\n');

describe('remove', () => {
  it('deletes the line of a block pair and nothing else', () => {
    const result = fix(pod, [{ op: 'remove', path: ['spec', 'containers', 0, 'securityContext', 'privileged'] }]);
    assert.equal(result, pod.replace('        privileged: true # why?\n', ''));
  });

  it('removes the holding key when its block would become empty', () => {
    const text = 'spec:\n  hostPID: true\n  securityContext:\n    privileged: true\n  containers: []\n';
    assert.equal(fix(text, [{ op: 'remove', path: ['spec', 'securityContext', 'privileged'] }]), 'spec:\n  hostPID: true\n  containers: []\n');
  });

  it('joins the next key onto the dash when the first key of an item goes', () => {
    const text = 'ports:\n  - hostPort: 80\n    containerPort: 80\n';
    assert.equal(fix(text, [{ op: 'remove', path: ['ports', 0, 'hostPort'] }]), 'ports:\n  - containerPort: 80\n');
  });

  it('removes an entry of a flow map with its comma', () => {
    assert.equal(fix('sc: {privileged: true, runAsUser: 1}\n', [{ op: 'remove', path: ['sc', 'privileged'] }]), 'sc: {runAsUser: 1}\n');
    assert.equal(fix('sc: {runAsUser: 1, privileged: true}\n', [{ op: 'remove', path: ['sc', 'privileged'] }]), 'sc: {runAsUser: 1}\n');
    assert.equal(fix('sc: {privileged: true}\n', [{ op: 'remove', path: ['sc', 'privileged'] }]), 'sc: {}\n');
  });

  it('removes a block sequence item, and the key when it was the last one', () => {
    const text = 'add:\n  - NET_ADMIN\n  - CHOWN\n';
    assert.equal(fix(text, [{ op: 'remove', path: ['add', 0] }]), 'add:\n  - CHOWN\n');
    const only = 'caps:\n  add:\n    - SYS_ADMIN\n  drop: [ALL]\n';
    assert.equal(fix(only, [{ op: 'remove', path: ['caps', 'add', 0] }]), 'caps:\n  drop: [ALL]\n');
  });

  it('removes a flow sequence item', () => {
    assert.equal(fix('add: [NET_ADMIN, CHOWN]\n', [{ op: 'remove', path: ['add', 0] }]), 'add: [CHOWN]\n');
  });

  it('keeps CRLF line endings', () => {
    const text = pod.replace(/\n/g, '\r\n');
    const result = fix(text, [{ op: 'remove', path: ['spec', 'containers', 0, 'securityContext', 'privileged'] }]);
    assert.equal(result, text.replace('        privileged: true # why?\r\n', ''));
  });

  it('refuses to edit a value shared through an alias', () => {
    const text = 'base: &sc {privileged: true}\nspec:\n  sc: *sc\n';
    assert.equal(fix(text, [{ op: 'remove', path: ['spec', 'sc', 'privileged'] }]), undefined);
  });
});

describe('set', () => {
  it('replaces a scalar in place', () => {
    const text = 'sc:\n  allowPrivilegeEscalation: true # keep me\n';
    assert.equal(fix(text, [{ op: 'set', path: ['sc', 'allowPrivilegeEscalation'], value: false }]), 'sc:\n  allowPrivilegeEscalation: false # keep me\n');
  });

  it('adds a missing key at the indentation of its siblings', () => {
    const result = fix(pod, [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], value: false }]);
    assert.equal(result, pod.replace('        runAsUser: 1000\n', '        runAsUser: 1000\n        allowPrivilegeEscalation: false\n'));
  });

  it('creates missing mappings on the way', () => {
    const text = 'containers:\n  - name: app\n    image: nginx\n';
    const result = fix(text, [{ op: 'set', path: ['containers', 0, 'securityContext', 'seccompProfile'], value: { type: 'RuntimeDefault' } }]);
    assert.equal(result, 'containers:\n  - name: app\n    image: nginx\n    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n');
  });

  it('adds to a flow map in flow style', () => {
    assert.equal(fix('sc: {runAsUser: 1}\n', [{ op: 'set', path: ['sc', 'runAsNonRoot'], value: true }]), 'sc: {runAsUser: 1, runAsNonRoot: true}\n');
  });

  it('fills an empty value', () => {
    assert.equal(fix('sc:\nx: 1\n', [{ op: 'set', path: ['sc', 'runAsNonRoot'], value: true }]), 'sc:\n  runAsNonRoot: true\nx: 1\n');
  });

  it('adds at the end of a file without a final newline', () => {
    assert.equal(fix('sc:\n  a: 1', [{ op: 'set', path: ['sc', 'b'], value: 2 }]), 'sc:\n  a: 1\n  b: 2\n');
  });

  it('quotes strings that YAML 1.1 would read otherwise', () => {
    assert.equal(fix('a:\n  b: 1\n', [{ op: 'set', path: ['a', 'c'], value: 'on' }]), 'a:\n  b: 1\n  c: "on"\n');
  });
});
