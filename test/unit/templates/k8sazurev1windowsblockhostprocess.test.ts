import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1windowsblockhostprocess as template } from '../../../server/src/templates/k8sazurev1windowsblockhostprocess';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };
const WINDOWS = { 'kubernetes.io/os': 'windows' };
const hostProcess = (value: boolean): JsonObject => ({ securityContext: { windowsOptions: { hostProcess: value } } });

describe('k8sazurev1windowsblockhostprocess', () => {
  it('allows Windows pods without HostProcess containers', () => {
    const review = podReview({ nodeSelector: WINDOWS, containers: [container('app'), container('agent', hostProcess(false))] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags a container that is a HostProcess container, at its own field', () => {
    const review = podReview({ nodeSelector: WINDOWS, hostNetwork: true, containers: [container('agent', hostProcess(true))] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Container <agent> is a HostProcess container.');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'windowsOptions', 'hostProcess']]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it("flags every container that inherits the pod's hostProcess, at the pod's field", () => {
    const review = podReview({
      nodeSelector: WINDOWS,
      securityContext: { windowsOptions: { hostProcess: true } },
      initContainers: [container('setup')],
      containers: [container('agent'), container('own', hostProcess(false))],
      ephemeralContainers: [container('debug')],
    });
    const violations = template.check(review, parameters);
    assert.deepEqual(messages(violations), ['Container <agent> is a HostProcess container.', 'Container <setup> is a HostProcess container.', 'Container <debug> is a HostProcess container.']);
    for (const violation of violations) assert.deepEqual(culpritPaths(violation), [['spec', 'securityContext', 'windowsOptions', 'hostProcess']]);
  });

  it('honours image exclusions, and only reads pods pinned to Windows by nodeSelector', () => {
    const review = podReview({ nodeSelector: WINDOWS, containers: [container('agent', { ...hostProcess(true), image: 'mcr.microsoft.com/oss/kube-proxy:1' })] });
    assert.deepEqual(template.check(review, { excludedImages: ['mcr.microsoft.com/oss/*'] }), []);
    assert.deepEqual(template.check(podReview({ containers: [container('agent', hostProcess(true))] }), parameters), []);
  });
});
