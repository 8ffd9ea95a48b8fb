import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev4hostnetworkingports as template } from '../../../server/src/templates/k8sazurev4hostnetworkingports';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

/** What version 7 of the definition passes by default, as Deployment Safeguards does too. */
const parameters = { allowHostNetwork: false, allowedHostPorts: [], excludedImages: [] };
const ALLOWED_VALUES = '{"allowHostNetwork": false, "allowedHostPorts": [], "excludedImages": []}';

/** A pod whose `app` container declares these host ports (each with the same containerPort). */
function hostPortsPod(hostPorts: number[], spec: JsonObject = {}): ReturnType<typeof podReview> {
  return podReview({ ...spec, containers: [container('app', { ports: hostPorts.map((hostPort) => ({ containerPort: hostPort, hostPort })) })] });
}

describe('k8sazurev4hostnetworkingports', () => {
  it('allows pods without host network, and ports without a hostPort or with hostPort 0', () => {
    const review = podReview({ hostNetwork: false, containers: [container('app', { ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] })] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it("flags any hostPort with the default empty list, with v3's message printing the parameters", () => {
    const review = hostPortsPod([8080]);
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `The specified hostNetwork and hostPort are not allowed, pod: demo, container: app. Allowed values: ${ALLOWED_VALUES}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'ports', 0, 'hostPort']]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('accepts listed ports and inclusive ranges, as strings or numbers', () => {
    const allowing = { ...parameters, allowedHostPorts: ['80', ' 443 ', '3000-5000', 9100] };
    assert.deepEqual(template.check(hostPortsPod([80, 443, 3000, 4242, 5000, 9100]), allowing), []);
    const violation = onlyViolation(template.check(hostPortsPod([81, 2999, 5001, 9101]), allowing));
    assert.equal(violation.culprits.length, 4);
  });

  it('allows nothing for entries that are not ports or ranges', () => {
    const odd = { ...parameters, allowedHostPorts: ['http', '80-', '-80', '*', true, null] };
    assert.equal(onlyViolation(template.check(hostPortsPod([80]), odd)).culprits.length, 1);
  });

  it('flags a hostPort that is not a number', () => {
    const review = podReview({ containers: [container('app', { ports: [{ containerPort: 80, hostPort: '80' }] })] });
    assert.equal(template.check(review, { ...parameters, allowedHostPorts: ['80'] }).length, 1);
  });

  it('flags host network once per container, unless allowed; the defaulted ports are then checked', () => {
    const review = podReview({ hostNetwork: true, containers: [container('app'), container('sidecar')] });
    const violations = template.check(review, parameters);
    assert.equal(violations.length, 2);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'hostNetwork']]);
    const withPorts = hostPortsPod([53], { hostNetwork: true });
    assert.deepEqual(template.check(withPorts, { ...parameters, allowHostNetwork: true, allowedHostPorts: ['53'] }), []);
    const portOnly = onlyViolation(template.check(withPorts, { ...parameters, allowHostNetwork: true }));
    assert.equal(portOnly.culprits[0]?.fixes, undefined, 'with hostNetwork the API server would default hostPort back');
  });

  it('checks init and ephemeral containers, and honours image exclusions', () => {
    const withPort = { ports: [{ containerPort: 81, hostPort: 81 }] };
    const review = podReview({ initContainers: [container('setup', withPort)], ephemeralContainers: [container('debug', { ...withPort, image: 'busybox:1.36' })] });
    assert.deepEqual(messages(template.check(review, parameters)).length, 2);
    assert.equal(template.check(review, { ...parameters, excludedImages: ['busybox*'] }).length, 1);
  });

  it('skips pods pinned to Windows, and says nothing without a pod name', () => {
    assert.deepEqual(template.check(hostPortsPod([80], { nodeSelector: { 'kubernetes.io/os': 'windows' } }), parameters), []);
    assert.deepEqual(template.check(podReview({ hostNetwork: true, containers: [container('app')] }, {}), parameters), []);
  });
});
