import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1allowedsysctls as template } from '../../../server/src/templates/k8sazurev1allowedsysctls';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

/** Deployment Safeguards' allowedSysctls: the sysctls the Pod Security Standards call safe. */
const SAFE = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const parameters = { allowedSysctls: SAFE };

function sysctlPod(names: string[], spec: JsonObject = {}): ReturnType<typeof podReview> {
  return podReview({ ...spec, securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) }, containers: [container('app')] });
}

describe('k8sazurev1allowedsysctls', () => {
  it('allows listed sysctls and pods without any', () => {
    assert.deepEqual(template.check(sysctlPod(['net.ipv4.tcp_syncookies', 'kernel.shm_rmid_forced']), parameters), []);
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }), parameters), []);
  });

  it('flags each sysctl the list does not allow, at its name, with the Gatekeeper library message', () => {
    const review = sysctlPod(['net.ipv4.tcp_syncookies', 'kernel.msgmax', 'net.core.somaxconn']);
    const violations = template.check(review, { allowedSysctls: ['net.ipv4.tcp_syncookies'] });
    assert.deepEqual(messages(violations), [
      'The sysctl kernel.msgmax is not explicitly allowed, pod: demo. Allowed sysctls: ["net.ipv4.tcp_syncookies"]',
      'The sysctl net.core.somaxconn is not explicitly allowed, pod: demo. Allowed sysctls: ["net.ipv4.tcp_syncookies"]',
    ]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'securityContext', 'sysctls', 1, 'name']]);
    assert.deepEqual(violations[0]?.culprits[0]?.fallback, ['spec', 'securityContext', 'sysctls', 1]);
    const first = violations[0];
    assert.ok(first);
    assertFixesClear(template, review, { allowedSysctls: ['net.ipv4.tcp_syncookies'] }, first);
  });

  it('allows every sysctl with *, and those a trailing * prefixes; other entries match exactly', () => {
    assert.deepEqual(template.check(sysctlPod(['kernel.msgmax']), { allowedSysctls: ['*'] }), []);
    assert.deepEqual(template.check(sysctlPod(['net.ipv4.tcp_fin_timeout']), { allowedSysctls: ['net.ipv4.*'] }), []);
    assert.equal(template.check(sysctlPod(['net.ipv6.conf.all.forwarding']), { allowedSysctls: ['net.ipv4.*'] }).length, 1);
    assert.equal(template.check(sysctlPod(['net.ipv4.tcp_syncookies_x']), parameters).length, 1, 'not a prefix without *');
  });

  it('flags every sysctl with an empty list, and none when the parameter is missing', () => {
    assert.equal(onlyViolation(template.check(sysctlPod(['kernel.shm_rmid_forced']), { allowedSysctls: [] })).message, 'The sysctl kernel.shm_rmid_forced is not explicitly allowed, pod: demo. Allowed sysctls: []');
    assert.deepEqual(template.check(sysctlPod(['kernel.msgmax']), {}), []);
  });

  it('skips pods pinned to Windows, and says nothing without a pod name', () => {
    assert.deepEqual(template.check(sysctlPod(['kernel.msgmax'], { nodeSelector: { 'kubernetes.io/os': 'windows' } }), parameters), []);
    const unnamed = podReview({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] }, containers: [container('app')] }, {});
    assert.deepEqual(template.check(unnamed, parameters), []);
  });
});
