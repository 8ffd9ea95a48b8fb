import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev3allowedcapabilities as template } from '../../../server/src/templates/k8sazurev3allowedcapabilities';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev3allowedcapabilities;
const INITIATIVE_LIST =
  '["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"]';
const withCapabilities = (capabilities: { add?: string[]; drop?: string[] }) => container('app', { securityContext: { capabilities } });

describe('k8sazurev3allowedcapabilities', () => {
  it('allows capabilities on the list, compared case-insensitively', () => {
    const review = podReview({ containers: [withCapabilities({ add: ['NET_RAW', 'chown', 'Kill'] })] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags each disallowed capability as a culprit of one violation', () => {
    const review = podReview({ containers: [withCapabilities({ add: ['NET_ADMIN', 'CHOWN', 'SYS_ADMIN'] })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `container <app> has a disallowed capability. Allowed capabilities are ${INITIATIVE_LIST}`);
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 0],
      ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 2],
    ]);
    assert.ok(violation.culprits.every((culprit) => culprit.fixes?.[0]?.preferred === true));
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('allows everything with *', () => {
    const review = podReview({ containers: [withCapabilities({ add: ['SYS_ADMIN'] })] });
    assert.deepEqual(template.check(review, { allowedCapabilities: ['*'] }), []);
  });

  it('says NONE when no capabilities are allowed at all', () => {
    const review = podReview({ containers: [withCapabilities({ add: ['CHOWN'] })] });
    assert.equal(onlyViolation(template.check(review, {})).message, 'container <app> has a disallowed capability. Allowed capabilities are NONE');
    assert.equal(onlyViolation(template.check(review, { allowedCapabilities: [] })).message, 'container <app> has a disallowed capability. Allowed capabilities are []');
  });

  it('requires dropping every required capability, or ALL', () => {
    const required = { ...parameters, requiredDropCapabilities: ['NET_RAW', 'SYS_ADMIN'] };
    const review = podReview({ containers: [withCapabilities({ drop: ['net_raw'] })] });
    const violation = onlyViolation(template.check(review, required));
    assert.equal(
      violation.message,
      'container <app> is not dropping all required capabilities. Container must drop all of ["NET_RAW", "SYS_ADMIN"] or "ALL"',
    );
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false, 'dropping capabilities may break the workload');
    assert.deepEqual(violation.culprits[0]?.fixes?.[0]?.operations, [
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['net_raw', 'SYS_ADMIN'] },
    ]);
    assert.deepEqual(assertFixesClear(template, review, required, violation), []);
    assert.deepEqual(template.check(podReview({ containers: [withCapabilities({ drop: ['all'] })] }), required), []);
  });

  it('points at the container name when drop is missing', () => {
    const required = { ...parameters, requiredDropCapabilities: ['ALL'] };
    const review = podReview({ containers: [container('app')] });
    const violation = onlyViolation(template.check(review, required));
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(assertFixesClear(template, review, required, violation), []);
  });

  it('never asks for drops with the initiative\'s empty list', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }), parameters), []);
  });

  it('checks init and ephemeral containers, and skips excluded ones', () => {
    const review = podReview({
      initContainers: [container('setup', { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })],
      ephemeralContainers: [container('debug', { image: 'busybox:1.36', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } })],
    });
    assert.deepEqual(messages(template.check(review, parameters)), [
      `container <setup> has a disallowed capability. Allowed capabilities are ${INITIATIVE_LIST}`,
      `container <debug> has a disallowed capability. Allowed capabilities are ${INITIATIVE_LIST}`,
    ]);
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['setup'], excludedImages: ['busybox:1.36'] }), []);
  });

  it('skips pods pinned to Windows', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [withCapabilities({ add: ['SYS_ADMIN'] })] });
    assert.deepEqual(template.check(review, parameters), []);
  });
});
