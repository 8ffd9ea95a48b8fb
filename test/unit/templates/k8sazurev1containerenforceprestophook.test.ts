import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1containerenforceprestophook as template } from '../../../server/src/templates/k8sazurev1containerenforceprestophook';
import type { Review } from '../../../server/src/templates/types';
import { container, culpritPaths, messages } from './support';

/** A workload as applied, as the definition matches it (not the Pods it creates). */
function workloadReview(kind: string, containers: JsonObject[], initContainers: JsonObject[] = []): Review {
  return {
    kind: { group: 'apps', version: 'v1', kind },
    name: 'shop',
    namespace: 'default',
    operation: 'CREATE',
    object: { apiVersion: 'apps/v1', kind, metadata: { name: 'shop' }, spec: { template: { spec: { containers, initContainers } } } },
  };
}

const PRE_STOP = { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } } } };

describe('k8sazurev1containerenforceprestophook', () => {
  it('allows workloads whose containers all have a preStop hook; init containers are not read', () => {
    assert.deepEqual(template.check(workloadReview('Deployment', [container('web', PRE_STOP)], [container('setup')]), {}), []);
  });

  it('flags each container without one, naming the workload kind', () => {
    const violations = template.check(workloadReview('StatefulSet', [container('web', PRE_STOP), container('cache'), container('log', { lifecycle: { postStart: { exec: { command: ['true'] } } } })]), {});
    assert.deepEqual(messages(violations), ['Container <cache> in your StatefulSet <shop> has no preStop hook', 'Container <log> in your StatefulSet <shop> has no preStop hook']);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'template', 'spec', 'containers', 1, 'lifecycle', 'preStop']]);
    assert.deepEqual(violations[0]?.culprits[0]?.fallback, ['spec', 'template', 'spec', 'containers', 1, 'name']);
  });

  it('reads preStop with Rego truthiness: an empty hook counts, false does not', () => {
    assert.deepEqual(template.check(workloadReview('ReplicaSet', [container('web', { lifecycle: { preStop: {} } })]), {}), []);
    assert.equal(template.check(workloadReview('ReplicaSet', [container('web', { lifecycle: { preStop: false } })]), {}).length, 1);
  });

  it('has nothing to say about an object without a pod template', () => {
    assert.deepEqual(template.check({ ...workloadReview('Deployment', []), object: { kind: 'Deployment', metadata: { name: 'shop' } } }, {}), []);
  });
});
