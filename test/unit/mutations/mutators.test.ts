/**
 * The inferred semantics of each native mutator (README: Mutations): what it changes, where it points, what it
 * leaves alone, and that a second pass changes nothing (Gatekeeper repeats mutation until nothing changes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPath, type JsonObject, type JsonValue, type Path } from '../../../server/src/json';
import { builtinMutators, mutatorByUrl } from '../../../server/src/mutations/index';
import type { Mutator } from '../../../server/src/mutations/types';

function mutator(name: string): Mutator {
  const found = builtinMutators.find((candidate) => candidate.name === name);
  assert.ok(found, `no mutator ${name}`);
  return found;
}

function pod(spec: JsonObject): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec };
}

const web = (extra: JsonObject = {}): JsonObject => ({ name: 'web', image: 'nginx:1.27', ...extra });

/** Mutates, checks that the input is untouched and that the result is stable, and returns what changed. */
function mutate(name: string, object: JsonObject): { object: JsonObject; changes: [string, Path, Path | undefined][] } | undefined {
  const before = JSON.stringify(object);
  const result = mutator(name).mutate(object);
  assert.equal(JSON.stringify(object), before, 'the input object is not modified');
  if (!result) return undefined;
  assert.equal(mutator(name).mutate(result.object), undefined, 'a second pass changes nothing');
  return { object: result.object, changes: result.changes.map((change) => [change.action, change.path, change.fallback]) };
}

function valueAt(object: JsonObject | undefined, path: Path): JsonValue | undefined {
  return getPath(object, path);
}

describe('mutator registry', () => {
  it('has the 19 mutators, found by the store URL the definitions name', () => {
    assert.equal(builtinMutators.length, 19);
    for (const candidate of builtinMutators) {
      assert.equal(candidate.mutationUrl, `https://store.policy.core.windows.net/kubernetes/${candidate.name}/mutation.yaml`);
      assert.equal(mutatorByUrl(candidate.mutationUrl), candidate);
    }
  });
});

