import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1serviceallowedports as template } from '../../../server/src/templates/k8sazurev1serviceallowedports';
import { appliedReview, service } from './objectReviews';
import { culpritPaths, messages, onlyViolation } from './support';

const parameters = { allowedPorts: ['443', '8000-8080'] };
const ports = (...numbers: number[]) => ({ ports: numbers.map((port) => ({ port, targetPort: 8080 })) });

describe('k8sazurev1serviceallowedports', () => {
  it('flags each port that is neither listed nor in a listed range, on its port field', () => {
    const violations = template.check(appliedReview(service('web', ports(443, 80, 8080, 9090))), parameters);
    assert.deepEqual(messages(violations), ['Port 80 for service web has not been allowed.', 'Port 9090 for service web has not been allowed.']);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'ports', 1, 'port']]);
  });

  it('collapses the same port twice (TCP and UDP) into one message with both places', () => {
    const review = appliedReview(service('dns', { ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }));
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'ports', 0, 'port'],
      ['spec', 'ports', 1, 'port'],
    ]);
  });

  it('allows nothing when the list is empty, and leaves the cluster\'s own kubernetes Service alone', () => {
    assert.equal(template.check(appliedReview(service('web', ports(443))), { allowedPorts: [] }).length, 1);
    assert.deepEqual(template.check(appliedReview(service('kubernetes', ports(443), { namespace: 'default' })), { allowedPorts: [] }), []);
  });

  it('compares single ports as text: "0443" does not allow 443', () => {
    assert.equal(template.check(appliedReview(service('web', ports(443))), { allowedPorts: ['0443'] }).length, 1);
  });
});
