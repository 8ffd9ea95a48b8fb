import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1blockdefault as template } from '../../../server/src/templates/k8sazurev1blockdefault';
import { appliedReview, createdPodReview, service } from './objectReviews';
import { culpritPaths, messages, onlyViolation } from './support';

describe('k8sazurev1blockdefault', () => {
  it('flags an object in the default namespace, named or implied, with its name and kind', () => {
    const explicit = onlyViolation(template.check(appliedReview(service('web', {}, { namespace: 'default' })), {}));
    assert.equal(explicit.message, 'Usage of the default namespace is not allowed, name: web, kind: Service');
    assert.deepEqual(culpritPaths(explicit), [['metadata', 'namespace']]);
    const implied = onlyViolation(template.check(appliedReview({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } }), {}));
    assert.equal(implied.message, 'Usage of the default namespace is not allowed, name: builder, kind: ServiceAccount');
    assert.deepEqual(implied.culprits[0]?.fallback, ['metadata'], 'a missing namespace is shown on metadata');
  });

  it('allows other namespaces', () => {
    assert.deepEqual(template.check(appliedReview(service('web', {}, { namespace: 'shop' })), {}), []);
  });

  it('lets through the objects Kubernetes keeps in default', () => {
    const builtIns: JsonObject[] = [
      service('kubernetes', {}),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' } },
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'token', annotations: { 'kubernetes.io/service-account.name': 'default' } } },
    ];
    assert.deepEqual(builtIns.flatMap((object) => messages(template.check(appliedReview(object), {}))), []);
    const otherToken = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'token', annotations: { 'kubernetes.io/service-account.name': 'ci' } } };
    assert.equal(template.check(appliedReview(otherToken), {}).length, 1);
  });

  it("judges a workload's Pods, named after the workload", () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } } };
    assert.deepEqual(messages(template.check(createdPodReview(deployment), {})), ['Usage of the default namespace is not allowed, name: web, kind: Pod']);
  });
});
