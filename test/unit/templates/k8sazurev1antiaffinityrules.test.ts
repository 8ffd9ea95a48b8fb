import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1antiaffinityrules as template } from '../../../server/src/templates/k8sazurev1antiaffinityrules';
import { appliedReview } from './objectReviews';
import { onlyViolation } from './support';

function workload(kind: string, replicas: number | undefined, podSpec: JsonObject = { containers: [{ name: 'app', image: 'nginx' }] }) {
  const template = { spec: podSpec };
  return appliedReview({ apiVersion: 'apps/v1', kind, metadata: { name: 'web' }, spec: replicas === undefined ? { template } : { replicas, template } });
}

const ANTI_AFFINITY = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } };

describe('k8sazurev1antiaffinityrules', () => {
  it('flags a workload with several replicas and no pod anti-affinity, with its kind and replica count', () => {
    const violation = onlyViolation(template.check(workload('StatefulSet', 3), {}));
    assert.equal(violation.message, 'StatefulSet with 3 replicas should have pod anti-affinity rules set to avoid disruptions due to nodes crashing');
    assert.deepEqual(violation.culprits, [{ path: ['spec', 'template', 'spec', 'affinity', 'podAntiAffinity'], fallback: ['spec', 'replicas'] }]);
  });

  it('allows one replica, the default of one, and workloads with pod anti-affinity', () => {
    assert.deepEqual(template.check(workload('Deployment', 1), {}), []);
    assert.deepEqual(template.check(workload('Deployment', undefined), {}), []);
    assert.deepEqual(template.check(workload('Deployment', 2, { affinity: ANTI_AFFINITY, containers: [] }), {}), []);
  });

  it('does not count topology spread constraints or node affinity, as the v1 Rego does not', () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }], containers: [] };
    assert.equal(template.check(workload('Deployment', 2, spread), {}).length, 1);
    assert.equal(template.check(workload('Deployment', 2, { affinity: { nodeAffinity: {} }, containers: [] }), {}).length, 1);
  });
});
