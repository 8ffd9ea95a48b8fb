import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplateTests } from '../../../client/src/templateTests';
import type { TestTemplateResult } from '../../../server/src/protocol';

const label = (uri: string) => uri.replace('file:///work/', '');

describe('Test This Template rendering', () => {
  it('lists each case with its suite line and reason, and ends with the counts', () => {
    const result: TestTemplateResult = {
      template: 'file:///work/lib/template.yaml',
      suites: ['file:///work/lib/suite.yaml'],
      cases: [
        { suite: 'file:///work/lib/suite.yaml', test: 'labels', name: 'allowed', status: 'pass', line: 7 },
        { suite: 'file:///work/lib/suite.yaml', test: 'labels', name: 'denied', status: 'fail', reason: 'got 0 violations but want at least 1', line: 11 },
        { suite: 'file:///work/lib/suite.yaml', test: 'cel', name: 'any', status: 'skip', reason: 'skipped by the suite' },
      ],
      passed: 1,
      failed: 1,
      skipped: 1,
    };
    const report = renderTemplateTests(result, label);
    assert.deepEqual(report.lines, [
      'Testing lib/template.yaml with lib/suite.yaml',
      'PASS  lib/suite.yaml:8  labels/allowed',
      'FAIL  lib/suite.yaml:12  labels/denied: got 0 violations but want at least 1',
      'SKIP  lib/suite.yaml  cel/any: skipped by the suite',
      '1 passed, 1 failed, 1 skipped',
    ]);
    assert.equal(report.summary, 'AKS Policy: 1 passed, 1 failed, 1 skipped');
    assert.equal(report.failed, true);
  });

  it('says why nothing ran', () => {
    const report = renderTemplateTests({ suites: [], cases: [], passed: 0, failed: 0, skipped: 0, problem: 'the workspace is not trusted, so its templates are not run' }, label);
    assert.equal(report.summary, 'AKS Policy: the workspace is not trusted, so its templates are not run.');
    assert.equal(report.failed, true);
  });

  it('reports a clean run as not failed', () => {
    const report = renderTemplateTests({ template: 'file:///work/t.yaml', suites: ['file:///work/s.yaml'], cases: [{ suite: 'file:///work/s.yaml', test: 't', name: 'c', status: 'pass' }], passed: 1, failed: 0, skipped: 0 }, label);
    assert.equal(report.summary, 'AKS Policy: 1 passed, 0 failed');
    assert.equal(report.failed, false);
  });
});
