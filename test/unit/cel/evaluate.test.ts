import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CelCompileError } from '../../../server/src/cel/compile';
import { evaluateCelTemplate, type CelReviewInput } from '../../../server/src/cel/evaluate';
import { compileCelTemplate } from '../../../server/src/cel/template';
import type { JsonObject } from '../../../server/src/json';

const pod = (containers: JsonObject[]): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers } });

function input(object: JsonObject | null, parameters?: JsonObject, request: JsonObject = {}): CelReviewInput {
  return {
    request: { kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object, oldObject: null, ...request },
    constraint: { kind: 'T', metadata: { name: 'c' }, spec: parameters === undefined ? {} : { parameters } },
  };
}

function messages(source: JsonObject, review: CelReviewInput, budget?: number): string[] {
  return evaluateCelTemplate(compileCelTemplate('t', 'T', source), review, budget).messages;
}

describe('CEL templates (K8sNativeValidation)', () => {
  it('reports a validation that is not true with its messageExpression, and passes one that is', () => {
    const source = {
      variables: [{ name: 'privileged', expression: 'variables.anyObject.spec.containers.filter(c, has(c.securityContext) && c.securityContext.privileged).map(c, c.name)' }],
      validations: [{ expression: 'size(variables.privileged) == 0', messageExpression: '"privileged: " + variables.privileged.join(", ")' }],
    };
    assert.deepEqual(messages(source, input(pod([{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }]))), ['privileged: a']);
    assert.deepEqual(messages(source, input(pod([{ name: 'b' }]))), []);
  });

  it('falls back from a messageExpression that is empty, not a string or several lines to message, then to the expression', () => {
    const failing = (messageExpression: string, message?: string) => messages({ validations: [{ expression: ' 1 == 2 ', messageExpression, ...(message ? { message } : {}) }] }, input(pod([])));
    assert.deepEqual(failing('"  spaced  "'), ['spaced']);
    assert.deepEqual(failing('"  "', 'static'), ['static']);
    assert.deepEqual(failing('42', 'static'), ['static']);
    assert.deepEqual(failing('"one\\ntwo"', 'static'), ['static']);
    assert.deepEqual(failing('object.missing'), ['failed expression: 1 == 2']);
  });

  it('binds params to the constraint and variables.params to its parameters, null without them', () => {
    const source = { validations: [{ expression: 'variables.params == null || variables.params.allowed == params.spec.parameters.allowed && !variables.params.allowed', message: 'denied' }] };
    assert.deepEqual(messages(source, input(pod([]), { allowed: false })), []);
    assert.deepEqual(messages(source, input(pod([]), { allowed: true })), ['denied']);
    assert.deepEqual(messages(source, input(pod([]))), []);
  });

  it('on DELETE leaves object null and gives variables.anyObject the old object', () => {
    const source = { validations: [{ expression: 'object == null && variables.anyObject.metadata.name == "old" && request.operation == "DELETE"', message: 'm' }] };
    const old = { ...pod([]), metadata: { name: 'old' } };
    assert.deepEqual(messages(source, input(old, undefined, { operation: 'DELETE', oldObject: old })), []);
    assert.deepEqual(messages(source, input(pod([]))), ['m']);
  });

  it('evaluates a variable only when read, and at most once', () => {
    const source = {
      variables: [
        { name: 'failing', expression: 'object.spec.missing.deeper' },
        { name: 'counted', expression: '[1, 2, 3].map(x, x * 2)' },
      ],
      validations: [
        { expression: 'true || variables.failing', message: 'never' },
        { expression: 'variables.counted.sum() == 12 && variables.counted.sum() == 12 && variables.counted.indexOf(4) == 1', message: 'sum' },
      ],
    };
    const template = compileCelTemplate('t', 'T', source);
    const verdict = evaluateCelTemplate(template, input(pod([])));
    assert.deepEqual(verdict.messages, []);
    // One comprehension over three items ran once: 1 + 3 steps.
    assert.equal(verdict.steps, 4);
  });

  it('reports an expression that fails to evaluate as a violation under failurePolicy Fail, and not under Ignore', () => {
    const source = { validations: [{ expression: 'object.spec.securityContext.runAsNonRoot', message: 'm' }] };
    assert.deepEqual(messages(source, input(pod([]))), ["expression 'object.spec.securityContext.runAsNonRoot' resulted in error: field not found: securityContext"]);
    assert.deepEqual(messages({ ...source, failurePolicy: 'Ignore' }, input(pod([]))), []);
  });

  it('reports nothing when a match condition is false, and the error when one fails', () => {
    const validations = [{ expression: 'false', message: 'violated' }];
    const conditions = (expression: string) => messages({ matchCondition: [{ name: 'pods-only', expression }], validations }, input(pod([])));
    assert.deepEqual(conditions('request.kind.kind == "Pod"'), ['violated']);
    assert.deepEqual(conditions('request.kind.kind == "Deployment"'), []);
    assert.match(conditions('object.nothing')[0], /^expression 'object\.nothing' resulted in error: /);
  });

  it('stops a runaway evaluation at the step budget with an error instead of hanging', () => {
    const containers = Array.from({ length: 300 }, (_, index) => ({ name: `c${index}`, image: 'nginx' }));
    const source = { validations: [{ expression: 'object.spec.containers.all(a, object.spec.containers.all(b, object.spec.containers.all(c, a.image == c.image)))', message: 'm' }] };
    assert.deepEqual(messages(source, input(pod(containers)), 10_000), [
      "expression 'object.spec.containers.all(a, object.spec.containers.all(b, object.spec.containers.all(c, a.image == c.image)))' resulted in error: evaluation stopped: the step budget (Kubernetes: the cost limit) is exhausted",
    ]);
    assert.deepEqual(messages(source, input(pod(containers.slice(0, 10))), 10_000), []);
  });

  it('offers the strings extension and the regex and list functions of Kubernetes', () => {
    const source = {
      validations: [
        {
          expression: [
            '"a,b".split(",").join("-") == "a-b"',
            '"Nginx:1.25".lowerAscii().replace("nginx", "web") == "web:1.25"',
            '"registry.io/app:v2".find("v[0-9]+") == "v2"',
            '"a1b22".findAll("[0-9]+") == ["1", "22"]',
            '[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && [1, 2, 2].isSorted() && ![2, 1].isSorted()',
            '[1, 2, 1].lastIndexOf(1) == 2 && "image:latest".endsWith(":latest") && "x".matches("^[a-z]$")',
            '[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]',
          ].join(' && '),
          message: 'a function misbehaves',
        },
      ],
    };
    assert.deepEqual(messages(source, input(pod([]))), []);
  });

  it('refuses at compile time an expression that does not parse, an undeclared variable and the plural matchConditions, naming the part', () => {
    assert.throws(() => compileCelTemplate('t', 'T', { validations: [{ expression: 'size(' }] }), (error) => error instanceof CelCompileError && /^ConstraintTemplate t: CEL validations\[0\]\.expression does not compile: /.test(error.message));
    assert.throws(
      () => compileCelTemplate('t', 'T', { variables: [{ name: 'a', expression: 'variables.b' }, { name: 'b', expression: '1' }], validations: [] }),
      /ConstraintTemplate t: CEL variables\[0\] \(a\) reads variables\.b, which is not declared before it/,
    );
    assert.throws(() => compileCelTemplate('t', 'T', { matchConditions: [], validations: [] }), /matchCondition \(singular\)/);
    assert.throws(() => compileCelTemplate('t', 'T', { failurePolicy: 'Sometimes', validations: [] }), /failurePolicy must be Fail or Ignore/);
  });
});
