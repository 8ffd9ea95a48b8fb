import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1forbiddensysctls as template } from '../../../server/src/templates/k8sazurev1forbiddensysctls';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { forbiddenSysctls: ['kernel.*'] };
const withSysctls = (...names: string[]) => podReview({ securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) }, containers: [container('app')] });

describe('k8sazurev1forbiddensysctls', () => {
  it('allows sysctls that nothing forbids', () => {
    assert.deepEqual(template.check(withSysctls('net.ipv4.ip_local_port_range'), parameters), []);
  });

  it('flags a sysctl by prefix, at its item, and removes it as the preferred fix', () => {
    const review = withSysctls('net.core.somaxconn', 'kernel.msgmax');
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'The sysctl kernel.msgmax is not allowed, pod: demo. Forbidden sysctls: ["kernel.*"]');
    assert.deepEqual(culpritPaths(violation), [['spec', 'securityContext', 'sysctls', 1]]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('forbids by exact name, by *, and by any entry once its stars are trimmed from both ends', () => {
    assert.equal(template.check(withSysctls('kernel.shm_rmid_forced'), { forbiddenSysctls: ['kernel.shm_rmid_forced'] }).length, 1);
    assert.equal(template.check(withSysctls('net.core.somaxconn', 'kernel.msgmax'), { forbiddenSysctls: ['*'] }).length, 2);
    assert.equal(template.check(withSysctls('kernel.msgmax'), { forbiddenSysctls: ['*kernel.'] }).length, 1);
    assert.equal(template.check(withSysctls('net.core.somaxconn'), { forbiddenSysctls: [''] }).length, 1, 'an empty entry is a prefix of everything');
  });

  it('flags nothing without the parameter', () => {
    assert.deepEqual(template.check(withSysctls('kernel.msgmax'), {}), []);
  });

  it('prints each sysctl once even when it is listed twice', () => {
    assert.deepEqual(messages(template.check(withSysctls('kernel.msgmax', 'kernel.msgmax'), parameters)), ['The sysctl kernel.msgmax is not allowed, pod: demo. Forbidden sysctls: ["kernel.*"]']);
  });

  it('skips Windows pods', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } });
    assert.deepEqual(template.check(review, parameters), []);
  });
});
