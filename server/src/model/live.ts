import type { EvaluationOptions } from '../engine/evaluate';
import type { ResolvedPolicy } from '../engine/types';
import { InventoryCache, optionsKeyOf, policyReadsInventory, verdictOf, type AnalyzedDocument, type DocumentEntry } from './cache';
import { lineOf, lineStartsOf } from './lines';
import { parseYamlDocument, releaseSyntaxTree } from './parse';
import { splitDocuments } from './split';

/** Offset of the last character that makes a `---` marker (the blank after the dashes): edits up to it can unmake one. */
const MARKER_LAST_OFFSET = 3;

/** A position as LSP counts it: 0-based line and UTF-16 character. */
export interface TextPosition {
  line: number;
  character: number;
}

/** One YAML document of an open file. `start` and `startLine` place it in the file; it always starts a line. */
export interface LiveChunk {
  start: number;
  startLine: number;
  text: string;
  /** Undefined until the document is parsed: parsing is deferred to `evaluatePending`. */
  entry?: DocumentEntry;
  /** Where its lines start, relative to `start`; computed when first asked for (a position, its diagnostics). */
  lineStarts?: number[];
}

/**
 * An open file kept as its YAML documents, and nothing else: the whole text is never held or copied per edit.
 * An edit re-splits only the documents it touches (found by binary search), the others keep their parse and
 * verdict and are only shifted. Positions and offsets are mapped through the documents' own line starts.
 * Parsing and judging are deferred to `evaluatePending`, which a caller can run in slices.
 */
export class LiveDocument {
  private chunks: LiveChunk[] = [];
  private textLength = 0;
  /** Documents that have no verdict yet under what the file was last judged with. */
  private unjudged = new Set<LiveChunk>();
  private judgedWith?: { policy: ResolvedPolicy; optionsKey: string };
  private readonly inventory = new InventoryCache();

  constructor(text: string) {
    this.reset(text);
  }

  /** Starts over from a whole new text (open, or a full-text change). */
  reset(text: string): void {
    this.chunks = this.chunksOf(text, 0, 0, []);
    this.textLength = text.length;
    this.unjudged = new Set(this.chunks);
  }

  /** Length of the whole text, in UTF-16 code units. */
  get length(): number {
    return this.textLength;
  }

  /** The whole text; built on demand (fix-all, tests), never per keystroke. */
  getText(): string {
    return this.chunks.map((chunk) => chunk.text).join('');
  }

  /** Applies an editor change: a range of the current text replaced by `text`, or, without a range, a whole new text. */
  applyChange(change: { range?: { start: TextPosition; end: TextPosition }; text: string }): void {
    if (!change.range) this.reset(change.text);
    else this.applyEdit(this.offsetAt(change.range.start), this.offsetAt(change.range.end), change.text);
  }

  /** Applies one edit: `[start, end)` of the current text is replaced by `inserted`. */
  applyEdit(start: number, end: number, inserted: string): void {
    // An edit on the first characters of a `---` marker may unmake it: the previous document is then affected too.
    const holder = this.indexAt(start);
    const first = holder > 0 && start <= this.chunks[holder].start + MARKER_LAST_OFFSET ? holder - 1 : holder;
    const last = this.indexAt(end);
    const replaced = this.chunks.slice(first, last + 1);
    const regionStart = replaced[0].start;
    const oldRegion = replaced.map((chunk) => chunk.text).join('');
    const region = oldRegion.slice(0, start - regionStart) + inserted + oldRegion.slice(end - regionStart);
    const fresh = this.chunksOf(region, regionStart, replaced[0].startLine, replaced);
    const delta = region.length - oldRegion.length;
    const lineDelta = countLines(region) - countLines(oldRegion);
    for (let i = last + 1; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      chunk.start += delta;
      chunk.startLine += lineDelta;
    }
    for (const chunk of replaced) this.unjudged.delete(chunk);
    for (const chunk of fresh) this.unjudged.add(chunk);
    this.chunks.splice(first, last - first + 1, ...fresh);
    this.textLength += delta;
  }

