import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev2blockautomounttoken as template } from '../../../server/src/templates/k8sazurev2blockautomounttoken';
import { assertFixesClear, container, culpritPaths, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };
const MESSAGE = 'Automounting service account token is disallowed, pod: demo';

describe('k8sazurev2blockautomounttoken', () => {
  it('allows a pod that opts out', () => {
    assert.deepEqual(template.check(podReview({ automountServiceAccountToken: false, containers: [container('app')] }), parameters), []);
  });

  it('flags automountServiceAccountToken: true, and sets it to false as the preferred fix', () => {
    const review = podReview({ automountServiceAccountToken: true, containers: [container('app')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, MESSAGE);
    assert.deepEqual(culpritPaths(violation), [['spec', 'automountServiceAccountToken']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags a pod that does not say, since the ServiceAccount admission plugin mounts the token (pointing at spec)', () => {
    const specs: JsonObject[] = [{ containers: [container('app')] }, { automountServiceAccountToken: null, containers: [container('app')] }];
    for (const spec of specs) {
      const review = podReview(spec);
      const violation = onlyViolation(template.check(review, parameters));
      assert.equal(violation.message, MESSAGE);
      assert.deepEqual(violation.culprits[0]?.fallback, ['spec']);
      assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
    }
  });

  it('also blames a mount of the token path that the manifest writes, in any container', () => {
    const mount = { volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] };
    const review = podReview({ containers: [container('app')], initContainers: [container('setup', mount)] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(culpritPaths(violation), [['spec', 'automountServiceAccountToken'], ['spec', 'initContainers', 0, 'volumeMounts', 0, 'mountPath']]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('lets any other value of the field stand, as the template only tests for true', () => {
    assert.deepEqual(template.check(podReview({ automountServiceAccountToken: 'yes', containers: [container('app')] }), parameters), []);
  });

  it('skips a pod whose containers all have excluded images, but not excluded names', () => {
    const review = podReview({ automountServiceAccountToken: true, containers: [container('app', { image: 'exception.azurecr.io/exception:1.0.0' })] });
    assert.deepEqual(template.check(review, { excludedImages: ['exception.azurecr.io/exception*'] }), []);
    assert.equal(template.check(review, { excludedImages: [], excludedContainers: ['app'] }).length, 1);
  });

  it('has no message, and so no violation, for a pod without a name', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }, {}), parameters), []);
  });
});
