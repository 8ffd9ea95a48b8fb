import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { fixAll, quickFixes, type CodeActionContext } from '../../../server/src/engine/codeActions';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { parseYamlDocument } from '../../../server/src/model/parse';
import { FixAllKind } from '../../../server/src/protocol';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/settings';

const catalog = loadCatalog();
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };
const URI = 'file:///w/pod.yaml';

function contextFor(text: string, settings: Partial<Settings> = {}): CodeActionContext {
  const policy = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, ...settings });
  const document = TextDocument.create(URI, 'yaml', 1, text);
  return { uri: URI, documents: new FileAnalyzer().analyze(text, policy, OPTIONS), policy, options: OPTIONS, positionAt: (offset) => document.positionAt(offset) };
}

function apply(text: string, action: { edit?: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }): string {
  const edits = action.edit?.changes?.[URI] ?? [];
  return TextDocument.applyEdits(TextDocument.create(URI, 'yaml', 1, text), edits);
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostPID: true
  hostIPC: true
  containers:
    - name: app
      image: nginx
      ports:
        - containerPort: 80
          hostPort: 80
      securityContext:
        privileged: true
        capabilities:
          add: ["NET_ADMIN", "CHOWN"]
`;

describe('code actions', () => {
  it('offer the preferred quick fix for the finding under the cursor', () => {
    const context = contextFor(pod);
    const offset = pod.indexOf('privileged: true');
    const actions = quickFixes(context, offset, offset, []);
    const preferred = actions.filter((action) => action.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(apply(pod, preferred[0]), pod.replace('        privileged: true\n', ''));
    assert.ok(actions.some((action) => action.title.startsWith('Suppress k8sazurev2noprivilege')));
  });

  it('insert a suppression comment above the culprit line, at its indentation', () => {
    const context = contextFor(pod);
    const offset = pod.indexOf('hostPID');
    const suppress = quickFixes(context, offset, offset, []).find((action) => action.title.startsWith('Suppress'))!;
    assert.equal(apply(pod, suppress), pod.replace('  hostPID: true', '  # aks-policy-ignore k8sazurev2blockhostnamespace -- \n  hostPID: true'));
  });

  it('fix all: every preferred fix at once, and the file is clean under Baseline', () => {
    const action = fixAll(contextFor(pod))!;
    assert.equal(action.kind, FixAllKind);
    const fixed = apply(pod, action);
    assert.equal(parseYamlDocument(fixed).status, 'ok');
    const after = contextFor(fixed).documents.flatMap((d) => d.verdict.findings);
    assert.deepEqual(after.map((finding) => finding.template), []);
    assert.match(fixed, /add: \["CHOWN"\]/);
  });

  it('fix all never combines edits that touch (Restricted: remove privileged + add seccomp)', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: nginx
      securityContext:
        privileged: true
`;
    const restricted = { initiative: 'restricted' };
    let current = text;
    for (let round = 0; round < 3; round++) {
      const action = fixAll(contextFor(current, restricted));
      if (!action) break;
      current = apply(current, action);
      assert.equal(parseYamlDocument(current).status, 'ok', `round ${round} broke the YAML:\n${current}`);
    }
    const templates = contextFor(current, restricted).documents.flatMap((d) => d.verdict.findings.map((f) => f.template));
    assert.ok(!templates.includes('k8sazurev2noprivilege'));
    assert.ok(!templates.includes('k8sazurev3allowedseccomp'));
  });

  it('fix all leaves out fixes that choose a value (runAsNonRoot, group ids)', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: nginx
`;
    const context = contextFor(text, { initiative: 'restricted' });
    const fixed = apply(text, fixAll(context)!);
    assert.doesNotMatch(fixed, /runAsNonRoot|runAsGroup|fsGroup|supplementalGroups/);
    assert.match(fixed, /type: RuntimeDefault/);
    const offset = text.indexOf('name: app');
    const optional = quickFixes(context, offset, offset + 3, []).filter((action) => /runAsNonRoot/.test(action.title));
    assert.ok(optional.length > 0 && optional.every((action) => !action.isPreferred));
  });
});
