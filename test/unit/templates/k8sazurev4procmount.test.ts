import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev4procmount as template } from '../../../server/src/templates/k8sazurev4procmount';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { procMount: 'Default', excludedContainers: [], excludedImages: [] };
const withProcMount = (name: string, procMount: unknown) => container(name, { securityContext: { procMount } as never });

describe('k8sazurev4procmount', () => {
  it('allows Default in any case, and containers that do not set procMount', () => {
    const review = podReview({ containers: [withProcMount('a', 'Default'), withProcMount('b', 'default'), container('c')] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags Unmasked with the lower-cased allowed type, and removes it as the preferred fix', () => {
    const review = podReview({ containers: [withProcMount('app', 'Unmasked')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'ProcMount type is not allowed, container: app. Allowed procMount types: default');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'procMount']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('allows everything with Unmasked, in any case', () => {
    const review = podReview({ containers: [withProcMount('app', 'Unmasked')] });
    assert.deepEqual(template.check(review, { procMount: 'UNMASKED' }), []);
  });

  it('treats a missing or unknown parameter as Default', () => {
    const review = podReview({ containers: [withProcMount('app', 'Unmasked')] });
    for (const procMount of [undefined, 'Masked', 5]) {
      const violation = onlyViolation(template.check(review, procMount === undefined ? {} : { procMount }));
      assert.equal(violation.message, 'ProcMount type is not allowed, container: app. Allowed procMount types: default');
    }
  });

  it('flags any other truthy value, an empty string included, but not false', () => {
    const review = podReview({ containers: [withProcMount('a', ''), withProcMount('b', true), withProcMount('c', false)] });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'ProcMount type is not allowed, container: a. Allowed procMount types: default',
      'ProcMount type is not allowed, container: b. Allowed procMount types: default',
    ]);
  });

  it('checks init and ephemeral containers, honours both exclusions, and skips Windows pods', () => {
    const review = podReview({ initContainers: [withProcMount('init', 'Unmasked')], ephemeralContainers: [{ ...withProcMount('debug', 'Unmasked'), image: 'busybox' }] });
    assert.equal(template.check(review, parameters).length, 2);
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['init'], excludedImages: ['busy*'] }), []);
    assert.deepEqual(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [withProcMount('app', 'Unmasked')] }), parameters), []);
  });
});
