import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1containerrequests as template } from '../../../server/src/templates/k8sazurev1containerrequests';
import { container, culpritPaths, messages, onlyViolation, podReview } from './support';

const parameters = { excludedImages: [] };
const MORE = 'For more information, visit https://aka.ms/aks/deployment-safeguards';

function podWith(resources: JsonObject | undefined): ReturnType<typeof podReview> {
  return podReview({ containers: [container('app', resources === undefined ? {} : { resources })] });
}

describe('k8sazurev1containerrequests', () => {
  it('allows containers that request cpu and memory', () => {
    assert.deepEqual(template.check(podWith({ requests: { cpu: '100m', memory: '128Mi' } }), parameters), []);
    assert.deepEqual(template.check(podWith({ requests: { cpu: 0.5, memory: 134217728 } }), parameters), []);
  });

  it('says "has no resource requests", as AKS prints it, without resources, without requests, or with empty requests', () => {
    const cases: (JsonObject | undefined)[] = [undefined, {}, { limits: { cpu: '1' } }, { requests: {} }, { requests: null }];
    for (const resources of cases) {
      const violation = onlyViolation(template.check(podWith(resources), parameters));
      assert.equal(violation.message, `container <app> has no resource requests. ${MORE}`, JSON.stringify(resources));
      assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'resources', 'requests']]);
      assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    }
  });

  it('names the missing request; an empty value is missing', () => {
    assert.deepEqual(messages(template.check(podWith({ requests: { memory: '64Mi' } }), parameters)), [`container <app> has no cpu request. ${MORE}`]);
    const violations = template.check(podWith({ requests: { cpu: '', storage: '1Gi' } }), parameters);
    assert.deepEqual(messages(violations), [`container <app> has no cpu request. ${MORE}`, `container <app> has no memory request. ${MORE}`]);
    assert.deepEqual(culpritPaths(violations[0]), [['spec', 'containers', 0, 'resources', 'requests', 'cpu']]);
    assert.deepEqual(violations[1]?.culprits[0]?.fallback, ['spec', 'containers', 0, 'resources', 'requests']);
  });

  it('checks init containers but not ephemeral ones, and honours image exclusions', () => {
    const review = podReview({
      initContainers: [container('setup')],
      ephemeralContainers: [container('debug')],
      containers: [container('app', { image: 'contoso.azurecr.io/app:1' })],
    });
    assert.deepEqual(messages(template.check(review, parameters)), [`container <app> has no resource requests. ${MORE}`, `container <setup> has no resource requests. ${MORE}`]);
    assert.equal(template.check(review, { excludedImages: ['contoso.azurecr.io/*'] }).length, 1);
  });

  it('checks pods pinned to Windows too, and says nothing for a container without a name', () => {
    assert.equal(template.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')] }), parameters).length, 1);
    assert.deepEqual(template.check(podReview({ containers: [{ image: 'nginx:1.27' }] }), parameters), []);
  });
});
