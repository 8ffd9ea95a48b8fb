import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev3disallowedcapabilities as template } from '../../../server/src/templates/k8sazurev3disallowedcapabilities';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const sysAdmin = { disallowedCapabilities: ['SYS_ADMIN'], excludedContainers: [], excludedImages: [] };
const adding = (name: string, add: unknown[]) => container(name, { securityContext: { capabilities: { add } } as never });

describe('k8sazurev3disallowedcapabilities', () => {
  it('allows capabilities not on the list', () => {
    assert.deepEqual(template.check(podReview({ containers: [adding('app', ['NET_ADMIN', 'CHOWN'])] }), sysAdmin), []);
  });

  it('flags each disallowed capability added, and removes it as the preferred fix', () => {
    const review = podReview({ containers: [adding('app', ['SYS_ADMIN', 'CHOWN'])] });
    const violation = onlyViolation(template.check(review, sysAdmin));
    assert.equal(violation.message, 'container <app> has a disallowed capability. Disallowed capabilities are ["SYS_ADMIN"]');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 0]]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, sysAdmin, violation), []);
  });

  it('compares exactly: case matters, unlike the allowed-capabilities template', () => {
    assert.deepEqual(template.check(podReview({ containers: [adding('app', ['sys_admin', 'CAP_SYS_ADMIN'])] }), sysAdmin), []);
  });

  it('flags every container, whatever it adds, when * is on the list', () => {
    const review = podReview({ containers: [container('plain'), adding('adds', ['CHOWN'])] });
    const violations = template.check(review, { disallowedCapabilities: ['*'] });
    assert.deepEqual(messages(violations), [
      'container <plain> has a disallowed capability. Disallowed capabilities are ["*"]',
      'container <adds> has a disallowed capability. Disallowed capabilities are ["*"]',
    ]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'containers', 0, 'name']]);
    assert.equal(violations[0]?.culprits[0]?.fixes, undefined);
  });

  it('flags nothing with an empty list or none', () => {
    const review = podReview({ containers: [adding('app', ['SYS_ADMIN'])] });
    assert.deepEqual(template.check(review, { disallowedCapabilities: [] }), []);
    assert.deepEqual(template.check(review, {}), []);
  });

  it('checks init and ephemeral containers, honours both exclusions, and skips Windows pods', () => {
    const review = podReview({ initContainers: [adding('init', ['SYS_ADMIN'])], ephemeralContainers: [{ ...adding('debug', ['SYS_ADMIN']), image: 'busybox' }] });
    assert.equal(template.check(review, sysAdmin).length, 2);
    assert.deepEqual(template.check(review, { ...sysAdmin, excludedContainers: ['init'], excludedImages: ['busybox'] }), []);
    assert.deepEqual(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [adding('app', ['SYS_ADMIN'])] }), sysAdmin), []);
  });
});