describe('container field mutators', () => {
  it('set runAsNonRoot: true on every container, over an explicit false, pointing at the field or the name', () => {
    const result = mutate('mutate-run-as-non-root/v1', pod({ containers: [web(), web({ name: 'sidecar', securityContext: { runAsNonRoot: false } })], initContainers: [web({ name: 'init' })] }));
    assert.deepEqual(result?.changes, [
      ['set securityContext.runAsNonRoot: true', ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], ['spec', 'containers', 0, 'name']],
      ['set securityContext.runAsNonRoot: true', ['spec', 'containers', 1, 'securityContext', 'runAsNonRoot'], ['spec', 'containers', 1, 'name']],
    ]);
    assert.equal(valueAt(result?.object, ['spec', 'initContainers', 0, 'securityContext']), undefined, 'init containers have their own mutator');
    assert.equal(mutate('mutate-run-as-non-root/v1', pod({ containers: [web({ securityContext: { runAsNonRoot: true } })] })), undefined);
  });

  it('only touch init containers in the init container variants', () => {
    const result = mutate('mutate-run-as-non-root-initContainers/v1', pod({ containers: [web()], initContainers: [web({ name: 'init' })] }));
    assert.deepEqual(result?.changes.map(([, path]) => path), [['spec', 'initContainers', 0, 'securityContext', 'runAsNonRoot']]);
  });

  it('set allowPrivilegeEscalation: false whatever the manifest says', () => {
    const result = mutate('mutate-privilege-escalation-containers/v1', pod({ containers: [web({ securityContext: { allowPrivilegeEscalation: true } })] }));
    assert.equal(valueAt(result?.object, ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation']), false);
    assert.equal(mutate('mutate-privilege-escalation-init-containers/v1', pod({ initContainers: [web({ securityContext: { allowPrivilegeEscalation: false } })] })), undefined);
  });

  it('set readOnlyRootFilesystem: true only where it is not set', () => {
    const result = mutate('mutate-read-only-root-filesystem/v1', pod({ containers: [web(), web({ name: 'writer', securityContext: { readOnlyRootFilesystem: false } })] }));
    assert.deepEqual(result?.changes.map(([action, path]) => [action, path]), [['set securityContext.readOnlyRootFilesystem: true', ['spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem']]]);
    assert.equal(valueAt(result?.object, ['spec', 'containers', 1, 'securityContext', 'readOnlyRootFilesystem']), false);
    assert.ok(mutate('mutate-read-only-root-filesystem-init-containers/v1', pod({ initContainers: [web({ securityContext: { readOnlyRootFilesystem: null } })] })), 'null is no value');
  });

  it('set runAsUser: 1000 where no user or root is set, and keep another non-root user', () => {
    const result = mutate('mutate-run-as-user-containers/v1', pod({ containers: [web(), web({ name: 'root', securityContext: { runAsUser: 0 } }), web({ name: 'app', securityContext: { runAsUser: 2000 } })] }));
    assert.deepEqual(result?.changes.map(([action, path]) => [action, path[2]]), [['set securityContext.runAsUser: 1000', 0], ['set securityContext.runAsUser: 1000', 1]]);
    assert.equal(valueAt(result?.object, ['spec', 'containers', 2, 'securityContext', 'runAsUser']), 2000);
    assert.ok(mutate('mutate-run-as-user-initContainers/v1', pod({ initContainers: [web()] })));
  });

  it('set the Pod-level runAsUser in the Pod variant', () => {
    const result = mutate('mutate-run-as-user-pod/v1', pod({ securityContext: { fsGroup: 2000 }, containers: [web()] }));
    assert.deepEqual(result?.changes, [['set spec.securityContext.runAsUser: 1000', ['spec', 'securityContext', 'runAsUser'], undefined]]);
    assert.deepEqual(valueAt(result?.object, ['spec', 'securityContext']), { fsGroup: 2000, runAsUser: 1000 });
    assert.equal(mutate('mutate-run-as-user-pod/v1', pod({ securityContext: { runAsUser: 101 }, containers: [web()] })), undefined);
  });

  it('set the seccomp profile type RuntimeDefault where there is none, keeping a chosen profile', () => {
    const result = mutate('mutate-seccomp-profile-containers/v1', pod({ containers: [web(), web({ name: 'local', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } })] }));
    assert.deepEqual(result?.changes.map(([action, path]) => [action, path[2]]), [['set securityContext.seccompProfile.type: RuntimeDefault', 0]]);
    assert.deepEqual(valueAt(result?.object, ['spec', 'containers', 0, 'securityContext']), { seccompProfile: { type: 'RuntimeDefault' } });
    assert.ok(mutate('mutate-seccomp-profile-initcontainers/v1', pod({ initContainers: [web()] })));
  });

  it('set CPU and memory limits of 500m and 500Mi where a container has none', () => {
    const cpu = mutate('mutate-resource-cpu-limits/v1', pod({ containers: [web({ resources: { requests: { cpu: '100m' } } }), web({ name: 'limited', resources: { limits: { cpu: '2' } } })] }));
    assert.deepEqual(valueAt(cpu?.object, ['spec', 'containers', 0, 'resources']), { requests: { cpu: '100m' }, limits: { cpu: '500m' } });
    assert.equal(cpu?.changes.length, 1);
    const memory = mutate('mutate-resource-memory-limits/v1', pod({ containers: [web()], initContainers: [web({ name: 'init' })] }));
    assert.deepEqual(memory?.changes.map(([action, path]) => [action, path]), [['set resources.limits.memory: 500Mi', ['spec', 'containers', 0, 'resources', 'limits', 'memory']]]);
  });

  it('add ALL to the dropped capabilities, keeping the others', () => {
    const result = mutate('mutate-container-allowed-capabilities-containers/v1', pod({ containers: [web(), web({ name: 'net', securityContext: { capabilities: { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE'] } } }), web({ name: 'done', securityContext: { capabilities: { drop: ['ALL'] } } })] }));
    assert.deepEqual(result?.changes.map(([action, path]) => [action, path[2]]), [['add "ALL" to securityContext.capabilities.drop', 0], ['add "ALL" to securityContext.capabilities.drop', 1]]);
    assert.deepEqual(valueAt(result?.object, ['spec', 'containers', 1, 'securityContext', 'capabilities']), { drop: ['NET_RAW', 'ALL'], add: ['NET_BIND_SERVICE'] });
    assert.deepEqual(valueAt(result?.object, ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop']), ['ALL']);
    assert.ok(mutate('mutate-container-allowed-capabilities-initcontainers/v1', pod({ initContainers: [web()] })));
  });

  it('leave alone what cannot be written: a container without a name, a securityContext that is not a mapping', () => {
    assert.equal(mutate('mutate-run-as-non-root/v1', pod({ containers: [{ image: 'nginx' }, web({ securityContext: 'privileged' })] })), undefined);
    assert.equal(mutate('mutate-container-allowed-capabilities-containers/v1', pod({ containers: [web({ securityContext: { capabilities: { drop: 'ALL' } } })] })), undefined);
  });
});

describe('object mutators', () => {
  it('set automountServiceAccountToken: false on the Pod', () => {
    const result = mutate('mutate-mount-service-account-token/v1', pod({ automountServiceAccountToken: true, containers: [web()] }));
    assert.deepEqual(result?.changes, [['set spec.automountServiceAccountToken: false', ['spec', 'automountServiceAccountToken'], undefined]]);
  });

  it('set a PodDisruptionBudget maxUnavailable to 1 where it sets another value, and add AlwaysAllow where no eviction policy is set', () => {
    const budget = (spec: JsonObject): JsonObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec });
    assert.equal(valueAt(mutate('mutate-max-unavailable-pods/v1', budget({ maxUnavailable: 0 }))?.object, ['spec', 'maxUnavailable']), 1);
    assert.equal(valueAt(mutate('mutate-max-unavailable-pods/v1', budget({ maxUnavailable: '50%' }))?.object, ['spec', 'maxUnavailable']), 1);
    assert.equal(mutate('mutate-max-unavailable-pods/v1', budget({ minAvailable: 2 })), undefined, 'the API server refuses both fields together');
    const eviction = mutate('mutate-pdb-add-unhealthy-pod-eviction-policy/v1', budget({ minAvailable: 1 }));
    assert.deepEqual(eviction?.changes, [['set spec.unhealthyPodEvictionPolicy: AlwaysAllow', ['spec', 'unhealthyPodEvictionPolicy'], undefined]]);
    assert.equal(mutate('mutate-pdb-add-unhealthy-pod-eviction-policy/v1', budget({ unhealthyPodEvictionPolicy: 'IfHealthyBudget' })), undefined);
  });

  it('remove the CriticalAddonsOnly taint from a user-pool Node, mapping later taints back to where they were', () => {
    const taints: JsonValue = [
      { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' },
      { key: 'gpu', effect: 'NoSchedule' },
      { key: 'CriticalAddonsOnly', effect: 'NoExecute' },
    ];
    const node = (mode: string): JsonObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'aks-user-1', labels: { 'kubernetes.azure.com/mode': mode } }, spec: { taints } });
    const result = mutator('mutate-systempool-taints/v1').mutate(node('user'));
    assert.ok(result);
    assert.deepEqual(result.changes.map((change) => [change.action, change.path]), [
      ['remove the taint CriticalAddonsOnly', ['spec', 'taints', 0]],
      ['remove the taint CriticalAddonsOnly', ['spec', 'taints', 2]],
    ]);
    assert.deepEqual(valueAt(result.object, ['spec', 'taints']), [{ key: 'gpu', effect: 'NoSchedule' }]);
    assert.deepEqual(result.inputPathOf?.(['spec', 'taints', 0, 'key']), ['spec', 'taints', 1, 'key']);
    assert.deepEqual(result.inputPathOf?.(['metadata', 'name']), ['metadata', 'name']);
    assert.equal(mutator('mutate-systempool-taints/v1').mutate(node('system')), undefined, 'the system pool keeps it');
  });
});
