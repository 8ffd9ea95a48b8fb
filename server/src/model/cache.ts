import { evaluateDocument, type DocumentVerdict, type EvaluationOptions } from '../engine/evaluate';
import type { ResolvedPolicy } from '../engine/types';
import { parseYamlDocument, type ParsedDocument } from './parse';
import { splitDocuments } from './split';

/** One document of a file with its verdict; offsets in the verdict are relative to `start`. */
export interface AnalyzedDocument {
  start: number;
  parsed: ParsedDocument;
  verdict: DocumentVerdict;
}

/** A document's parse, and its verdict with what it was judged under. */
export interface DocumentEntry {
  parsed: ParsedDocument;
  verdict?: DocumentVerdict;
  policy?: ResolvedPolicy;
  optionsKey?: string;
}

/** The entry's verdict under `policy` and `options`, judged again only when either changed. */
export function verdictOf(entry: DocumentEntry, policy: ResolvedPolicy, options: EvaluationOptions): DocumentVerdict {
  const optionsKey = `${options.defaultNamespace}\u0000${options.allowSuppressions}`;
  if (!entry.verdict || entry.policy !== policy || entry.optionsKey !== optionsKey) {
    entry.verdict = safelyEvaluate(entry.parsed, policy, options);
    entry.policy = policy;
    entry.optionsKey = optionsKey;
  }
  return entry.verdict;
}

/**
 * Keeps each YAML document's parse and verdict keyed by its text, so an edit re-parses and
 * re-judges only the documents it changed. Entries of documents that are gone are dropped.
 */
export class FileAnalyzer {
  private entries = new Map<string, DocumentEntry>();

  analyze(text: string, policy: ResolvedPolicy, options: EvaluationOptions): AnalyzedDocument[] {
    const next = new Map<string, DocumentEntry>();
    const analyzed = splitDocuments(text).map((chunk) => {
      const entry = next.get(chunk.text) ?? this.entries.get(chunk.text) ?? { parsed: parseYamlDocument(chunk.text) };
      next.set(chunk.text, entry);
      return { start: chunk.start, parsed: entry.parsed, verdict: verdictOf(entry, policy, options) };
    });
    this.entries = next;
    return analyzed;
  }
}

/** A bug in one template must not cost the user the verdicts of the rest of the file. */
function safelyEvaluate(parsed: ParsedDocument, policy: ResolvedPolicy, options: EvaluationOptions): DocumentVerdict {
  try {
    return evaluateDocument(parsed, policy, options);
  } catch (error) {
    const message = `AKS Policy could not check this document (${error instanceof Error ? error.message : String(error)}); please report it.`;
    return { findings: [], notices: [{ severity: 'information', message, start: 0, end: 0 }] };
  }
}
