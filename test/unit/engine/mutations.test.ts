/**
 * Mutation policies in the engine: an Information notice where a mutation in force would change the object,
 * and validations judged on the object as the mutators leave it (Gatekeeper mutates, then validates).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { mutateAdmission } from '../../../server/src/engine/mutate';
import type { ActiveMutation, ResolvedPolicy } from '../../../server/src/engine/types';
import { admissionObjects } from '../../../server/src/model/admission';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { parseYamlDocument } from '../../../server/src/model/parse';
import { findResources } from '../../../server/src/model/resources';
import { DEFAULT_SETTINGS, type PolicyOverride, type Settings } from '../../../server/src/settings';

const catalog = loadCatalog();
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };

function policy(policies: Record<string, PolicyOverride>, overrides: Partial<Settings> = {}): ResolvedPolicy {
  const resolved = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, ...overrides, policies });
  assert.deepEqual(resolved.problems, []);
  return resolved;
}

function analyze(text: string, resolved: ResolvedPolicy) {
  const documents = new FileAnalyzer().analyze(text, resolved, OPTIONS);
  const at = (start: number, end: number, base: number) => text.slice(base + start, base + end);
  return {
    notices: documents.flatMap((document) => document.verdict.notices.map((notice) => ({ ...notice, text: at(notice.start, notice.end, document.start) }))),
    findings: documents.flatMap((document) => document.verdict.findings.map((finding) => ({ ...finding, text: at(finding.start, finding.end, document.start) }))),
  };
}

const pod = (securityContext = '', namespace = 'default') => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ${namespace}
spec:
  containers:
    - name: web
      image: nginx:1.27${securityContext}
`;

describe('mutation notices', () => {
  it('say what the cluster will set, at the container name when the field is missing', () => {
    const { notices, findings } = analyze(pod(), policy({ MutateRunAsNonRoot: { parameters: {} } }));
    assert.deepEqual(
      notices.map(({ severity, message, text }) => [severity, message, text]),
      [['information', 'AKS Policy: the cluster will set securityContext.runAsNonRoot: true here (MutateRunAsNonRoot)', 'name: web']],
    );
    assert.deepEqual(findings, [], 'a mutation is no violation');
  });

  it('point at the field it overwrites', () => {
    const { notices } = analyze(pod('\n      securityContext:\n        runAsNonRoot: false'), policy({ MutateRunAsNonRoot: { parameters: {} } }));
    assert.deepEqual(notices.map(({ text }) => text), ['runAsNonRoot: false']);
  });

  it('say that a workload’s Pods are changed, not the workload', () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      automountServiceAccountToken: true
      containers:
        - name: web
          image: nginx:1.27
`;
    const { notices } = analyze(deployment, policy({ MutateMountServiceAccountToken: { parameters: {} } }));
    assert.deepEqual(
      notices.map(({ message, text }) => [message, text]),
      [['AKS Policy: the cluster will set spec.automountServiceAccountToken: false here, in the Pods this Deployment creates (MutateMountServiceAccountToken)', 'automountServiceAccountToken: true']],
    );
  });

  it('are not shown when the mutation is disabled, already satisfied, or the namespace is excluded', () => {
    assert.deepEqual(analyze(pod(), policy({ MutateRunAsNonRoot: { effect: 'disabled', parameters: {} } })).notices, []);
    assert.deepEqual(analyze(pod('\n      securityContext: {runAsNonRoot: true}'), policy({ MutateRunAsNonRoot: { parameters: {} } })).notices, []);
    assert.deepEqual(analyze(pod('', 'kube-system'), policy({ MutateRunAsNonRoot: { parameters: { excludedNamespaces: [] } } })).notices, [], 'kube-system is always excluded');
    assert.deepEqual(analyze(pod('', 'legacy'), policy({ MutateRunAsNonRoot: { parameters: { excludedNamespaces: ['legacy'] } } })).notices, []);
  });

  it('treat any effect but disabled as Mutate, since settings speak validation effects', () => {
    const resolved = policy({ MutateRunAsNonRoot: { effect: 'audit', parameters: {} } });
    assert.deepEqual(resolved.mutations?.map((mutation) => [mutation.definitionName, mutation.effect]), [['MutateRunAsNonRoot', 'mutate']]);
  });
});

describe('validations on the mutated object', () => {
  it('no longer flag what a mutation fixes: Restricted’s seccomp rule after MutateSeccompProfileContainers', () => {
    const text = pod('\n      securityContext:\n        runAsUser: 1000\n        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}');
    const without = analyze(text, policy({}, { initiative: 'restricted' }));
    assert.ok(without.findings.some((finding) => finding.template === 'k8sazurev3allowedseccomp'));
    const mutated = analyze(text, policy({ MutateSeccompProfileContainers: { parameters: {} } }, { initiative: 'restricted' }));
    assert.ok(!mutated.findings.some((finding) => finding.template === 'k8sazurev3allowedseccomp'));
    assert.deepEqual(mutated.notices.map(({ message }) => message), ['AKS Policy: the cluster will set securityContext.seccompProfile.type: RuntimeDefault here (MutateSeccompProfileContainers)']);
  });

  it('keep findings where the manifest has the culprit, also in a mutated container', () => {
    const text = pod('\n      securityContext:\n        privileged: true');
    const { findings, notices } = analyze(text, policy({ MutateRunAsNonRoot: { parameters: {} } }));
    assert.deepEqual(findings.map(({ template, text: culprit }) => [template, culprit]), [['k8sazurev2noprivilege', 'privileged: true']]);
    assert.equal(notices.length, 1);
  });

  it('judge a PodDisruptionBudget as MutateMaxUnavailablePods leaves it', () => {
    const budget = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 0
  selector:
    matchLabels: {app: web}
`;
    const plain = analyze(budget, policy({ DisallowedBadPodDisruptionBudgets: { parameters: {} } }, { initiative: 'none' }));
    assert.deepEqual(plain.findings.map(({ text }) => text), ['maxUnavailable: 0']);
    const mutated = analyze(budget, policy({ DisallowedBadPodDisruptionBudgets: { parameters: {} }, MutateMaxUnavailablePods: { parameters: {} } }, { initiative: 'none' }));
    assert.deepEqual(mutated.findings, []);
    assert.deepEqual(mutated.notices.map(({ message, text }) => [message, text]), [['AKS Policy: the cluster will set spec.maxUnavailable: 1 here (MutateMaxUnavailablePods)', 'maxUnavailable: 0']]);
  });
});

describe('Deployment Safeguards', () => {
  const ASSIGNED = { allowedUsers: [], allowedGroups: [], labels: ['kubernetes.azure.com'], allowedContainerImagesRegex: '.*', reservedTaints: ['CriticalAddonsOnly'] };
  const node = `apiVersion: v1
kind: Node
metadata:
  name: aks-user-1
  labels:
    kubernetes.azure.com/mode: user
spec:
  taints:
    - key: CriticalAddonsOnly
      value: "true"
      effect: NoSchedule
`;

  it('judges a workload as applied (source All): its findings say the workload itself is denied', () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}
`;
    const { findings } = analyze(deployment, policy({}, { initiative: 'safeguards', effect: 'deny', parameters: ASSIGNED }));
    const privileged = findings.find((finding) => finding.template === 'k8sazurev2noprivilege');
    assert.equal(privileged?.message, '[azurepolicy-k8sazurev2noprivilege] Privileged container is not allowed: web, securityContext: {"privileged": true} (the Deployment itself is denied at apply)');
    assert.equal(privileged?.effect, 'deny');
  });

  it('leaves its mutation off by default: the reserved taint is flagged, nothing is changed', () => {
    const { notices, findings } = analyze(node, policy({}, { initiative: 'safeguards', parameters: ASSIGNED }));
    assert.deepEqual(notices, []);
    assert.deepEqual(findings.map(({ template, text }) => [template, text]), [['k8sazurev1reservedtaints', 'key: CriticalAddonsOnly']]);
  });

  it('with effectForMutationPolicies Mutate, removes the taint before the reserved-taint rule sees the Node', () => {
    const { notices, findings } = analyze(node, policy({}, { initiative: 'safeguards', parameters: { ...ASSIGNED, effectForMutationPolicies: 'Mutate' } }));
    assert.deepEqual(findings, []);
    assert.deepEqual(notices.map(({ message, text }) => [message, text.split('\n')[0]]), [['AKS Policy: the cluster will remove the taint CriticalAddonsOnly here (MutateReservedSystemPoolTaints)', 'key: CriticalAddonsOnly']]);
  });
});

describe('mutateAdmission', () => {
  const node = parseYamlDocument(`apiVersion: v1
kind: Node
metadata:
  name: aks-user-1
spec:
  taints:
    - {key: CriticalAddonsOnly, effect: NoSchedule}
    - {key: dedicated, effect: NoSchedule}
`);
  const [resource] = findResources(node.value);
  const [asApplied] = admissionObjects(resource, 'default');
  const taints = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative: 'none', policies: { MutateReservedSystemPoolTaints: { parameters: {} } } }).mutations ?? [];

  it('maps the mutated object’s paths to the manifest, past removed list items', () => {
    const { admission, applied } = mutateAdmission(asApplied, taints);
    assert.deepEqual(admission.review.object.spec, { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] });
    assert.deepEqual(admission.toSourcePath(['spec', 'taints', 0, 'key']), ['spec', 'taints', 1, 'key']);
    assert.deepEqual(applied.map(({ mutation, change }) => [mutation.referenceId, change.path]), [['MutateReservedSystemPoolTaints', ['spec', 'taints', 0]]]);
  });

  it('returns the admission as it was when nothing applies', () => {
    const disabled: ActiveMutation[] = taints.map((mutation) => ({ ...mutation, effect: 'disabled' }));
    const result = mutateAdmission(asApplied, disabled);
    assert.equal(result.admission, asApplied);
    assert.deepEqual(result.applied, []);
  });
});
