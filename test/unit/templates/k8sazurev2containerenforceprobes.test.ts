import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2containerenforceprobes as template } from '../../../server/src/templates/k8sazurev2containerenforceprobes';
import { container, culpritPaths, messages, podReview } from './support';

const parameters = { enforceProbes: ['readinessProbe', 'livenessProbe'], excludedContainers: [], excludedImages: [] };
const REQUIRED = '["readinessProbe", "livenessProbe"]';
const probes = { readinessProbe: { tcpSocket: { port: 8080 } }, livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } };

describe('k8sazurev2containerenforceprobes', () => {
  it('allows containers with both probes, each with a handler', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('app', probes)] }), parameters), []);
    assert.deepEqual(template.check(podReview({ containers: [container('app', { readinessProbe: { exec: { command: ['true'] } }, livenessProbe: probes.livenessProbe })] }), parameters), []);
  });

  it('flags each missing probe with its own message, at the container name, without a fix', () => {
    const violations = template.check(podReview({ containers: [container('app')] }), parameters);
    assert.deepEqual(messages(violations), [
      `Container <app> in your Pod <demo> has no <readinessProbe>. Required probes: ${REQUIRED}`,
      `Container <app> in your Pod <demo> has no <livenessProbe>. Required probes: ${REQUIRED}`,
    ]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'containers', 0, 'readinessProbe']]);
    assert.deepEqual(violations[0]?.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.equal(violations[0]?.culprits[0]?.fixes, undefined);
  });

  it('counts a gRPC probe, or one with only timings, as missing', () => {
    const review = podReview({ containers: [container('app', { readinessProbe: { grpc: { port: 9000 } }, livenessProbe: { periodSeconds: 5 } })] });
    assert.equal(template.check(review, parameters).length, 2);
  });

  it('checks regular containers only', () => {
    const review = podReview({ initContainers: [container('setup')], ephemeralContainers: [container('debug')], containers: [container('app', probes)] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('honours both exclusions, and does not skip Windows pods', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app'), container('sidecar', { image: 'exception.azurecr.io/x:1' })] });
    assert.equal(template.check(review, { ...parameters, excludedImages: ['exception.azurecr.io/*'] }).length, 2);
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['app'], excludedImages: ['exception.azurecr.io/*'] }), []);
  });

  it('requires what the parameter names, startupProbe included; nothing without it', () => {
    const review = podReview({ containers: [container('app', probes)] });
    assert.deepEqual(messages(template.check(review, { enforceProbes: ['startupProbe'] })), [
      'Container <app> in your Pod <demo> has no <startupProbe>. Required probes: ["startupProbe"]',
    ]);
    assert.deepEqual(template.check(review, {}), []);
  });
});
