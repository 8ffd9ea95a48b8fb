import { BuiltinError } from './errors';

/**
 * Go's RE2 syntax, as Rego's regex built-ins read it, translated to a JavaScript RegExp. RE2 has no backreferences
 * or lookaround, so what it accepts is nearly a subset of JavaScript's; the differences handled here are leading
 * flag groups `(?i)`, `\A` and `\z`, POSIX classes `[[:alpha:]]`, `(?P<name>…)`, and escaped punctuation.
 */
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const SYNTAX_CHARACTERS = new Set([...'^$\\.*+?()[]{}|/']);
const CACHE_LIMIT = 500;
const cache = new Map<string, RegExp>();

/** The compiled pattern, cached; a pattern Go would reject, or one this translation cannot carry, is a BuiltinError. */
export function compileGoRegex(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const compiled = translate(pattern);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, compiled);
  return compiled;
}

function translate(pattern: string): RegExp {
  let flags = '';
  let rest = pattern;
  const flagGroup = /^\(\?([imsU]+)\)/.exec(rest);
  if (flagGroup) {
    if (flagGroup[1].includes('U')) throw new BuiltinError('the U (ungreedy) flag is not supported');
    flags = [...new Set(flagGroup[1])].join('');
    rest = rest.slice(flagGroup[0].length);
  }
  let source = '';
  let inClass = false;
  let unicode = false;
  for (let i = 0; i < rest.length; i++) {
    const char = rest[i];
    if (char === '\\') {
      const next = rest[i + 1];
      if (next === undefined) throw new BuiltinError('trailing backslash at end of expression');
      i++;
      if (!inClass && next === 'A') source += '^';
      else if (!inClass && next === 'z') source += '$';
      else if (next === 'p' || next === 'P') {
        unicode = true;
        source += `\\${next}`;
      } else if (/[A-Za-z0-9]/.test(next)) source += `\\${next}`;
      // Go lets any punctuation be escaped; JavaScript's unicode mode only the syntax characters.
      else source += SYNTAX_CHARACTERS.has(next) || (inClass && next === '-') ? `\\${next}` : next;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest.slice(i));
      if (posix) {
        const ranges = POSIX_CLASSES[posix[2]];
        if (ranges === undefined || posix[1] === '^') throw new BuiltinError(`unsupported character class ${posix[0]}`);
        source += ranges;
        i += posix[0].length - 1;
        continue;
      }
      if (char === ']') inClass = false;
      source += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      source += char;
      // A `]` right after `[` or `[^` is a literal in RE2.
      if (rest[i + 1] === '^') source += rest[++i];
      if (rest[i + 1] === ']') {
        source += '\\]';
        i++;
      }
      continue;
    }
    if (char === '(' && rest.startsWith('(?P<', i)) {
      source += '(?<';
      i += 3;
      continue;
    }
    if (char === '(' && rest[i + 1] === '?' && rest[i + 2] !== ':' && rest[i + 2] !== '<') {
      throw new BuiltinError('flag groups are supported only at the start of a pattern');
    }
    source += char;
  }
  try {
    return new RegExp(source, flags + (unicode ? 'u' : ''));
  } catch (error) {
    throw new BuiltinError(`invalid regular expression: ${(error as Error).message}`);
  }
}
