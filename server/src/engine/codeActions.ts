import { CodeActionKind, type CodeAction, type Diagnostic, type Position, type TextEdit } from 'vscode-languageserver-types';
import { applyEdits, editsConflict, editsFor, type OffsetEdit } from '../fixes/edits';
import type { AnalyzedDocument } from '../model/cache';
import { parseYamlDocument } from '../model/parse';
import { FixAllKind } from '../protocol';
import { evaluateDocument, type DocumentFix, type EvaluationOptions, type Finding } from './evaluate';
import type { ResolvedPolicy } from './types';

export interface CodeActionContext {
  uri: string;
  documents: readonly AnalyzedDocument[];
  policy: ResolvedPolicy;
  options: EvaluationOptions;
  positionAt(offset: number): Position;
}

/** A fix made concrete: absolute text edits that were checked to parse and to remove the finding. */
interface ResolvedFix {
  finding: Finding;
  fix: DocumentFix;
  edits: OffsetEdit[];
}

/** Quick fixes and suppressions for the findings that touch `[start, end]`, each tied to its diagnostic. */
export function quickFixes(context: CodeActionContext, start: number, end: number, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressionsOffered = new Set<string>();
  for (const document of context.documents) {
    for (const finding of document.verdict.findings) {
      const from = document.start + finding.start;
      const to = document.start + finding.end;
      if (to < start || from > end) continue;
      const diagnostic = diagnostics.find((d) => d.code === finding.template && d.message === finding.message);
      for (const fix of finding.fixes) {
        const resolved = resolveFix(context, document, finding, fix);
        if (!resolved) continue;
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.preferred,
          diagnostics: diagnostic ? [diagnostic] : undefined,
          edit: { changes: { [context.uri]: toTextEdits(context, resolved.edits) } },
        });
      }
      // One suppression per template and line, however many of its findings share the line.
      const key = `${finding.template}\u0000${document.start + finding.lineStart}`;
      const suppress = suppressionsOffered.has(key) ? undefined : suppressAction(context, document, finding, diagnostic);
      if (suppress) actions.push(suppress);
      suppressionsOffered.add(key);
    }
  }
  return actions;
}

/** Every preferred fix of the file that does not overlap one taken before it, as one action. */
export function fixAll(context: CodeActionContext): CodeAction | undefined {
  const taken: OffsetEdit[] = [];
  for (const document of context.documents) {
    for (const finding of document.verdict.findings) {
      const fix = finding.fixes.find((candidate) => candidate.preferred);
      if (!fix) continue;
      const resolved = resolveFix(context, document, finding, fix);
      if (!resolved || resolved.edits.some((edit) => taken.some((other) => editsConflict(edit, other)))) continue;
      taken.push(...resolved.edits);
    }
  }
  if (taken.length === 0) return undefined;
  return { title: 'Fix all AKS Policy violations in this file', kind: FixAllKind, edit: { changes: { [context.uri]: toTextEdits(context, taken) } } };
}

function resolveFix(context: CodeActionContext, document: AnalyzedDocument, finding: Finding, fix: DocumentFix): ResolvedFix | undefined {
  const { parsed } = document;
  if (!parsed.doc) return undefined;
  const edits = editsFor(parsed.doc, parsed.text, fix.operations);
  if (!edits || edits.length === 0) return undefined;
  // A fix is offered only when the result parses and has fewer findings of that template.
  const fixed = parseYamlDocument(applyEdits(parsed.text, edits));
  if (fixed.status !== 'ok') return undefined;
  const before = document.verdict.findings.filter((f) => f.template === finding.template).length;
  const after = evaluateDocument(fixed, context.policy, context.options).findings.filter((f) => f.template === finding.template).length;
  if (after >= before) return undefined;
  return { finding, fix, edits: edits.map((edit) => ({ ...edit, start: edit.start + document.start, end: edit.end + document.start })) };
}

/** Undefined when the culprit sits on the `---` line: a comment above it would belong to the previous document. */
function suppressAction(context: CodeActionContext, document: AnalyzedDocument, finding: Finding, diagnostic: Diagnostic | undefined): CodeAction | undefined {
  const text = document.parsed.text;
  // The comment goes after a byte order mark, which must stay the file's first character.
  const lineStart = finding.lineStart + (text.charCodeAt(finding.lineStart) === 0xfeff ? 1 : 0);
  if (/^---(?:[ \t]|$)/m.test(text.slice(lineStart, lineStart + 4))) return undefined;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = document.start + lineStart;
  return {
    title: `Suppress ${finding.template} here (then write the reason after "--")`,
    kind: CodeActionKind.QuickFix,
    diagnostics: diagnostic ? [diagnostic] : undefined,
    edit: { changes: { [context.uri]: toTextEdits(context, [{ start: at, end: at, newText: `${indent}# aks-policy-ignore ${finding.template} -- ${eol}` }]) } },
  };
}

function toTextEdits(context: CodeActionContext, edits: readonly OffsetEdit[]): TextEdit[] {
  return edits.map((edit) => ({ range: { start: context.positionAt(edit.start), end: context.positionAt(edit.end) }, newText: edit.newText }));
}
