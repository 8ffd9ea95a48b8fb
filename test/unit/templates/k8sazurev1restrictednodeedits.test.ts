import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1restrictednodeedits as template } from '../../../server/src/templates/k8sazurev1restrictednodeedits';
import { appliedReview, reviewWithInventory } from './objectReviews';
import { culpritPaths, onlyViolation } from './support';

const MESSAGE = 'Tainting or labelling individual nodes is not recommended. Please use AZ cli to taint/label nodepools instead';

const node = (labels: JsonObject | undefined, taints?: JsonObject[], name = 'aks-pool1-0'): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: labels === undefined ? { name } : { name, labels },
  spec: taints === undefined ? {} : { taints },
});

describe('k8sazurev1restrictednodeedits', () => {
  it('flags a Node applied again with other labels, on its labels', () => {
    const violation = onlyViolation(template.check(reviewWithInventory(node({ tier: 'gold' }), [node({ tier: 'silver' })]), {}));
    assert.equal(violation.message, MESSAGE);
    assert.deepEqual(culpritPaths(violation), [['metadata', 'labels']]);
  });

  it('flags added, removed or changed taints, on the taints', () => {
    const noSchedule = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const cases: [JsonObject[] | undefined, JsonObject[] | undefined][] = [
      [[noSchedule], undefined],
      [undefined, [noSchedule]],
      [[{ ...noSchedule, effect: 'NoExecute' }], [noSchedule]],
    ];
    for (const [now, before] of cases) {
      const violation = onlyViolation(template.check(reviewWithInventory(node({ a: 'b' }, now), [node({ a: 'b' }, before)]), {}));
      assert.deepEqual(culpritPaths(violation), [['spec', 'taints']]);
    }
  });

  it('allows a Node applied again unchanged, or with only other fields changed', () => {
    const taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    assert.deepEqual(template.check(reviewWithInventory(node({ a: 'b' }, taints), [node({ a: 'b' }, taints)]), {}), []);
    const cordoned = { ...node({ a: 'b' }), spec: { unschedulable: true } };
    assert.deepEqual(template.check(reviewWithInventory(cordoned, [node({ a: 'b' })]), {}), []);
  });

  it('judges only updates: a Node applied once, or before its other copy, is not judged', () => {
    assert.deepEqual(template.check(appliedReview(node({ tier: 'gold' })), {}), []);
    assert.deepEqual(template.check(reviewWithInventory(node({ tier: 'gold' }), [], [node({ tier: 'silver' })]), {}), []);
    assert.deepEqual(template.check(reviewWithInventory(node({ tier: 'gold' }), [node({ tier: 'silver' }, undefined, 'aks-pool1-1')]), {}), []);
  });

  it('compares with the latest earlier copy', () => {
    const review = reviewWithInventory(node({ tier: 'gold' }), [node({ tier: 'silver' }), node({ tier: 'gold' })]);
    assert.deepEqual(template.check(review, {}), []);
  });

  it('treats an empty label map as none, as the API server stores it', () => {
    assert.deepEqual(template.check(reviewWithInventory(node({}), [node(undefined)]), {}), []);
  });
});
