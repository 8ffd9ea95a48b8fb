import { BuiltinError } from './errors';

/**
 * `glob.match` patterns (gobwas/glob, as OPA uses it) as a RegExp: `*` is any run without a delimiter, `**` any
 * run at all, `?` one non-delimiter character, `[a-z]` / `[!a-z]` character classes, `{a,b}` alternatives and
 * `\` an escape.
 */
export function compileGlob(pattern: string, delimiters: string[]): RegExp {
  const notDelimiter = delimiters.length === 0 ? '[\\s\\S]' : `[^${delimiters.map(escapeInClass).join('')}]`;
  let index = 0;
  let depth = 0;
  let source = '';
  while (index < pattern.length) {
    const char = pattern[index++];
    if (char === '\\') {
      if (index >= pattern.length) throw new BuiltinError('glob: unexpected end of pattern after \\');
      source += escapeLiteral(pattern[index++]);
    } else if (char === '*') {
      if (pattern[index] === '*') {
        index++;
        source += '[\\s\\S]*';
      } else source += `${notDelimiter}*`;
    } else if (char === '?') source += notDelimiter;
    else if (char === '[') {
      const close = pattern.indexOf(']', index);
      if (close < 0) throw new BuiltinError('glob: unclosed character class');
      let body = pattern.slice(index, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      index = close + 1;
    } else if (char === '{') {
      depth++;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else source += escapeLiteral(char);
  }
  if (depth > 0) throw new BuiltinError('glob: unclosed {');
  return new RegExp(`^${source}$`);
}

function escapeLiteral(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

function escapeInClass(char: string): string {
  return /[\\\]^-]/.test(char) ? `\\${char}` : char;
}

/** `glob.quote_meta`: escapes the characters that have a meaning in a glob. */
export function quoteGlobMeta(text: string): string {
  return text.replace(/[*?\\[\]{}]/g, '\\$&');
}
