import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { sameDiagnostics } from '../../../server/src/engine/diagnostics';

const finding = (line: number, message = 'Privileged container is not allowed: nginx'): Diagnostic => ({
  range: { start: { line, character: 8 }, end: { line, character: 24 } },
  severity: 1,
  source: 'AKS Policy',
  code: 'k8sazurev2noprivilege',
  codeDescription: { href: 'https://portal.azure.com/#blade/x' },
  message,
});

describe('sameDiagnostics', () => {
  it('holds for the same objects and for equal copies of them', () => {
    const before = [finding(3), finding(9)];
    assert.ok(sameDiagnostics(before, before));
    assert.ok(sameDiagnostics(before, [before[0], finding(9)]));
  });

  it('fails on a moved range, another message, severity or link, and on a different count or order', () => {
    const before = [finding(3), finding(9)];
    assert.ok(!sameDiagnostics(before, [finding(3), finding(10)]));
    assert.ok(!sameDiagnostics(before, [finding(3), finding(9, 'another message')]));
    assert.ok(!sameDiagnostics(before, [finding(3), { ...finding(9), severity: 2 }]));
    assert.ok(!sameDiagnostics(before, [finding(3), { ...finding(9), codeDescription: { href: 'https://example.com' } }]));
    assert.ok(!sameDiagnostics(before, [finding(3)]));
    assert.ok(!sameDiagnostics(before, [finding(9), finding(3)]));
  });
});
