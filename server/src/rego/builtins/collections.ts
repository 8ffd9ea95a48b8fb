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

/**
 * object.subset's rule, from OPA's documentation: objects recursively (every key of sub in super, its value a subset
 * of super's), sets by membership, arrays as a contiguous run of super, a set within an array by membership; any
 * other values must be equal.
 */
function isSubset(whole: Value, part: Value): boolean {
  if (whole instanceof RegoObject && part instanceof RegoObject) {
    return [...part.entries()].every(([key, value]) => {
      const inWhole = whole.get(key);
      return inWhole !== undefined && isSubset(inWhole, value);
    });
  }
  if (whole instanceof RegoSet && part instanceof RegoSet) return [...part.values()].every((member) => whole.has(member));
  if (Array.isArray(whole) && part instanceof RegoSet) return [...part.values()].every((member) => whole.some((item) => valuesEqual(item, member)));
  if (Array.isArray(whole) && Array.isArray(part)) {
    if (part.length === 0) return true;
    for (let start = 0; start + part.length <= whole.length; start++) if (part.every((item, i) => valuesEqual(whole[start + i], item))) return true;
    return false;
  }
  return valuesEqual(whole, part);
}

/** walk's results: [path, value] for the value itself and every value inside it, parents first. */
function walkValue(value: Value, path: Value[], into: Value[]): Value[] {
  into.push([path, value]);
  if (Array.isArray(value)) value.forEach((item, index) => walkValue(item, [...path, index], into));
  else if (value instanceof RegoObject) for (const [key, item] of value.entries()) walkValue(item, [...path, key], into);
  else if (value instanceof RegoSet) for (const member of value.values()) walkValue(member, [...path, member], into);
  return into;
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
  'object.subset': define(2, (args) => {
    const [whole, part] = args;
    const compatible = (whole instanceof RegoObject && part instanceof RegoObject) || (whole instanceof RegoSet && part instanceof RegoSet) || (Array.isArray(whole) && (Array.isArray(part) || part instanceof RegoSet));
    if (!compatible) throw new BuiltinError('object.subset: both arguments must be objects, sets or arrays, or an array and a set');
    return isSubset(whole, part);
  }),
  // A relation: each [path, value] is one result of the call.
  walk: { arity: 1, relation: true, call: (args) => walkValue(args[0], [], []) },
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
