import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1flexvolumes as template } from '../../../server/src/templates/k8sazurev1flexvolumes';
import { container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { allowedFlexVolumeDrivers: ['example/lvm'] };
const flexVolume = (name: string, driver: string, extra = {}) => ({ name, flexVolume: { driver, ...extra } });

describe('k8sazurev1flexvolumes', () => {
  it('allows allowed drivers and other volume types', () => {
    const review = podReview({ containers: [container('app')], volumes: [flexVolume('data', 'example/lvm'), { name: 'cache', emptyDir: {} }] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags another driver, printing the volume as stored, at the driver, without a fix', () => {
    const review = podReview({ containers: [container('app')], volumes: [flexVolume('data', 'example/nfs', { readOnly: false, fsType: '', options: {} })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'FlexVolume {"flexVolume": {"driver": "example/nfs"}, "name": "data"} is not allowed, pod: demo. Allowed drivers: ["example/lvm"]');
    assert.deepEqual(culpritPaths(violation), [['spec', 'volumes', 0, 'flexVolume', 'driver']]);
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('prints the fields the API server keeps', () => {
    const review = podReview({ volumes: [flexVolume('data', 'example/nfs', { readOnly: true, options: { server: 'a' } })] });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'FlexVolume {"flexVolume": {"driver": "example/nfs", "options": {"server": "a"}, "readOnly": true}, "name": "data"} is not allowed, pod: demo. Allowed drivers: ["example/lvm"]',
    ]);
  });

  it('flags volumes that no container mounts, and every one with an empty list', () => {
    const review = podReview({ volumes: [flexVolume('a', 'example/lvm'), flexVolume('b', 'x/y')] });
    assert.equal(template.check(review, { allowedFlexVolumeDrivers: [] }).length, 2);
  });

  it('flags nothing without the parameter, since the message would be undefined', () => {
    assert.deepEqual(template.check(podReview({ volumes: [flexVolume('a', 'x/y')] }), {}), []);
  });

  it('does not skip Windows pods', () => {
    assert.equal(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, volumes: [flexVolume('a', 'x/y')] }), parameters).length, 1);
  });
});
