import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1externalips as template } from '../../../server/src/templates/k8sazurev1externalips';
import { appliedReview, service } from './objectReviews';
import { culpritPaths, onlyViolation } from './support';

const allowing = (...ips: string[]) => ({ allowedExternalIPs: ips });

describe('k8sazurev1externalips', () => {
  it('allows a Service whose external IPs are all allowed, and one without any', () => {
    assert.deepEqual(template.check(appliedReview(service('web', { externalIPs: ['203.0.113.0'] })), allowing('203.0.113.0')), []);
    assert.deepEqual(template.check(appliedReview(service('web', { ports: [{ port: 80 }] })), allowing()), []);
  });

  it('prints the forbidden IPs as a sorted set and points at each of them', () => {
    const review = appliedReview(service('web', { externalIPs: ['203.0.113.9', '1.1.1.1', '203.0.113.0', '1.1.1.1'] }));
    const violation = onlyViolation(template.check(review, allowing('203.0.113.0')));
    assert.equal(violation.message, 'service has forbidden external IPs: {"1.1.1.1", "203.0.113.9"}');
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'externalIPs', 0],
      ['spec', 'externalIPs', 1],
      ['spec', 'externalIPs', 3],
    ]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false, 'dropping an address changes where the Service answers');
  });

  it('allows no external IP when the list is empty', () => {
    const violation = onlyViolation(template.check(appliedReview(service('web', { externalIPs: ['10.0.0.1'] })), allowing()));
    assert.equal(violation.message, 'service has forbidden external IPs: {"10.0.0.1"}');
  });

  it('judges only core Services', () => {
    const review = appliedReview({ apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'x' }, spec: { externalIPs: ['1.1.1.1'] } });
    assert.deepEqual(template.check(review, allowing()), []);
  });
});
