import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2containerallowedimages as template } from '../../../server/src/templates/k8sazurev2containerallowedimages';
import { container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { imageRegex: '^mcr\\.microsoft\\.com/', excludedContainers: [] };

describe('k8sazurev2containerallowedimages', () => {
  it('allows images that match', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('app', { image: 'mcr.microsoft.com/azurelinux/base/nginx:1.25' })] }), parameters), []);
  });

  it('flags an image that does not match, at the image, without a fix', () => {
    const review = podReview({ containers: [container('app', { image: 'docker.io/library/nginx:1.27' })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'Container image docker.io/library/nginx:1.27 for container app has not been allowed.');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'image']]);
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('matches anywhere in the image unless the pattern is anchored', () => {
    const review = podReview({ containers: [container('app', { image: 'evil.io/mcr.microsoft.com/app:1' })] });
    assert.deepEqual(template.check(review, { imageRegex: 'mcr\\.microsoft\\.com/' }), []);
    assert.equal(template.check(review, parameters).length, 1);
  });

  it('flags every container without the parameter, or with a pattern Go refuses', () => {
    const review = podReview({ containers: [container('app')] });
    assert.equal(template.check(review, {}).length, 1);
    assert.equal(template.check(review, { imageRegex: '^(?!docker)' }).length, 1);
  });

  it('checks init and ephemeral containers; a container without an image has no message', () => {
    const review = podReview({
      initContainers: [container('setup', { image: 'busybox' })],
      ephemeralContainers: [container('debug', { image: 'alpine' })],
      containers: [{ name: 'no-image' }],
    });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'Container image busybox for container setup has not been allowed.',
      'Container image alpine for container debug has not been allowed.',
    ]);
  });

  it('exempts containers by name only: it has no image exclusions', () => {
    const review = podReview({ containers: [container('sidecar', { image: 'docker.io/envoy:1' })] });
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['sidecar'] }), []);
    assert.equal(template.check(review, { ...parameters, excludedImages: ['docker.io/*'] }).length, 1);
  });

  it('does not skip Windows pods', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app', { image: 'docker.io/x' })] });
    assert.equal(template.check(review, parameters).length, 1);
  });
});
