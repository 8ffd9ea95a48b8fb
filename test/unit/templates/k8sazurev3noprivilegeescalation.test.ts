import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev3noprivilegeescalation as template } from '../../../server/src/templates/k8sazurev3noprivilegeescalation';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev3noprivilegeescalation;
const MESSAGE = 'Privilege escalation container is not allowed: app';
const APE_PATH = ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'];

function reviewWith(containerSecurity: JsonObject | undefined, podSecurity?: JsonObject) {
  return podReview({
    ...(podSecurity ? { securityContext: podSecurity } : {}),
    containers: [container('app', containerSecurity ? { securityContext: containerSecurity } : {})],
  });
}

describe('k8sazurev3noprivilegeescalation', () => {
  it('flags allowPrivilegeEscalation: true and fixes it by setting false', () => {
    const review = reviewWith({ allowPrivilegeEscalation: true });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, MESSAGE);
    assert.deepEqual(culpritPaths(violation), [APE_PATH]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags a container running as a non-zero user without allowPrivilegeEscalation: false', () => {
    const review = reviewWith({ runAsUser: 1000 });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(violation.culprits[0]?.path, APE_PATH);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags a container inheriting a non-zero user from the pod', () => {
    const review = reviewWith(undefined, { runAsUser: 1000 });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, MESSAGE);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('does not flag runAsUser: 0 in the container even when the pod runs as non-root', () => {
    // Rego's `not runAsUser` is false for 0 (only undefined and false are falsy), so the pod's user is not inherited.
    assert.deepEqual(template.check(reviewWith({ runAsUser: 0 }, { runAsUser: 200 }), parameters), []);
  });

  it('does not flag root, or no user at all, when allowPrivilegeEscalation is omitted', () => {
    assert.deepEqual(template.check(reviewWith(undefined), parameters), []);
    assert.deepEqual(template.check(reviewWith({ runAsUser: 0 }), parameters), []);
    assert.deepEqual(template.check(reviewWith(undefined, { runAsUser: 0 }), parameters), []);
  });

  it('allows explicit allowPrivilegeEscalation: false whatever the user', () => {
    assert.deepEqual(template.check(reviewWith({ allowPrivilegeEscalation: false, runAsUser: 1000 }, { runAsUser: 1000 }), parameters), []);
  });

  it('needs exactly false: any other value with a non-zero user is flagged', () => {
    assert.equal(template.check(reviewWith({ allowPrivilegeEscalation: 'false', runAsUser: 1000 }), parameters).length, 1);
  });

  it('checks init and ephemeral containers, and skips excluded ones', () => {
    const escalating = { securityContext: { allowPrivilegeEscalation: true } };
    const review = podReview({ initContainers: [container('setup', escalating)], ephemeralContainers: [container('debug', escalating)] });
    assert.equal(template.check(review, parameters).length, 2);
    assert.deepEqual(template.check(review, { excludedContainers: ['setup', 'debug'] }), []);
    assert.deepEqual(template.check(review, { excludedImages: ['mcr.microsoft.com/*'] }), []);
  });

  it('skips pods pinned to Windows', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app', { securityContext: { allowPrivilegeEscalation: true } })] });
    assert.deepEqual(template.check(review, parameters), []);
  });
});
