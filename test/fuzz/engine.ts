/**
 * The engine as the fuzz tests drive it: analyse a text under a policy, list what was found with absolute offsets,
 * and check the invariants every analysis and every offered code action must keep, whatever the input.
 * Checks return descriptions of what went wrong (empty when all is well), so a property can print them.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { loadCatalog, resolvePolicy } from '../../server/src/engine/catalog';
import { fixAll, quickFixes, type CodeActionContext } from '../../server/src/engine/codeActions';
import type { EvaluationOptions } from '../../server/src/engine/evaluate';
import type { ResolvedPolicy } from '../../server/src/engine/types';
import { FileAnalyzer, type AnalyzedDocument } from '../../server/src/model/cache';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/settings';

export const FUZZ_URI = 'file:///fuzz/manifest.yaml';

/** A policy and evaluation options to analyse under. */
export interface Profile {
  name: string;
  policy: ResolvedPolicy;
  options: EvaluationOptions;
}

const catalog = loadCatalog();

function profile(name: string, overrides: Partial<Settings>): Profile {
  const settings: Settings = { ...DEFAULT_SETTINGS, ...overrides };
  return { name, policy: resolvePolicy(catalog, settings), options: { defaultNamespace: settings.defaultNamespace, allowSuppressions: settings.allowSuppressions } };
}

export const PROFILES = {
  baselineAudit: profile('baseline, audit', {}),
  restrictedDeny: profile('restricted, deny', { initiative: 'restricted', effect: 'deny' }),
  /** Suppression comments are reported instead of honoured. */
  restrictedNoSuppressions: profile('restricted, audit, suppressions off', { initiative: 'restricted', allowSuppressions: false }),
} as const;

export const ALL_PROFILES: readonly Profile[] = Object.values(PROFILES);

export interface Analysis {
  text: string;
  profile: Profile;
  documents: AnalyzedDocument[];
}

export function analyze(text: string, under: Profile, analyzer: FileAnalyzer = new FileAnalyzer()): Analysis {
  return { text, profile: under, documents: analyzer.analyze(text, under.policy, under.options) };
}

/** A finding or notice with offsets in the whole text. */
export interface Placed {
  kind: 'finding' | 'notice';
  /** The template of a finding, the severity of a notice. */
  label: string;
  message: string;
  start: number;
  end: number;
}

export function placed(analysis: Analysis): Placed[] {
  return analysis.documents.flatMap(({ start, verdict }) => [
    ...verdict.findings.map((finding): Placed => ({ kind: 'finding', label: finding.template, message: finding.message, start: start + finding.start, end: start + finding.end })),
    ...verdict.notices.map((notice): Placed => ({ kind: 'notice', label: notice.severity, message: notice.message, start: start + notice.start, end: start + notice.end })),
  ]);
}

export function findingCount(analysis: Analysis, template?: string): number {
  return analysis.documents.reduce((sum, document) => sum + document.verdict.findings.filter((finding) => template === undefined || finding.template === template).length, 0);
}

export function templatesFound(analysis: Analysis): string[] {
  return [...new Set(analysis.documents.flatMap((document) => document.verdict.findings.map((finding) => finding.template)))].sort();
}

/** The parse status of each document, in order: a fix must leave every one of them as it was. */
export function statuses(analysis: Analysis): string[] {
  return analysis.documents.map((document) => document.parsed.status);
}

