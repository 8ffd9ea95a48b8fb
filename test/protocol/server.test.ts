/**
 * Drives the real bundled language server (dist/server.js) over stdio the way an editor does.
 * Build first: `node scripts/build.mjs && node --import tsx --test test/protocol/server.test.ts`.
 * Every wait is bounded: waits reject with a message naming what did not arrive.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { ActiveConstraintsRequest, CatalogRequest, DiagnosticSource, FixAllKind, type ActiveConstraintsResult, type CatalogResult } from '../../server/src/protocol';
import {
  applyTextEdits,
  DEFAULT_SERVER_PATH,
  editsOf,
  isCodeAction,
  LspClient,
  readRepositoryFile,
  type LspClientOptions,
  type SettingsSection,
} from './lspClient';
import { MANY_VIOLATIONS_POD } from '../fuzz/hostile';

/** A whole test may take this long (server start, several round trips); far above what it needs. */
const TEST_TIMEOUT = { timeout: 60_000 };
const PRIVILEGED = 'k8sazurev2noprivilege';
const HOST_NAMESPACE = 'k8sazurev2blockhostnamespace';
const HOST_PORTS = 'k8sazurev3hostnetworkingports';
const CAPABILITIES = 'k8sazurev3allowedcapabilities';
const SECCOMP = 'k8sazurev3allowedseccomp';
const USERS_GROUPS = 'k8sazurev3allowedusersgroups';

const privilegedPod = readRepositoryFile('examples/nginx-privileged.yaml');
const unprivilegedPod = readRepositoryFile('examples/nginx-unprivileged.yaml');


function uriOf(path: string): string {
  return `file:///workspace/${path}`;
}

async function withServer(settings: SettingsSection, run: (client: LspClient) => Promise<void>, options: LspClientOptions = {}): Promise<void> {
  const client = await LspClient.start({ settings, ...options });
  try {
    await run(client);
  } finally {
    await client.shutdown();
  }
}

function withCode(publish: PublishDiagnosticsParams, code: string): Diagnostic[] {
  return publish.diagnostics.filter((diagnostic) => diagnostic.code === code);
}

function codesOf(publish: PublishDiagnosticsParams): string[] {
  return [...new Set(publish.diagnostics.map((diagnostic) => String(diagnostic.code)))].sort();
}

/** The only diagnostic with `code`; fails listing what was published otherwise. */
function single(publish: PublishDiagnosticsParams, code: string): Diagnostic {
  const found = withCode(publish, code);
  assert.equal(found.length, 1, `expected one ${code} diagnostic, got: ${JSON.stringify(publish.diagnostics.map((d) => [d.code, d.range.start.line]))}`);
  return found[0];
}

function lineIndex(text: string, needle: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => line.includes(needle));
  assert.notEqual(index, -1, `no line contains ${JSON.stringify(needle)}`);
  return index;
}

