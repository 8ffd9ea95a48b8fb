import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, Path } from '../../../server/src/json';
import { compileModules } from '../../../server/src/rego/compiler';
import { evaluateRule } from '../../../server/src/rego/evaluator';
import { parseModule } from '../../../server/src/rego/parser';
import { RegoObject, RegoSet, fromJson, toJson } from '../../../server/src/rego/value';

/** Evaluates `violation` with `input.review.object = object`, tracking its reads: each result's `msg` → its reads. */
function readsByMessage(source: string, object: JsonObject, parameters: JsonObject = {}): Map<string, readonly Path[]> {
  const module = parseModule(source, 'test.rego');
  const program = compileModules([module]);
  const input = fromJson({ review: { object }, parameters }) as RegoObject;
  const trackReadsOf = (input.get('review') as RegoObject).get('object');
  const { value, readsOf } = evaluateRule(program, [...module.packagePath, 'violation'], { input, trackReadsOf });
  assert.ok(readsOf, 'tracking was asked for');
  assert.ok(value instanceof RegoSet);
  const results = new Map<string, readonly Path[]>();
  for (const member of value.values()) {
    assert.ok(member instanceof RegoObject);
    results.set(String(member.get('msg')), readsOf(member));
  }
  return results;
}

const pod: JsonObject = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    initContainers: [{ name: 'init', image: 'evil/init' }],
    containers: [
      { name: 'ok', image: 'nginx:1.25', securityContext: { privileged: false } },
      { name: 'bad', image: 'nginx:latest', securityContext: { privileged: true } },
    ],
  },
};

describe('evaluator: tracking reads of the reviewed object', () => {
  it('is off unless asked for', () => {
    const module = parseModule('package t\nviolation[{"msg": "x"}] { input.review.object.spec }', 'test.rego');
    const result = evaluateRule(compileModules([module]), [...module.packagePath, 'violation'], { input: fromJson({ review: { object: pod } }) });
    assert.equal(result.readsOf, undefined);
  });

  it('records the element an iteration binds, not the others, and what the derivation reads of it', () => {
    const reads = readsByMessage(
      `package t
violation[{"msg": c.name}] {
  c := input.review.object.spec.containers[_]
  endswith(c.image, ":latest")
}`,
      pod,
    );
    assert.deepEqual([...reads.keys()], ['bad']);
    assert.deepEqual(reads.get('bad'), [['spec'], ['spec', 'containers'], ['spec', 'containers', 1], ['spec', 'containers', 1, 'image'], ['spec', 'containers', 1, 'name']]);
  });

  it('keeps each result its own reads: backtracking drops the reads of other derivations', () => {
    const reads = readsByMessage(
      `package t
violation[{"msg": c.name}] {
  c := input.review.object.spec.containers[_]
  not c.securityContext.privileged
}
violation[{"msg": c.name}] {
  c := input.review.object.spec.containers[_]
  c.securityContext.privileged
}`,
      pod,
    );
    assert.deepEqual(reads.get('ok'), [['spec'], ['spec', 'containers'], ['spec', 'containers', 0], ['spec', 'containers', 0, 'securityContext'], ['spec', 'containers', 0, 'securityContext', 'privileged'], ['spec', 'containers', 0, 'name']]);
    assert.deepEqual(reads.get('bad'), [['spec'], ['spec', 'containers'], ['spec', 'containers', 1], ['spec', 'containers', 1, 'securityContext'], ['spec', 'containers', 1, 'securityContext', 'privileged'], ['spec', 'containers', 1, 'name']]);
  });

  it('records a missing field that a negation, object.get or an empty comprehension looked for', () => {
    const reads = readsByMessage(
      `package t
violation[{"msg": "not"}] { not input.review.object.metadata.labels.team }
violation[{"msg": "get"}] { object.get(input.review.object.metadata.labels, "owner", "") == "" }
violation[{"msg": "comprehension"}] { count({a | a := input.review.object.metadata.annotations[_]}) == 0 }`,
      pod,
    );
    assert.deepEqual(reads.get('not'), [['metadata'], ['metadata', 'labels'], ['metadata', 'labels', 'team']]);
    assert.deepEqual(reads.get('get'), [['metadata'], ['metadata', 'labels'], ['metadata', 'labels', 'owner']]);
    assert.deepEqual(reads.get('comprehension'), [['metadata'], ['metadata', 'annotations']]);
  });

  it('follows values through helper rules and functions: a partial rule brings only the member used, a cached call its reads again', () => {
    const reads = readsByMessage(
      `package t
input_containers[c] { c := input.review.object.spec.containers[_] }
input_containers[c] { c := input.review.object.spec.initContainers[_] }
untrusted(c) { startswith(c.image, input.parameters.prefix) }
violation[{"msg": c.name}] {
  c := input_containers[_]
  untrusted(c)
}
violation[{"msg": "again"}] {
  c := input.review.object.spec.initContainers[0]
  untrusted(c)
}`,
      pod,
      { prefix: 'evil/' },
    );
    assert.deepEqual(reads.get('init'), [['spec'], ['spec', 'initContainers'], ['spec', 'initContainers', 0], ['spec', 'initContainers', 0, 'image'], ['spec', 'initContainers', 0, 'name']]);
    assert.deepEqual(reads.get('again'), [['spec'], ['spec', 'initContainers'], ['spec', 'initContainers', 0], ['spec', 'initContainers', 0, 'image']]);
  });

  it('gives a comprehension the reads of its solutions, and a rule used whole what computing it read', () => {
    const reads = readsByMessage(
      `package t
provided := {label | input.review.object.metadata.labels[label]}
violation[{"msg": "missing"}] {
  required := {"app", "team"}
  count(required - provided) > 0
}`,
      pod,
    );
    assert.deepEqual(reads.get('missing'), [['metadata'], ['metadata', 'labels'], ['metadata', 'labels', 'app']]);
  });

  it('does not change the value', () => {
    const source = `package t
violation[{"msg": msg}] {
  c := input.review.object.spec[_][_]
  not startswith(c.image, "nginx")
  msg := sprintf("%v: %v", [c.name, c.image])
}`;
    const module = parseModule(source, 'test.rego');
    const program = compileModules([module]);
    const input = fromJson({ review: { object: pod } }) as RegoObject;
    const plain = evaluateRule(program, [...module.packagePath, 'violation'], { input });
    const tracked = evaluateRule(program, [...module.packagePath, 'violation'], { input, trackReadsOf: (input.get('review') as RegoObject).get('object') });
    assert.deepEqual(toJson(tracked.value!), toJson(plain.value!));
    assert.deepEqual(toJson(plain.value!), [{ msg: 'init: evil/init' }]);
  });
});
