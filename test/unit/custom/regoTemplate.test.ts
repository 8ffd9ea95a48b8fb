import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regoConstraintTemplate } from '../../../server/src/custom/regoTemplate';
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
  it('puts a violation whose details name a container on that container', () => {
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
      { message: 'container web uses a latest tag', culprits: [{ path: ['spec', 'containers', 0], fallback: ['spec', 'containers', 0, 'name'] }] },
    ]);
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