/** Offsets inside their document, documents in order and covering the text. */
export function invariantProblems(analysis: Analysis): string[] {
  const problems: string[] = [];
  let expectedStart = 0;
  for (const [index, document] of analysis.documents.entries()) {
    const length = document.parsed.text.length;
    if (document.start !== expectedStart) problems.push(`document ${index} starts at ${document.start}, expected ${expectedStart}`);
    if (analysis.text.slice(document.start, document.start + length) !== document.parsed.text) problems.push(`document ${index}'s text is not the file's text at its offset`);
    expectedStart = document.start + length;
    for (const item of [...document.verdict.findings, ...document.verdict.notices]) {
      if (!(item.start >= 0 && item.start <= item.end && item.end <= length)) problems.push(`document ${index}: [${item.start}, ${item.end}) outside [0, ${length}]: ${item.message}`);
    }
    for (const finding of document.verdict.findings) {
      if (finding.lineStart > finding.start || (finding.lineStart > 0 && !/[\n\r]/.test(document.parsed.text[finding.lineStart - 1] ?? ''))) {
        problems.push(`document ${index}: ${finding.template} has lineStart ${finding.lineStart}, not the start of the line of ${finding.start}`);
      }
    }
  }
  if (expectedStart !== analysis.text.length) problems.push(`documents cover ${expectedStart} of ${analysis.text.length} characters`);
  return problems;
}

function contextFor(analysis: Analysis, textDocument: TextDocument): CodeActionContext {
  return {
    uri: FUZZ_URI,
    documents: analysis.documents,
    policy: analysis.profile.policy,
    options: analysis.profile.options,
    positionAt: (offset) => textDocument.positionAt(offset),
  };
}

function editsOf(action: CodeAction): TextEdit[] {
  return action.edit?.changes?.[FUZZ_URI] ?? [];
}

/** Applies a code action's edits as the editor does; throws on overlapping edits. */
export function applyAction(text: string, action: CodeAction): string {
  return TextDocument.applyEdits(TextDocument.create(FUZZ_URI, 'yaml', 1, text), editsOf(action));
}

/** A line feed not preceded by a carriage return. */
export function hasBareLineFeed(text: string): boolean {
  return /(^|[^\r])\n/.test(text);
}

/** The line endings a fix must keep: CRLF-only texts stay CRLF-only, LF-only texts get no CRLF. */
function lineEndingProblem(before: string, after: string): string | undefined {
  if (before.includes('\r\n') && !hasBareLineFeed(before) && hasBareLineFeed(after)) return 'a CRLF file got a bare LF';
  if (!before.includes('\r\n') && after.includes('\r\n')) return 'an LF file got a CRLF';
  if (before.startsWith('\uFEFF') && !after.startsWith('\uFEFF')) return 'the byte order mark was lost';
  return undefined;
}

const SUPPRESSION_LINE = /^[ \t]*# aks-policy-ignore (\S+) -- (\r\n|\n)$/;

/** Findings examined per case; a mutated file can have hundreds, and each fix re-evaluates its document. */
const MAX_FINDINGS_EXAMINED = 12;

/**
 * Every quick fix offered for every finding: the result applies, every document parses as before, and the
 * finding count of the fix's template drops. A suppression inserts one comment line with the file's line ending,
 * and once its reason is written, the finding count drops (when suppressions are honoured).
 */
export function quickFixProblems(analysis: Analysis): string[] {
  const problems: string[] = [];
  const textDocument = TextDocument.create(FUZZ_URI, 'yaml', 1, analysis.text);
  const context = contextFor(analysis, textDocument);
  const findings = analysis.documents.flatMap((document) => document.verdict.findings.map((finding) => ({ finding, base: document.start })));
  const diagnostics: Diagnostic[] = findings.map(({ finding, base }) => ({
    range: { start: textDocument.positionAt(base + finding.start), end: textDocument.positionAt(base + finding.end) },
    code: finding.template,
    message: finding.message,
  }));
  const statusesBefore = statuses(analysis).join(',');
  for (const { finding, base } of findings.slice(0, MAX_FINDINGS_EXAMINED)) {
    const actions = quickFixes(context, base + finding.start, base + finding.end, diagnostics);
    for (const action of actions) {
      const template = action.diagnostics?.[0]?.code;
      const where = `"${action.title}" for ${finding.template} at ${base + finding.start}`;
      if (typeof template !== 'string') {
        problems.push(`${where} is not tied to its diagnostic`);
        continue;
      }
      let fixed: string;
      try {
        fixed = applyAction(analysis.text, action);
      } catch (error) {
        problems.push(`${where} does not apply: ${String(error)}`);
        continue;
      }
      const lineEnding = lineEndingProblem(analysis.text, fixed);
      if (lineEnding) problems.push(`${where}: ${lineEnding}`);
      const before = findingCount(analysis, template);
      if (action.title.startsWith('Suppress ')) {
        problems.push(...suppressionProblems(analysis, action, where, template, before, statusesBefore));
        continue;
      }
      const after = analyze(fixed, analysis.profile);
      if (statuses(after).join(',') !== statusesBefore) problems.push(`${where} changed the documents' parse from [${statusesBefore}] to [${statuses(after).join(',')}]`);
      else if (findingCount(after, template) >= before) problems.push(`${where} leaves ${findingCount(after, template)} ${template} findings (${before} before)`);
    }
  }
  return problems;
}

