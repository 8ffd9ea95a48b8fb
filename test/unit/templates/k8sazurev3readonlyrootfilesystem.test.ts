import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev3readonlyrootfilesystem as template } from '../../../server/src/templates/k8sazurev3readonlyrootfilesystem';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { excludedContainers: [], excludedImages: [] };
const readOnly = (name: string, value: unknown) => container(name, { securityContext: { readOnlyRootFilesystem: value } as never });

describe('k8sazurev3readonlyrootfilesystem', () => {
  it('allows readOnlyRootFilesystem: true', () => {
    assert.deepEqual(template.check(podReview({ containers: [readOnly('app', true)] }), parameters), []);
  });

  it('flags false at the field, and sets it to true as the preferred fix', () => {
    const review = podReview({ containers: [readOnly('app', false)] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, "Readonly root filesystem is required for container. pod:'demo', container:'app'");
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags a container that does not set it, at its name, and adds it', () => {
    const review = podReview({ containers: [container('app')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('needs exactly true', () => {
    assert.equal(template.check(podReview({ containers: [readOnly('a', 'true'), readOnly('b', 1)] }), parameters).length, 2);
  });

  it('checks every container list, honours both exclusions, and skips Windows pods', () => {
    const review = podReview({ initContainers: [container('init')], ephemeralContainers: [container('debug', { image: 'busybox' })] });
    assert.deepEqual(messages(template.check(review, parameters)), [
      "Readonly root filesystem is required for container. pod:'demo', container:'init'",
      "Readonly root filesystem is required for container. pod:'demo', container:'debug'",
    ]);
    assert.deepEqual(template.check(review, { excludedContainers: ['init'], excludedImages: ['busybox'] }), []);
    assert.deepEqual(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')] }), parameters), []);
  });
});
