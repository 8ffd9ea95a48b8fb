import { BuiltinError } from '../errors';
import { compileGlob, quoteGlobMeta } from '../glob';
import { compileGoRegex } from '../goRegex';
import type { Value } from '../value';
import { arrayOperand, define, integerOperand, stringOperand, stringsOf, type BuiltinTable } from './types';

/** A fresh global copy, so that matchAll and friends never share `lastIndex` with the cached pattern. */
function globalCopy(pattern: string): RegExp {
  const compiled = compileGoRegex(pattern);
  return new RegExp(compiled.source, `${compiled.flags}g`);
}

/** At most `limit` matches; a negative limit means all, as in Go's `FindAllString(s, n)`. */
function limited<T>(items: T[], limit: number): T[] {
  return limit < 0 ? items : items.slice(0, limit);
}

const regexMatch = define(2, (args) => compileGoRegex(stringOperand(args, 0)).test(stringOperand(args, 1)));

export const regexBuiltins: BuiltinTable = {
  'regex.match': regexMatch,
  // The deprecated name, still common in Gatekeeper templates.
  re_match: regexMatch,
  'regex.is_valid': define(1, (args) => {
    if (typeof args[0] !== 'string') return false;
    try {
      compileGoRegex(args[0]);
      return true;
    } catch (error) {
      if (error instanceof BuiltinError) return false;
      throw error;
    }
  }),
  'regex.split': define(2, (args) => stringOperand(args, 1).split(globalCopy(stringOperand(args, 0)))),
  'regex.find_n': define(3, (args) => {
    const matches = [...stringOperand(args, 1).matchAll(globalCopy(stringOperand(args, 0)))].map((match) => match[0]);
    return limited(matches, integerOperand(args, 2));
  }),
  'regex.find_all_string_submatch_n': define(3, (args) => {
    const matches = [...stringOperand(args, 1).matchAll(globalCopy(stringOperand(args, 0)))].map((match) => [...match].map((group) => group ?? ''));
    return limited(matches, integerOperand(args, 2));
  }),
  'regex.replace': define(3, (args) => stringOperand(args, 0).replace(globalCopy(stringOperand(args, 1)), stringOperand(args, 2))),
  'glob.match': define(3, (args) => {
    const delimiterArg = args[1];
    // null means no delimiters; an empty array means the default, ".".
    let delimiters: string[] = [];
    if (delimiterArg !== null) {
      delimiters = stringsOf(arrayOperand(args, 1), 2);
      if (delimiters.length === 0) delimiters = ['.'];
    }
    return compileGlob(stringOperand(args, 0), delimiters).test(stringOperand(args, 2));
  }),
  'glob.quote_meta': define(1, (args): Value => quoteGlobMeta(stringOperand(args, 0))),
};
