import type { Path } from '../json';
import { RegoObject, RegoSet, mapKey, type Value } from './value';

const NO_READS: readonly Path[] = [];

/**
 * Records which paths of one tracked document (for Gatekeeper, `input.review.object`) an evaluation reads.
 * Values are never copied on the way through refs, rules and calls, so a collection's identity tells where in
 * the document it is; a read is a step from such a collection to one of its keys, whether or not the key exists.
 *
 * Reads on a derivation's proof path travel on its bindings (see `Bindings.read`), so backtracking drops them.
 * Closures that yield no solution of their own (`not`, comprehensions, `every`, rule values, function calls)
 * gather the reads they make in a collector; the closure's result then carries them.
 */
export class ReadTracker {
  private readonly paths = new WeakMap<object, Path>();
  /** For each partial rule's value: the reads that derived each member (or key), by its map key. */
  private readonly memberReads = new WeakMap<RegoSet | RegoObject, Map<string, readonly Path[]>>();
  /** The reads of the closures being evaluated, innermost last. */
  private readonly collectors: Path[][] = [];

  constructor(document: Value) {
    this.register(document, []);
  }

  private register(value: Value, path: Path): void {
    if (Array.isArray(value)) {
      this.paths.set(value, path);
      value.forEach((item, index) => this.register(item, [...path, index]));
    } else if (value instanceof RegoObject) {
      this.paths.set(value, path);
      for (const [key, item] of value.entries()) if (typeof key === 'string') this.register(item, [...path, key]);
    }
  }

  /** What stepping from `collection` to `key` reads: the document path, and the reads behind a rule's member. */
  readsOfStep(collection: Value, key: Value): readonly Path[] {
    if (collection === null || typeof collection !== 'object') return NO_READS;
    const path = this.paths.get(collection);
    const read = path !== undefined && (typeof key === 'string' || typeof key === 'number') ? [...path, key] : undefined;
    const members = collection instanceof RegoSet || collection instanceof RegoObject ? this.memberReads.get(collection)?.get(mapKey(key)) : undefined;
    if (members === undefined) return read ? [read] : NO_READS;
    return read ? [read, ...members] : members;
  }

  /** Keeps the reads of the first derivation of a member of a partial rule's value. */
  recordMember(collection: RegoSet | RegoObject, key: Value, reads: readonly Path[]): void {
    let members = this.memberReads.get(collection);
    if (!members) this.memberReads.set(collection, (members = new Map()));
    const memberKey = mapKey(key);
    if (!members.has(memberKey)) members.set(memberKey, reads);
  }

  /** The reads that derived `key` of a partial rule's value. */
  readsOfMember(collection: RegoSet | RegoObject, key: Value): readonly Path[] {
    return this.memberReads.get(collection)?.get(mapKey(key)) ?? NO_READS;
  }

  /** Starts gathering the reads of a closure. */
  begin(): void {
    this.collectors.push([]);
  }

  /** Ends the innermost closure: every read it made, once each. */
  end(): readonly Path[] {
    const reads = this.collectors.pop() ?? [];
    const seen = new Set<string>();
    return reads.filter((read) => {
      const key = JSON.stringify(read);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Adds reads to the innermost closure (also reads of missing keys, which no derivation carries). */
  collect(reads: readonly Path[]): void {
    const collector = this.collectors[this.collectors.length - 1];
    if (collector) for (const read of reads) collector.push(read);
  }
}
