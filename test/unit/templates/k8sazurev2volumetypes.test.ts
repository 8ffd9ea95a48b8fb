import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2volumetypes as template } from '../../../server/src/templates/k8sazurev2volumetypes';
import { container, culpritPaths, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev2volumetypes;
const ALLOWED = '["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]';
const mounting = (name: string, ...volumes: string[]) =>
  container(name, { volumeMounts: volumes.map((volume) => ({ name: volume, mountPath: `/mnt/${volume}` })) });

describe('k8sazurev2volumetypes', () => {
  it('allows mounted volumes of allowed types', () => {
    const review = podReview({
      containers: [mounting('app', 'config', 'scratch', 'token')],
      volumes: [{ name: 'config', configMap: { name: 'app' } }, { name: 'scratch', emptyDir: {} }, { name: 'token', projected: { sources: [] } }],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags a mounted volume of another type, without a fix', () => {
    const review = podReview({ containers: [mounting('app', 'logs')], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, `The volume type hostPath is not allowed, pod: demo. Allowed volume types: ${ALLOWED}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'volumes', 0, 'hostPath']]);
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('does not check volumes that no container mounts', () => {
    const review = podReview({ containers: [container('app')], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('gives one violation per type, with a culprit per volume of that type', () => {
    const review = podReview({
      containers: [mounting('app', 'a', 'nfs')],
      initContainers: [mounting('setup', 'b')],
      volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'nfs', nfs: { server: 'nfs', path: '/' } }, { name: 'b', hostPath: { path: '/b' } }],
    });
    const violations = template.check(review, parameters);
    assert.deepEqual(messages(violations), [
      `The volume type hostPath is not allowed, pod: demo. Allowed volume types: ${ALLOWED}`,
      `The volume type nfs is not allowed, pod: demo. Allowed volume types: ${ALLOWED}`,
    ]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'volumes', 0, 'hostPath'], ['spec', 'volumes', 2, 'hostPath']]);
  });

  it('has no Windows skip', () => {
    const review = podReview({
      nodeSelector: { 'kubernetes.io/os': 'windows' },
      containers: [mounting('app', 'logs')],
      volumes: [{ name: 'logs', hostPath: { path: 'C:\\logs' } }],
    });
    assert.equal(template.check(review, parameters).length, 1);
  });

  it('ignores excludedContainers but honours excludedImages', () => {
    const review = podReview({ containers: [mounting('agent', 'logs')], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    assert.equal(template.check(review, { ...parameters, excludedContainers: ['agent'] }).length, 1);
    assert.deepEqual(template.check(review, { ...parameters, excludedImages: ['mcr.microsoft.com/azurelinux/*'] }), []);
  });

  it('counts mounts of ephemeral containers', () => {
    const review = podReview({ containers: [container('app')], ephemeralContainers: [mounting('debug', 'root')], volumes: [{ name: 'root', hostPath: { path: '/' } }] });
    assert.equal(template.check(review, parameters).length, 1);
  });

  it('allows every type with *', () => {
    const review = podReview({ containers: [mounting('app', 'logs')], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    assert.deepEqual(template.check(review, { volumes: ['*'] }), []);
  });

  it('counts every key but name whose value holds, as the Rego does', () => {
    const review = podReview({ containers: [mounting('app', 'odd')], volumes: [{ name: 'odd', emptyDir: {}, hostPath: false, gitRepo: null }] });
    assert.deepEqual(messages(template.check(review, parameters)), [`The volume type gitRepo is not allowed, pod: demo. Allowed volume types: ${ALLOWED}`]);
  });

  it('says nothing without the volumes parameter: the Rego message is undefined', () => {
    const review = podReview({ containers: [mounting('app', 'logs')], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    assert.deepEqual(template.check(review, {}), []);
  });
});