function withoutLines(text: string, removed: readonly number[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(eol)
    .filter((_, index) => !removed.includes(index))
    .join(eol);
}

function hasBareLineFeed(text: string): boolean {
  return /(^|[^\r])\n/.test(text);
}

const WHOLE_FILE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

async function fixAllActions(client: LspClient, uri: string, only: string[] = [FixAllKind]): Promise<CodeAction[]> {
  return (await client.codeActions(uri, WHOLE_FILE, [], only)).filter(isCodeAction);
}

async function quickFixesAt(client: LspClient, uri: string, diagnostic: Diagnostic, diagnostics: Diagnostic[] = [diagnostic]): Promise<CodeAction[]> {
  return (await client.codeActions(uri, diagnostic.range, diagnostics, ['quickfix'])).filter(isCodeAction);
}

before(() => {
  assert.ok(existsSync(DEFAULT_SERVER_PATH), `${DEFAULT_SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
});

describe('diagnostics', () => {
  it('publishes the cluster finding on open, on the privileged line, for the opened version', TEST_TIMEOUT, async () => {
    await withServer({ initiative: 'baseline', effect: 'audit' }, async (client) => {
      const uri = uriOf('nginx-privileged.yaml');
      const publish = await client.open(uri, privilegedPod, { version: 7 });
      assert.equal(publish.version, 7);
      const diagnostic = single(publish, PRIVILEGED);
      assert.equal(publish.diagnostics.length, 1);
      const line = privilegedPod.split('\n')[10];
      const column = line.indexOf('privileged: true');
      assert.ok(column > 0, 'the example has `privileged: true` on line 10 (0-based)');
      assert.deepEqual(diagnostic.range, { start: { line: 10, character: column }, end: { line: 10, character: column + 'privileged: true'.length } });
      assert.equal(diagnostic.source, DiagnosticSource);
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.ok(
        diagnostic.message.startsWith(
          '[azurepolicy-k8sazurev2noprivilege] Privileged container is not allowed: nginx-privileged, securityContext: {"privileged": true}',
        ),
        diagnostic.message,
      );
      assert.match(diagnostic.codeDescription?.href ?? '', /^https:\/\//);
      // Settings are pulled per document, as multi-root workspaces need.
      assert.ok(client.configurationScopes.includes(uri), `workspace/configuration scopes: ${JSON.stringify(client.configurationScopes)}`);
    });
  });

  it('publishes an empty list for a clean file', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const publish = await client.open(uriOf('nginx-unprivileged.yaml'), unprivilegedPod);
      assert.deepEqual(publish.diagnostics, []);
      assert.equal(publish.version, 1);
    });
  });

  it('follows incremental edits and ends on the newest version, without a stale publish after it', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const uri = uriOf('edited.yaml');
      assert.equal(single(await client.open(uri, privilegedPod), PRIVILEGED).range.start.line, 10);

      // A line inserted above moves the finding down.
      let since = client.mark();
      let version = client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# edited\n' }]);
      assert.equal(single(await client.waitForDiagnostics(uri, { version, since }), PRIVILEGED).range.start.line, 11);

      // A burst of edits without waiting: `true` becomes `false` over three versions, one of them with two changes.
      since = client.mark();
      client.change(uri, [{ range: { start: { line: 11, character: 20 }, end: { line: 11, character: 24 } }, text: 'fal' }]);
      client.change(uri, [
        { range: { start: { line: 11, character: 23 }, end: { line: 11, character: 23 } }, text: 's' },
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# burst\n' },
      ]);
      version = client.change(uri, [{ range: { start: { line: 12, character: 24 }, end: { line: 12, character: 24 } }, text: 'e' }]);
      assert.equal(client.textOf(uri).split('\n')[12], '        privileged: false');
      assert.deepEqual((await client.waitForDiagnostics(uri, { version, since })).diagnostics, []);
      const burst = await client.settle(uri, since);
      const versions = burst.map((publish) => publish.version ?? -1);
      assert.deepEqual([...versions].sort((a, b) => a - b), versions, `publishes went back in version: ${versions.join(', ')}`);
      assert.equal(versions[versions.length - 1], version, `the last publish is for version ${versions[versions.length - 1]}, not the newest ${version}`);

      // And back: the finding returns on the line where the client's copy has it.
      since = client.mark();
      version = client.change(uri, [{ range: { start: { line: 12, character: 20 }, end: { line: 12, character: 25 } }, text: 'true' }]);
      const back = await client.waitForDiagnostics(uri, { version, since });
      assert.equal(single(back, PRIVILEGED).range.start.line, lineIndex(client.textOf(uri), 'privileged: true'));
      assert.equal(single(back, PRIVILEGED).range.start.line, 12);
    });
  });

  it('maps effects to severities: audit → Warning, deny → Error, disabled → nothing', TEST_TIMEOUT, async () => {
    await withServer({ effect: 'audit' }, async (client) => {
      const uri = uriOf('severity.yaml');
      assert.equal(single(await client.open(uri, privilegedPod), PRIVILEGED).severity, DiagnosticSeverity.Warning);

      let since = client.mark();
      client.changeSettings({ effect: 'deny' });
      assert.equal(single(await client.waitForDiagnostics(uri, { since }), PRIVILEGED).severity, DiagnosticSeverity.Error);

      since = client.mark();
      client.changeSettings({ effect: 'Disabled' });
      assert.deepEqual((await client.waitForDiagnostics(uri, { since })).diagnostics, []);
    });
  });

  it('a per-policy override changes only that policy', TEST_TIMEOUT, async () => {
    await withServer({ effect: 'audit' }, async (client) => {
      const uri = uriOf('override.yaml');
      assert.deepEqual(codesOf(await client.open(uri, MANY_VIOLATIONS_POD)), [PRIVILEGED, HOST_NAMESPACE, CAPABILITIES, HOST_PORTS].sort());

      let since = client.mark();
      client.changeSettings({ effect: 'audit', policies: { NoPrivilegedContainers: { effect: 'disabled' } } });
      let publish = await client.waitForDiagnostics(uri, { since });
      assert.deepEqual(codesOf(publish), [HOST_NAMESPACE, CAPABILITIES, HOST_PORTS].sort());

      since = client.mark();
      client.changeSettings({ effect: 'audit', policies: { NoPrivilegedContainers: { effect: 'Deny' } } });
      publish = await client.waitForDiagnostics(uri, { since });
      assert.equal(single(publish, PRIVILEGED).severity, DiagnosticSeverity.Error);
      for (const other of publish.diagnostics.filter((diagnostic) => diagnostic.code !== PRIVILEGED)) {
        assert.equal(other.severity, DiagnosticSeverity.Warning, `${String(other.code)} keeps the initiative's effect`);
      }

      since = client.mark();
      client.changeSettings({ effect: 'audit', policies: { NoPrivilegedContainers: { parameters: { excludedContainers: ['app'] } } } });
      publish = await client.waitForDiagnostics(uri, { since });
      assert.deepEqual(withCode(publish, PRIVILEGED), [], 'the excluded container is not reported');
      assert.ok(withCode(publish, HOST_NAMESPACE).length > 0);
    });
  });

  it('re-checks every open document when the configuration changes', TEST_TIMEOUT, async () => {
    await withServer({ effect: 'audit' }, async (client) => {
      const uris = ['one.yaml', 'two.yaml', 'three.yaml'].map(uriOf);
      for (const uri of uris) assert.equal(single(await client.open(uri, privilegedPod), PRIVILEGED).severity, DiagnosticSeverity.Warning);
      const since = client.mark();
      client.changeSettings({ effect: 'deny' });
      for (const uri of uris) {
        const publish = await client.waitForDiagnostics(uri, { since });
        assert.equal(single(publish, PRIVILEGED).severity, DiagnosticSeverity.Error, uri);
        assert.equal(publish.version, 1);
      }
    });
  });

  it('switching the initiative to Restricted adds its policies', TEST_TIMEOUT, async () => {
    await withServer({ initiative: 'baseline' }, async (client) => {
      const uri = uriOf('restricted.yaml');
      assert.deepEqual((await client.open(uri, unprivilegedPod)).diagnostics, []);
      const since = client.mark();
      client.changeSettings({ initiative: 'restricted', effect: 'deny' });
      const publish = await client.waitForDiagnostics(uri, { since });
      const codes = codesOf(publish);
      assert.ok(codes.includes(SECCOMP), `codes: ${codes.join(', ')}`);
      assert.ok(codes.includes(USERS_GROUPS), `codes: ${codes.join(', ')}`);
      assert.ok(publish.diagnostics.every((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error));
    });
  });

  it("notes on a Deployment's finding that the Deployment itself is accepted", TEST_TIMEOUT, async () => {
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx',
      '          securityContext:',
      '            privileged: true',
      '',
    ].join('\n');
    await withServer({}, async (client) => {
      const diagnostic = single(await client.open(uriOf('deployment.yaml'), deployment), PRIVILEGED);
      assert.ok(diagnostic.message.includes('(the Deployment is accepted'), diagnostic.message);
      assert.equal(diagnostic.range.start.line, 13);
    });
  });

  it('hints once at a document with a syntax error and keeps the findings of the others', TEST_TIMEOUT, async () => {
    const text = [
      'apiVersion: v1', // 0
      'kind: Pod',
      'metadata:',
      '  name: first',
      'spec:',
      '  hostPID: true', // 5
      '  containers:',
      '    - name: a',
      '      image: a',
      '---', // 9
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: broken',
      '  labels: {a: [}', // 14
      'spec:',
      '  containers:',
      '    - name: b',
      '      image: b',
      '      securityContext:',
      '        privileged: true',
      '---', // 21
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: third',
      'spec:',
      '  containers:',
      '    - name: c',
      '      image: c',
      '      securityContext:',
      '        privileged: true', // 31
      '',
    ].join('\n');
    await withServer({}, async (client) => {
      const publish = await client.open(uriOf('multi.yaml'), text);
      const hints = publish.diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Hint);
      assert.equal(hints.length, 1, JSON.stringify(publish.diagnostics));
      assert.match(hints[0].message, /not checked until it parses/);
      assert.ok(hints[0].range.start.line >= 9 && hints[0].range.start.line < 21, `the hint is inside the broken document: line ${hints[0].range.start.line}`);
      const inBroken = publish.diagnostics.filter((d) => d.range.start.line >= 9 && d.range.start.line < 21);
      assert.deepEqual(inBroken, hints, 'the broken document gets nothing but the hint');
      assert.equal(single(publish, HOST_NAMESPACE).range.start.line, 5);
      assert.equal(single(publish, PRIVILEGED).range.start.line, 31);
    });
  });

  it('publishes nothing for YAML that is not Kubernetes, nor for a Helm template', TEST_TIMEOUT, async () => {
    const compose = ['version: "3.8"', 'services:', '  web:', '    image: nginx', '    privileged: true', '    pid: host', '    ports:', '      - "80:80"', ''].join('\n');
    const workflow = [
      'name: CI',
      'on: [push]',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    container:',
      '      image: node:20',
      '      options: --privileged',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: npm test',
      '',
    ].join('\n');
    const helm = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: {{ include "chart.fullname" . }}',
      'spec:',
      '  hostPID: true',
      '  containers:',
      '    - name: {{ .Chart.Name }}',
      '      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '      securityContext:',
      '        privileged: true',
      '',
    ].join('\n');
    await withServer({ effect: 'deny' }, async (client) => {
      for (const [path, text] of [
        ['docker-compose.yaml', compose],
        ['.github/workflows/ci.yml', workflow],
        ['chart/templates/pod.yaml', helm],
      ]) {
        const publish = await client.open(uriOf(path), text);
        assert.deepEqual(publish.diagnostics, [], `${path}: ${JSON.stringify(publish.diagnostics)}`);
      }
      // The same Pod without template directives is judged: the Helm file is skipped for being a template.
      const rendered = helm.replace(/\{\{[^}]*\}\}/g, 'x');
      assert.ok((await client.open(uriOf('rendered.yaml'), rendered)).diagnostics.length > 0);
    });
  });

  it('publishes an empty list for an excluded file', TEST_TIMEOUT, async () => {
    await withServer({ exclude: ['**/vendor/**'] }, async (client) => {
      assert.deepEqual((await client.open(uriOf('vendor/lib/pod.yaml'), privilegedPod)).diagnostics, []);
      assert.equal(single(await client.open(uriOf('app/pod.yaml'), privilegedPod), PRIVILEGED).code, PRIVILEGED);
    });
  });

  it('clears the diagnostics of a closed document', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const uri = uriOf('closed.yaml');
      single(await client.open(uri, privilegedPod), PRIVILEGED);
      const since = client.mark();
      client.close(uri);
      assert.deepEqual((await client.waitForDiagnostics(uri, { since })).diagnostics, []);
    });
  });
});

