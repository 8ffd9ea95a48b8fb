import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { JsonValue, Path } from '../json';
import type { FixOperation } from '../templates/types';
import { locate, locateDeepest } from '../model/locate';

/** A replacement of `[start, end)` in one document's text. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Turns fix operations (on document paths) into minimal text edits computed from the YAML tree:
 * only the touched lines change; comments, indentation, key order, flow style and line endings stay.
 * Undefined when no safe edit exists (e.g. the value is shared through an alias).
 */
export function editsFor(doc: Document.Parsed, text: string, operations: readonly FixOperation[]): OffsetEdit[] | undefined {
  const editor = new DocumentEditor(doc, text);
  const edits: OffsetEdit[] = [];
  for (const operation of operations) {
    const produced = operation.op === 'remove' ? editor.remove(operation.path) : editor.set(operation.path, operation.value);
    if (!produced) return undefined;
    edits.push(...produced);
  }
  return withoutOverlaps(edits);
}

function withoutOverlaps(edits: OffsetEdit[]): OffsetEdit[] | undefined {
  for (let i = 0; i < edits.length; i++) {
    for (let j = i + 1; j < edits.length; j++) if (editsConflict(edits[i], edits[j])) return undefined;
  }
  return [...edits].sort((a, b) => a.start - b.start);
}

/**
 * Two edits conflict when their spans intersect; an insertion also conflicts with a replacement it
 * touches (inserting where a deleted block ends would land in the wrong place).
 */
export function editsConflict(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end || b.start === b.end) return a.start <= b.end && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  let out = '';
  let cursor = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

const INDENT_STEP = '  ';

class DocumentEditor {
  private readonly eol: string;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
  ) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  remove(path: Path): OffsetEdit[] | undefined {
    const located = locate(this.doc, path);
    if (!located || located.alias || !located.parent) return undefined;
    const parent = located.parent as YAMLMap | YAMLSeq;
    const siblings = parent.items.length;
    // Removing the last entry of a block collection removes the key that holds it, not to leave `key:` (null).
    if (siblings === 1 && !parent.flow && path.length > 1 && typeof path[path.length - 2] === 'string') {
      return this.remove(path.slice(0, -1));
    }
    if (isMap(parent) && located.pair) return this.removeEntry(parent, located.pair, spanOfPair(located.pair));
    if (isSeq(parent) && located.node) return this.removeEntry(parent, located.node, spanOf(located.node));
    return undefined;
  }

  private removeEntry(parent: YAMLMap | YAMLSeq, entry: unknown, [start, end]: [number, number]): OffsetEdit[] | undefined {
    const text = this.text;
    if (parent.flow) {
      let after = end;
      while (after < text.length && /[ \t\r\n]/.test(text[after])) after++;
      if (text[after] === ',') {
        after++;
        while (after < text.length && /[ \t]/.test(text[after])) after++;
        return [{ start, end: after, newText: '' }];
      }
      let before = start;
      while (before > 0 && /[ \t\r\n]/.test(text[before - 1])) before--;
      if (text[before - 1] === ',') return [{ start: before - 1, end, newText: '' }];
      return [{ start, end, newText: '' }];
    }
    const lineStart = startOfLine(text, start);
    const prefix = text.slice(lineStart, start);
    if (/^[ \t]*$/.test(prefix)) return [{ start: lineStart, end: endOfLine(text, end), newText: '' }];
    if (isSeq(parent) && /^[ \t]*-[ \t]+$/.test(prefix)) return [{ start: lineStart, end: endOfLine(text, end), newText: '' }];
    // The first key of a `- key: value` item: join the next key onto the dash line.
    const index = parent.items.indexOf(entry as never);
    const next = parent.items[index + 1];
    if (isMap(parent) && isPair(next) && next.key && (next.key as Node).range) {
      return [{ start, end: (next.key as Node).range![0], newText: '' }];
    }
    return undefined;
  }

  set(path: Path, value: JsonValue): OffsetEdit[] | undefined {
    const located = locate(this.doc, path);
    if (located) {
      if (located.alias) return undefined;
      const node = located.node;
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && isMap(node)) {
        const edits: OffsetEdit[] = [];
        for (const [key, child] of Object.entries(value)) {
          const produced = this.set([...path, key], child);
          if (!produced) return undefined;
          edits.push(...produced);
        }
        return edits;
      }
      if (isScalar(node) && node.range) {
        if (isScalarValue(value)) return [{ start: node.range[0], end: node.range[1], newText: renderScalar(value) }];
        return [{ start: node.range[0], end: node.range[1], newText: renderFlow(value) }];
      }
      if (node === null && located.pair) return this.fillEmptyValue(located.pair, value);
      return undefined;
    }
    const { located: ancestor, depth } = locateDeepest(this.doc, path);
    if (ancestor.alias) return undefined;
    const missing = path.slice(depth);
    if (missing.some((segment) => typeof segment !== 'string')) return undefined;
    let nested: JsonValue = value;
    for (const key of [...missing.slice(1)].reverse()) nested = { [key as string]: nested };
    const key = missing[0] as string;
    const holder = ancestor.node;
    if (isMap(holder)) return this.insertPair(holder, key, nested);
    if (ancestor.pair && (holder === null || (isScalar(holder) && holder.value === null))) {
      return this.fillEmptyValue(ancestor.pair, { [key]: nested });
    }
    return undefined;
  }

  /** `key:` or `key: null` becomes `key:` followed by the value as a block. */
  private fillEmptyValue(pair: Pair<Node, Node | null>, value: JsonValue): OffsetEdit[] | undefined {
    const keyRange = pair.key.range;
    if (!keyRange) return undefined;
    const column = keyRange[0] - startOfLine(this.text, keyRange[0]);
    const colon = this.text.indexOf(':', keyRange[1]);
    if (colon < 0) return undefined;
    const valueEnd = pair.value?.range ? pair.value.range[1] : colon + 1;
    if (isScalarValue(value)) return [{ start: colon + 1, end: valueEnd, newText: ` ${renderScalar(value)}` }];
    const block = renderBlockValue(value, ' '.repeat(column) + INDENT_STEP, this.eol);
    return [{ start: colon + 1, end: valueEnd, newText: this.eol + block.slice(0, -this.eol.length) }];
  }

  private insertPair(map: YAMLMap, key: string, value: JsonValue): OffsetEdit[] | undefined {
    const pairs = map.items.filter(isPair) as Pair<Node, Node | null>[];
    if (map.flow) {
      const close = map.range ? map.range[1] - 1 : -1;
      if (close < 0 || this.text[close] !== '}') return undefined;
      const entry = `${renderKey(key)}: ${renderFlow(value)}`;
      if (pairs.length === 0) return [{ start: close, end: close, newText: entry }];
      const lastEnd = spanOfPair(pairs[pairs.length - 1])[1];
      return [{ start: lastEnd, end: lastEnd, newText: `, ${entry}` }];
    }
    const first = pairs[0];
    const last = pairs[pairs.length - 1];
    if (!first?.key?.range || !last) return undefined;
    const column = first.key.range[0] - startOfLine(this.text, first.key.range[0]);
    const at = endOfLine(this.text, spanOfPair(last)[1]);
    const lead = at > 0 && this.text[at - 1] !== '\n' ? this.eol : '';
    return [{ start: at, end: at, newText: lead + renderBlockEntry(key, value, ' '.repeat(column), this.eol) }];
  }
}