  /** The offset of an editor position; like the editor, a character past the line's end means the line's end. */
  offsetAt(position: TextPosition): number {
    if (position.line < 0) return 0;
    const chunk = this.chunks[this.indexAtLine(position.line)];
    const lineStarts = chunkLineStarts(chunk);
    const line = position.line - chunk.startLine;
    if (line >= lineStarts.length) return chunk.start + chunk.text.length;
    const lineStart = lineStarts[line];
    let lineEnd = line + 1 < lineStarts.length ? lineStarts[line + 1] : chunk.text.length;
    while (lineEnd > lineStart && (chunk.text[lineEnd - 1] === '\n' || chunk.text[lineEnd - 1] === '\r')) lineEnd--;
    return chunk.start + Math.min(lineStart + Math.max(0, position.character), lineEnd);
  }

  /** The editor position of an offset of the current text. */
  positionAt(offset: number): TextPosition {
    const clamped = Math.max(0, Math.min(offset, this.textLength));
    const chunk = this.chunks[this.indexAt(clamped)];
    const lineStarts = chunkLineStarts(chunk);
    const relative = clamped - chunk.start;
    const line = lineOf(lineStarts, relative);
    // Inside a CRLF pair is the end of the line, as the editor has it.
    let inLine = relative;
    while (inLine > lineStarts[line] && (chunk.text[inLine - 1] === '\r' || chunk.text[inLine - 1] === '\n')) inLine--;
    return { line: chunk.startLine + line, character: inLine - lineStarts[line] };
  }

  /**
   * Parses and judges documents that need it until done or until `shouldYield()` says to pause.
   * Returns true when every document has its verdict under `policy` and `options`. Only the documents edits
   * left unjudged are visited, unless the policy or options changed. When a template reads the other documents
   * (the inventory), every document is parsed first and the inventory follows each edit.
   */
  evaluatePending(policy: ResolvedPolicy, options: EvaluationOptions, shouldYield: () => boolean): boolean {
    const optionsKey = optionsKeyOf(options);
    if (this.judgedWith?.policy !== policy || this.judgedWith.optionsKey !== optionsKey) {
      this.judgedWith = { policy, optionsKey };
      this.unjudged = new Set(this.chunks);
    }
    if (policyReadsInventory(policy)) {
      // Every document's object is in the inventory: all are parsed first, then every verdict is checked against it.
      for (const chunk of this.unjudged) {
        if (chunk.entry) continue;
        chunk.entry = { parsed: parseYamlDocument(chunk.text) };
        if (shouldYield()) return false;
      }
      const inventory = this.inventory.of(this.chunks.map((chunk) => chunk.entry!.parsed), options.defaultNamespace);
      for (const chunk of this.chunks) {
        const entry = chunk.entry!;
        const before = entry.verdict;
        verdictOf(entry, policy, options, inventory);
        releaseSyntaxTree(entry.parsed);
        if (entry.verdict !== before && shouldYield()) return false;
      }
    } else {
      for (const chunk of this.unjudged) {
        chunk.entry ??= { parsed: parseYamlDocument(chunk.text) };
        verdictOf(chunk.entry, policy, options);
        // The verdict holds offsets only: the tree goes at once (fixes and hovers parse it again), so a file's trees never all live together.
        releaseSyntaxTree(chunk.entry.parsed);
        this.unjudged.delete(chunk);
        if (shouldYield()) return false;
      }
    }
    this.unjudged.clear();
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
    return lastIndexWhere(this.chunks, (chunk) => chunk.start <= offset);
  }

  /** Index of the chunk that holds `line` (the last one starting at or before it). */
  private indexAtLine(line: number): number {
    return lastIndexWhere(this.chunks, (chunk) => chunk.startLine <= line);
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

/** The last index of the (non-empty, ordered) `chunks` whose chunk satisfies `atOrBefore`; 0 when none does. */
function lastIndexWhere(chunks: readonly LiveChunk[], atOrBefore: (chunk: LiveChunk) => boolean): number {
  let low = 0;
  let high = chunks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (atOrBefore(chunks[mid])) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Where the chunk's lines start, relative to it; computed once per chunk text. */
export function chunkLineStarts(chunk: LiveChunk): number[] {
  chunk.lineStarts ??= lineStartsOf(chunk.text);
  return chunk.lineStarts;
}

/** Line breaks in `text`. */
function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