describe('code actions', () => {
  it('offers a preferred quick fix for privileged that removes just that line', TEST_TIMEOUT, async () => {
    // A sibling key keeps securityContext alive, so the fix has exactly one line to remove.
    const text = privilegedPod.replace('        privileged: true\n', '        privileged: true\n        readOnlyRootFilesystem: true\n');
    await withServer({ effect: 'deny' }, async (client) => {
      const uri = uriOf('quickfix.yaml');
      const diagnostic = single(await client.open(uri, text), PRIVILEGED);
      const fixes = (await quickFixesAt(client, uri, diagnostic)).filter((action) => action.isPreferred);
      assert.equal(fixes.length, 1, 'one preferred quick fix');
      assert.equal(fixes[0].kind, 'quickfix');
      assert.deepEqual(fixes[0].diagnostics?.map((d) => d.code), [PRIVILEGED]);
      const fixed = applyTextEdits(text, editsOf(fixes[0], uri));
      assert.equal(fixed, withoutLines(text, [10]));

      const publish = await client.applyEdits(uri, editsOf(fixes[0], uri));
      assert.equal(client.textOf(uri), fixed);
      assert.deepEqual(withCode(publish, PRIVILEGED), []);
      assert.deepEqual(publish.diagnostics, []);
    });
  });

  it('removes the emptied securityContext along with privileged in the how-to pod', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const uri = uriOf('howto.yaml');
      const diagnostic = single(await client.open(uri, privilegedPod), PRIVILEGED);
      const preferred = (await quickFixesAt(client, uri, diagnostic)).find((action) => action.isPreferred);
      assert.ok(preferred, 'a preferred fix');
      // `securityContext:` would be left holding null: the fix removes it too, and nothing else.
      assert.equal(applyTextEdits(privilegedPod, editsOf(preferred, uri)), withoutLines(privilegedPod, [9, 10]));
      assert.deepEqual((await client.applyEdits(uri, editsOf(preferred, uri))).diagnostics, []);
    });
  });

  it('fixes every Baseline violation at once with source.fixAll.aksPolicy', TEST_TIMEOUT, async () => {
    await withServer({ initiative: 'baseline', effect: 'deny' }, async (client) => {
      const uri = uriOf('fix-all.yaml');
      const opened = await client.open(uri, MANY_VIOLATIONS_POD);
      assert.deepEqual(codesOf(opened), [PRIVILEGED, HOST_NAMESPACE, CAPABILITIES, HOST_PORTS].sort());
      assert.equal(withCode(opened, HOST_NAMESPACE).length, 2, 'hostPID and hostIPC');

      const actions = await fixAllActions(client, uri);
      assert.equal(actions.length, 1, `one action for context.only, got ${JSON.stringify(actions.map((a) => a.kind))}`);
      assert.equal(actions[0].kind, FixAllKind);
      // VS Code's `editor.codeActionsOnSave: {"source.fixAll": ...}` asks for the parent kind.
      assert.equal((await fixAllActions(client, uri, ['source.fixAll'])).length, 1);

      const fixed = applyTextEdits(MANY_VIOLATIONS_POD, editsOf(actions[0], uri));
      for (const gone of ['hostPID', 'hostIPC', 'hostPort', 'privileged', 'NET_ADMIN']) assert.ok(!fixed.includes(gone), `${gone} is still in:\n${fixed}`);
      for (const kept of ['containerPort: 80', 'CHOWN', 'image: nginx']) assert.ok(fixed.includes(kept), `${kept} was removed:\n${fixed}`);
      const publish = await client.applyEdits(uri, editsOf(actions[0], uri));
      assert.deepEqual(publish.diagnostics, []);
    });
  });

  it('leaves fixes that are not preferred (Restricted runAsNonRoot, group ids) out of fix-all', TEST_TIMEOUT, async () => {
    await withServer({ initiative: 'restricted', effect: 'deny' }, async (client) => {
      const uri = uriOf('restricted-fix-all.yaml');
      const opened = await client.open(uri, unprivilegedPod);
      const runAsNonRoot = opened.diagnostics.find((d) => d.code === USERS_GROUPS && d.message.includes('runAsNonRoot'));
      assert.ok(runAsNonRoot, 'Restricted asks for runAsNonRoot');
      const offered = await quickFixesAt(client, uri, runAsNonRoot);
      const setNonRoot = offered.find((action) => action.title.includes('runAsNonRoot'));
      assert.ok(setNonRoot, `a runAsNonRoot fix is offered: ${offered.map((a) => a.title).join(' | ')}`);
      assert.notEqual(setNonRoot.isPreferred, true);

      const [fixAll] = await fixAllActions(client, uri);
      assert.ok(fixAll, 'the seccomp fix is preferred, so there is a fix-all');
      const fixed = applyTextEdits(unprivilegedPod, editsOf(fixAll, uri));
      for (const chosenValue of ['runAsNonRoot', 'runAsGroup', 'fsGroup', 'supplementalGroups']) assert.ok(!fixed.includes(chosenValue), `fix-all set ${chosenValue}`);
      assert.ok(fixed.includes('RuntimeDefault'), fixed);
      const publish = await client.applyEdits(uri, editsOf(fixAll, uri));
      assert.deepEqual(withCode(publish, SECCOMP), []);
      assert.ok(withCode(publish, USERS_GROUPS).length > 0, 'the user and group findings remain for the author to decide');
    });
  });

  it('offers each code action once', TEST_TIMEOUT, async () => {
    // Two Restricted findings (runAsNonRoot, runAsGroup) share a span: each offered its own, identical suppression.
    await withServer({ initiative: 'restricted' }, async (client) => {
      const uri = uriOf('duplicates.yaml');
      const opened = await client.open(uri, unprivilegedPod);
      const diagnostic = opened.diagnostics.find((d) => d.code === USERS_GROUPS);
      assert.ok(diagnostic);
      const actions = (await client.codeActions(uri, diagnostic.range, opened.diagnostics)).filter(isCodeAction);
      const seen = new Map<string, number>();
      for (const action of actions) {
        const key = JSON.stringify([action.kind, action.title, action.edit]);
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      const repeated = [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${count}× ${JSON.parse(key)[1]}`);
      assert.deepEqual(repeated, [], 'the same action (title and edit) is offered more than once');
    });
  });

  it('suppresses a finding once a reason follows "--", and warns while the reason is empty', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const uri = uriOf('suppress.yaml');
      const diagnostic = single(await client.open(uri, privilegedPod), PRIVILEGED);
      const suppress = (await quickFixesAt(client, uri, diagnostic)).find((action) => action.title.startsWith('Suppress'));
      assert.ok(suppress, 'a suppression action');
      const edits = editsOf(suppress, uri);
      assert.deepEqual(edits, [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, newText: '        # aks-policy-ignore k8sazurev2noprivilege -- \n' }]);

      const withoutReason = await client.applyEdits(uri, edits);
      assert.equal(single(withoutReason, PRIVILEGED).range.start.line, 11, 'an empty reason silences nothing');
      const warnings = withoutReason.diagnostics.filter((d) => d.code === undefined && d.severity === DiagnosticSeverity.Warning);
      assert.equal(warnings.length, 1, JSON.stringify(withoutReason.diagnostics));
      assert.match(warnings[0].message, /needs a reason/);
      assert.equal(warnings[0].range.start.line, 10);

      const since = client.mark();
      const end = client.textOf(uri).split('\n')[10].length;
      const version = client.change(uri, [{ range: { start: { line: 10, character: end }, end: { line: 10, character: end } }, text: 'the CNI agent needs it' }]);
      assert.deepEqual((await client.waitForDiagnostics(uri, { version, since })).diagnostics, []);
    });
  });

  it('offers suppressions that work, also for a document that starts on its `---` line', TEST_TIMEOUT, async () => {
    // Legal YAML: the document's content on the marker line. The comment must land inside that document.
    const text = '--- {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "flow"}, "spec": {"containers": [{"name": "c", "image": "i", "securityContext": {"privileged": true}}]}}\n';
    await withServer({}, async (client) => {
      const uri = uriOf('marker-line.yaml');
      const diagnostic = single(await client.open(uri, text), PRIVILEGED);
      const suppress = (await quickFixesAt(client, uri, diagnostic)).find((action) => action.title.startsWith('Suppress'));
      if (!suppress) return; // Not offering a suppression it cannot place would be fine too.
      const withReason = editsOf(suppress, uri).map((edit) => ({ ...edit, newText: edit.newText.replace(/-- (\r?\n)$/, '-- generated by a tool$1') }));
      const publish = await client.applyEdits(uri, withReason);
      assert.deepEqual(withCode(publish, PRIVILEGED), [], `the offered suppression does not silence the finding; text now:\n${client.textOf(uri)}`);
    });
  });

  it('keeps reporting a suppressed finding when allowSuppressions is false', TEST_TIMEOUT, async () => {
    const suppressed = privilegedPod.replace('        privileged: true', '        # aks-policy-ignore k8sazurev2noprivilege -- the CNI agent needs it\n        privileged: true');
    await withServer({ allowSuppressions: true }, async (client) => {
      const uri = uriOf('no-suppressions.yaml');
      assert.deepEqual(withCode(await client.open(uri, suppressed), PRIVILEGED), [], 'honoured while allowed');
      const since = client.mark();
      client.changeSettings({ allowSuppressions: false });
      const publish = await client.waitForDiagnostics(uri, { since });
      assert.equal(single(publish, PRIVILEGED).range.start.line, 11);
    });
  });

  it('keeps CRLF line endings in quick fixes, suppressions and fix-all', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const crlfPod = privilegedPod.replace(/\n/g, '\r\n');
      const uri = uriOf('crlf.yaml');
      const diagnostic = single(await client.open(uri, crlfPod), PRIVILEGED);
      assert.equal(diagnostic.range.start.line, 10);
      const actions = await quickFixesAt(client, uri, diagnostic);
      const suppress = actions.find((action) => action.title.startsWith('Suppress'));
      assert.ok(suppress);
      assert.ok(editsOf(suppress, uri).every((edit) => edit.newText.endsWith('\r\n') && !hasBareLineFeed(edit.newText)), JSON.stringify(editsOf(suppress, uri)));
      const preferred = actions.find((action) => action.isPreferred);
      assert.ok(preferred);
      const fixed = applyTextEdits(crlfPod, editsOf(preferred, uri));
      assert.ok(!hasBareLineFeed(fixed), JSON.stringify(fixed));
      assert.equal(fixed, withoutLines(crlfPod, [9, 10]));
      assert.deepEqual((await client.applyEdits(uri, editsOf(preferred, uri))).diagnostics, []);

      const crlfMany = MANY_VIOLATIONS_POD.replace(/\n/g, '\r\n');
      const manyUri = uriOf('crlf-many.yaml');
      assert.ok((await client.open(manyUri, crlfMany)).diagnostics.length >= 5);
      const [fixAll] = await fixAllActions(client, manyUri);
      assert.ok(fixAll);
      const allFixed = applyTextEdits(crlfMany, editsOf(fixAll, manyUri));
      assert.ok(!hasBareLineFeed(allFixed), JSON.stringify(allFixed));
      assert.deepEqual((await client.applyEdits(manyUri, editsOf(fixAll, manyUri))).diagnostics, []);
    });
  });
});

describe('robustness', () => {
  it('survives garbage and keeps answering', TEST_TIMEOUT, async () => {
    const garbage = garbageDocuments();
    await withServer({}, async (client) => {
      for (const [name, text] of garbage) {
        const publish = await client.open(uriOf(`garbage/${name}.yaml`), text, { timeoutMs: 30_000 });
        assert.deepEqual(
          publish.diagnostics.filter((d) => d.code !== undefined),
          [],
          `${name}: garbage yields no policy findings`,
        );
      }
      assert.ok(client.isAlive, 'the server is still running');
      assert.equal(single(await client.open(uriOf('after-garbage.yaml'), privilegedPod), PRIVILEGED).range.start.line, 10);
      const catalog = await client.request<CatalogResult>(CatalogRequest);
      assert.equal(catalog.initiatives.length, 6);
    });
  });
});

/** Deterministic hostile inputs: binary noise, an alias bomb, deep nesting, one huge line, only a marker. */
function garbageDocuments(): [string, string][] {
  let seed = 20_260_101;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  let noise = '';
  for (let i = 0; i < 20_000; i++) noise += String.fromCharCode(random() % 0xffff);
  const laughs = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: bomb', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    laughs.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
  }
  laughs.push('spec:', '  containers:', '    - name: x', '      image: y', '      args: *j', '      securityContext: {privileged: true}', '');
  return [
    ['binary', noise],
    ['alias-bomb', laughs.join('\n')],
    ['nested-brackets', '['.repeat(20_000)],
    ['one-long-line', `# ${'x'.repeat(2 * 1024 * 1024)}`],
    ['one-long-flow-line', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'y'.repeat(2 * 1024 * 1024) } })],
    ['only-marker', '---'],
  ];
}

describe('custom requests', () => {
  it('aksPolicy/catalog lists Baseline (5 policies), CIS (7), Restricted (8), Deployment Safeguards (27) and the Pod Security Standards (12 and 15)', TEST_TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const catalog = await client.request<CatalogResult>(CatalogRequest);
      assert.deepEqual(
        catalog.initiatives.map((initiative) => [initiative.alias, initiative.members.length]),
        [
          ['baseline', 5],
          ['cis', 7],
          ['pss-baseline', 12],
          ['pss-restricted', 15],
          ['restricted', 8],
          ['safeguards', 27],
        ],
      );
      for (const member of catalog.initiatives.flatMap((initiative) => initiative.members)) {
        assert.match(member.template, /^(k8sazurev\d|pss-|mutate-)/);
        assert.match(member.docsUrl, /^https:\/\//);
        assert.ok(member.referenceId.length > 0);
      }
      const restricted = catalog.initiatives.find((initiative) => initiative.alias === 'restricted')?.members.map((member) => member.template) ?? [];
      assert.ok(restricted.includes(SECCOMP) && restricted.includes(USERS_GROUPS));
    });
  });

  it('pss-restricted: one diagnostic per check and cause, coded pss-<check id>, with the PSA message and a link to the standard', TEST_TIMEOUT, async () => {
    await withServer({ initiative: 'pss-restricted', effect: 'deny' }, async (client) => {
      const publish = await client.open(uriOf('pss.yaml'), privilegedPod);
      assert.deepEqual(codesOf(publish), ['pss-allowPrivilegeEscalation', 'pss-capabilities_restricted', 'pss-privileged', 'pss-runAsNonRoot', 'pss-seccompProfile_restricted']);
      const privileged = single(publish, 'pss-privileged');
      assert.equal(privileged.message, 'privileged (container "nginx-privileged" must not set securityContext.privileged=true)');
      assert.equal(privileged.severity, DiagnosticSeverity.Error);
      assert.equal(privileged.range.start.line, 10);
      assert.equal(privileged.codeDescription?.href, 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline');
    });
  });

  it('aksPolicy/activeConstraints describes what is in force', TEST_TIMEOUT, async () => {
    await withServer({ initiative: 'restricted', effect: 'deny', policies: { NoPrivilegedContainers: { effect: 'disabled' } } }, async (client) => {
      const uri = uriOf('active.yaml');
      await client.open(uri, unprivilegedPod);
      const active = await client.request<ActiveConstraintsResult>(ActiveConstraintsRequest, { uri });
      assert.equal(active.effect, 'deny');
      assert.deepEqual(active.problems, []);
      assert.match(active.initiative.displayName, /restricted/i);
      assert.equal(active.constraints.length, 8);
      const privileged = active.constraints.find((constraint) => constraint.template === PRIVILEGED);
      assert.equal(privileged?.effect, 'disabled');
      assert.equal(privileged?.referenceId, 'NoPrivilegedContainers');
      assert.equal(privileged?.kind, 'K8sAzureV2NoPrivilege');
      for (const constraint of active.constraints.filter((c) => c !== privileged)) assert.equal(constraint.effect, 'deny', constraint.referenceId);
      for (const constraint of active.constraints) {
        assert.ok(constraint.match.kinds.includes('Pod'), `${constraint.referenceId} matches Pods`);
        assert.ok(constraint.match.excludedNamespaces.includes('kube-system'));
        assert.equal(typeof constraint.parameters, 'object');
      }
      const seccomp = active.constraints.find((constraint) => constraint.template === SECCOMP);
      assert.deepEqual((seccomp?.parameters as { allowedProfiles?: unknown }).allowedProfiles, ['runtime/default', 'docker/default']);
    });
  });

  it('reports bad settings in aksPolicy/activeConstraints', TEST_TIMEOUT, async () => {
    await withServer({ effect: 'sometimes', parameters: { bogus: 1 } }, async (client) => {
      const active = await client.request<ActiveConstraintsResult>(ActiveConstraintsRequest, {});
      assert.equal(active.effect, 'audit');
      assert.equal(active.problems.length, 2, JSON.stringify(active.problems));
      assert.ok(active.problems.some((problem) => problem.includes('aksPolicy.effect') && problem.includes('"sometimes"')), JSON.stringify(active.problems));
      assert.ok(active.problems.some((problem) => problem.includes('bogus')), JSON.stringify(active.problems));
    });
  });

  it('falls back from a bad effect to audit and tells the user once', TEST_TIMEOUT, async () => {
    await withServer({ effect: 'sometimes' }, async (client) => {
      const uris = ['bad-1.yaml', 'bad-2.yaml'].map(uriOf);
      for (const uri of uris) assert.equal(single(await client.open(uri, privilegedPod), PRIVILEGED).severity, DiagnosticSeverity.Warning);
      const since = client.mark();
      client.changeSettings({ effect: 'sometimes' });
      for (const uri of uris) assert.equal(single(await client.waitForDiagnostics(uri, { since }), PRIVILEGED).severity, DiagnosticSeverity.Warning);
      // The server uses showWarningMessage (window/showMessageRequest); a plain window/showMessage would do as well.
      const aboutEffect = client.shownMessages.filter((message) => message.message.includes('aksPolicy.effect'));
      assert.equal(aboutEffect.length, 1, JSON.stringify(client.shownMessages));
      assert.equal(aboutEffect[0].type, 2, 'shown as a warning');
      assert.match(aboutEffect[0].message, /"sometimes".*audit/);
    });
  });
});
