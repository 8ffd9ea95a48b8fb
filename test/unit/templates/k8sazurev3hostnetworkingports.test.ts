import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev3hostnetworkingports as template } from '../../../server/src/templates/k8sazurev3hostnetworkingports';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev3hostnetworkingports;
const ALLOWED_VALUES = '{"allowHostNetwork": false, "excludedContainers": [], "excludedImages": [], "maxPort": 0, "minPort": 0}';
const ranged = { allowHostNetwork: true, minPort: 80, maxPort: 8000 };

describe('k8sazurev3hostnetworkingports', () => {
  it('allows pods without host network and with hostPort 0 or none', () => {
    const review = podReview({
      hostNetwork: false,
      containers: [container('app', { ports: [{ containerPort: 80, hostPort: 0 }, { containerPort: 443 }] })],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags host network for each container, printing all the parameters', () => {
    const review = podReview({ hostNetwork: true, containers: [container('app'), container('sidecar')] });
    const violations = template.check(review, parameters);
    assert.deepEqual(messages(violations), [
      `The specified hostNetwork and hostPort are not allowed, pod: demo, container: app. Allowed values: ${ALLOWED_VALUES}`,
      `The specified hostNetwork and hostPort are not allowed, pod: demo, container: sidecar. Allowed values: ${ALLOWED_VALUES}`,
    ]);
    const [first] = violations;
    assert.ok(first);
    assert.deepEqual(culpritPaths(first), [['spec', 'hostNetwork']]);
    assert.deepEqual(assertFixesClear(template, review, parameters, first), []);
  });

  it('flags a hostPort outside minPort..maxPort, pointing at containerPort when hostPort was defaulted', () => {
    const review = podReview({ containers: [container('app', { ports: [{ containerPort: 8080, hostPort: 8080 }] })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `The specified hostNetwork and hostPort are not allowed, pod: demo, container: app. Allowed values: ${ALLOWED_VALUES}`);
    assert.deepEqual(violation.culprits[0]?.path, ['spec', 'containers', 0, 'ports', 0, 'hostPort']);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'ports', 0, 'containerPort']);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('compares against both bounds when host network is allowed', () => {
    const portsReview = (...hostPorts: number[]) =>
      podReview({ hostNetwork: true, containers: [container('app', { ports: hostPorts.map((hostPort) => ({ containerPort: hostPort, hostPort })) })] });
    assert.deepEqual(template.check(portsReview(80, 8000), ranged), []);
    const violation = onlyViolation(template.check(portsReview(79, 443, 8001), ranged));
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'containers', 0, 'ports', 0, 'hostPort'],
      ['spec', 'containers', 0, 'ports', 2, 'hostPort'],
    ]);
    assert.equal(
      violation.message,
      'The specified hostNetwork and hostPort are not allowed, pod: demo, container: app. Allowed values: {"allowHostNetwork": true, "maxPort": 8000, "minPort": 80}',
    );
    assert.equal(violation.culprits[0]?.fixes, undefined, 'with hostNetwork the API server would default hostPort back');
  });

  it('puts host network and the container\'s bad ports on one violation', () => {
    const review = podReview({ hostNetwork: true, containers: [container('app', { ports: [{ containerPort: 9000, hostPort: 9000 }] })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(culpritPaths(violation), [['spec', 'hostNetwork'], ['spec', 'containers', 0, 'ports', 0, 'hostPort']]);
  });

  it('never flags ports when a bound is missing: the comparison is undefined', () => {
    const review = podReview({ containers: [container('app', { ports: [{ containerPort: 1, hostPort: 1 }] })] });
    assert.deepEqual(template.check(review, { allowHostNetwork: false }), []);
  });

  it('compares non-numeric ports as Rego orders values across types', () => {
    const review = podReview({ containers: [container('app', { ports: [{ containerPort: 80, hostPort: '80' }] })] });
    assert.equal(template.check(review, parameters).length, 1, 'a string is greater than maxPort 0');
  });

  it('checks init and ephemeral containers, and skips excluded ones', () => {
    const withPort = { ports: [{ containerPort: 81, hostPort: 81 }] };
    const review = podReview({
      initContainers: [container('setup', withPort)],
      ephemeralContainers: [container('debug', { ...withPort, image: 'busybox:1.36' })],
    });
    assert.equal(template.check(review, parameters).length, 2);
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['setup'], excludedImages: ['busybox*'] }), []);
  });

  it('skips pods pinned to Windows', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, hostNetwork: true, containers: [container('app')] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('says nothing without a pod name: the Rego message is undefined', () => {
    assert.deepEqual(template.check(podReview({ hostNetwork: true, containers: [container('app')] }, {}), parameters), []);
  });
});
