import { buildInventory, evaluateDocument, NO_INVENTORY, type DocumentVerdict, type EvaluationOptions, type Inventory } from '../engine/evaluate';
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

/**
 * The entry's verdict under `policy` and `options`, judged again only when either changed, or when the verdict
 * read the other documents (`verdict.inventory`) and `inventory` is no longer the one it read.
 */
export function verdictOf(entry: DocumentEntry, policy: ResolvedPolicy, options: EvaluationOptions, inventory: Inventory = NO_INVENTORY): DocumentVerdict {
  const optionsKey = optionsKeyOf(options);
  const inventoryChanged = entry.verdict?.inventory !== undefined && entry.verdict.inventory !== inventory;
  if (!entry.verdict || entry.policy !== policy || entry.optionsKey !== optionsKey || inventoryChanged) {
    entry.verdict = safelyEvaluate(entry.parsed, policy, options, inventory);
    entry.policy = policy;
    entry.optionsKey = optionsKey;
  }
  return entry.verdict;
}

/** What a verdict depends on besides the policy, as one comparable key. */
export function optionsKeyOf(options: EvaluationOptions): string {
  return `${options.defaultNamespace}\u0000${options.allowSuppressions}`;
}

/**
 * Keeps each YAML document's parse and verdict keyed by its text, so an edit re-parses and
 * re-judges only the documents it changed. Entries of documents that are gone are dropped.
 */
export class FileAnalyzer {
  private entries = new Map<string, DocumentEntry>();
  private readonly inventory = new InventoryCache();

  analyze(text: string, policy: ResolvedPolicy, options: EvaluationOptions): AnalyzedDocument[] {
    const next = new Map<string, DocumentEntry>();
    const chunks = splitDocuments(text).map((chunk) => {
      const entry = next.get(chunk.text) ?? this.entries.get(chunk.text) ?? { parsed: parseYamlDocument(chunk.text) };
      next.set(chunk.text, entry);
      return { start: chunk.start, entry };
    });
    this.entries = next;
    const inventory = policyReadsInventory(policy) ? this.inventory.of(chunks.map(({ entry }) => entry.parsed), options.defaultNamespace) : undefined;
    return chunks.map(({ start, entry }) => ({ start, parsed: entry.parsed, verdict: verdictOf(entry, policy, options, inventory) }));
  }
}

/** A file's inventory and what it was built from: kept while no document changed, so verdicts that read it stay valid. */
export class InventoryCache {
  private last?: { documents: readonly ParsedDocument[]; defaultNamespace: string; value: Inventory };

  of(documents: readonly ParsedDocument[], defaultNamespace: string): Inventory {
    const last = this.last;
    const unchanged =
      last !== undefined &&
      last.defaultNamespace === defaultNamespace &&
      last.documents.length === documents.length &&
      last.documents.every((document, index) => document === documents[index]);
    if (unchanged) return last.value;
    const value = buildInventory(documents, defaultNamespace);
    this.last = { documents, defaultNamespace, value };
    return value;
  }
}

/**
 * Files applied together, as the CLI checks them: every document is judged with the objects of all the
 * files as its inventory, in the order given. Returns the documents of each file, in the order of `texts`.
 */
export function analyzeFiles(texts: readonly string[], policy: ResolvedPolicy, options: EvaluationOptions): AnalyzedDocument[][] {
  const files = texts.map((text) => splitDocuments(text).map((chunk) => ({ start: chunk.start, entry: { parsed: parseYamlDocument(chunk.text) } })));
  const documents = files.flatMap((chunks) => chunks.map(({ entry }) => entry.parsed));
  const inventory = policyReadsInventory(policy) ? buildInventory(documents, options.defaultNamespace) : undefined;
  return files.map((chunks) => chunks.map(({ start, entry }) => ({ start, parsed: entry.parsed, verdict: verdictOf(entry, policy, options, inventory) })));
}

/** Building the inventory costs a pass over every document; only templates that read it need it. */
export function policyReadsInventory(policy: ResolvedPolicy): boolean {
  return policy.constraints.some((constraint) => constraint.effect !== 'disabled' && constraint.template.usesInventory === true);
}

/** A bug in one template must not cost the user the verdicts of the rest of the file. */
function safelyEvaluate(parsed: ParsedDocument, policy: ResolvedPolicy, options: EvaluationOptions, inventory: Inventory): DocumentVerdict {
  try {
    return evaluateDocument(parsed, policy, options, inventory);
  } catch (error) {
    const message = `AKS Policy could not check this document (${error instanceof Error ? error.message : String(error)}); please report it.`;
    return { findings: [], notices: [{ severity: 'information', message, start: 0, end: 0 }] };
  }
}
