import type { Path } from '../json';
import type { Value } from './value';

/** The name of a node that records a read of the tracked document: no variable can have it. */
const READ = '\u0000read';

/**
 * Variable bindings as an immutable linked list: binding returns a new head and leaves the old list as it was,
 * so backtracking needs no undo. A node with value `undefined` declares the name unbound in this scope
 * (`some x`, `x := …` inside a comprehension), hiding a binding further out. When reads are tracked, a
 * derivation's reads of the tracked document are nodes of the same list, so they are dropped with it too.
 */
export class Bindings {
  private constructor(
    readonly name: string,
    readonly value: Value | undefined,
    readonly parent: Bindings | undefined,
    readonly read?: Path,
  ) {}

  static bind(bindings: Bindings | undefined, name: string, value: Value): Bindings {
    return new Bindings(name, value, bindings);
  }

  static declare(bindings: Bindings | undefined, names: Iterable<string>): Bindings | undefined {
    let result = bindings;
    for (const name of names) result = new Bindings(name, undefined, result);
    return result;
  }

  static lookup(bindings: Bindings | undefined, name: string): Value | undefined {
    for (let node = bindings; node !== undefined; node = node.parent) {
      if (node.name === name) return node.value;
    }
    return undefined;
  }

  static withRead(bindings: Bindings | undefined, path: Path): Bindings {
    return new Bindings(READ, undefined, bindings, path);
  }

  /** The reads recorded on `solution` since `start` (an earlier state of the same list), oldest first. */
  static readsSince(solution: Bindings | undefined, start: Bindings | undefined): Path[] {
    const reads: Path[] = [];
    for (let node = solution; node !== undefined && node !== start; node = node.parent) if (node.read) reads.push(node.read);
    return reads.reverse();
  }
}
