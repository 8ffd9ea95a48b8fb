import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSyntaxErrors, jsonValueRange, regoErrorRange, templateProblems, yamlSyntaxErrorRange } from '../../../server/src/custom/problems';
import { compileConstraintTemplate, readConstraintTemplate } from '../../../server/src/gatekeeper/template';
import { RegoError } from '../../../server/src/rego/errors';
import { parse as parseYaml } from 'yaml';

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sexample
spec:
  crd:
    spec:
      names:
        kind: K8sExample
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            rego: |
              package k8sexample

              violation[{"msg": msg}] {
                msg := "always"
              }
            libs:
              - |
                package lib.helpers
                has_key(obj, k) { obj[k] == }
`;

/** The error the compiler throws for `yaml`'s template. */
function compileError(yaml: string): RegoError {
  try {
    compileConstraintTemplate(readConstraintTemplate(parseYaml(yaml) as never), 'template.yaml');
  } catch (error) {
    if (error instanceof RegoError) return error;
    throw error;
  }
  assert.fail('the template compiled');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

describe('problem positions', () => {
  it('maps a Rego error of a lib into its block scalar item, at the Rego column plus the block indentation', () => {
    const error = compileError(TEMPLATE);
    assert.ok(error.location);
    const [problem] = templateProblems('/w/template.yaml', TEMPLATE, [], error);
    // Without the sources nothing can be placed in the Rego: the problem goes on the kind line.
    assert.equal(problem.range.start.line, lineOf(TEMPLATE, 'kind: ConstraintTemplate'));
    const source = readConstraintTemplate(parseYaml(TEMPLATE) as never).rego;
    assert.ok(source);
    const [placed] = templateProblems('/w/template.yaml', TEMPLATE, [source.source, ...source.libs], error);
    assert.match(placed.message, /^libs\[0\]: rego_parse_error: /);
    const libStart = lineOf(TEMPLATE, 'package lib.helpers');
    assert.equal(error.location.line, 2);
    assert.equal(placed.range.start.line, libStart + 1);
    assert.equal(placed.range.start.character, 16 + error.location.column - 1);
    assert.equal(TEMPLATE.split('\n')[libStart + 1][placed.range.start.character], '}');
  });

  it('maps a Rego line of `rego: |` to the file line, with an explicit indentation indicator too', () => {
    const yaml = 'spec:\n  rego: |2\n      package x\n      violation[{"msg": m}] {\n        m := [\n      }\n';
    const error = new RegoError('rego_parse_error', 'unexpected }', { file: 'x (rego)', line: 4, column: 1, offset: 0 });
    const rego = (parseYaml(yaml) as { spec: { rego: string } }).spec.rego;
    assert.ok(rego.startsWith('  package x'));
    const range = regoErrorRange(yaml, rego, error);
    // The block's content is indented 4 (2 for `rego`'s own indentation, plus the indicator's 2).
    assert.ok(range);
    assert.deepEqual(range.start, { line: 5, character: 4 });
  });

  it('puts an error of a folded or quoted Rego on the scalar itself', () => {
    const yaml = 'rego: "package x\\nviolation { true"\n';
    const error = new RegoError('rego_parse_error', 'expected }', { file: 'x (rego)', line: 2, column: 10, offset: 0 });
    assert.deepEqual(regoErrorRange(yaml, 'package x\nviolation { true', error)?.start, { line: 0, character: 6 });
    assert.equal(regoErrorRange(yaml, 'no such Rego', error), undefined);
  });

  it('finds JSON values by path, falling back to the deepest that exists, and syntax errors at their offset', () => {
    const json = '{\n  "a": {\n    "b": "x"\n  }\n}';
    assert.deepEqual(jsonValueRange(json, ['a', 'b']), { start: { line: 2, character: 9 }, end: { line: 2, character: 12 } });
    assert.equal(jsonValueRange(json, ['a', 'missing', 'deeper']).start.line, 1);
    assert.equal(jsonValueRange('not json at all', ['a']).start.line, 0);
    assert.deepEqual(jsonSyntaxErrors('{\n  "a": 1\n  "b": 2\n}')[0], { range: { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } }, message: 'comma expected' });
    assert.deepEqual(jsonSyntaxErrors('{"a": 1}'), []);
  });

  it('finds the first YAML syntax error of a file, and none in good YAML', () => {
    assert.deepEqual(yamlSyntaxErrorRange('a: 1\nb: ]\nc: 3\n')?.start, { line: 1, character: 3 });
    assert.equal(yamlSyntaxErrorRange('a: 1\n---\nb: 2\n'), undefined);
  });
});
