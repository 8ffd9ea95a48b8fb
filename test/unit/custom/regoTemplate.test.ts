import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regoConstraintTemplate, violationCulprits } from '../../../server/src/custom/regoTemplate';
import { compileConstraintTemplate } from '../../../server/src/gatekeeper/template';
import type { Review } from '../../../server/src/templates/types';

function templateOf(name: string, rego: string) {
  return regoConstraintTemplate(compileConstraintTemplate({ name, kind: name, rego: { source: rego, libs: [] }, hasCel: false }, name), name, [rego]);
}

const pod: Review = {
  kind: { group: '', version: 'v1', kind: 'Pod' },
  name: 'web',
  namespace: 'default',
  operation: 'CREATE',
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'web', image: 'nginx:latest' }] } },
};

describe('Rego ConstraintTemplate wrapper', () => {
  it('puts a violation on the field its derivation tested, in the container that details name', () => {
    const template = templateOf(
      'latest',
      `package latest
violation[{"msg": msg, "details": {"container": c.name}}] {
  c := input.review.object.spec.containers[_]
  endswith(c.image, ":latest")
  msg := sprintf("container %v uses a latest tag", [c.name])
}`,
    );
    assert.deepEqual(template.check(pod, {}), [
      { message: 'container web uses a latest tag', culprits: [{ path: ['spec', 'containers', 0, 'image'] }] },
    ]);
  });

  it('puts a missing label on the labels it was looked for in, without details naming anything', () => {
    const template = templateOf(
      'team',
      `package team
violation[{"msg": msg}] {
  not input.review.object.metadata.labels.team
  msg := sprintf("%v has no team", [input.review.object.metadata.name])
}`,
    );
    const labelled: Review = { ...pod, object: { ...pod.object, metadata: { name: 'web', labels: { app: 'web' } } } };
    assert.deepEqual(template.check(labelled, {}), [{ message: 'web has no team', culprits: [{ path: ['metadata', 'labels', 'team'], fallback: ['metadata', 'labels'] }] }]);
    assert.deepEqual(template.check(pod, {}), [{ message: 'web has no team', culprits: [{ path: ['metadata', 'labels'], fallback: ['metadata'] }] }]);
  });

  it('sees Gatekeeper input: the admission request with operation CREATE, and the parameters', () => {
    const template = templateOf(
      'input',
      `package input
violation[{"msg": msg}] {
  input.review.operation == "CREATE"
  input.review.kind.kind == "Pod"
  msg := sprintf("%v/%v %v", [input.review.namespace, input.review.name, input.parameters.word])
}`,
    );
    assert.deepEqual(template.check(pod, { word: 'checked' }), [{ message: 'default/web checked', culprits: [] }]);
    assert.equal(template.usesInventory, undefined);
  });

  it('turns an exhausted step budget into one finding on the resource instead of hanging or throwing', () => {
    const template = templateOf(
      'slow',
      `package slow
violation[{"msg": msg}] {
  r := numbers.range(1, 1000)
  msg := sprintf("%v", [count([1 | r[a]; r[b]; r[c]])])
}`,
    );
    const [violation, ...others] = template.check(pod, {});
    assert.deepEqual(others, []);
    assert.match(violation.message, /^the template could not be evaluated: eval_budget_error/);
    assert.deepEqual(violation.culprits, []);
  });
});

describe('violationCulprits: where a violation points', () => {
  const object = {
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
    spec: {
      hostPID: true,
      hostIPC: true,
      containers: [
        { name: 'a', image: 'nginx:1.25', securityContext: { privileged: false } },
        { name: 'b', image: 'nginx:latest', securityContext: { privileged: true } },
      ],
    },
  };

  it('is the last field tested, not the exemption read before it nor the names read for the message', () => {
    const reads = [
      ['spec', 'containers', 1],
      ['spec', 'containers', 1, 'image'],
      ['spec', 'containers', 1, 'securityContext'],
      ['spec', 'containers', 1, 'securityContext', 'privileged'],
      ['spec', 'containers', 1, 'name'],
      ['metadata', 'name'],
    ];
    assert.deepEqual(violationCulprits({}, reads, object), [{ path: ['spec', 'containers', 1, 'securityContext', 'privileged'] }]);
  });

  it('counts a field read again after the exemption where it was read last', () => {
    const reads = [['spec', 'containers', 1, 'image'], ['spec', 'containers', 1, 'securityContext', 'privileged'], ['spec', 'containers', 1, 'image']];
    assert.deepEqual(violationCulprits({}, reads, object), [{ path: ['spec', 'containers', 1, 'image'] }]);
  });

  it('keeps to the container that details name', () => {
    const reads = [['spec', 'containers', 0, 'image'], ['spec', 'containers', 1, 'image'], ['spec', 'containers', 0, 'securityContext', 'privileged']];
    assert.deepEqual(violationCulprits({ container: 'b' }, reads, object), [{ path: ['spec', 'containers', 1, 'image'] }]);
    assert.deepEqual(violationCulprits({ container: 'b' }, [['metadata', 'name']], object), [{ path: ['spec', 'containers', 1], fallback: ['spec', 'containers', 1, 'name'] }]);
  });

  it('prefers a read of a field that details name', () => {
    const reads = [['spec', 'hostPID'], ['spec', 'hostIPC']];
    assert.deepEqual(violationCulprits({ field: 'hostPID' }, reads, object), [{ path: ['spec', 'hostPID'] }]);
    assert.deepEqual(violationCulprits({}, reads, object), [{ path: ['spec'] }], 'siblings read together point at their parent');
  });

  it('points at a map whose keys were iterated, and at the nearest existing ancestor of a missing field', () => {
    const labels = [['metadata', 'labels', 'app'], ['metadata', 'labels', 'tier'], ['metadata', 'name']];
    assert.deepEqual(violationCulprits({ missing_labels: ['team'] }, labels, object), [{ path: ['metadata', 'labels'] }]);
    const missing = [['spec', 'containers', 0, 'securityContext', 'runAsNonRoot', 'x']];
    assert.deepEqual(violationCulprits({}, missing, object), [{ path: missing[0], fallback: ['spec', 'containers', 0, 'securityContext'] }]);
  });

  it('is the resource kind when nothing was read; a name read alone is still a place', () => {
    assert.deepEqual(violationCulprits({}, [], object), []);
    assert.deepEqual(violationCulprits({}, [['metadata', 'name']], object), [{ path: ['metadata', 'name'] }]);
  });
});
