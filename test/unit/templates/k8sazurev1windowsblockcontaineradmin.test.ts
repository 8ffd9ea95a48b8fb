import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1windowsblockcontaineradmin as template } from '../../../server/src/templates/k8sazurev1windowsblockcontaineradmin';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };
const WINDOWS = { 'kubernetes.io/os': 'windows' };
const NANO = 'mcr.microsoft.com/windows/nanoserver:1809';
const SERVER_CORE = 'mcr.microsoft.com/windows/servercore:1809';
const windowsPod = (spec: JsonObject) => podReview({ nodeSelector: WINDOWS, ...spec });
const runAs = (userName: string) => ({ windowsOptions: { runAsUserName: userName } });

describe('k8sazurev1windowsblockcontaineradmin', () => {
  it('allows Nano Server images and ContainerUser', () => {
    const review = windowsPod({ containers: [container('nano', { image: NANO }), container('user', { image: SERVER_CORE, securityContext: runAs('ContainerUser') })] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags runAsUserName ContainerAdministrator at the field, and offers ContainerUser, not preferred', () => {
    const review = windowsPod({ containers: [container('app', { image: NANO, securityContext: runAs('ContainerAdministrator') })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Container <app> has ContainerAdministrator runAsUsername.');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'windowsOptions', 'runAsUserName']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it("blames the pod's runAsUserName when the container inherits it", () => {
    const review = windowsPod({ securityContext: runAs('ContainerAdministrator'), containers: [container('app', { image: NANO })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(culpritPaths(violation), [['spec', 'securityContext', 'windowsOptions', 'runAsUserName']]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags other images without a user, unless runAsNonRoot holds (own, or the pod\'s when the container does not say)', () => {
    const review = windowsPod({ containers: [container('core', { image: SERVER_CORE })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
    assert.deepEqual(template.check(windowsPod({ containers: [container('core', { image: SERVER_CORE, securityContext: { runAsNonRoot: true } })] }), parameters), []);
    assert.deepEqual(template.check(windowsPod({ securityContext: { runAsNonRoot: true }, containers: [container('core', { image: SERVER_CORE })] }), parameters), []);
    const overridden = windowsPod({ securityContext: { runAsNonRoot: true }, containers: [container('core', { image: SERVER_CORE, securityContext: { runAsNonRoot: false } })] });
    assert.equal(template.check(overridden, parameters).length, 1);
    assert.equal(template.check(windowsPod({ securityContext: { runAsNonRoot: false }, containers: [container('core', { image: SERVER_CORE })] }), parameters).length, 1);
  });

  it('checks regular and init containers, not ephemeral ones, and honours image exclusions only', () => {
    const review = windowsPod({ initContainers: [container('init', { image: SERVER_CORE })], ephemeralContainers: [container('debug', { image: SERVER_CORE })], containers: [container('excluded', { image: 'exception.azurecr.io/exception:1.0.0' })] });
    assert.deepEqual(messages(template.check(review, { excludedImages: ['exception.azurecr.io/exception*'], excludedContainers: ['init'] })), [
      'Container <init> has ContainerAdministrator runAsUsername.',
    ]);
  });

  it('judges only pods pinned to Windows by nodeSelector', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('core', { image: SERVER_CORE })] }), parameters), []);
    assert.deepEqual(template.check(podReview({ os: { name: 'windows' }, containers: [container('core', { image: SERVER_CORE })] }), parameters), []);
  });
});
