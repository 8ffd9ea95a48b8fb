import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev2containernolatestimage as template, usesLatestTag } from '../../../server/src/templates/k8sazurev2containernolatestimage';
import { container, culpritPaths, messages, onlyViolation, podReview } from './support';

const DIGEST = 'sha256:0d8ba4f5e7e1b1f6b9a3e4d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2';

describe('k8sazurev2containernolatestimage', () => {
  it('reads the tag as the container runtime does', () => {
    for (const image of ['nginx', 'nginx:latest', 'docker.io/library/nginx', 'myregistry.azurecr.io:5000/team/app', 'registry:5000/app:latest', `nginx:latest@${DIGEST}`]) {
      assert.equal(usesLatestTag(image), true, image);
    }
    for (const image of ['nginx:1.27', 'registry:5000/app:v2', `nginx@${DIGEST}`, 'nginx:Latest', 'nginx:latest-alpine', 'latest/app:1', 42, undefined]) {
      assert.equal(usesLatestTag(image), false, String(image));
    }
  });

  it('flags the image of each container that uses latest, said or implied', () => {
    const review = podReview({ containers: [container('web', { image: 'nginx' }), container('ok')], initContainers: [container('setup', { image: 'busybox:latest' })] });
    const violations = template.check(review, {});
    const more = 'For more information, visit https://aka.ms/aks/deployment-safeguards';
    assert.deepEqual(messages(violations), [`container <web> uses the latest image tag (nginx). ${more}`, `container <setup> uses the latest image tag (busybox:latest). ${more}`]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'containers', 0, 'image']]);
    assert.deepEqual(violations[0]?.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
  });

  it('checks ephemeral containers and pods pinned to Windows', () => {
    const review = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')], ephemeralContainers: [container('debug', { image: 'busybox' })] });
    assert.equal(onlyViolation(template.check(review, {})).message.startsWith('container <debug> uses the latest image tag (busybox).'), true);
  });

  it('says nothing for a container without a name, the Rego message being undefined', () => {
    assert.deepEqual(template.check(podReview({ containers: [{ image: 'nginx' }] }), {}), []);
  });
});
