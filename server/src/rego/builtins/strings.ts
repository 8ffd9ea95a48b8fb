import { BuiltinError } from '../errors';
import { sprintf } from '../format';
import { RegoSet, sortValues, type Value } from '../value';
import { arrayOperand, arrayOrSetOperand, define, integerOperand, numberOperand, objectOperand, stringOperand, stringsOf, type BuiltinTable } from './types';

/** Go strings are byte sequences read as runes; these work on code points, not UTF-16 units. */
const runesOf = (text: string): string[] => [...text];

function trimStart(text: string, cutset: Set<string>): string {
  const runes = runesOf(text);
  let start = 0;
  while (start < runes.length && cutset.has(runes[start])) start++;
  return runes.slice(start).join('');
}

function trimEnd(text: string, cutset: Set<string>): string {
  const runes = runesOf(text);
  let end = runes.length;
  while (end > 0 && cutset.has(runes[end - 1])) end--;
  return runes.slice(0, end).join('');
}

/** A string, or the strings of an array or set (strings.any_prefix_match and friends accept all three). */
function stringOrStrings(args: Value[], index: number): string[] {
  const value = args[index];
  if (typeof value === 'string') return [value];
  return stringsOf(arrayOrSetOperand(args, index), index + 1);
}

/** Sets iterate in sorted order in OPA, so `concat(",", {"b", "a"})` is "a,b". */
function membersInOrder(args: Value[], index: number): Value[] {
  const value = args[index];
  return value instanceof RegoSet ? sortValues(value.values()) : arrayOrSetOperand(args, index);
}

function indexOfRunes(haystack: string, needle: string, from: number): number {
  const unitIndex = haystack.indexOf(needle, from);
  return unitIndex < 0 ? -1 : runesOf(haystack.slice(0, unitIndex)).length;
}

export const stringBuiltins: BuiltinTable = {
  concat: define(2, (args) => stringsOf(membersInOrder(args, 1), 2).join(stringOperand(args, 0))),
  contains: define(2, (args) => stringOperand(args, 0).includes(stringOperand(args, 1))),
  startswith: define(2, (args) => stringOperand(args, 0).startsWith(stringOperand(args, 1))),
  endswith: define(2, (args) => stringOperand(args, 0).endsWith(stringOperand(args, 1))),
  lower: define(1, (args) => stringOperand(args, 0).toLowerCase()),
  upper: define(1, (args) => stringOperand(args, 0).toUpperCase()),
  replace: define(3, (args) => {
    const [text, old, replacement] = [stringOperand(args, 0), stringOperand(args, 1), stringOperand(args, 2)];
    // Go inserts the replacement around every rune when `old` is empty.
    if (old === '') return replacement + runesOf(text).join(replacement) + replacement;
    return text.split(old).join(replacement);
  }),
  split: define(2, (args) => {
    const [text, delimiter] = [stringOperand(args, 0), stringOperand(args, 1)];
    return delimiter === '' ? runesOf(text) : text.split(delimiter);
  }),
  sprintf: define(2, (args) => sprintf(stringOperand(args, 0), arrayOperand(args, 1))),
  trim: define(2, (args) => {
    const cutset = new Set(runesOf(stringOperand(args, 1)));
    return trimEnd(trimStart(stringOperand(args, 0), cutset), cutset);
  }),
  trim_left: define(2, (args) => trimStart(stringOperand(args, 0), new Set(runesOf(stringOperand(args, 1))))),
  trim_right: define(2, (args) => trimEnd(stringOperand(args, 0), new Set(runesOf(stringOperand(args, 1))))),
  trim_prefix: define(2, (args) => {
    const [text, prefix] = [stringOperand(args, 0), stringOperand(args, 1)];
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  }),
  trim_suffix: define(2, (args) => {
    const [text, suffix] = [stringOperand(args, 0), stringOperand(args, 1)];
    return suffix !== '' && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
  }),
  trim_space: define(1, (args) => stringOperand(args, 0).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '')),
  indexof: define(2, (args) => indexOfRunes(stringOperand(args, 0), stringOperand(args, 1), 0)),
  indexof_n: define(2, (args) => {
    const [text, search] = [stringOperand(args, 0), stringOperand(args, 1)];
    const found: Value[] = [];
    if (search === '') return found;
    for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) found.push(runesOf(text.slice(0, at)).length);
    return found;
  }),
  substring: define(3, (args) => {
    const runes = runesOf(stringOperand(args, 0));
    const start = integerOperand(args, 1);
    const length = integerOperand(args, 2);
    if (start < 0) throw new BuiltinError('negative offset');
    if (start >= runes.length) return '';
    return runes.slice(start, length < 0 ? undefined : start + length).join('');
  }),
  format_int: define(2, (args) => {
    const value = Math.trunc(numberOperand(args, 0));
    const base = integerOperand(args, 1);
    if (![2, 8, 10, 16].includes(base)) throw new BuiltinError('operand 2 must be one of {2, 8, 10, 16}');
    return (value < 0 ? '-' : '') + BigInt(Math.abs(value)).toString(base);
  }),
  'strings.any_prefix_match': define(2, (args) => {
    const bases = stringOrStrings(args, 1);
    return stringOrStrings(args, 0).some((text) => bases.some((base) => text.startsWith(base)));
  }),
  'strings.any_suffix_match': define(2, (args) => {
    const bases = stringOrStrings(args, 1);
    return stringOrStrings(args, 0).some((text) => bases.some((base) => text.endsWith(base)));
  }),
  'strings.replace_n': define(2, (args) => {
    const patterns = objectOperand(args, 0);
    const text = stringOperand(args, 1);
    // Go's strings.NewReplacer: one pass, earlier patterns (in sorted key order) win at a position.
    const pairs = sortValues(patterns.keys()).map((key) => {
      const replacement = patterns.get(key);
      if (typeof key !== 'string' || typeof replacement !== 'string') throw new BuiltinError('operand 1 must be an object of strings');
      return [key, replacement] as const;
    });
    let output = '';
    let at = 0;
    while (at < text.length) {
      const pair = pairs.find(([old]) => old !== '' && text.startsWith(old, at));
      if (pair) {
        output += pair[1];
        at += pair[0].length;
      } else output += text[at++];
    }
    return output;
  }),
  'strings.reverse': define(1, (args) => runesOf(stringOperand(args, 0)).reverse().join('')),
  'strings.count': define(2, (args) => {
    const [text, search] = [stringOperand(args, 0), stringOperand(args, 1)];
    if (search === '') return runesOf(text).length + 1;
    return text.split(search).length - 1;
  }),
};
