import { Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Path } from '../json';
import { resolveAlias } from './anchors';

/** What a JSON path leads to in the YAML tree of one document. */
export interface Located {
  /** The node holding the value (the alias's target when reached through an alias). */
  node: Node | null;
  /** The mapping pair whose value it is; undefined for sequence items and the root. */
  pair?: Pair<Node, Node | null>;
  /** The map or sequence that holds it. */
  parent?: Node;
  /** The first alias (or merge key) crossed on the way: shared nodes are reported where they are used. */
  alias?: Node;
  /** Where each key and sequence item crossed from the root starts, outermost first (for suppression comments). */
  ancestors: number[];
}

/** Walks `path` through maps, sequences, aliases and merge keys; undefined when a step is missing. */
export function locate(doc: Document.Parsed, path: Path): Located | undefined {
  const { located, depth } = locateDeepest(doc, path);
  return depth === path.length ? located : undefined;
}

/** The longest prefix of `path` that exists, with its length. */
export function locateDeepest(doc: Document.Parsed, path: Path): { located: Located; depth: number } {
  // Every finding is placed through here: one walk, one ancestors list, no object per step.
  const ancestors: number[] = [];
  let step: Omit<Located, 'ancestors'> = { node: doc.contents };
  for (let depth = 0; depth < path.length; depth++) {
    const next = stepInto(doc, step.node, path[depth], step.alias);
    if (!next) return { located: { ...step, ancestors }, depth };
    const entry = next.pair ? next.pair.key : next.node;
    if (entry?.range) ancestors.push(entry.range[0]);
    step = next;
  }
  return { located: { ...step, ancestors }, depth: path.length };
}

function stepInto(doc: Document.Parsed, from: Node | null, segment: string | number, alias: Node | undefined): Omit<Located, 'ancestors'> | undefined {
  let node = from;
  let crossed = alias;
  if (isAlias(node)) {
    crossed ??= node;
    node = resolveAlias(doc, node) ?? null;
  }
  if (typeof segment === 'number') {
    if (!isSeq(node)) return undefined;
    const item = node.items[segment] as Node | null | undefined;
    if (item === undefined) return undefined;
    return { node: item, parent: node, alias: crossed };
  }
  if (!isMap(node)) return undefined;
  return findKey(doc, node, segment, crossed, 0);
}

function findKey(doc: Document.Parsed, map: YAMLMap, key: string, alias: Node | undefined, depth: number): Omit<Located, 'ancestors'> | undefined {
  let merges = false;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const pair = item as Pair<Node, Node | null>;
    if (isMergeKey(pair)) merges = true;
    else if (keyText(pair.key) === key) return { node: pair.value, pair, parent: map, alias };
  }
  if (!merges || depth > 16) return undefined;
  // Keys written in the map win over merged ones; earlier merge sources win over later ones.
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const pair = item as Pair<Node, Node | null>;
    if (!isMergeKey(pair)) continue;
    const sources = isSeq(pair.value) ? (pair.value.items as (Node | null)[]) : [pair.value];
    for (const source of sources) {
      const target = isAlias(source) ? resolveAlias(doc, source) : source;
      if (!isMap(target)) continue;
      const hit = findKey(doc, target, key, alias ?? (source as Node), depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

export function isMergeKey(pair: Pair<unknown, unknown>): boolean {
  return isScalar(pair.key) && typeof pair.key.value === 'symbol';
}

function keyText(key: Node | null): string | undefined {
  if (key === null) return 'null';
  if (!isScalar(key)) return undefined;
  return key.value === null ? 'null' : typeof key.value === 'string' ? key.value : JSON.stringify(key.value);
}

/** The source span of a node: [start, end of value] (trailing comments excluded). */
export function nodeSpan(node: Node): [number, number] {
  const range = node.range ?? [0, 0, 0];
  return [range[0], range[1]];
}

/**
 * The span of a located value as the editor should underline it: `key: value` for a scalar value,
 * the key alone when the value is a whole block, the first line of a sequence item that is a map,
 * and the alias when the value is shared through one.
 */
export function culpritSpan(located: Located): [number, number] {
  if (located.alias) return nodeSpan(located.alias);
  const { pair, node } = located;
  if (pair) {
    const [start, keyEnd] = nodeSpan(pair.key);
    if (!node || !node.range || isMultiLineCollection(node)) return [start, keyEnd];
    return [start, Math.max(keyEnd, node.range[1])];
  }
  if (isMap(node) && isMultiLineCollection(node)) {
    const first = node.items.find(isPair) as Pair<Node, Node | null> | undefined;
    if (first) return culpritSpan({ node: first.value, pair: first, ancestors: [] });
  }
  return node ? nodeSpan(node) : [0, 0];
}

function isMultiLineCollection(node: Node): boolean {
  return (isMap(node) || isSeq(node)) && !node.flow;
}
