import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { JsonObject, JsonValue } from '../json';
import { resolveAlias } from './anchors';

/**
 * One YAML document parsed as the Kubernetes API server reads it: YAML 1.1 scalars
 * (`yes`/`on` are true, `0777` is octal), merge keys, anchors and aliases, then JSON.
 */
export type ParseStatus =
  /** Parsed; `value` holds the JSON the API server would see. */
  | 'ok'
  /** Only comments or whitespace. */
  | 'empty'
  /** A YAML syntax error: not judged until it parses. */
  | 'syntax-error'
  /** A Helm or other Go template (`{{ }}`): not Kubernetes YAML yet, so never judged. */
  | 'template'
  /** Too deep or too many alias expansions to be a real manifest: not judged. */
  | 'too-complex';

export interface ParsedDocument {
  readonly text: string;
  readonly status: ParseStatus;
  /** Why it is not judged, for syntax errors and too-complex documents. */
  readonly reason?: string;
  /** Offset of the problem (syntax error) within `text`. */
  readonly reasonOffset?: number;
  /** The syntax tree, for source ranges and fixes; parsed again from `text` if it was released (see `releaseSyntaxTree`). */
  readonly doc?: Document.Parsed;
  readonly value?: JsonValue;
}

const PARSE_OPTIONS = { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false } as const;
/** Released trees a fix or a hover asked for again are kept this many at a time, the oldest let go first. */
const MAX_REPARSED_TREES = 32;
/** The trees parsed again on demand, oldest first. */
const reparsed = new Set<ParsedTree>();

/**
 * A document parsed by the `yaml` package. Its syntax tree is most of its memory and is needed only to place
 * findings and compute fixes, so an open file lets it go once judged and it is parsed again (identically, from
 * the same text) on demand: the heap, and so each garbage collection, no longer grows with every document's tree.
 */
class ParsedTree implements ParsedDocument {
  readonly reason?: string;
  readonly reasonOffset?: number;
  readonly value?: JsonValue;
  private tree: Document.Parsed | undefined;

  constructor(
    readonly text: string,
    readonly status: ParseStatus,
    tree: Document.Parsed,
    details: { reason?: string; reasonOffset?: number; value?: JsonValue } = {},
  ) {
    this.tree = tree;
    if (details.reason !== undefined) this.reason = details.reason;
    if (details.reasonOffset !== undefined) this.reasonOffset = details.reasonOffset;
    if (details.value !== undefined) this.value = details.value;
  }

  get doc(): Document.Parsed {
    if (!this.tree) {
      this.tree = parseDocument(this.text, PARSE_OPTIONS);
      reparsed.add(this);
      // The oldest other tree goes; this one was added last, so it is never the one evicted.
      if (reparsed.size > MAX_REPARSED_TREES) reparsed.values().next().value?.release();
    }
    return this.tree;
  }

  release(): void {
    this.tree = undefined;
    reparsed.delete(this);
  }
}

/** Lets the syntax tree of a judged document go; `doc` parses it again when asked for. */
export function releaseSyntaxTree(parsed: ParsedDocument): void {
  if (parsed instanceof ParsedTree) parsed.release();
}

/** Alias expansion and nesting budgets: far above any real manifest, far below a "billion laughs". */
export const MAX_JSON_NODES = 200_000;
export const MAX_DEPTH = 256;

const TEMPLATE_DIRECTIVE = /^[^#\n]*\{\{/m;
/** A line with something besides blanks, a comment or a bare `---`/`...` marker: the document is not empty. */
const CONTENT_LINE = /^(?!(?:---|\.\.\.)[^\S\n]*$)[^\S\n]*[^\s#]/m;

class TooComplex extends Error {}

/** An alias whose anchor is not defined before it in the same document: go-yaml refuses the file. */
class UnknownAnchor extends Error {
  constructor(
    readonly anchor: string,
    readonly offset: number,
  ) {
    super(`unknown anchor "${anchor}" referenced`);
  }
}

export function parseYamlDocument(text: string): ParsedDocument {
  if (!CONTENT_LINE.test(text)) return { text, status: 'empty' };
  if (text.includes('{{') && TEMPLATE_DIRECTIVE.test(text)) return { text, status: 'template' };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, PARSE_OPTIONS);
  } catch (error) {
    // The parser recurses per nesting level; absurd nesting overflows the stack.
    return { text, status: 'too-complex', reason: `the YAML parser gave up (${(error as Error).message})` };
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    // The parser catches its own stack overflow on absurd nesting and reports it as an error.
    if (doc.errors.some((error) => error.message.includes('Maximum call stack size exceeded'))) {
      return { text, status: 'too-complex', reason: `it is nested too deep for the YAML parser` };
    }
    return new ParsedTree(text, 'syntax-error', doc, { reason: first.message.split('\n')[0], reasonOffset: first.pos[0] });
  }
  if (doc.contents === null) return new ParsedTree(text, 'empty', doc);
  try {
    const budget = { nodes: MAX_JSON_NODES };
    const value = toJson(doc.contents, doc, budget, 0);
    return new ParsedTree(text, 'ok', doc, { value });
  } catch (error) {
    if (error instanceof UnknownAnchor) return new ParsedTree(text, 'syntax-error', doc, { reason: error.message, reasonOffset: error.offset });
    if (error instanceof TooComplex || error instanceof RangeError) {
      return new ParsedTree(text, 'too-complex', doc, { reason: error.message });
    }
    throw error;
  }
}

/** JSON as sigs.k8s.io/yaml produces it from the YAML tree. */
function toJson(node: Node | null, doc: Document.Parsed, budget: { nodes: number }, depth: number): JsonValue {
  if (--budget.nodes < 0) throw new TooComplex(`expanding its aliases yields more than ${MAX_JSON_NODES} values`);
  if (depth > MAX_DEPTH) throw new TooComplex(`it is nested more than ${MAX_DEPTH} levels deep`);
  if (node === null) return null;
  if (isAlias(node)) {
    const target = resolveAlias(doc, node);
    if (target === undefined) throw new UnknownAnchor(node.source, node.range?.[0] ?? 0);
    return toJson(target, doc, budget, depth + 1);
  }
  if (isScalar(node)) return scalarToJson(node.value, node.source);
  if (isSeq(node)) return node.items.map((item) => toJson(item as Node | null, doc, budget, depth + 1));
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      if (isScalar(key) && typeof key.value === 'symbol') {
        mergeInto(out, pair.value as Node | null, doc, budget, depth);
        continue;
      }
      out[keyToString(key, doc, budget, depth)] = toJson(pair.value as Node | null, doc, budget, depth + 1);
    }
    return out;
  }
  return null;
}

/** `<<: *a` or `<<: [*a, *b]`: keys already present win, earlier sources win over later ones. */
function mergeInto(out: JsonObject, source: Node | null, doc: Document.Parsed, budget: { nodes: number }, depth: number): void {
  const sources = isSeq(source) ? (source.items as (Node | null)[]) : [source];
  for (const item of sources) {
    const merged = toJson(item, doc, budget, depth + 1);
    if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) continue;
    for (const [key, value] of Object.entries(merged)) {
      if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = value;
    }
  }
}

function keyToString(key: Node | null, doc: Document.Parsed, budget: { nodes: number }, depth: number): string {
  if (key === null) return 'null';
  const value = toJson(key, doc, budget, depth + 1);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function scalarToJson(value: unknown, source: string | undefined): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : (source ?? String(value));
  if (typeof value === 'bigint') return Number(value);
  // Timestamps and binary stay strings, as go-yaml gives them to an interface{}.
  return source ?? String(value);
}
