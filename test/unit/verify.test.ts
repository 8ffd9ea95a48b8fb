import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runVerify } from '../../server/src/verify';

const fixtures = join(__dirname, '..', 'fixtures', 'verify');

function run(...args: string[]): { code: number; lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = runVerify(args, (line) => lines.push(line), (line) => errors.push(line));
  return { code, lines, errors };
}

describe('aks-policy verify', () => {
  it('runs every case of a suite and ends with the counts', () => {
    const { code, lines } = run(join(fixtures, 'pass', 'suite.yaml'));
    assert.equal(code, 0);
    assert.equal(lines.filter((line) => line.startsWith('PASS  ')).length, 7);
    assert.match(lines.join('\n'), /labels\/update-is-skipped/);
    assert.match(lines.join('\n'), /PASS .*cel-only\/unlabelled/);
    assert.equal(lines[lines.length - 1], '7 passed, 0 failed');
  });

  it('with --engine rego, skips the cases of a template that has only CEL code, and says why', () => {
    const { code, lines } = run('--engine', 'rego', join(fixtures, 'pass'));
    assert.equal(code, 0);
    assert.ok(lines.some((line) => /^SKIP .*cel-only\/unlabelled: ConstraintTemplate k8stestcelonly has no Rego code \(--engine rego\)$/.test(line)), lines.join('\n'));
    assert.equal(lines[lines.length - 1], '5 passed, 0 failed');
  });

  it('with --engine cel, skips the Rego-only template and runs the CEL one', () => {
    const { code, lines } = run('--engine=cel', join(fixtures, 'pass'));
    assert.equal(code, 0);
    assert.ok(lines.some((line) => /^SKIP .*labels\/labelled: ConstraintTemplate k8stestlabels has no CEL \(K8sNativeValidation\) code \(--engine cel\)$/.test(line)), lines.join('\n'));
    assert.equal(lines[lines.length - 1], '2 passed, 0 failed');
  });

  it('fails a case whose assertion does not hold, with the messages it got, and exits 1', () => {
    const { code, lines } = run(join(fixtures, 'fail'));
    assert.equal(code, 1);
    assert.ok(lines.includes(`FAIL  ${join('test', 'fixtures', 'verify', 'fail', 'suite.yaml')}  labels/expects-none: got 1 violations but want none; got messages ["pod <bare> has no owner label"]`), lines.join('\n'));
    assert.ok(lines.some((line) => /labels\/missing-object: cannot read .*nothing-here\.yaml$/.test(line)));
    assert.equal(lines[lines.length - 1], '1 passed, 2 failed');
  });

  it('finds the suites in a folder and runs them in name order', () => {
    const { code, lines } = run(fixtures);
    assert.equal(code, 1);
    assert.ok(lines.findIndex((line) => line.includes('fail/suite.yaml')) < lines.findIndex((line) => line.includes('pass/suite.yaml')));
    assert.equal(lines[lines.length - 1], '8 passed, 2 failed');
  });

  it('is a usage error without suites, with an unknown option or a missing path', () => {
    assert.equal(run().code, 2);
    assert.equal(run('--fast', fixtures).code, 2);
    const badEngine = run('--engine', 'wasm', fixtures);
    assert.equal(badEngine.code, 2);
    assert.match(badEngine.errors.join('\n'), /--engine needs auto, rego or cel, got "wasm"/);
    const missing = run(join(fixtures, 'nowhere'));
    assert.equal(missing.code, 2);
    assert.match(missing.errors.join('\n'), /nowhere: no such file or folder/);
  });
});
