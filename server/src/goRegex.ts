/**
 * Go's RE2 syntax, as Rego's regex built-ins and the templates' `re_match` read it, translated to a JavaScript
 * RegExp. RE2 has no backreferences or lookaround, so what it accepts is nearly a subset of JavaScript's; the
 * differences handled here are leading flag groups `(?i)`, `\A` and `\z`, `\Q…\E`, `\x{…}`, POSIX classes
 * `[[:alpha:]]`, `(?P<name>…)`, Unicode classes `\pL`, and escaped punctuation. Patterns Go refuses, and the
 * few this translation cannot carry, throw, so they err like invalid patterns instead of matching wrongly.
 */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
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
const LEADING_FLAGS = /^\(\?([imsU]+)\)/;
const CACHE_LIMIT = 500;
const cache = new Map<string, RegExp>();

/** The pattern compiled (and cached); throws an Error saying why for a pattern Go refuses or that cannot be carried. */
export function goRegExp(pattern: string): RegExp {
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
  const leading = LEADING_FLAGS.exec(rest);
  if (leading) {
    if (leading[1].includes('U')) throw new Error('the U (ungreedy) flag is not supported');
    flags = [...new Set(leading[1])].join('');
    rest = rest.slice(leading[0].length);
  }
  let source = '';
  let inClass = false;
  let unicode = false;
  for (let i = 0; i < rest.length; i++) {
    const char = rest[i];
    if (char === '\\') {
      const next = rest[i + 1];
      if (next === undefined) throw new Error('trailing backslash at end of expression');
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = end === -1 ? rest.slice(i + 2) : rest.slice(i + 2, end);
        source += [...literal].map((c) => (SYNTAX_CHARACTERS.has(c) || c === '-' ? `\\${c}` : c)).join('');
        i = end === -1 ? rest.length : end + 1;
        continue;
      }
      if (/[1-9]/.test(next)) throw new Error('backreferences are not supported in RE2');
      if (next === 'x' && rest[i + 2] === '{') {
        const end = rest.indexOf('}', i + 3);
        const hex = rest.slice(i + 3, end);
        if (end === -1 || !/^[0-9A-Fa-f]{1,6}$/.test(hex)) throw new Error('invalid \\x{...} escape');
        unicode = true;
        source += `\\u{${hex}}`;
        i = end;
        continue;
      }
      i++;
      if (!inClass && next === 'A') source += '^';
      else if (!inClass && next === 'z') source += '(?![\\s\\S])';
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
        if (ranges === undefined || posix[1] === '^') throw new Error(`unsupported character class ${posix[0]}`);
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
    if (char === '(' && rest[i + 1] === '?') {
      if (rest.startsWith('(?P<', i)) {
        source += '(?<';
        i += 3;
        continue;
      }
      // Non-capturing and named groups only: lookarounds do not exist in RE2, inline flags only lead.
      if (!rest.startsWith('(?:', i) && !/^\(\?<[A-Za-z_]/.test(rest.slice(i))) {
        throw new Error('lookarounds and inline flags inside a pattern are not supported');
      }
    }
    source += char;
  }
  try {
    return new RegExp(source, flags + (unicode ? 'u' : ''));
  } catch (error) {
    throw new Error(`invalid regular expression: ${(error as Error).message}`);
  }
}
