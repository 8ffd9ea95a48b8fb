import { BuiltinError } from '../errors';
import { RegoObject, RegoSet, valuesEqual, type Value } from '../value';
import { arrayOperand, define, integerOperand, objectOperand, setOperand, type BuiltinTable } from './types';

/** One step into a value, as a ref would take it: undefined when there is nothing there. */
function step(collection: Value, key: Value): Value | undefined {
  if (collection instanceof RegoObject) return collection.get(key);
  if (Array.isArray(collection)) return typeof key === 'number' && Number.isInteger(key) ? collection[key] : undefined;
  if (collection instanceof RegoSet) return collection.has(key) ? key : undefined;
  return undefined;
}

/** The keys named by an array, a set, or an object's keys (object.remove, object.filter). */
function keysOperand(args: Value[], index: number): RegoSet {
  const value = args[index];
  if (Array.isArray(value)) return new RegoSet(value);
  if (value instanceof RegoSet) return value;
  if (value instanceof RegoObject) return new RegoSet(value.keys());
  throw new BuiltinError(`operand ${index + 1} must be one of {array, object, set}`);
}

/** object.union: the right side wins, except that two objects under one key are merged. */
function mergeObjects(left: RegoObject, right: RegoObject): RegoObject {
  const merged = new RegoObject(left.entries());
  for (const [key, value] of right.entries()) {
    const existing = merged.get(key);
    merged.set(key, existing instanceof RegoObject && value instanceof RegoObject ? mergeObjects(existing, value) : value);
  }
  return merged;
}

function setsOf(args: Value[]): RegoSet[] {
  return [...setOperand(args, 0).values()].map((member) => {
    if (!(member instanceof RegoSet)) throw new BuiltinError('operand 1 must be a set of sets');
    return member;
  });
}

export const collectionBuiltins: BuiltinTable = {
  'object.get': define(3, (args) => {
    const object = objectOperand(args, 0);
    const [key, fallback] = [args[1], args[2]];
    if (!Array.isArray(key)) return object.get(key) ?? fallback;
    if (key.length === 0) return fallback;
    let current: Value | undefined = object;
    for (const part of key) {
      current = step(current, part);
      if (current === undefined) return fallback;
    }
    return current;
  }),
  'object.keys': define(1, (args) => new RegoSet(objectOperand(args, 0).keys())),
  'object.remove': define(2, (args) => {
    const removed = keysOperand(args, 1);
    return new RegoObject([...objectOperand(args, 0).entries()].filter(([key]) => !removed.has(key)));
  }),
  'object.filter': define(2, (args) => {
    const kept = keysOperand(args, 1);
    return new RegoObject([...objectOperand(args, 0).entries()].filter(([key]) => kept.has(key)));
  }),
  'object.union': define(2, (args) => mergeObjects(objectOperand(args, 0), objectOperand(args, 1))),
  'object.union_n': define(1, (args) =>
    arrayOperand(args, 0).reduce<RegoObject>((merged, item) => {
      if (!(item instanceof RegoObject)) throw new BuiltinError('operand 1 must be an array of objects');
      return mergeObjects(merged, item);
    }, new RegoObject()),
  ),
  'array.concat': define(2, (args) => [...arrayOperand(args, 0), ...arrayOperand(args, 1)]),
  'array.slice': define(3, (args) => {
    const array = arrayOperand(args, 0);
    const start = Math.max(integerOperand(args, 1), 0);
    const stop = Math.min(integerOperand(args, 2), array.length);
    return start >= stop ? [] : array.slice(start, stop);
  }),
  'array.reverse': define(1, (args) => [...arrayOperand(args, 0)].reverse()),
  union: define(1, (args) => new RegoSet(setsOf(args).flatMap((set) => [...set.values()]))),
  intersection: define(1, (args) => {
    const [first, ...rest] = setsOf(args);
    if (first === undefined) return new RegoSet();
    return new RegoSet([...first.values()].filter((member) => rest.every((set) => set.has(member))));
  }),
  // `a & b` and `a | b` on sets.
  and: define(2, (args) => {
    const right = setOperand(args, 1);
    return new RegoSet([...setOperand(args, 0).values()].filter((member) => right.has(member)));
  }),
  or: define(2, (args) => new RegoSet([...setOperand(args, 0).values(), ...setOperand(args, 1).values()])),
  // `x in xs`: a member of an array or set, or a value of an object.
  'internal.member_2': define(2, (args) => {
    const [needle, haystack] = args;
    if (haystack instanceof RegoSet) return haystack.has(needle);
    if (Array.isArray(haystack)) return haystack.some((item) => valuesEqual(item, needle));
    if (haystack instanceof RegoObject) return [...haystack.entries()].some(([, item]) => valuesEqual(item, needle));
    return false;
  }),
};
