import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1windowscontainerresources as template } from '../../../server/src/templates/k8sazurev1windowscontainerresources';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };
const windowsPod = (spec: JsonObject) => podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, ...spec });
const resourced = (name: string, resources: JsonObject) => container(name, { resources });

describe('k8sazurev1windowscontainerresources', () => {
  it('allows limits alone, and requests equal to them', () => {
    const review = windowsPod({
      containers: [resourced('a', { limits: { cpu: '100m', memory: '100M' } }), resourced('b', { limits: { cpu: '100m', memory: '100M' }, requests: { cpu: '100m', memory: '100M' } })],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags missing limits, each at its field or the container name, without a fix when there is no request', () => {
    const review = windowsPod({ containers: [container('app')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Container <app> has missing resource limits');
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'containers', 0, 'resources', 'limits', 'cpu'],
      ['spec', 'containers', 0, 'resources', 'limits', 'memory'],
    ]);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('offers limits equal to the requests, not preferred', () => {
    const review = windowsPod({ containers: [resourced('app', { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m' } })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'resources', 'limits', 'memory']]);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'resources', 'limits']);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags requests that differ from the limits, at each request, and offers the limit', () => {
    const review = windowsPod({ containers: [resourced('app', { requests: { cpu: '10m', memory: '10M' }, limits: { cpu: '100m', memory: '100M' } })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Container <app> sets resource requests that do not match limits');
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'containers', 0, 'resources', 'requests', 'cpu'],
      ['spec', 'containers', 0, 'resources', 'requests', 'memory'],
    ]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('compares quantities as the API server stores them', () => {
    const review = windowsPod({ containers: [resourced('app', { requests: { cpu: 0.5, memory: '1024Mi' }, limits: { cpu: '500m', memory: '1Gi' } })] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('checks regular and init containers, not ephemeral ones, and honours image exclusions', () => {
    const review = windowsPod({ initContainers: [container('init')], ephemeralContainers: [container('debug')], containers: [container('x', { image: 'exception.azurecr.io/x:1' })] });
    assert.deepEqual(messages(template.check(review, { excludedImages: ['exception.azurecr.io/*'] })), ['Container <init> has missing resource limits']);
  });

  it('judges only pods pinned to Windows by nodeSelector', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }), parameters), []);
  });
});
