import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev3allowedseccomp as template } from '../../../server/src/templates/k8sazurev3allowedseccomp';
import type { Review } from '../../../server/src/templates/types';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const restricted = INITIATIVE_PARAMETERS.k8sazurev3allowedseccomp;
const RESTRICTED_SET = '{"RuntimeDefault", "docker/default", "runtime/default"}';
const CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/app';
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';

interface Sources {
  container?: JsonObject;
  pod?: JsonObject;
  annotations?: JsonObject;
}

/** A pod with one container `app` and seccomp profiles from the given sources. */
function review({ container: containerProfile, pod, annotations }: Sources): Review {
  return podReview(
    {
      ...(pod ? { securityContext: { seccompProfile: pod } } : {}),
      containers: [container('app', containerProfile ? { securityContext: { seccompProfile: containerProfile } } : {})],
    },
    { name: 'demo', ...(annotations ? { annotations } : {}) },
  );
}

const allowing = (...allowedProfiles: string[]) => ({ allowedProfiles });

describe('k8sazurev3allowedseccomp with the Restricted parameters', () => {
  it('allows RuntimeDefault from any source', () => {
    assert.deepEqual(template.check(review({ container: { type: 'RuntimeDefault' } }), restricted), []);
    assert.deepEqual(template.check(review({ pod: { type: 'RuntimeDefault' } }), restricted), []);
    assert.deepEqual(template.check(review({ annotations: { [CONTAINER_ANNOTATION]: 'runtime/default' } }), restricted), []);
    assert.deepEqual(template.check(review({ annotations: { [POD_ANNOTATION]: 'docker/default' } }), restricted), []);
  });

  it('flags a container with no profile, printing the allowed profiles as a sorted set', () => {
    const bare = review({});
    const violation = onlyViolation(template.check(bare, restricted));
    assert.equal(
      violation.message,
      `Seccomp profile 'not configured' is not allowed for container 'app'. Found at: no explicit profile found. Allowed profiles: ${RESTRICTED_SET}`,
    );
    assert.deepEqual(violation.culprits[0]?.path, ['spec', 'containers', 0, 'securityContext', 'seccompProfile']);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'name']);
    assert.equal(violation.culprits[0]?.fixes?.[0]?.preferred, true);
    assert.deepEqual(assertFixesClear(template, bare, restricted, violation), []);
  });

  it('flags Unconfined in the container securityContext at its type', () => {
    const unconfined = review({ container: { type: 'Unconfined' } });
    const violation = onlyViolation(template.check(unconfined, restricted));
    assert.equal(violation.message, `Seccomp profile 'Unconfined' is not allowed for container 'app'. Found at: container securityContext. Allowed profiles: ${RESTRICTED_SET}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'seccompProfile', 'type']]);
    assert.deepEqual(assertFixesClear(template, unconfined, restricted, violation), []);
  });

  it('names the file of a Localhost profile', () => {
    const violation = onlyViolation(template.check(review({ pod: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } }), restricted));
    assert.equal(
      violation.message,
      `Seccomp profile 'Localhost' with file 'profiles/audit.json' is not allowed for container 'app'. Found at: pod securityContext. Allowed profiles: ${RESTRICTED_SET}`,
    );
    assert.deepEqual(culpritPaths(violation), [['spec', 'securityContext', 'seccompProfile', 'type']]);
  });

  it('flags a pod annotation and fixes it in the container', () => {
    const annotated = review({ annotations: { [POD_ANNOTATION]: 'unconfined' } });
    const violation = onlyViolation(template.check(annotated, restricted));
    assert.equal(violation.message, `Seccomp profile 'unconfined' is not allowed for container 'app'. Found at: annotation ${POD_ANNOTATION}. Allowed profiles: ${RESTRICTED_SET}`);
    assert.deepEqual(culpritPaths(violation), [['metadata', 'annotations', POD_ANNOTATION]]);
    assert.deepEqual(assertFixesClear(template, annotated, restricted, violation), []);
  });

  it('removes a container annotation with its fix, since the API server rejects one that disagrees with the field', () => {
    const annotated = review({ annotations: { [CONTAINER_ANNOTATION]: 'unconfined' } });
    const violation = onlyViolation(template.check(annotated, restricted));
    assert.equal(violation.message, `Seccomp profile 'unconfined' is not allowed for container 'app'. Found at: annotation ${CONTAINER_ANNOTATION}. Allowed profiles: ${RESTRICTED_SET}`);
    assert.deepEqual(violation.culprits[0]?.fixes?.[0]?.operations, [
      { op: 'remove', path: ['metadata', 'annotations', CONTAINER_ANNOTATION] },
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'seccompProfile'], value: { type: 'RuntimeDefault' } },
    ]);
    assert.deepEqual(assertFixesClear(template, annotated, restricted, violation), []);
  });

  it('resolves the profile from the container securityContext, then the pod, then the container annotation, then the pod annotation', () => {
    const everywhere = { [CONTAINER_ANNOTATION]: 'unconfined', [POD_ANNOTATION]: 'unconfined' };
    assert.deepEqual(template.check(review({ container: { type: 'RuntimeDefault' }, pod: { type: 'Unconfined' }, annotations: everywhere }), restricted), []);
    assert.deepEqual(template.check(review({ pod: { type: 'RuntimeDefault' }, annotations: everywhere }), restricted), []);
    assert.deepEqual(template.check(review({ annotations: { [CONTAINER_ANNOTATION]: 'runtime/default', [POD_ANNOTATION]: 'unconfined' } }), restricted), []);
    assert.match(onlyViolation(template.check(review({ container: { type: 'Unconfined' }, pod: { type: 'RuntimeDefault' } }), restricted)).message, /Found at: container securityContext/);
  });

  it('gives no verdict for a seccompProfile without a type: no rule body resolves it', () => {
    assert.deepEqual(template.check(review({ container: { localhostProfile: 'x.json' } }), restricted), []);
  });

  it('checks init and ephemeral containers, and skips excluded ones', () => {
    const pod = podReview({ initContainers: [container('setup')], ephemeralContainers: [container('debug', { image: 'busybox:1.36' })] });
    assert.deepEqual(messages(template.check(pod, restricted)).map((message) => message.split("'")[3]), ['setup', 'debug']);
    assert.deepEqual(template.check(pod, { ...restricted, excludedContainers: ['setup'], excludedImages: ['busybox*'] }), []);
  });

  it('skips pods pinned to Windows', () => {
    const windows = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')] });
    assert.deepEqual(template.check(windows, restricted), []);
  });
});

describe('k8sazurev3allowedseccomp allowed profiles', () => {
  it('translates names between the securityContext and annotation schemes', () => {
    assert.deepEqual(template.check(review({ container: { type: 'RuntimeDefault' } }), allowing('docker/default')), []);
    assert.deepEqual(template.check(review({ annotations: { [POD_ANNOTATION]: 'runtime/default' } }), allowing('RuntimeDefault')), []);
    assert.deepEqual(template.check(review({ container: { type: 'Unconfined' } }), allowing('unconfined')), []);
  });

  it('allows a Localhost profile only with a listed file', () => {
    const parameters = allowing('localhost/profiles/allow.json');
    assert.deepEqual(template.check(review({ container: { type: 'Localhost', localhostProfile: 'profiles/allow.json' } }), parameters), []);
    assert.deepEqual(template.check(review({ annotations: { [POD_ANNOTATION]: 'localhost/profiles/allow.json' } }), parameters), []);
    const violation = onlyViolation(template.check(review({ container: { type: 'Localhost', localhostProfile: 'profiles/other.json' } }), parameters));
    assert.equal(
      violation.message,
      "Seccomp profile 'Localhost' with file 'profiles/other.json' is not allowed for container 'app'. Found at: container securityContext. Allowed profiles: {\"Localhost\", \"localhost/profiles/allow.json\"}",
    );
    assert.equal(violation.culprits[0]?.fixes, undefined, 'RuntimeDefault is not allowed, so there is nothing safe to propose');
  });

  it('allows any Localhost file and localhost annotation with localhost/*', () => {
    const parameters = allowing('localhost/*');
    assert.deepEqual(template.check(review({ container: { type: 'Localhost', localhostProfile: 'any.json' } }), parameters), []);
    assert.deepEqual(template.check(review({ annotations: { [CONTAINER_ANNOTATION]: 'localhost/any.json' } }), parameters), []);
  });

  it('never allows Localhost from a bare Localhost entry, which names no file', () => {
    const violation = onlyViolation(template.check(review({ container: { type: 'Localhost', localhostProfile: 'x.json' } }), allowing('Localhost')));
    assert.match(violation.message, /Allowed profiles: \{"Localhost"\}$/, 'Localhost is not translated: its lowercase starts with localhost');
  });

  it('allows everything with *', () => {
    assert.deepEqual(template.check(review({ container: { type: 'Unconfined' } }), allowing('*')), []);
    assert.deepEqual(template.check(review({}), allowing('*')), []);
  });

  it('prints set() when nothing is allowed', () => {
    assert.match(onlyViolation(template.check(review({}), {})).message, /Allowed profiles: set\(\)$/);
  });

  it('gives no verdict when two rule bodies conflict, as the Rego evaluation fails', () => {
    // A false pod annotation is both present (resolved) and absent (not configured).
    assert.deepEqual(template.check(review({ annotations: { [POD_ANNOTATION]: false } }), restricted), []);
  });
});
