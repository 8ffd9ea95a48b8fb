import type { Value } from './value';

/**
 * Variable bindings as an immutable linked list: binding returns a new head and leaves the old list as it was,
 * so backtracking needs no undo. A node with value `undefined` declares the name unbound in this scope
 * (`some x`, `x := …` inside a comprehension), hiding a binding further out.
 */
export class Bindings {
  private constructor(
    readonly name: string,
    readonly value: Value | undefined,
    readonly parent: Bindings | undefined,
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
}
