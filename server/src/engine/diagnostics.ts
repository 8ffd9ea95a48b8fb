import { DiagnosticSeverity, type Diagnostic, type Position } from 'vscode-languageserver-types';
import { DiagnosticSource } from '../protocol';
import type { AnalyzedDocument } from '../model/cache';
import { positionOf } from '../model/lines';
import { chunkLineStarts, type LiveChunk } from '../model/live';
import type { DocumentVerdict, Finding, Notice } from './evaluate';

const NOTICE_SEVERITY: Record<Notice['severity'], DiagnosticSeverity> = {
  hint: DiagnosticSeverity.Hint,
  information: DiagnosticSeverity.Information,
  warning: DiagnosticSeverity.Warning,
};

/** Offsets become positions here, once, when the diagnostic is built. */
export function toDiagnostics(documents: readonly AnalyzedDocument[], positionAt: (offset: number) => Position): Diagnostic[] {
  return documents.flatMap(({ start, verdict }) => verdictDiagnostics(verdict, (offset) => positionAt(start + offset)));
}

function verdictDiagnostics(verdict: DocumentVerdict, positionAt: (offset: number) => Position): Diagnostic[] {
  return [
    ...verdict.findings.map((finding) => findingDiagnostic(finding, positionAt)),
    ...verdict.notices.map(
      (notice): Diagnostic => ({
        range: { start: positionAt(notice.start), end: positionAt(notice.end) },
        severity: NOTICE_SEVERITY[notice.severity],
        source: DiagnosticSource,
        message: notice.message,
      }),
    ),
  ];
}

function findingDiagnostic(finding: Finding, positionAt: (offset: number) => Position): Diagnostic {
  // No `data`: code actions are computed from the server's own analysis of the same version.
  return {
    range: { start: positionAt(finding.start), end: positionAt(finding.end) },
    severity: finding.effect === 'deny' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DiagnosticSource,
    code: finding.template,
    codeDescription: { href: finding.docsUrl },
    message: finding.message,
  };
}

/** A verdict's diagnostics with lines counted from its document's first line: they depend on its text only. */
const relativeDiagnostics = new WeakMap<DocumentVerdict, Diagnostic[]>();
/** A chunk's diagnostics placed in the file, reused while the chunk neither moved lines nor changed verdict. */
const placedDiagnostics = new WeakMap<LiveChunk, { startLine: number; verdict: DocumentVerdict; list: Diagnostic[] }>();

/**
 * The diagnostics of a live file. Per keystroke only the edited document's diagnostics are built; the
 * others are reused, or shifted when lines were added or removed above them.
 */
export function liveDiagnostics(chunks: readonly LiveChunk[]): Diagnostic[] {
  const all: Diagnostic[] = [];
  for (const chunk of chunks) {
    const verdict = chunk.entry?.verdict;
    if (!verdict || (verdict.findings.length === 0 && verdict.notices.length === 0)) continue;
    let placed = placedDiagnostics.get(chunk);
    if (!placed || placed.startLine !== chunk.startLine || placed.verdict !== verdict) {
      let relative = relativeDiagnostics.get(verdict);
      if (!relative) {
        const lineStarts = chunkLineStarts(chunk);
        relative = verdictDiagnostics(verdict, (offset) => positionOf(lineStarts, offset));
        relativeDiagnostics.set(verdict, relative);
      }
      const shift = chunk.startLine;
      const list = shift === 0 ? relative : relative.map((diagnostic) => ({ ...diagnostic, range: shiftRange(diagnostic.range, shift) }));
      placed = { startLine: chunk.startLine, verdict, list };
      placedDiagnostics.set(chunk, placed);
    }
    for (const diagnostic of placed.list) all.push(diagnostic);
  }
  return all;
}

function shiftRange(range: Diagnostic['range'], lines: number): Diagnostic['range'] {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

/**
 * Whether two lists hold the same diagnostics in the same order. Documents an edit did not touch keep their
 * diagnostic objects, so most pairs are the same object; the others (the edited document's) are compared field by
 * field, and the first difference ends the comparison.
 */
export function sameDiagnostics(before: readonly Diagnostic[], after: readonly Diagnostic[]): boolean {
  return before.length === after.length && before.every((diagnostic, index) => diagnostic === after[index] || sameDiagnostic(diagnostic, after[index]));
}

/** The fields the server's diagnostics carry. */
function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.message === b.message &&
    a.severity === b.severity &&
    a.code === b.code &&
    a.source === b.source &&
    a.codeDescription?.href === b.codeDescription?.href &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}
