import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from 'yaml';

/**
 * Alias resolution without a walk per alias: the `yaml` package's `Alias.resolve` visits the whole
 * document each time, which made a file with many aliases quadratic. The anchors of a document are
 * indexed once, in source order; an alias names the last anchor of its name defined before it.
 */
const indexes = new WeakMap<Document.Parsed, Map<string, Node[]>>();

export function resolveAlias(doc: Document.Parsed, alias: Alias): Node | undefined {
  let index = indexes.get(doc);
  if (!index) {
    index = indexAnchors(doc);
    indexes.set(doc, index);
  }
  const at = alias.range?.[0] ?? Number.POSITIVE_INFINITY;
  const candidates = index.get(alias.source);
  if (!candidates) return undefined;
  let found: Node | undefined;
  for (const node of candidates) {
    if ((node.range?.[0] ?? 0) >= at) break;
    found = node;
  }
  return found;
}

function indexAnchors(doc: Document.Parsed): Map<string, Node[]> {
  const index = new Map<string, Node[]>();
  // An explicit stack: documents may nest deeper than the call stack allows.
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const item = stack.pop();
    if (isPair(item)) {
      stack.push(item.value, item.key);
      continue;
    }
    if (!item || isAlias(item) || !(isScalar(item) || isCollection(item))) continue;
    const node = item as Node;
    if (node.anchor) {
      const list = index.get(node.anchor) ?? [];
      list.push(node);
      index.set(node.anchor, list);
    }
    if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  for (const list of index.values()) list.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
  return index;
}
