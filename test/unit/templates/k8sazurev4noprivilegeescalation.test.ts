import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev4noprivilegeescalation as template } from '../../../server/src/templates/k8sazurev4noprivilegeescalation';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const lax = { excludedContainers: [], excludedImages: [], forcePrivilegeEscalationToBeFalse: false };
const forced = { ...lax, forcePrivilegeEscalationToBeFalse: true };

/** A pod with one container `app` with this securityContext, and the pod's securityContext. */
function pod(securityContext?: JsonObject, podSecurityContext?: JsonObject): ReturnType<typeof podReview> {
  return podReview({
    ...(podSecurityContext ? { securityContext: podSecurityContext } : {}),
    containers: [container('app', securityContext ? { securityContext } : {})],
  });
}

describe('k8sazurev4noprivilegeescalation', () => {
  it("keeps v3's rule without forcePrivilegeEscalationToBeFalse", () => {
    assert.deepEqual(template.check(pod(), lax), [], 'no user anywhere');
    assert.deepEqual(template.check(pod({ runAsUser: 0 }, { runAsUser: 1000 }), lax), [], 'root in the container');
    assert.equal(template.check(pod({ allowPrivilegeEscalation: true }), lax).length, 1);
    assert.equal(template.check(pod({ runAsUser: 1000 }), lax).length, 1);
    assert.equal(template.check(pod(undefined, { runAsUser: 1000 }), lax).length, 1);
    assert.deepEqual(template.check(pod({ allowPrivilegeEscalation: false, runAsUser: 1000 }), lax), []);
  });

  it('with forcePrivilegeEscalationToBeFalse, requires an explicit false whatever the user', () => {
    const cases: (JsonObject | undefined)[] = [undefined, {}, { runAsUser: 0 }, { allowPrivilegeEscalation: true }, { allowPrivilegeEscalation: 'false' }];
    for (const securityContext of cases) {
      const review = pod(securityContext);
      const violation = onlyViolation(template.check(review, forced));
      assert.equal(violation.message, 'Privilege escalation container is not allowed: app');
      assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation']]);
      assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
      assert.deepEqual(assertFixesClear(template, review, forced, violation), [], JSON.stringify(securityContext));
    }
    assert.deepEqual(template.check(pod({ allowPrivilegeEscalation: false }), forced), []);
  });

  it('checks init and ephemeral containers and honours both exclusions', () => {
    const review = podReview({
      containers: [container('app', { securityContext: { allowPrivilegeEscalation: false } })],
      initContainers: [container('setup')],
      ephemeralContainers: [container('debug', { image: 'busybox:1.36' })],
    });
    assert.deepEqual(messages(template.check(review, forced)), ['Privilege escalation container is not allowed: setup', 'Privilege escalation container is not allowed: debug']);
    assert.deepEqual(template.check(review, { ...forced, excludedContainers: ['setup'], excludedImages: ['busybox*'] }), []);
  });

  it('skips pods pinned to Windows', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')] });
    assert.deepEqual(template.check(review, forced), []);
  });
});
