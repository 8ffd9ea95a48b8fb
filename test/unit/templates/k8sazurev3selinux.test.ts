import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev2selinux } from '../../../server/src/templates/k8sazurev2selinux';
import { k8sazurev3selinux as template } from '../../../server/src/templates/k8sazurev3selinux';
import { container, culpritPaths, messages, onlyViolation, podReview } from './support';

const PSS_TYPES = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
/** Deployment Safeguards' values: enforcePSS fixed to true, the definition's defaults otherwise. */
const pss = { enforcePSS: true, allowedSELinuxTypes: PSS_TYPES, allowedSELinuxOptions: [], excludedImages: [] };
const ALLOWED_OPTION = { level: 's0:c123,c456', role: 'object_r', type: 'svirt_sandbox_file_t', user: 'system_u' };
/** The definition's defaults with one allowed option set: the v2 rule. */
const custom = { ...pss, enforcePSS: false, allowedSELinuxOptions: [ALLOWED_OPTION] };

/** A pod with these pod-level and `app` container seLinuxOptions. */
function pod(podOptions?: JsonObject, containerOptions?: JsonObject): ReturnType<typeof podReview> {
  return podReview({
    ...(podOptions ? { securityContext: { seLinuxOptions: podOptions } } : {}),
    containers: [container('app', containerOptions ? { securityContext: { seLinuxOptions: containerOptions } } : {})],
  });
}

describe('k8sazurev3selinux', () => {
  describe('with enforcePSS (the Pod Security Standards)', () => {
    it('allows no options, an allowed or empty type, a level, and empty user and role', () => {
      assert.deepEqual(template.check(pod(), pss), []);
      assert.deepEqual(template.check(pod({ user: null, role: null, type: null }), pss), [], 'the API server drops null fields');
      assert.deepEqual(template.check(pod({ type: 'container_init_t', level: 's0:c1,c2' }, { type: '' }), pss), []);
      assert.deepEqual(template.check(pod({ user: '', role: '' }, { type: 'container_kvm_t', user: '' }), pss), []);
    });

    it('points at each refused field, with one message for the pod and one per container', () => {
      const violations = template.check(pod({ type: 'spc_t' }, { user: 'system_u', role: 'system_r', type: 'container_t' }), pss);
      const allowed = '["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]';
      assert.deepEqual(messages(violations), [
        `SELinux options is not allowed, pod: demo. Allowed SELinux types: ${allowed}`,
        `SELinux options is not allowed, pod: demo, container app. Allowed SELinux types: ${allowed}`,
      ]);
      assert.deepEqual(culpritPaths(violations[0]), [['spec', 'securityContext', 'seLinuxOptions', 'type']]);
      assert.deepEqual(culpritPaths(violations[1]), [
        ['spec', 'containers', 0, 'securityContext', 'seLinuxOptions', 'user'],
        ['spec', 'containers', 0, 'securityContext', 'seLinuxOptions', 'role'],
      ]);
    });

    it('honours image exclusions for containers only, and skips pods pinned to Windows', () => {
      const review = podReview({
        securityContext: { seLinuxOptions: { user: 'u' } },
        containers: [container('app', { image: 'contoso.azurecr.io/app:1', securityContext: { seLinuxOptions: { user: 'u' } } })],
      });
      assert.deepEqual(messages(template.check(review, { ...pss, excludedImages: ['contoso.azurecr.io/*'] })), [
        'SELinux options is not allowed, pod: demo. Allowed SELinux types: ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]',
      ]);
      const windows = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, securityContext: { seLinuxOptions: { user: 'u' } } });
      assert.deepEqual(template.check(windows, pss), []);
    });
  });

  describe('without enforcePSS (the v2 rule)', () => {
    it('judges as k8sazurev2selinux does', () => {
      for (const review of [pod(ALLOWED_OPTION), pod(undefined, { type: 'container_t' }), pod({ user: '' }), pod({}, { level: 's0:c123,c456' })]) {
        assert.deepEqual(template.check(review, custom), k8sazurev2selinux.check(review, custom));
      }
    });

    it('allows options that match an allowed entry on every field they set', () => {
      assert.deepEqual(template.check(pod(ALLOWED_OPTION, { type: 'svirt_sandbox_file_t', level: 's0:c123,c456' }), custom), []);
    });

    it('flags options with a field the entries do not allow, at the options', () => {
      const violation = onlyViolation(template.check(pod(undefined, { type: 'container_t' }), custom));
      assert.equal(
        violation.message,
        'SELinux options is not allowed, pod: demo, container app. Allowed options: [{"level": "s0:c123,c456", "role": "object_r", "type": "svirt_sandbox_file_t", "user": "system_u"}]',
      );
      assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'seLinuxOptions']]);
      assert.equal(template.check(pod({ user: 'system_u', level: 's0' }), custom).length, 1);
    });

    it('refuses all options, even empty ones, with the default empty list: no entry to match', () => {
      assert.equal(template.check(pod({}), { ...custom, allowedSELinuxOptions: [] }).length, 1);
      assert.equal(template.check(pod({ type: 'container_t' }), { ...custom, allowedSELinuxOptions: [] }).length, 1);
      assert.deepEqual(template.check(pod({}), custom), [], 'empty options set no field, so any entry matches');
    });

    it('says nothing when allowedSELinuxOptions is missing: the Rego message is undefined', () => {
      assert.deepEqual(template.check(pod({ type: 'x' }), { enforcePSS: false }), []);
    });
  });
});
