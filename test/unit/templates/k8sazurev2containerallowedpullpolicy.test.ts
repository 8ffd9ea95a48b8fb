import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2containerallowedpullpolicy as template } from '../../../server/src/templates/k8sazurev2containerallowedpullpolicy';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { allowedPullPolicy: ['IfNotPresent', 'Never'], excludedImages: [] };
const ALLOWED = '["IfNotPresent", "Never"]';

describe('k8sazurev2containerallowedpullpolicy', () => {
  it('allows listed policies, and a tagged image without one (IfNotPresent by default)', () => {
    const review = podReview({
      containers: [container('a', { imagePullPolicy: 'Never' }), container('b', { image: 'nginx:1.27' }), container('c', { image: 'nginx', imagePullPolicy: 'IfNotPresent' })],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags Always at the field, and offers the first allowed policy, not preferred', () => {
    const review = podReview({ containers: [container('app', { imagePullPolicy: 'Always' })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `Image pull policy Always for container app is not been allowed. allowed policies: ${ALLOWED}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'imagePullPolicy']]);
    const fix = violation.culprits[0]?.fixes?.[0];
    assert.equal(fix?.preferred, false);
    assert.deepEqual(fix?.operations, [{ op: 'set', path: ['spec', 'containers', 0, 'imagePullPolicy'], value: 'IfNotPresent' }]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('judges the policy the API server gives an image tagged latest or not tagged, pointing at the image', () => {
    const review = podReview({ containers: [container('latest', { image: 'nginx:latest' }), container('untagged', { image: 'mcr.microsoft.com/aks/policy/example' })] });
    const violations = template.check(review, parameters);
    assert.deepEqual(messages(violations), [
      `Image pull policy Always for container latest is not been allowed. allowed policies: ${ALLOWED}`,
      `Image pull policy Always for container untagged is not been allowed. allowed policies: ${ALLOWED}`,
    ]);
    assert.deepEqual(violations[0]?.culprits[0]?.fallback, ['spec', 'containers', 0, 'image']);
    for (const violation of violations) assertFixesClear(template, review, parameters, violation);
  });

  it('flags nothing without the parameter, and everything with an empty list', () => {
    const review = podReview({ containers: [container('app', { imagePullPolicy: 'Never' })] });
    assert.deepEqual(template.check(review, {}), []);
    const violation = onlyViolation(template.check(review, { allowedPullPolicy: [] }));
    assert.equal(violation.message, 'Image pull policy Never for container app is not been allowed. allowed policies: []');
    assert.equal(violation.culprits[0]?.fixes, undefined, 'nothing to set');
  });

  it('compares exactly, case included', () => {
    assert.equal(template.check(podReview({ containers: [container('app', { imagePullPolicy: 'never' })] }), parameters).length, 1);
  });

  it('checks every container list and honours image exclusions, not name exclusions', () => {
    const always = { imagePullPolicy: 'Always' };
    const review = podReview({ initContainers: [container('init', always)], ephemeralContainers: [container('debug', { ...always, image: 'busybox:1' })] });
    assert.equal(template.check(review, parameters).length, 2);
    assert.equal(template.check(review, { ...parameters, excludedImages: ['busybox*'], excludedContainers: ['init'] }).length, 1);
  });
});
