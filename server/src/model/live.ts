import type { EvaluationOptions } from '../engine/evaluate';
import type { ResolvedPolicy } from '../engine/types';
import { InventoryCache, policyReadsInventory, verdictOf, type AnalyzedDocument, type DocumentEntry } from './cache';
import { parseYamlDocument } from './parse';
import { splitDocuments } from './split';

/** Offset of the last character that makes a `---` marker (the blank after the dashes): edits up to it can unmake one. */
const MARKER_LAST_OFFSET = 3;

/** One YAML document of an open file. `start` and `startLine` place it in the file. */
export interface LiveChunk {
  start: number;
  startLine: number;
  text: string;
  /** Undefined until the document is parsed: parsing is deferred to `evaluatePending`. */
  entry?: DocumentEntry;
}

/**
 * An open file kept as its YAML documents, updated per edit: an edit re-splits only the documents it
 * touches (found by binary search), the others keep their parse and verdict and are only shifted.
 * Parsing and judging are deferred to `evaluatePending`, which a caller can run in slices.
 */
export class LiveDocument {
  private text = '';
  private chunks: LiveChunk[] = [];
  private readonly inventory = new InventoryCache();

  constructor(text: string) {
    this.reset(text);
  }

  /** Starts over from a whole new text (open, or a full-text change). */
  reset(text: string): void {
    this.text = text;
    this.chunks = this.chunksOf(text, 0, 0, []);
  }

  /**
   * Applies one edit: `[start, end)` of the old text was replaced by `inserted`. `newText` is the whole
   * text after it (the editor's document already built it, so it is not copied again here).
   */
  applyEdit(newText: string, start: number, end: number, inserted: string): void {
    const old = this.text;
    // An edit on the first characters of a `---` marker may unmake it: the previous document is then affected too.
    const holder = this.indexAt(start);
    const first = holder > 0 && start <= this.chunks[holder].start + MARKER_LAST_OFFSET ? holder - 1 : holder;
    const last = this.indexAt(end);
    const regionStart = this.chunks[first].start;
    const oldRegionEnd = last + 1 < this.chunks.length ? this.chunks[last + 1].start : old.length;
    const delta = inserted.length - (end - start);
    const lineDelta = countLines(inserted) - countLines(old, start, end);
    const replaced = this.chunks.slice(first, last + 1);
    const region = newText.slice(regionStart, oldRegionEnd + delta);
    const fresh = this.chunksOf(region, regionStart, this.chunks[first].startLine, replaced);
    for (let i = last + 1; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      chunk.start += delta;
      chunk.startLine += lineDelta;
    }
    this.chunks.splice(first, last - first + 1, ...fresh);
    this.text = newText;
  }

  /**
   * Parses and judges documents that need it until done or until `shouldYield()` says to pause.
   * Returns true when every document has its verdict under `policy` and `options`. When a template reads the
   * other documents (the inventory), every document is parsed first and the inventory follows each edit.
   */
  evaluatePending(policy: ResolvedPolicy, options: EvaluationOptions, shouldYield: () => boolean): boolean {
    const readsInventory = policyReadsInventory(policy);
    for (const chunk of this.chunks) {
      if (chunk.entry) continue;
      chunk.entry = { parsed: parseYamlDocument(chunk.text) };
      if (shouldYield()) return false;
    }
    const inventory = readsInventory ? this.inventory.of(this.chunks.map((chunk) => chunk.entry!.parsed), options.defaultNamespace) : undefined;
    for (const chunk of this.chunks) {
      const entry = chunk.entry!;
      const before = entry.verdict;
      verdictOf(entry, policy, options, inventory);
      if (entry.verdict !== before && shouldYield()) return false;
    }
    return true;
  }

  /** The documents with their verdicts; call after `evaluatePending` returned true. */
  documents(): AnalyzedDocument[] {
    return this.chunks.flatMap((chunk) => (chunk.entry?.verdict ? [{ start: chunk.start, parsed: chunk.entry.parsed, verdict: chunk.entry.verdict }] : []));
  }

  /** The documents with where they start, for building diagnostics. */
  liveChunks(): readonly LiveChunk[] {
    return this.chunks;
  }

  /** Index of the chunk that holds `offset` (the last one starting at or before it). */
  private indexAt(offset: number): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.chunks[mid].start <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Splits `text` (which starts at `base`, line `baseLine`) into chunks, reusing the entries of `previous` with the same text. */
  private chunksOf(text: string, base: number, baseLine: number, previous: readonly LiveChunk[]): LiveChunk[] {
    const reusable = new Map(previous.filter((chunk) => chunk.entry).map((chunk) => [chunk.text, chunk.entry]));
    let line = baseLine;
    return splitDocuments(text).map((piece) => {
      const chunk: LiveChunk = { start: base + piece.start, startLine: line, text: piece.text };
      const entry = reusable.get(piece.text);
      if (entry) chunk.entry = entry;
      line += countLines(piece.text);
      return chunk;
    });
  }
}

/** Line breaks in `text.slice(start, end)`. */
function countLines(text: string, start = 0, end = text.length): number {
  let count = 0;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
