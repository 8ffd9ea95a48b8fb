import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2blockhostnamespace as template } from '../../../server/src/templates/k8sazurev2blockhostnamespace';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev2blockhostnamespace;

describe('k8sazurev2blockhostnamespace', () => {
  it('allows pods that do not share the host PID or IPC namespace', () => {
    assert.deepEqual(template.check(podReview({ hostPID: false, hostIPC: false, containers: [container('app')] }), parameters), []);
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }), parameters), []);
  });

  it('reports hostPID and hostIPC as two culprits of one violation', () => {
    const review = podReview({ hostPID: true, hostIPC: true, containers: [container('app'), container('sidecar')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Sharing the host namespace is not allowed: demo');
    assert.deepEqual(culpritPaths(violation), [['spec', 'hostPID'], ['spec', 'hostIPC']]);
    assert.ok(violation.culprits.every((culprit) => culprit.fixes?.[0]?.preferred === true));
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags hostIPC alone', () => {
    const violation = onlyViolation(template.check(podReview({ hostIPC: true, containers: [container('app')] }), parameters));
    assert.deepEqual(culpritPaths(violation), [['spec', 'hostIPC']]);
  });

  it('does not check hostNetwork (the v2 template predates that)', () => {
    assert.deepEqual(template.check(podReview({ hostNetwork: true, containers: [container('app')] }), parameters), []);
  });

  it('ignores excludedContainers', () => {
    const review = podReview({ hostPID: true, containers: [container('app')] });
    assert.equal(template.check(review, { ...parameters, excludedContainers: ['app'] }).length, 1);
  });

  it('needs one container its image exclusions keep', () => {
    const review = podReview({
      hostPID: true,
      containers: [container('agent', { image: 'contoso.azurecr.io/agent:1' })],
      initContainers: [container('setup', { image: 'contoso.azurecr.io/setup:1' })],
    });
    assert.deepEqual(template.check(review, { excludedImages: ['contoso.azurecr.io/*'] }), []);
    assert.equal(template.check(review, { excludedImages: ['contoso.azurecr.io/agent*'] }).length, 1, 'the init container still counts');
    assert.deepEqual(template.check(podReview({ hostPID: true }), parameters), [], 'no containers at all');
  });

  it('skips pods pinned to Windows', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, hostPID: true, containers: [container('app')] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('says nothing without a pod name: the Rego message is undefined', () => {
    assert.deepEqual(template.check(podReview({ hostPID: true, containers: [container('app')] }, {}), parameters), []);
  });
});
