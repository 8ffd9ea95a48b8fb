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
    assert.equal(lines.filter((line) => line.startsWith('PASS  ')).length, 5);
    assert.match(lines.join('\n'), /labels\/update-is-skipped/);
    assert.equal(lines[lines.length - 1], '5 passed, 0 failed');
  });

  it('skips the cases of a template that has only CEL code, and says why', () => {
    const { lines } = run(join(fixtures, 'pass'));
    assert.ok(lines.some((line) => /^SKIP .*cel-only\/any: k8stestcelonly has only CEL \(K8sNativeValidation\) code/.test(line)));
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
    assert.equal(lines[lines.length - 1], '6 passed, 2 failed');
  });

  it('is a usage error without suites, with an unknown option or a missing path', () => {
    assert.equal(run().code, 2);
    assert.equal(run('--fast', fixtures).code, 2);
    const missing = run(join(fixtures, 'nowhere'));
    assert.equal(missing.code, 2);
    assert.match(missing.errors.join('\n'), /nowhere: no such file or folder/);
  });
});
