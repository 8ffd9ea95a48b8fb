import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev3blockhostnamespace as template } from '../../../server/src/templates/k8sazurev3blockhostnamespace';
import { assertFixesClear, container, culpritPaths, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };

describe('k8sazurev3blockhostnamespace', () => {
  it('allows pods that share no host namespace', () => {
    const review = podReview({ hostPID: false, hostIPC: false, hostNetwork: false, containers: [container('app')] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it("reports hostPID, hostIPC and hostNetwork as culprits of one violation with v2's message", () => {
    const review = podReview({ hostPID: true, hostIPC: true, hostNetwork: true, containers: [container('app')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Sharing the host namespace is not allowed: demo');
    assert.deepEqual(culpritPaths(violation), [['spec', 'hostPID'], ['spec', 'hostIPC'], ['spec', 'hostNetwork']]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags hostNetwork alone, which v2 did not check', () => {
    const violation = onlyViolation(template.check(podReview({ hostNetwork: true, containers: [container('app')] }), parameters));
    assert.deepEqual(culpritPaths(violation), [['spec', 'hostNetwork']]);
  });

  it('needs one container its image exclusions keep, and ignores excludedContainers', () => {
    const review = podReview({ hostNetwork: true, containers: [container('agent', { image: 'contoso.azurecr.io/agent:1' })] });
    assert.deepEqual(template.check(review, { excludedImages: ['contoso.azurecr.io/*'] }), []);
    assert.equal(template.check(review, { ...parameters, excludedContainers: ['agent'] }).length, 1);
  });

  it('skips pods pinned to Windows, and says nothing without a pod name', () => {
    const windows = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, hostNetwork: true, containers: [container('app')] });
    assert.deepEqual(template.check(windows, parameters), []);
    assert.deepEqual(template.check(podReview({ hostNetwork: true, containers: [container('app')] }, {}), parameters), []);
  });
});
