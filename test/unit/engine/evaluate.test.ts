import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import type { ResolvedPolicy } from '../../../server/src/engine/types';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/settings';

const catalog = loadCatalog();
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };

function policy(overrides: Partial<Settings> = {}): ResolvedPolicy {
  return resolvePolicy(catalog, { ...DEFAULT_SETTINGS, ...overrides });
}

function findings(text: string, resolved = policy(), options = OPTIONS) {
  return new FileAnalyzer().analyze(text, resolved, options).flatMap((document) =>
    document.verdict.findings.map((finding) => ({ ...finding, text: text.slice(document.start + finding.start, document.start + finding.end) })),
  );
}

function notices(text: string, options = OPTIONS) {
  return new FileAnalyzer().analyze(text, policy(), options).flatMap((document) => document.verdict.notices);
}

const privilegedPod = `apiVersion: v1
kind: Pod
metadata:
  name: nginx-privileged
spec:
  containers:
    - name: nginx-privileged
      image: nginx
      securityContext:
        privileged: true
`;

const deployment = (namespace: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  ${namespace ? `namespace: ${namespace}` : ''}
spec:
  template:
    metadata:
      labels: {app: web}
    spec:${extra}
      containers:
        - name: web
          image: nginx
          securityContext: {privileged: true}
`;

describe('evaluateDocument', () => {
  it('reports the cluster message on the culprit, with the effect', () => {
    const [finding, ...rest] = findings(privilegedPod, policy({ effect: 'deny' }));
    assert.equal(rest.length, 0);
    assert.equal(finding.template, 'k8sazurev2noprivilege');
    assert.equal(finding.referenceId, 'NoPrivilegedContainers');
    assert.equal(finding.effect, 'deny');
    assert.equal(finding.text, 'privileged: true');
    assert.equal(finding.message, '[azurepolicy-k8sazurev2noprivilege] Privileged container is not allowed: nginx-privileged, securityContext: {"privileged": true}');
  });

  it('reports nothing when the effect is disabled', () => {
    assert.deepEqual(findings(privilegedPod, policy({ effect: 'disabled' })), []);
  });

  it('judges a workload as the Pod it creates and says the workload is accepted', () => {
    const [audit] = findings(deployment('shop'));
    assert.equal(audit.text, 'privileged: true');
    assert.match(audit.message, /Privileged container is not allowed: web, .*\(the Deployment is accepted; the Pods it creates will be reported by audit\)$/);
    const [deny] = findings(deployment('shop'), policy({ effect: 'deny' }));
    assert.match(deny.message, /\(the Deployment is accepted, but the Pods it creates will be rejected\)$/);
  });

  it('judges CronJobs through their job template', () => {
    const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers: [{name: job, image: busybox}]
`;
    const [finding] = findings(cronJob);
    assert.equal(finding.template, 'k8sazurev2blockhostnamespace');
    assert.equal(finding.text, 'hostPID: true');
    assert.match(finding.message, /Sharing the host namespace is not allowed: nightly \(the CronJob is accepted/);
  });

  it('honours excluded namespaces, always including kube-system', () => {
    assert.deepEqual(findings(deployment('kube-system')), []);
    assert.deepEqual(findings(deployment('azure-extensions-usage-system')), []);
    assert.deepEqual(findings(deployment('azure-extensions-usage-system'), policy({ excludedNamespaces: [] })).length, 1);
    assert.deepEqual(findings(deployment('kube-system'), policy({ excludedNamespaces: [] })), []);
  });

  it('judges a manifest without a namespace in the default namespace setting', () => {
    const onlyProd = policy({ namespaces: ['prod'] });
    assert.deepEqual(findings(deployment(''), onlyProd), []);
    assert.equal(findings(deployment(''), onlyProd, { ...OPTIONS, defaultNamespace: 'prod' }).length, 1);
  });

  it('honours a per-policy label selector', () => {
    const selected = policy({ policies: { NoPrivilegedContainers: { parameters: { labelSelector: { matchLabels: { app: 'api' } } } } } });
    assert.deepEqual(findings(deployment('shop'), selected), []);
    const web = policy({ policies: { NoPrivilegedContainers: { parameters: { labelSelector: { matchLabels: { app: 'web' } } } } } });
    assert.equal(findings(deployment('shop'), web).length, 1);
  });

  it('skips Pods pinned to Windows', () => {
    assert.deepEqual(findings(deployment('shop', '\n      nodeSelector: {kubernetes.io/os: windows}')), []);
  });

  it('reports a violation reached through an alias at the alias', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: nginx
      securityContext: &root {privileged: true}
    - name: b
      image: nginx
      securityContext: *root
`;
    const found = findings(text);
    assert.deepEqual(found.map((f) => f.text), ['privileged: true', '*root']);
  });

  it('reports a violation that comes from a merge key at the merged alias', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - &base
      name: a
      image: nginx
      securityContext: {privileged: true}
    - <<: *base
      name: b
`;
    const texts = findings(text).map((f) => f.text);
    assert.deepEqual(texts, ['privileged: true', '*base']);
  });

  it('judges each item of a List', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a}
    spec: {hostIPC: true, containers: [{name: a, image: x}]}
