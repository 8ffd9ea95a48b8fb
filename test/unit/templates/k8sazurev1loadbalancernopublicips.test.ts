import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1loadbalancernopublicips as template } from '../../../server/src/templates/k8sazurev1loadbalancernopublicips';
import { appliedReview, service } from './objectReviews';
import { culpritPaths, firstFixOperations, onlyViolation } from './support';

const INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const MESSAGE = 'Load Balancers should not have public IPs. azure-load-balancer-internal annotation is required for web';

describe('k8sazurev1loadbalancernopublicips', () => {
  it('flags a public load balancer on its type, with a fix that makes it internal', () => {
    const violation = onlyViolation(template.check(appliedReview(service('web', { type: 'LoadBalancer', ports: [{ port: 80 }] })), {}));
    assert.equal(violation.message, MESSAGE);
    assert.deepEqual(culpritPaths(violation), [['spec', 'type']]);
    assert.deepEqual(firstFixOperations(violation), [{ op: 'set', path: ['metadata', 'annotations', INTERNAL], value: 'true' }]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false, 'an internal load balancer is no longer reachable from the internet');
  });

  it('points at the annotation when it says anything but "true"', () => {
    const violation = onlyViolation(template.check(appliedReview(service('web', { type: 'LoadBalancer' }, { annotations: { [INTERNAL]: 'false' } })), {}));
    assert.deepEqual(culpritPaths(violation), [['metadata', 'annotations', INTERNAL]]);
  });

  it('allows internal load balancers and every other Service type, including the default ClusterIP', () => {
    assert.deepEqual(template.check(appliedReview(service('web', { type: 'LoadBalancer' }, { annotations: { [INTERNAL]: 'true' } })), {}), []);
    assert.deepEqual(template.check(appliedReview(service('web', { type: 'NodePort' })), {}), []);
    assert.deepEqual(template.check(appliedReview(service('web', { ports: [{ port: 80 }] })), {}), [], 'the API server defaults the type to ClusterIP');
  });
});
