import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1requiredannotations as template } from '../../../server/src/templates/k8sazurev1requiredannotations';
import { appliedReview, createdPodReview } from './objectReviews';
import { culpritPaths, messages, onlyViolation } from './support';

const SEMVER = '^(?P<major>0|[1-9]\\d*)\\.(?P<minor>0|[1-9]\\d*)\\.(?P<patch>0|[1-9]\\d*)$';
const parameters = { annotations: [{ key: 'owner', allowedRegex: '' }, { key: 'version', allowedRegex: SEMVER }] };
const pod = (annotations?: JsonObject): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: annotations === undefined ? { name: 'web' } : { name: 'web', annotations },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

describe('k8sazurev1requiredannotations', () => {
  it('lists the missing annotations as a set, on the annotations (or metadata when there are none)', () => {
    const none = onlyViolation(template.check(appliedReview(pod()), parameters));
    assert.equal(none.message, 'you must provide annotation(s): {"owner", "version"}');
    assert.deepEqual(none.culprits, [{ path: ['metadata', 'annotations'], fallback: ['metadata'] }]);
    assert.deepEqual(messages(template.check(appliedReview(pod({ version: '1.2.3' })), parameters)), ['you must provide annotation(s): {"owner"}']);
  });

  it('checks values against allowedRegex (Go syntax, named groups included), on the annotation', () => {
    const violation = onlyViolation(template.check(appliedReview(pod({ owner: 'team-a', version: '1.0.0-beta' })), parameters));
    assert.equal(violation.message, `Annotation <version: 1.0.0-beta> does not satisfy allowed regex: ${SEMVER}`);
    assert.deepEqual(culpritPaths(violation), [['metadata', 'annotations', 'version']]);
    assert.deepEqual(template.check(appliedReview(pod({ owner: '', version: '10.0.1' })), parameters), [], 'an empty allowedRegex accepts any value');
  });

  it('matches anywhere in the value, as re_match does', () => {
    const loose = { annotations: [{ key: 'team', allowedRegex: 'ops' }] };
    assert.deepEqual(template.check(appliedReview(pod({ team: 'devops-east' })), loose), []);
  });

  it("judges a workload's Pods by their template's annotations", () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { owner: 'team-a', version: '1.0.0' } },
      spec: { template: { metadata: { annotations: { owner: 'team-a' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    };
    assert.deepEqual(messages(template.check(createdPodReview(deployment), parameters)), ['you must provide annotation(s): {"version"}']);
  });
});
