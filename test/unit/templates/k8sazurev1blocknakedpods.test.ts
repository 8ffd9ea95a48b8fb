import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1blocknakedpods as template } from '../../../server/src/templates/k8sazurev1blocknakedpods';
import { appliedReview, createdPodReview } from './objectReviews';
import { onlyViolation } from './support';

const pod = (metadata: JsonObject = {}): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', ...metadata }, spec: { containers: [{ name: 'shell', image: 'busybox' }] } });

describe('k8sazurev1blocknakedpods', () => {
  it('flags a Pod without owner references, on the Pod as a whole', () => {
    const violation = onlyViolation(template.check(appliedReview(pod()), {}));
    assert.equal(violation.message, 'Naked pod is not allowed, pod: debug');
    assert.deepEqual(violation.culprits, []);
  });

  it('allows a Pod that a controller owns, and the Pods a workload creates', () => {
    const owned = pod({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c', uid: 'u' }] });
    assert.deepEqual(template.check(appliedReview(owned), {}), []);
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox' }] } } } };
    assert.deepEqual(template.check(createdPodReview(job), {}), []);
  });
});
