import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1restrictedlabels as template } from '../../../server/src/templates/k8sazurev1restrictedlabels';
import { appliedReview, createdPodReview } from './objectReviews';
import { culpritPaths, onlyViolation } from './support';

const parameters = { labels: ['kubernetes.azure.com'], allowedUsers: ['aksService'], allowedGroups: ['system:node'] };
const pod = (labels: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

describe('k8sazurev1restrictedlabels', () => {
  it('flags a reserved label key, printing the reserved set as the Rego does, on the label', () => {
    const violation = onlyViolation(template.check(appliedReview(pod({ 'kubernetes.azure.com': 'x', app: 'web' })), parameters));
    assert.equal(violation.message, 'Label <{"kubernetes.azure.com"}> is reserved for AKS use only');
    assert.deepEqual(culpritPaths(violation), [['metadata', 'labels', 'kubernetes.azure.com']]);
  });

  it('reserves exact keys only, as the Rego compares them', () => {
    assert.deepEqual(template.check(appliedReview(pod({ 'kubernetes.azure.com/mode': 'user' })), parameters), []);
  });

  it("judges a workload's Pods by their template's labels, and the workload by its own", () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { template: { metadata: { labels: { 'kubernetes.azure.com': 'x' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    };
    assert.equal(template.check(createdPodReview(deployment), parameters).length, 1);
    assert.deepEqual(template.check(appliedReview(deployment), parameters), []);
  });
});
