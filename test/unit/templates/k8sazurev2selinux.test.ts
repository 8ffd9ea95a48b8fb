import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2selinux as template } from '../../../server/src/templates/k8sazurev2selinux';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const ALLOWED = { level: 's0:c123,c456', role: 'object_r', type: 'svirt_sandbox_file_t', user: 'system_u' };
const parameters = { allowedSELinuxOptions: [ALLOWED], excludedImages: [] };
const PRINTED = '[{"level": "s0:c123,c456", "role": "object_r", "type": "svirt_sandbox_file_t", "user": "system_u"}]';
const withOptions = (name: string, seLinuxOptions: unknown) => container(name, { securityContext: { seLinuxOptions } as never });

describe('k8sazurev2selinux', () => {
  it('allows options that match an entry, and options that leave fields out', () => {
    const review = podReview({ securityContext: { seLinuxOptions: { type: 'svirt_sandbox_file_t' } }, containers: [withOptions('app', ALLOWED), container('plain')] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it("flags a container's options at the field, and offers to remove them, not preferred", () => {
    const review = podReview({ containers: [withOptions('app', { ...ALLOWED, user: 'sysadm_u' })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `SELinux options is not allowed, pod: demo, container app. Allowed options: ${PRINTED}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'seLinuxOptions']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it("flags the pod's options with the pod message", () => {
    const review = podReview({ securityContext: { seLinuxOptions: { level: 's1' } }, containers: [container('app')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `SELinux options is not allowed, pod: demo. Allowed options: ${PRINTED}`);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('does not match a field that the entry leaves out, and ignores empty fields (the API server drops them)', () => {
    const review = podReview({ containers: [withOptions('app', { type: 'spc_t', level: '' })] });
    assert.equal(template.check(review, { allowedSELinuxOptions: [{ level: 's0' }] }).length, 1);
    assert.deepEqual(template.check(review, { allowedSELinuxOptions: [{ type: 'spc_t' }] }), []);
  });

  it('flags even empty options when nothing is allowed, and nothing without the parameter', () => {
    const review = podReview({ containers: [withOptions('app', {})] });
    assert.deepEqual(messages(template.check(review, { allowedSELinuxOptions: [] })), ['SELinux options is not allowed, pod: demo, container app. Allowed options: []']);
    assert.deepEqual(template.check(review, {}), []);
  });

  it('exempts containers by image only, never the pod, and skips Windows pods', () => {
    const review = podReview({
      securityContext: { seLinuxOptions: { level: 's1' } },
      initContainers: [withOptions('init', { level: 's1' })],
      ephemeralContainers: [{ ...withOptions('debug', { level: 's1' }), image: 'busybox' }],
    });
    assert.equal(template.check(review, parameters).length, 3);
    assert.deepEqual(messages(template.check(review, { ...parameters, excludedImages: ['busybox', 'mcr.microsoft.com/*'], excludedContainers: ['init'] })), [
      `SELinux options is not allowed, pod: demo. Allowed options: ${PRINTED}`,
    ]);
    assert.deepEqual(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [withOptions('app', { level: 's1' })] }), parameters), []);
  });
});