`;
    assert.deepEqual(findings(text).map((f) => f.text), ['hostIPC: true']);
  });

  it('gives one diagnostic per culprit: hostPID and hostIPC share one message', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostPID: true
  hostIPC: true
  containers: [{name: a, image: x}]
`;
    const found = findings(text);
    assert.deepEqual(found.map((f) => f.text), ['hostPID: true', 'hostIPC: true']);
    assert.equal(found[0].message, found[1].message);
  });

  it('checks the other documents of a file when one does not parse', () => {
    const analyzed = new FileAnalyzer().analyze(`${privilegedPod}---\nkind: Pod\nspec: [\n---\n${privilegedPod}`, policy(), OPTIONS);
    assert.deepEqual(analyzed.map((d) => d.verdict.findings.length), [1, 0, 1]);
    assert.equal(analyzed[1].verdict.notices.length, 1);
    assert.equal(analyzed[1].verdict.notices[0].severity, 'hint');
    assert.match(analyzed[1].verdict.notices[0].message, /not checked until it parses/);
  });

  it('does not hint at broken YAML that is not a Kubernetes manifest', () => {
    assert.deepEqual(notices('services:\n  web: [\n'), []);
    assert.equal(notices('apiVersion: v1\nkind: Pod\nspec: [\n').length, 1);
  });

  it('says nothing about Helm templates and YAML that is not Kubernetes', () => {
    assert.deepEqual(notices('apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec: {hostPID: true}\n'), []);
    assert.deepEqual(findings('services:\n  web:\n    image: nginx\n    privileged: true\n'), []);
    assert.deepEqual(notices('services:\n  web:\n    privileged: true\n'), []);
  });
});

describe('suppressions', () => {
  const suppressed = (comment: string) => privilegedPod.replace('        privileged: true', `        ${comment}\n        privileged: true`);

  it('silence a template on the next field when a reason is given', () => {
    assert.deepEqual(findings(suppressed('# aks-policy-ignore k8sazurev2noprivilege -- the CNI agent needs it')), []);
  });

  it('silence a template for the whole resource when written above it', () => {
    assert.deepEqual(findings(`# aks-policy-ignore k8sazurev2noprivilege -- vendor chart, reviewed\n${privilegedPod}`), []);
  });

  it('silence a template above an enclosing key', () => {
    const text = privilegedPod.replace('      securityContext:', '      # aks-policy-ignore k8sazurev2noprivilege -- reviewed\n      securityContext:');
    assert.deepEqual(findings(text), []);
  });

  it('do not silence other templates', () => {
    assert.equal(findings(suppressed('# aks-policy-ignore k8sazurev2blockhostnamespace -- not this one')).length, 1);
  });

  it('need a reason', () => {
    const text = suppressed('# aks-policy-ignore k8sazurev2noprivilege');
    assert.equal(findings(text).length, 1);
    const [notice] = notices(text);
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /needs a reason/);
  });

  it('are reported instead of honoured when suppressions are not allowed', () => {
    const text = suppressed('# aks-policy-ignore k8sazurev2noprivilege -- reviewed');
    const options = { ...OPTIONS, allowSuppressions: false };
    const [finding] = findings(text, policy(), options);
    assert.equal(finding.suppressedBy?.reason, 'reviewed');
    assert.match(notices(text, options)[0].message, /suppressions are turned off/);
  });
});

describe('FileAnalyzer', () => {
  it('re-parses only the documents an edit changed', () => {
    const analyzer = new FileAnalyzer();
    const resolved = policy();
    const text = `${privilegedPod}---\n${privilegedPod.replace(/nginx-privileged/g, 'second')}`;
    const first = analyzer.analyze(text, resolved, OPTIONS);
    const second = analyzer.analyze(text.replace(/second/g, 'third'), resolved, OPTIONS);
    assert.equal(second[0].parsed, first[0].parsed);
    assert.equal(second[0].verdict, first[0].verdict);
    assert.notEqual(second[1].parsed, first[1].parsed);
    assert.match(second[1].verdict.findings[0].message, /not allowed: third/);
  });

  it('re-judges every document when the policy changes', () => {
    const analyzer = new FileAnalyzer();
    const first = analyzer.analyze(privilegedPod, policy(), OPTIONS);
    const second = analyzer.analyze(privilegedPod, policy({ effect: 'deny' }), OPTIONS);
    assert.equal(second[0].parsed, first[0].parsed);
    assert.equal(second[0].verdict.findings[0].effect, 'deny');
  });

  it('keeps the other documents when a template throws on one', () => {
    const resolved = policy();
    const broken = { ...resolved.constraints[0], template: { ...resolved.constraints[0].template, check: () => { throw new Error('boom'); } } };
    const analyzed = new FileAnalyzer().analyze(`${privilegedPod}---\nservices: {}\n`, { ...resolved, constraints: [broken] }, OPTIONS);
    assert.equal(analyzed[0].verdict.findings.length, 0);
    assert.match(analyzed[0].verdict.notices[0].message, /could not check this document \(boom\)/);
    assert.deepEqual(analyzed[1].verdict, { findings: [], notices: [] });
  });
});
