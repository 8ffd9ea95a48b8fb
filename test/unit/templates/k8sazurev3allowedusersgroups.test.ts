import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev3allowedusersgroups as template } from '../../../server/src/templates/k8sazurev3allowedusersgroups';
import type { Review } from '../../../server/src/templates/types';
import { applyOperations } from './applyOperations';
import { assertFixesClear, container, culpritPaths, firstFixOperations, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const restricted = INITIATIVE_PARAMETERS.k8sazurev3allowedusersgroups;
const GROUP_RANGE = '{"ranges": [{"max": 65535, "min": 1}], "rule": "MustRunAs"}';
const NON_ROOT_MESSAGE = 'Container app is attempting to run without a required securityContext/runAsNonRoot or securityContext/runAsUser != 0';
const COMPLIANT_POD_SECURITY = { runAsNonRoot: true, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [] };

function review(podSecurity: JsonObject | undefined, containerSecurity?: JsonObject): Review {
  return podReview({
    ...(podSecurity ? { securityContext: podSecurity } : {}),
    containers: [container('app', containerSecurity ? { securityContext: containerSecurity } : {})],
  });
}

/** Parameters checking only runAsUser, with the other rules off. */
function userRule(rule: string, ranges: JsonObject[] = []): JsonObject {
  return { runAsUser: { rule, ranges } };
}

describe('k8sazurev3allowedusersgroups with the Restricted parameters', () => {
  it('allows a pod that runs as non-root with groups in range, set at pod level', () => {
    assert.deepEqual(template.check(review(COMPLIANT_POD_SECURITY), restricted), []);
  });

  it('flags a bare pod four times, and its non-preferred fixes clear every violation', () => {
    const bare = review(undefined);
    const violations = template.check(bare, restricted);
    assert.deepEqual(messages(violations), [
      NON_ROOT_MESSAGE,
      `Container app is attempting to run without a required securityContext/runAsGroup. Allowed runAsGroup: ${GROUP_RANGE}`,
      `Container app is attempting to run without a required securityContext/supplementalGroups. Allowed supplementalGroups: ${GROUP_RANGE}`,
      `Container app is attempting to run without a required securityContext/fsGroup. Allowed fsGroup: ${GROUP_RANGE}`,
    ]);
    assert.deepEqual(
      violations.map((violation) => [violation.culprits[0]?.path, violation.culprits[0]?.fallback]),
      [
        [['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], ['spec', 'containers', 0, 'name']],
        [['spec', 'containers', 0, 'securityContext', 'runAsGroup'], ['spec', 'containers', 0, 'name']],
        [['spec', 'securityContext', 'supplementalGroups'], ['spec']],
        [['spec', 'securityContext', 'fsGroup'], ['spec']],
      ],
    );
    assert.ok(violations.every((violation) => violation.culprits[0]?.fixes?.[0]?.preferred === false), 'never preferred');
    for (const violation of violations) assertFixesClear(template, bare, restricted, violation);
    const fixed = applyOperations(bare.object, violations.flatMap(firstFixOperations));
    assert.deepEqual(template.check({ ...bare, object: fixed }, restricted), []);
    assert.deepEqual((fixed.spec as JsonObject).securityContext, { supplementalGroups: [1], fsGroup: 1 });
  });

  it('points a missing pod-level field at an existing pod securityContext', () => {
    const violations = template.check(review({ runAsNonRoot: true, runAsGroup: 3000, supplementalGroups: [] }), restricted);
    const violation = onlyViolation(violations);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'securityContext']);
  });

  it('flags runAsUser 0 even with runAsNonRoot, and offers no fix', () => {
    const violation = onlyViolation(template.check(review(COMPLIANT_POD_SECURITY, { runAsUser: 0 }), restricted));
    assert.equal(violation.message, 'Container app is attempting to run as disallowed user 0. Allowed runAsUser: {"ranges": [], "rule": "MustRunAsNonRoot"}');
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'runAsUser']]);
    assert.equal(violation.culprits[0]?.fixes, undefined);
  });

  it('accepts a non-zero runAsUser without runAsNonRoot', () => {
    const { runAsNonRoot: _omitted, ...groupsOnly } = COMPLIANT_POD_SECURITY;
    assert.deepEqual(template.check(review({ ...groupsOnly, runAsUser: 1000 }), restricted), []);
  });

  it('reads the container value before the pod value', () => {
    assert.deepEqual(template.check(review({ ...COMPLIANT_POD_SECURITY, runAsGroup: 0 }, { runAsGroup: 3000 }), restricted), []);
    const violation = onlyViolation(template.check(review(COMPLIANT_POD_SECURITY, { runAsGroup: 0 }), restricted));
    assert.equal(violation.message, `Container app is attempting to run as disallowed group 0. Allowed runAsGroup: ${GROUP_RANGE}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'runAsGroup']]);
    assert.deepEqual(assertFixesClear(template, review(COMPLIANT_POD_SECURITY, { runAsGroup: 0 }), restricted, violation), []);
  });

  it('blames the pod field a container inherits', () => {
    const inherited = review({ ...COMPLIANT_POD_SECURITY, fsGroup: 0 });
    const violation = onlyViolation(template.check(inherited, restricted));
    assert.equal(violation.message, `Container app is attempting to run as disallowed group 0. Allowed fsGroup: ${GROUP_RANGE}`);
    assert.deepEqual(culpritPaths(violation), [['spec', 'securityContext', 'fsGroup']]);
    assert.deepEqual(assertFixesClear(template, inherited, restricted, violation), []);
  });

  it('falls back to the pod only when the reviewed object is a Pod', () => {
    const notAPod: Review = { ...review(COMPLIANT_POD_SECURITY), kind: { group: 'apps', version: 'v1', kind: 'Deployment' } };
    const violations = template.check(notAPod, restricted);
    assert.equal(violations.length, 4);
    assert.deepEqual(violations[2]?.culprits[0], {
      path: ['spec', 'containers', 0, 'securityContext', 'supplementalGroups'],
      fallback: ['spec', 'containers', 0, 'name'],
    });
  });

  it('accepts an empty supplementalGroups list and flags each item out of range', () => {
    const offending = review({ ...COMPLIANT_POD_SECURITY, supplementalGroups: [0, 3000, 70000] });
    const violation = onlyViolation(template.check(offending, restricted));
    assert.equal(
      violation.message,
      `Container app is attempting to run with disallowed supplementalGroups [0, 3000, 70000]. Allowed supplementalGroups: ${GROUP_RANGE}`,
    );
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'securityContext', 'supplementalGroups', 0],
      ['spec', 'securityContext', 'supplementalGroups', 2],
    ]);
    assert.deepEqual(assertFixesClear(template, offending, restricted, violation), []);
  });

  it('applies the checks to init and ephemeral containers, and skips excluded ones', () => {
    const pod = podReview({
      securityContext: COMPLIANT_POD_SECURITY,
      initContainers: [container('setup', { securityContext: { runAsUser: 0 } })],
      ephemeralContainers: [container('debug', { image: 'busybox:1.36', securityContext: { runAsUser: 0 } })],
    });
    assert.equal(template.check(pod, restricted).length, 2);
    assert.deepEqual(template.check(pod, { ...restricted, excludedContainers: ['setup'], excludedImages: ['busybox*'] }), []);
  });

  it('skips pods pinned to Windows', () => {
    const windows = podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('app')] });
    assert.deepEqual(template.check(windows, restricted), []);
  });
});

describe('k8sazurev3allowedusersgroups rules', () => {
  it('MustRunAsNonRoot accepts runAsNonRoot from the pod and rejects false in the container', () => {
    assert.deepEqual(template.check(review({ runAsNonRoot: true }), userRule('MustRunAsNonRoot')), []);
    const violation = onlyViolation(template.check(review({ runAsNonRoot: true }, { runAsNonRoot: false }), userRule('MustRunAsNonRoot')));
    assert.equal(violation.message, NON_ROOT_MESSAGE);
    assert.deepEqual(culpritPaths(violation), [['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']]);
  });

  it('MustRunAs requires runAsUser in a range, and proposes the range minimum', () => {
    const rule = userRule('MustRunAs', [{ min: 100, max: 200 }]);
    assert.deepEqual(template.check(review(undefined, { runAsUser: 150 }), rule), []);
    const outOfRange = review(undefined, { runAsUser: 250 });
    const violation = onlyViolation(template.check(outOfRange, rule));
    assert.equal(violation.message, 'Container app is attempting to run as disallowed user 250. Allowed runAsUser: {"ranges": [{"max": 200, "min": 100}], "rule": "MustRunAs"}');
    assert.deepEqual(violation.culprits[0]?.fixes?.[0]?.operations, [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'runAsUser'], value: 100 }]);
    assert.deepEqual(assertFixesClear(template, outOfRange, rule, violation), []);
    const missing = review(undefined);
    const missingViolation = onlyViolation(template.check(missing, rule));
    assert.equal(missingViolation.message, 'Container app is attempting to run without a required securityContext/runAsUser');
    assert.deepEqual(assertFixesClear(template, missing, rule, missingViolation), []);
  });

  it('treats max -1 as no upper bound', () => {
    const rule = { runAsGroup: { rule: 'MustRunAs', ranges: [{ min: 100, max: -1 }] } };
    assert.deepEqual(template.check(review({ runAsGroup: 100000 }), rule), []);
    assert.equal(template.check(review({ runAsGroup: 50 }), rule).length, 1);
  });

  it('MayRunAs checks a value only when present', () => {
    const rule = { fsGroup: { rule: 'MayRunAs', ranges: [{ min: 1, max: 10 }] } };
    assert.deepEqual(template.check(review(undefined), rule), []);
    assert.deepEqual(template.check(review({ fsGroup: 5 }), rule), []);
    assert.equal(template.check(review({ fsGroup: 11 }), rule).length, 1);
  });

  it('RunAsAny accepts anything, but like the Rego, rejects a value when ranges are missing', () => {
    assert.deepEqual(template.check(review({ runAsGroup: 0 }, { runAsUser: 0 }), { runAsUser: { rule: 'RunAsAny' }, runAsGroup: { rule: 'RunAsAny', ranges: [] } }), []);
    assert.equal(template.check(review({ runAsGroup: 0 }), { runAsGroup: { rule: 'RunAsAny' } }).length, 1);
  });

  it('gives no verdict when two rule bodies conflict, as the Rego evaluation fails', () => {
    // With `false` the value is both present (and out of range) and missing.
    assert.deepEqual(template.check(review({ runAsGroup: false }), restricted), []);
  });

  it('skips a field whose parameters are missing', () => {
    assert.deepEqual(template.check(review(undefined), {}), []);
  });
});