function suppressionProblems(analysis: Analysis, action: CodeAction, where: string, template: string, before: number, statusesBefore: string): string[] {
  const edits = editsOf(action);
  const inserted = edits.length === 1 && edits[0].range.start.line === edits[0].range.end.line && edits[0].range.start.character === edits[0].range.end.character ? SUPPRESSION_LINE.exec(edits[0].newText) : null;
  if (!inserted) return [`${where} is not one inserted comment line: ${JSON.stringify(edits)}`];
  if (inserted[1] !== template) return [`${where} names ${inserted[1]}, not ${template}`];
  const withReason: CodeAction = { ...action, edit: { changes: { [FUZZ_URI]: [{ ...edits[0], newText: edits[0].newText.replace(/-- (\r?\n)$/, '-- the fuzz test says so$1') }] } } };
  const after = analyze(applyAction(analysis.text, withReason), analysis.profile);
  if (statuses(after).join(',') !== statusesBefore) return [`${where} changed the documents' parse from [${statusesBefore}] to [${statuses(after).join(',')}]`];
  if (analysis.profile.options.allowSuppressions && findingCount(after, template) >= before) return [`${where}, with a reason, leaves ${findingCount(after, template)} ${template} findings (${before} before)`];
  return [];
}

/** The Fix All action the server would offer for the analysed text, if any. */
export function fixAllAction(analysis: Analysis): CodeAction | undefined {
  return fixAll(contextFor(analysis, TextDocument.create(FUZZ_URI, 'yaml', 1, analysis.text)));
}

/** Fix All: applies, every document parses as before, no template gains findings, and the total drops. */
export function fixAllProblems(analysis: Analysis): string[] {
  const action = fixAllAction(analysis);
  if (!action) return [];
  let fixed: string;
  try {
    fixed = applyAction(analysis.text, action);
  } catch (error) {
    return [`fix all does not apply: ${String(error)}`];
  }
  const problems: string[] = [];
  const lineEnding = lineEndingProblem(analysis.text, fixed);
  if (lineEnding) problems.push(`fix all: ${lineEnding}`);
  const after = analyze(fixed, analysis.profile);
  if (statuses(after).join(',') !== statuses(analysis).join(',')) {
    problems.push(`fix all changed the documents' parse from [${statuses(analysis).join(',')}] to [${statuses(after).join(',')}]`);
    return problems;
  }
  if (findingCount(after) >= findingCount(analysis)) problems.push(`fix all leaves ${findingCount(after)} findings (${findingCount(analysis)} before)`);
  for (const template of templatesFound(after)) {
    if (findingCount(after, template) > findingCount(analysis, template)) problems.push(`fix all raised ${template} from ${findingCount(analysis, template)} to ${findingCount(after, template)}`);
  }
  return problems;
}

/** Findings with LSP positions, for comparing two spellings of one manifest (CRLF, BOM). */
export function positionedFindings(analysis: Analysis): { template: string; message: string; line: number; character: number }[] {
  const textDocument = TextDocument.create(FUZZ_URI, 'yaml', 1, analysis.text);
  return placed(analysis)
    .filter((item) => item.kind === 'finding')
    .map((item) => ({ template: item.label, message: item.message, ...textDocument.positionAt(item.start) }));
}
