import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev3enforceapparmor as template } from '../../../server/src/templates/k8sazurev3enforceapparmor';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { allowedProfiles: ['runtime/default'], excludedContainers: [], excludedImages: [] };
const KEY = 'container.apparmor.security.beta.kubernetes.io/app';
const annotated = (profile: string) => ({ name: 'demo', annotations: { [KEY]: profile } });

describe('k8sazurev3enforceapparmor', () => {
  it('allows an allowed annotation, and no annotation (runtime/default)', () => {
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }, annotated('runtime/default')), parameters), []);
    assert.deepEqual(template.check(podReview({ containers: [container('app')] }), parameters), []);
  });

  it('flags another profile at its annotation, and offers the first allowed one, not preferred', () => {
    const review = podReview({ containers: [container('app')] }, annotated('unconfined'));
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'AppArmor profile is not allowed, pod: demo, container: app. Allowed profiles: ["runtime/default"]');
    assert.deepEqual(culpritPaths(violation), [['metadata', 'annotations', KEY]]);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, false);
    assert.deepEqual(assertFixesClear(template, review, parameters, violation), []);
  });

  it('flags a missing annotation when runtime/default is not allowed, pointing at the container name', () => {
    const review = podReview({ containers: [container('app')] });
    const violation = onlyViolation(template.check(review, { allowedProfiles: ['localhost/hardened'] }));
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.deepEqual(assertFixesClear(template, review, { allowedProfiles: ['localhost/hardened'] }, violation), []);
  });

  it('ignores the pod-wide annotation', () => {
    const review = podReview({ containers: [container('app')] }, { name: 'demo', annotations: { 'apparmor.security.beta.kubernetes.io/pod': 'unconfined' } });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it("reads the appArmorProfile fields as the annotation the API server writes from them, the container's before the pod's", () => {
    const unconfined = { appArmorProfile: { type: 'Unconfined' } };
    const review = podReview({ securityContext: unconfined, containers: [container('app'), container('own', { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } })] });
    const violation = onlyViolation(template.check(review, parameters));
    assert.equal(violation.message, 'AppArmor profile is not allowed, pod: demo, container: app. Allowed profiles: ["runtime/default"]');
    assert.deepEqual(culpritPaths(violation), [['spec', 'securityContext', 'appArmorProfile']]);
    assert.equal(violation.culprits[0]?.fixes, undefined, 'an annotation against the field would be refused');
    const localhost = podReview({ containers: [container('app', { securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'hardened' } } })] });
    assert.deepEqual(template.check(localhost, { allowedProfiles: ['localhost/hardened'] }), []);
  });

  it('lets the annotation win over the fields, and does not copy fields for pods with os.name windows', () => {
    const fields = { appArmorProfile: { type: 'Unconfined' } };
    assert.deepEqual(template.check(podReview({ securityContext: fields, containers: [container('app')] }, annotated('runtime/default')), parameters), []);
    assert.deepEqual(template.check(podReview({ os: { name: 'windows' }, securityContext: fields, containers: [container('app')] }), parameters), []);
  });

  it('checks every container list, honours both exclusions, and skips Windows pods', () => {
    const annotations = {
      name: 'demo',
      annotations: { 'container.apparmor.security.beta.kubernetes.io/init': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/debug': 'unconfined' },
    };
    const review = podReview({ initContainers: [container('init')], ephemeralContainers: [container('debug', { image: 'busybox' })] }, annotations);
    assert.deepEqual(messages(template.check(review, parameters)), [
      'AppArmor profile is not allowed, pod: demo, container: init. Allowed profiles: ["runtime/default"]',
      'AppArmor profile is not allowed, pod: demo, container: debug. Allowed profiles: ["runtime/default"]',
    ]);
    assert.deepEqual(template.check(review, { ...parameters, excludedContainers: ['init'], excludedImages: ['busybox'] }), []);
    assert.deepEqual(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')] }, annotated('unconfined')), parameters), []);
  });
});
