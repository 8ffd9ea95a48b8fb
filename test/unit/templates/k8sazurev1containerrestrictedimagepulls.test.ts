import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1containerrestrictedimagepulls as template } from '../../../server/src/templates/k8sazurev1containerrestrictedimagepulls';
import { container, culpritPaths, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };

describe('k8sazurev1containerrestrictedimagepulls', () => {
  it('allows a pod with image pull secrets', () => {
    assert.deepEqual(template.check(podReview({ imagePullSecrets: [{ name: 'acr' }], containers: [container('app')] }), parameters), []);
  });

  it('flags a pod without them, with its name and namespace, at spec, without a fix', () => {
    const violation = onlyViolation(template.check(podReview({ containers: [container('app')] }), parameters));
    assert.equal(violation.message, 'demo in default does not have imagePullSecrets. Unauthenticated image pulls are not recommended.');
    assert.deepEqual(culpritPaths(violation), [['spec', 'imagePullSecrets']]);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec']);
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('counts an empty or null list as none, as the API server drops it', () => {
    for (const imagePullSecrets of [[], null]) {
      assert.equal(template.check(podReview({ imagePullSecrets, containers: [container('app')] }), parameters).length, 1);
    }
  });

  it('skips a pod whose containers all have excluded images, in any container list', () => {
    const excluded = { excludedImages: ['excluded-image'] };
    assert.deepEqual(template.check(podReview({ containers: [container('app', { image: 'excluded-image' })] }), excluded), []);
    const withInit = podReview({ containers: [container('app', { image: 'excluded-image' })], initContainers: [container('setup')] });
    assert.equal(template.check(withInit, excluded).length, 1);
    assert.equal(template.check(podReview({ containers: [container('app')] }), { excludedContainers: ['app'] }).length, 1, 'no name exclusions');
  });
});
