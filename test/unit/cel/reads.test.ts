import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCelTemplate, type CelReviewInput } from '../../../server/src/cel/evaluate';
import { compileCelTemplate } from '../../../server/src/cel/template';
import type { JsonObject } from '../../../server/src/json';

const pod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'mcr.microsoft.com/nginx' },
      { name: 'sidecar', image: 'docker.io/busybox' },
      { name: 'proxy', image: 'docker.io/envoy' },
    ],
  },
};

function input(object: JsonObject, request: JsonObject = {}): CelReviewInput {
  return {
    request: { kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object, oldObject: null, ...request },
    constraint: { kind: 'T', metadata: { name: 'c' }, spec: {} },
  };
}

/** The reads of each violation of a template with these variables and validations (each with message `m<index>`). */
function readsOf(validations: string[], variables: { name: string; expression: string }[] = [], review = input(pod)) {
  const source = { variables, validations: validations.map((expression, index) => ({ expression, message: `m${index}` })) };
  const verdict = evaluateCelTemplate(compileCelTemplate('t', 'T', source), review, undefined, true);
  assert.ok(verdict.reads, 'reads are tracked');
  assert.equal(verdict.reads.length, verdict.messages.length);
  return verdict.reads;
}

describe('CEL reads of the reviewed object', () => {
  it('records field selections and key lookups, oldest first', () => {
    assert.deepEqual(readsOf(['object.metadata.labels["app"] == "db"']), [[['metadata'], ['metadata', 'labels'], ['metadata', 'labels', 'app']]]);
    assert.deepEqual(readsOf(['object.spec.containers[1].image.startsWith("mcr.")']), [[['spec'], ['spec', 'containers'], ['spec', 'containers', 1, 'image']]]);
  });

  it('records has() and `in` tests of a missing field as reads of the missing path', () => {
    assert.deepEqual(readsOf(['has(object.metadata.labels.team)']), [[['metadata'], ['metadata', 'labels'], ['metadata', 'labels', 'team']]]);
    assert.deepEqual(readsOf(['"team" in object.metadata.labels']), [[['metadata'], ['metadata', 'labels'], ['metadata', 'labels', 'team']]]);
    // A selection of a missing field is an error, and still a read.
    assert.deepEqual(readsOf(['object.spec.securityContext.runAsNonRoot']), [[['spec'], ['spec', 'securityContext']]]);
  });

  it('records, of a comprehension, the items it visited: the failing one is read last', () => {
    const [reads] = readsOf(['object.spec.containers.all(c, c.image.startsWith("mcr.microsoft.com/"))']);
    assert.deepEqual(reads, [['spec'], ['spec', 'containers'], ['spec', 'containers', 0, 'image'], ['spec', 'containers', 1, 'image']]);
  });

  it('passes on the reads of the variables a validation uses, also when the variable was computed for an earlier one', () => {
    const variables = [{ name: 'images', expression: 'object.spec.containers.map(c, c.image)' }];
    const [first, second] = readsOf(['variables.images.all(i, i.startsWith("mcr."))', 'size(variables.images) < 2'], variables);
    const imageReads = [0, 1, 2].map((index) => ['spec', 'containers', index, 'image']);
    assert.deepEqual(first, [['spec'], ['spec', 'containers'], ...imageReads]);
    assert.deepEqual(second, first);
  });

  it('records reads through a variable that holds part of the object, and through variables.anyObject', () => {
    const variables = [{ name: 'containers', expression: 'variables.anyObject.spec.containers' }];
    const [reads] = readsOf(['variables.containers.exists(c, c.name == "proxy" && c.image.startsWith("mcr."))'], variables);
    assert.deepEqual(reads.slice(0, 2), [['spec'], ['spec', 'containers']]);
    assert.deepEqual(reads.at(-1), ['spec', 'containers', 2, 'image']);
  });

  it('records reads of oldObject when it is the reviewed object (a DELETE)', () => {
    const reads = readsOf(['oldObject.metadata.name == "db"'], [], input(pod, { operation: 'DELETE', oldObject: pod }));
    assert.deepEqual(reads, [[['metadata'], ['metadata', 'name']]]);
  });

  it('tracks nothing unless asked, and judges the same either way', () => {
    const source: JsonObject = {
      variables: [{ name: 'outsiders', expression: 'object.spec.containers.filter(c, !c.image.startsWith("mcr.")).map(c, c.name)' }],
      validations: [
        { expression: 'size(variables.outsiders) == 0', messageExpression: '"outside: " + variables.outsiders.join(", ")' },
        { expression: 'object.metadata.labels == {"app": "web"} && "app" in object.metadata.labels', message: 'labels' },
        { expression: 'object.spec.containers.size() == 3 && object.spec.missing', message: 'error' },
      ],
    };
    const template = compileCelTemplate('t', 'T', source);
    const untracked = evaluateCelTemplate(template, input(pod));
    const tracked = evaluateCelTemplate(template, input(pod), undefined, true);
    assert.equal(untracked.reads, undefined);
    assert.deepEqual(untracked.messages, ['outside: sidecar, proxy', "expression 'object.spec.containers.size() == 3 && object.spec.missing' resulted in error: field not found: missing"]);
    assert.deepEqual(tracked.messages, untracked.messages);
    assert.equal(tracked.steps, untracked.steps);
  });
});
