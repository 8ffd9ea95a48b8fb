import { DiagnosticSeverity, type Diagnostic, type Position } from 'vscode-languageserver-types';
import { DiagnosticSource } from '../protocol';
import type { AnalyzedDocument } from '../model/cache';
import type { Finding, Notice } from './evaluate';

/** What a diagnostic carries so that its code actions can find it again. */
export interface FindingData {
  referenceId: string;
  version: number;
}

const NOTICE_SEVERITY: Record<Notice['severity'], DiagnosticSeverity> = {
  hint: DiagnosticSeverity.Hint,
  information: DiagnosticSeverity.Information,
  warning: DiagnosticSeverity.Warning,
};

/** Offsets become positions here, once, when the diagnostic is built. */
export function toDiagnostics(documents: readonly AnalyzedDocument[], positionAt: (offset: number) => Position, version: number): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { start, verdict } of documents) {
    for (const finding of verdict.findings) diagnostics.push(findingDiagnostic(finding, start, positionAt, version));
    for (const notice of verdict.notices) {
      diagnostics.push({
        range: { start: positionAt(start + notice.start), end: positionAt(start + notice.end) },
        severity: NOTICE_SEVERITY[notice.severity],
        source: DiagnosticSource,
        message: notice.message,
      });
    }
  }
  return diagnostics;
}

export function findingDiagnostic(finding: Finding, base: number, positionAt: (offset: number) => Position, version: number): Diagnostic {
  const data: FindingData = { referenceId: finding.referenceId, version };
  return {
    range: { start: positionAt(base + finding.start), end: positionAt(base + finding.end) },
    severity: finding.effect === 'deny' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DiagnosticSource,
    code: finding.template,
    codeDescription: { href: finding.docsUrl },
    message: finding.message,
    data,
  };
}
