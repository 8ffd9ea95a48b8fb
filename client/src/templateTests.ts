// What "Test This Template" shows: the output channel's lines and the notification. Free of `vscode` so it can be tested on its own.
import type { TestTemplateResult } from '../../server/src/protocol';

export interface TemplateTestReport {
  /** One line per case, `PASS`/`FAIL`/`SKIP` with the suite, test and case, and the reason of a failure or skip. */
  lines: string[];
  /** The notification: the counts, or why nothing ran. */
  summary: string;
  failed: boolean;
}

/** `label` turns a file URI into the name shown (e.g. a path relative to the workspace). */
export function renderTemplateTests(result: TestTemplateResult, label: (uri: string) => string): TemplateTestReport {
  if (result.problem !== undefined) return { lines: [`AKS Policy: ${result.problem}.`], summary: `AKS Policy: ${result.problem}.`, failed: true };
  const lines = [`Testing ${result.template === undefined ? 'the template' : label(result.template)} with ${result.suites.map(label).join(', ')}`];
  for (const testCase of result.cases) {
    const where = `${label(testCase.suite)}${testCase.line === undefined ? '' : `:${testCase.line + 1}`}`;
    lines.push(`${testCase.status.toUpperCase()}  ${where}  ${testCase.test}/${testCase.name}${testCase.reason === undefined ? '' : `: ${testCase.reason}`}`);
  }
  const skipped = result.skipped > 0 ? `, ${result.skipped} skipped` : '';
  const summary = `${result.passed} passed, ${result.failed} failed${skipped}`;
  lines.push(summary);
  return { lines, summary: `AKS Policy: ${summary}`, failed: result.failed > 0 };
}
