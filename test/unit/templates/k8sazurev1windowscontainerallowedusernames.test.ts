import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1windowscontainerallowedusernames as template } from '../../../server/src/templates/k8sazurev1windowscontainerallowedusernames';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { allowedUserNames: ['ContainerUser'], excludedImages: [] };
const NANO = 'mcr.microsoft.com/windows/nanoserver:1809';
const SERVER_CORE = 'mcr.microsoft.com/windows/servercore:1809';
const windowsPod = (spec: JsonObject) => podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, ...spec });
const runAs = (userName: string) => ({ windowsOptions: { runAsUserName: userName } });

describe('k8sazurev1windowscontainerallowedusernames', () => {
  it('allows an allowed user, and a Nano Server image that sets none (ContainerUser)', () => {
    const review = windowsPod({ containers: [container('nano', { image: NANO }), container('user', { image: SERVER_CORE, securityContext: runAs('ContainerUser') })] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags another user, saying "Disallowed users" for the allowed list, and offers the first allowed user', () => {
    const review = windowsPod({ containers: [container('app', { image: NANO, securityContext: runAs('ContainerAdministrator') })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Container <app> has disallowed runAsUsername. Disallowed users are ["ContainerUser"]');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'windowsOptions', 'runAsUserName']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('reads the pod user when the container has none, and ContainerAdministrator for other images with none', () => {
    const inherited = windowsPod({ securityContext: runAs('ContainerAdministrator'), containers: [container('app', { image: NANO })] });
    assert.deepEqual(culpritPaths(onlyViolation(template.check(inherited, parameters))), [['spec', 'securityContext', 'windowsOptions', 'runAsUserName']]);
    const byDefault = windowsPod({ containers: [container('core', { image: SERVER_CORE })] });
    const violation = onlyViolation(template.check(byDefault, parameters));
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(assertFixesClear(template, byDefault, parameters, violation), []);
    assert.deepEqual(template.check(byDefault, { allowedUserNames: ['ContainerAdministrator'] }), []);
  });

  it('allows domain users by a DOMAIN\\* prefix, which also matches longer domain names', () => {
    const domain = { allowedUserNames: ['CONTOSO\\*'] };
    const user = (name: string) => windowsPod({ containers: [container('app', { image: NANO, securityContext: runAs(name) })] });
    assert.deepEqual(template.check(user('CONTOSO\\svc'), domain), []);
    assert.deepEqual(template.check(user('CONTOSOLTD\\svc'), domain), []);
    assert.equal(template.check(user('CONTOSO'), domain).length, 1, 'not a domain user');
    assert.equal(template.check(user('FABRIKAM\\svc'), domain).length, 1);
    assert.equal(onlyViolation(template.check(user('FABRIKAM\\svc'), domain)).culprits[0]?.fixes, undefined, 'no plain user to offer');
  });

  it('blocks every container with an empty list, and none without the parameter', () => {
    const review = windowsPod({ containers: [container('nano', { image: NANO })] });
    assert.deepEqual(messages(template.check(review, { allowedUserNames: [] })), ['Container <nano> has disallowed runAsUsername. Disallowed users are []']);
    assert.deepEqual(template.check(review, {}), []);
  });

  it('checks regular and init containers only, honours image exclusions, and judges only Windows pods', () => {
    const review = windowsPod({ initContainers: [container('init', { image: SERVER_CORE })], ephemeralContainers: [container('debug', { image: SERVER_CORE })], containers: [container('x', { image: 'exception.azurecr.io/x:1' })] });
    assert.deepEqual(messages(template.check(review, { ...parameters, excludedImages: ['exception.azurecr.io/*'] })), [
      'Container <init> has disallowed runAsUsername. Disallowed users are ["ContainerUser"]',
    ]);
    assert.deepEqual(template.check(podReview({ containers: [container('core', { image: SERVER_CORE })] }), parameters), []);
  });
});
