import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1reservedtaints as template } from '../../../server/src/templates/k8sazurev1reservedtaints';
import { appliedReview } from './objectReviews';
import { culpritPaths, messages, onlyViolation } from './support';

const parameters = { reservedTaints: ['CriticalAddonsOnly'] };
const node = (mode: string | undefined, taints: JsonObject[]): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'aks-user-0', labels: mode === undefined ? {} : { 'kubernetes.azure.com/mode': mode } },
  spec: { taints },
});
const critical = (effect: string) => ({ key: 'CriticalAddonsOnly', value: 'true', effect });

describe('k8sazurev1reservedtaints', () => {
  it('flags a reserved taint outside the system pool, once per key, on each taint key', () => {
    const violation = onlyViolation(template.check(appliedReview(node('User', [critical('NoSchedule'), critical('NoExecute')])), parameters));
    assert.equal(violation.message, 'Taint with key <CriticalAddonsOnly> is reserved for the system pool only');
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'taints', 0, 'key'],
      ['spec', 'taints', 1, 'key'],
    ]);
    assert.equal(template.check(appliedReview(node(undefined, [critical('NoSchedule')])), parameters).length, 1);
  });

  it('allows the taint on the system pool, and other taints anywhere', () => {
    for (const mode of ['system', 'System']) assert.deepEqual(template.check(appliedReview(node(mode, [critical('NoSchedule')])), parameters), []);
    assert.deepEqual(template.check(appliedReview(node('User', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }])), parameters), []);
  });

  it('reads the reserved taints as Go regular expressions matching anywhere in the key', () => {
    const pattern = { reservedTaints: ['^kubernetes\\.azure\\.com/'] };
    assert.deepEqual(messages(template.check(appliedReview(node('User', [{ key: 'kubernetes.azure.com/scalesetpriority', effect: 'NoSchedule' }])), pattern)), [
      'Taint with key <kubernetes.azure.com/scalesetpriority> is reserved for the system pool only',
    ]);
    assert.equal(template.check(appliedReview(node('User', [{ key: 'MyCriticalAddonsOnlyPool', effect: 'NoSchedule' }])), parameters).length, 1);
  });
});
