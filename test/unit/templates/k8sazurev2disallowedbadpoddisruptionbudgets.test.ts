import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev2disallowedbadpoddisruptionbudgets as template } from '../../../server/src/templates/k8sazurev2disallowedbadpoddisruptionbudgets';
import { appliedReview, reviewWithInventory } from './objectReviews';
import { culpritPaths, messages, onlyViolation } from './support';

const budget = (spec: JsonObject, namespace = 'shop'): JsonObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web-pdb', namespace },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

const workload = (kind: string, replicas: number | undefined, matchLabels: JsonObject = { app: 'web' }, namespace = 'shop'): JsonObject => {
  const spec: JsonObject = { selector: { matchLabels }, template: { metadata: { labels: matchLabels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } };
  if (replicas !== undefined) spec.replicas = replicas;
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'web', namespace }, spec };
};

describe('k8sazurev2disallowedbadpoddisruptionbudgets', () => {
  it('flags maxUnavailable of 0 or "0%", on the field', () => {
    for (const maxUnavailable of [0, '0%']) {
      const violation = onlyViolation(template.check(appliedReview(budget({ maxUnavailable })), {}));
      assert.equal(violation.message, 'PodDisruptionBudget <web-pdb> has maxUnavailable of 0, only positive integers are allowed for maxUnavailable');
      assert.deepEqual(culpritPaths(violation), [['spec', 'maxUnavailable']]);
    }
    assert.deepEqual(template.check(appliedReview(budget({ maxUnavailable: 1 })), {}), []);
    assert.deepEqual(template.check(appliedReview(budget({ maxUnavailable: '10%' })), {}), []);
  });

  it('flags a minAvailable that is not below the replicas of a workload it selects', () => {
    const review = reviewWithInventory(budget({ minAvailable: 3 }), [workload('Deployment', 3)], [workload('StatefulSet', 2)]);
    const violations = template.check(review, {});
    assert.deepEqual(messages(violations), [
      'PodDisruptionBudget web-pdb specifies minAvailable of 3, but matching Deployment web has 3 replicas. minAvailable should be less than 3',
      'PodDisruptionBudget web-pdb specifies minAvailable of 3, but matching StatefulSet web has 2 replicas. minAvailable should be less than 2',
    ]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'minAvailable']]);
  });

  it('resolves a percentage minAvailable against the replicas, rounding up, and takes a missing replicas as 1', () => {
    assert.equal(template.check(reviewWithInventory(budget({ minAvailable: '100%' }), [workload('Deployment', 4)]), {}).length, 1);
    assert.equal(template.check(reviewWithInventory(budget({ minAvailable: '50%' }), [workload('Deployment', 1)]), {}).length, 1);
    assert.deepEqual(template.check(reviewWithInventory(budget({ minAvailable: '50%' }), [workload('Deployment', 4)]), {}), []);
    assert.equal(template.check(reviewWithInventory(budget({ minAvailable: 1 }), [workload('Deployment', undefined)]), {}).length, 1);
  });

  it('compares only with Deployments and StatefulSets in its namespace with the same matchLabels', () => {
    const tight = budget({ minAvailable: 2 });
    const others = [
      workload('Deployment', 2, { app: 'web', tier: 'front' }),
      workload('Deployment', 2, { app: 'web' }, 'other'),
      workload('ReplicaSet', 2),
      workload('Deployment', 3),
    ];
    assert.deepEqual(template.check(reviewWithInventory(tight, others), {}), []);
    assert.deepEqual(template.check(appliedReview(tight), {}), [], 'nothing to compare with');
  });
});