function spanOf(node: Node): [number, number] {
  const range = node.range ?? [0, 0, 0];
  return [range[0], range[1]];
}

function spanOfPair(pair: Pair<Node, Node | null>): [number, number] {
  const [start, keyEnd] = spanOf(pair.key);
  const value = pair.value;
  return [start, value?.range ? Math.max(keyEnd, value.range[1]) : keyEnd];
}

function startOfLine(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the newline that ends the line holding `offset - 1` (the last character of a span). */
function endOfLine(text: string, end: number): number {
  const newline = text.indexOf('\n', Math.max(0, end - 1));
  return newline < 0 ? text.length : newline + 1;
}

function isScalarValue(value: JsonValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED_PLAIN = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

function renderScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  return PLAIN_SAFE.test(value) && !RESERVED_PLAIN.test(value) ? value : JSON.stringify(value);
}

function renderKey(key: string): string {
  return renderScalar(key);
}

function renderFlow(value: JsonValue): string {
  if (isScalarValue(value)) return renderScalar(value);
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, child]) => `${renderKey(key)}: ${renderFlow(child)}`)
    .join(', ')}}`;
}

/** `key: value` lines at `indent`, each ending with `eol`. */
function renderBlockEntry(key: string, value: JsonValue, indent: string, eol: string): string {
  if (isScalarValue(value) || (Array.isArray(value) && value.length === 0) || (!Array.isArray(value) && Object.keys(value).length === 0)) {
    return `${indent}${renderKey(key)}: ${renderFlow(value)}${eol}`;
  }
  return `${indent}${renderKey(key)}:${eol}${renderBlockValue(value, indent + INDENT_STEP, eol)}`;
}

function renderBlockValue(value: JsonValue, indent: string, eol: string): string {
  if (Array.isArray(value)) return value.map((item) => `${indent}- ${renderFlow(item)}${eol}`).join('');
  if (isScalarValue(value)) return `${indent}${renderScalar(value)}${eol}`;
  return Object.entries(value)
    .map(([key, child]) => renderBlockEntry(key, child, indent, eol))
    .join('');
}
