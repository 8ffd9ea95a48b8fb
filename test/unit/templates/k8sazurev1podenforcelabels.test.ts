import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1podenforcelabels as template } from '../../../server/src/templates/k8sazurev1podenforcelabels';
import { appliedReview, createdPodReview } from './objectReviews';
import { onlyViolation } from './support';

const parameters = { labels: ['team', 'app'] };
const pod = (labels?: JsonObject): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: labels === undefined ? { name: 'web' } : { name: 'web', labels },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

describe('k8sazurev1podenforcelabels', () => {
  it('lists the missing label keys as a set, on the labels (or metadata when there are none)', () => {
    const none = onlyViolation(template.check(appliedReview(pod()), parameters));
    assert.equal(none.message, 'you must provide labels: {"app", "team"}');
    assert.deepEqual(none.culprits, [{ path: ['metadata', 'labels'], fallback: ['metadata'] }]);
    assert.equal(onlyViolation(template.check(appliedReview(pod({ app: 'web' })), parameters)).message, 'you must provide labels: {"team"}');
  });

  it('accepts any value, the empty string included', () => {
    assert.deepEqual(template.check(appliedReview(pod({ app: 'web', team: '' })), parameters), []);
  });

  it("judges a workload's Pods by their template's labels", () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', labels: { team: 'a', app: 'b' } }, spec: { template: { metadata: { labels: { app: 'migrate' } }, spec: { containers: [] } } } };
    assert.equal(onlyViolation(template.check(createdPodReview(job), parameters)).message, 'you must provide labels: {"team"}');
  });
});
