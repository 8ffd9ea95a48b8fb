import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev3containerlimits as template } from '../../../server/src/templates/k8sazurev3containerlimits';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { cpuLimit: '1', memoryLimit: '1Gi', excludedContainers: [], excludedImages: [] };
const limited = (name: string, limits: JsonObject, requests?: JsonObject) => container(name, { resources: requests ? { limits, requests } : { limits } });

describe('k8sazurev3containerlimits', () => {
  it('allows limits within the maximums, in any unit', () => {
    const review = podReview({ containers: [limited('a', { cpu: '500m', memory: '512Mi' }), limited('b', { cpu: 1, memory: '1073741824' }), limited('c', { cpu: 0.25, memory: '1G' })] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags a container without limits, and offers both maximums, not preferred', () => {
    const review = podReview({ containers: [container('app')] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'container <app> has no resource limits');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'resources', 'limits']]);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    const fix = violation.culprits[0]?.fixes?.[0];
    assert.equal(fix?.preferred, false);
    assert.deepEqual(fix?.operations, [{ op: 'set', path: ['spec', 'containers', 0, 'resources', 'limits'], value: { cpu: '1', memory: '1Gi' } }]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('treats an empty limits map as no limits, as the API server drops it', () => {
    assert.deepEqual(messages(template.check(podReview({ containers: [limited('app', {})] }), parameters)), ['container <app> has no resource limits']);
  });

  it('flags a missing cpu or memory limit separately', () => {
    const review = podReview({ containers: [limited('app', { memory: '256Mi' })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'container <app> has no cpu limit');
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'resources', 'limits']);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
    assert.deepEqual(messages(template.check(podReview({ containers: [limited('app', { cpu: '1' })] }), parameters)), ['container <app> has no memory limit']);
  });

  it('flags limits above the maximum with the stored text and the maximum as written', () => {
    const review = podReview({ containers: [limited('app', { cpu: 2, memory: '2048Mi' })] });
    const violations = template.check(review, parameters);
    assert.deepEqual(messages(violations), [
      'container <app> cpu limit <2> is higher than the maximum allowed of <1>',
      'container <app> memory limit <2Gi> is higher than the maximum allowed of <1Gi>',
    ]);
    for (const violation of violations) {
      assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false);
      assertFixesClear(template, review, parameters, violation);
    }
  });

  it('reads quantities as the API server stores them: 0.5 is 500m, 1.5Gi is 1536Mi', () => {
    const review = podReview({ containers: [limited('app', { cpu: 1.5, memory: '1.5Gi' })] });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'container <app> cpu limit <1500m> is higher than the maximum allowed of <1>',
      'container <app> memory limit <1536Mi> is higher than the maximum allowed of <1Gi>',
    ]);
  });

  it('cannot parse the CPU forms the template does not know: 1000 cores is stored as 1k, 0.0001 as 100u', () => {
    const review = podReview({ containers: [limited('a', { cpu: 1000, memory: '1Mi' }), limited('b', { cpu: '0.0001', memory: '1Mi' })] });
    assert.deepEqual(messages(template.check(review, { ...parameters, cpuLimit: '2000' })), [
      'container <a> cpu limit <1k> could not be parsed',
      'container <b> cpu limit <100u> could not be parsed',
    ]);
  });

  it('cannot parse a memory exponent', () => {
    const review = podReview({ containers: [limited('app', { cpu: '1', memory: '1e3' })] });
    assert.deepEqual(messages(template.check(review, parameters)), ['container <app> memory limit <1e3> could not be parsed']);
  });

  it('removes every occurrence of the suffix before reading the number (text the API server would refuse)', () => {
    const review = podReview({ containers: [limited('app', { cpu: '1m5m', memory: '1G5G' })] });
    assert.deepEqual(messages(template.check(review, { cpuLimit: '10m', memoryLimit: '14G' })), [
      'container <app> cpu limit <1m5m> is higher than the maximum allowed of <10m>',
      'container <app> memory limit <1G5G> is higher than the maximum allowed of <14G>',
    ]);
  });

  it('compares exactly, where floating point would not (570m against 0.57)', () => {
    const review = podReview({ containers: [limited('app', { cpu: '570m', memory: '1Mi' })] });
    assert.deepEqual(template.check(review, { ...parameters, cpuLimit: '0.57' }), []);
  });

  it('keeps a value the API server would refuse as written, and reports it unparsed', () => {
    const review = podReview({ containers: [limited('app', { cpu: 'lots', memory: '' })] });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'container <app> cpu limit <lots> could not be parsed',
      'container <app> has no memory limit',
      'container <app> memory limit <> could not be parsed',
    ]);
  });

  it('does not compare with a maximum it cannot parse, or without one', () => {
    const review = podReview({ containers: [limited('app', { cpu: '64', memory: '64Gi' })] });
    assert.deepEqual(template.check(review, { cpuLimit: '2k' }), []);
    assert.deepEqual(template.check(review, {}), []);
  });

  it('offers no fix that the API server would refuse: a request above the new limit', () => {
    const review = podReview({ containers: [limited('app', { cpu: '2', memory: '512Mi' }, { cpu: '1500m' })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('offers no fix when the maximum would be stored in a form the template cannot parse', () => {
    const review = podReview({ containers: [limited('app', { cpu: '3000', memory: '512Mi' })] });
    const violation = onlyViolation(template.check(review, { ...parameters, cpuLimit: '2000' }));
    assert.equal(violation.message, 'container <app> cpu limit <3k> could not be parsed');
    assert.equal(violation.culprits[0]?.fixes, undefined, '2000 is stored as 2k');
  });

  it('checks init containers but not ephemeral ones, and honours both exclusions', () => {
    const review = podReview({ initContainers: [container('setup')], ephemeralContainers: [container('debug')], containers: [container('sidecar', { image: 'exception.azurecr.io/x:1' })] });
    assert.deepEqual(messages(template.check(review, parameters)), ['container <sidecar> has no resource limits', 'container <setup> has no resource limits']);
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['setup'], excludedImages: ['exception.azurecr.io/*'] }), []);
  });
});
