import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2noprivilege as template } from '../../../server/src/templates/k8sazurev2noprivilege';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev2noprivilege;

describe('k8sazurev2noprivilege', () => {
  it('allows containers that are not privileged', () => {
    const review = podReview({
      containers: [container('app', { securityContext: { privileged: false } }), container('plain')],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('flags a privileged container with the exact message and its privileged field', () => {
    const review = podReview({
      containers: [container('app', { securityContext: { runAsUser: 1000, privileged: true } })],
    });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Privileged container is not allowed: app, securityContext: {"privileged": true, "runAsUser": 1000}');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'privileged']]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('checks init and ephemeral containers too', () => {
    const review = podReview({
      containers: [container('app')],
      initContainers: [container('setup', { securityContext: { privileged: true } })],
      ephemeralContainers: [container('debug', { securityContext: { privileged: true } })],
    });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'Privileged container is not allowed: setup, securityContext: {"privileged": true}',
      'Privileged container is not allowed: debug, securityContext: {"privileged": true}',
    ]);
  });

  it('treats any value but false as privileged, as Rego truthiness does', () => {
    const review = podReview({ containers: [container('app', { securityContext: { privileged: 'yes' } })] });
    assert.equal(onlyViolation(template.check(review, parameters)).message, 'Privileged container is not allowed: app, securityContext: {"privileged": "yes"}');
  });

  it('collapses identical messages into one violation with every culprit', () => {
    const twin = () => container('twin', { securityContext: { privileged: true } });
    const review = podReview({ containers: [twin()], initContainers: [twin()] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'containers', 0, 'securityContext', 'privileged'],
      ['spec', 'initContainers', 0, 'securityContext', 'privileged'],
    ]);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('skips excluded containers by name and by image', () => {
    const privileged = { securityContext: { privileged: true } };
    const review = podReview({
      containers: [
        container('istio-proxy', privileged),
        container('pause', { ...privileged, image: 'mcr.microsoft.com/oss/kubernetes/pause:3.9' }),
      ],
    });
    const excluding = { excludedContainers: ['istio-proxy'], excludedImages: ['mcr.microsoft.com/oss/kubernetes/pause*'] };
    assert.deepEqual(template.check(review, excluding), []);
    assert.equal(template.check(review, parameters).length, 2);
  });

  it('skips pods pinned to Windows', () => {
    const review = podReview({
      nodeSelector: { 'kubernetes.io/os': 'windows' },
      containers: [container('app', { securityContext: { privileged: true } })],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('says nothing about a container without a name: the Rego message is undefined', () => {
    const review = podReview({ containers: [{ image: 'nginx', securityContext: { privileged: true } }] });
    assert.deepEqual(template.check(review, parameters), []);
  });
});
