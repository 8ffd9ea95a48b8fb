import { getPath, isObject } from '../../../server/src/json';
import type { JsonValue, Path, PathSegment } from '../../../server/src/json';
import type { FixOperation } from '../../../server/src/templates/types';

/**
 * Applies fix operations to a copy of `root` the way the editor applies them to a manifest: every
 * path names a place in the original object. So `set`s run first, then removals from the last
 * sequence item backwards, which keeps the indices of earlier items valid. Identical operations
 * (two culprits proposing the same edit) apply once. A path that cannot be edited throws: a test
 * should never produce one.
 */
export function applyOperations<T extends JsonValue>(root: T, operations: readonly FixOperation[]): T {
  const copy = structuredClone(root);
  const unique = [...new Map(operations.map((operation) => [JSON.stringify(operation), operation])).values()];
  for (const operation of unique) if (operation.op === 'set') setAt(copy, operation.path, operation.value);
  const removals = unique.flatMap((operation) => (operation.op === 'remove' ? [operation.path] : []));
  for (const path of removals.sort(comparePathsDescending)) removeAt(copy, path);
  return copy;
}

function setAt(root: JsonValue, path: Path, value: JsonValue): void {
  let node = root;
  for (const [index, segment] of path.entries()) {
    const isLast = index === path.length - 1;
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) throw new Error(`set ${JSON.stringify(path)}: not a sequence at ${index}`);
      if (isLast) node[segment] = structuredClone(value);
      else node = node[segment] ?? missingStep(path, index);
    } else {
      if (!isObject(node)) throw new Error(`set ${JSON.stringify(path)}: not a mapping at ${index}`);
      if (isLast) node[segment] = structuredClone(value);
      else node = node[segment] ?? (node[segment] = {});
    }
  }
}

function removeAt(root: JsonValue, path: Path): void {
  const parent = getPath(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number' && last < parent.length) parent.splice(last, 1);
  else if (isObject(parent) && typeof last === 'string' && last in parent) delete parent[last];
  else throw new Error(`remove ${JSON.stringify(path)}: nothing there`);
}

function missingStep(path: Path, index: number): never {
  throw new Error(`set ${JSON.stringify(path)}: no sequence item at ${index}`);
}

function compareSegments(a: PathSegment, b: PathSegment): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Later items first, and deeper paths before the paths that contain them. */
function comparePathsDescending(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareSegments(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return -order;
  }
  return b.length - a.length;
}
