import type { JsonObject, JsonValue } from '../json';

/**
 * A Rego value. Arrays are plain arrays; objects and sets are classes because their keys and members may be any
 * value (`{1: "a"}`, `{[1, 2]}`), compared by value. Values are never changed once built.
 */
export type Value = null | boolean | number | string | Value[] | RegoObject | RegoSet;

const canonicalCache = new WeakMap<object, string>();

/**
 * A text that is equal for equal values and different otherwise (1 and 1.0 are equal, "1" and 1 are not), used as
 * the key of objects, sets and caches.
 */
export function canonical(value: Value): string {
  if (value === null) return 'n';
  if (value === true) return 't';
  if (value === false) return 'f';
  if (typeof value === 'number') return `#${value === 0 ? 0 : value}`;
  if (typeof value === 'string') return JSON.stringify(value);
  const cached = canonicalCache.get(value);
  if (cached !== undefined) return cached;
  let text: string;
  if (Array.isArray(value)) text = `[${value.map(canonical).join(',')}]`;
  else if (value instanceof RegoSet) text = `<${[...value.values()].map(canonical).sort().join(',')}>`;
  else text = `{${[...value.entries()].map(([key, item]) => `${canonical(key)}:${canonical(item)}`).sort().join(',')}}`;
  canonicalCache.set(value, text);
  return text;
}

/**
 * The key a value has in a Map: a string stands for itself (the common, fast case); anything else is its
 * canonical text behind a NUL, which no plain string key can start with (those get the same treatment).
 */
export function mapKey(value: Value): string {
  if (typeof value === 'string' && value.charCodeAt(0) !== 0) return value;
  return `\u0000${canonical(value)}`;
}

export class RegoSet {
  /** mapKey → member. */
  readonly members = new Map<string, Value>();

  constructor(values: Iterable<Value> = []) {
    for (const value of values) this.members.set(mapKey(value), value);
  }

  /** Only while building a new set. */
  add(value: Value): void {
    this.members.set(mapKey(value), value);
  }

  has(value: Value): boolean {
    return this.members.has(mapKey(value));
  }

  get size(): number {
    return this.members.size;
  }

  values(): IterableIterator<Value> {
    return this.members.values();
  }
}

export class RegoObject {
  /** mapKey → [key, value]. */
  private readonly items = new Map<string, [Value, Value]>();

  constructor(entries: Iterable<[Value, Value]> = []) {
    for (const [key, value] of entries) this.set(key, value);
  }

  /** Only while building a new object. */
  set(key: Value, value: Value): void {
    this.items.set(mapKey(key), [key, value]);
  }

  get(key: Value): Value | undefined {
    return this.items.get(mapKey(key))?.[1];
  }

  has(key: Value): boolean {
    return this.items.has(mapKey(key));
  }

  get size(): number {
    return this.items.size;
  }

  entries(): IterableIterator<[Value, Value]> {
    return this.items.values();
  }

  *keys(): IterableIterator<Value> {
    for (const [key] of this.items.values()) yield key;
  }
}

export function isCollection(value: Value): value is Value[] | RegoObject | RegoSet {
  return typeof value === 'object' && value !== null;
}

/** OPA's total order of types: null < boolean < number < string < array < object < set. */
function typeRank(value: Value): number {
  if (value === null) return 0;
  switch (typeof value) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(value) ? 4 : value instanceof RegoObject ? 5 : 6;
  }
}

/** Strings in code point order (Go compares UTF-8 bytes, which is the same), not UTF-16 unit order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800–DFFF) encode code points above U+FFFF, so they sort after U+E000–FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

export function sortValues(values: Iterable<Value>): Value[] {
  return [...values].sort(compareValues);
}

/** OPA's ordering of any two values, used by `<`, sort, max, min and for printing sets and objects. */
export function compareValues(a: Value, b: Value): number {
  const rankDifference = typeRank(a) - typeRank(b);
  if (rankDifference !== 0) return Math.sign(rankDifference);
  if (a === null || b === null) return 0;
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'number') return Math.sign(a - (b as number));
  if (typeof a === 'string') return Math.sign(compareStrings(a, b as string));
  if (Array.isArray(a)) return compareSequences(a, b as Value[]);
  if (a instanceof RegoSet) return compareSequences(sortValues(a.values()), sortValues((b as RegoSet).values()));
  const objectB = b as RegoObject;
  const keysA = sortValues((a as RegoObject).keys());
  const keysB = sortValues(objectB.keys());
  const length = Math.min(keysA.length, keysB.length);
  for (let i = 0; i < length; i++) {
    const byKey = compareValues(keysA[i], keysB[i]);
    if (byKey !== 0) return byKey;
    const byValue = compareValues((a as RegoObject).get(keysA[i]) as Value, objectB.get(keysB[i]) as Value);
    if (byValue !== 0) return byValue;
  }
  return Math.sign(keysA.length - keysB.length);
}

function compareSequences(a: Value[], b: Value[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonical(a) === canonical(b);
}

/** JSON (input, parameters, inventory) as Rego values. */
export function fromJson(json: JsonValue): Value {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(fromJson);
  const object = new RegoObject();
  for (const key of Object.keys(json)) object.set(key, fromJson(json[key]));
  return object;
}

/** A Rego value as JSON, as OPA returns results: sets become arrays (sorted), non-string keys their JSON text. */
export function toJson(value: Value): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof RegoSet) return sortValues(value.values()).map(toJson);
  const object: JsonObject = {};
  for (const [key, item] of value.entries()) object[typeof key === 'string' ? key : JSON.stringify(toJson(key))] = toJson(item);
  return object;
}

/** OPA's type names, as `type_name` and error messages spell them. */
export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'array' : value instanceof RegoSet ? 'set' : 'object';
  return typeof value;
}
