import { RegoError, type Location } from './errors';

export type TokenKind = 'identifier' | 'string' | 'number' | 'operator' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The identifier or operator as written; for a string, its decoded value; for a number, its literal. */
  text: string;
  location: Location;
  /** Offset just past the token. */
  end: number;
  /** A line break since the previous token: it ends a body literal, as in OPA. */
  newlineBefore: boolean;
  /** Whitespace or a comment since the previous token: `a [0]` is not an index, `a[0]` is. */
  spaceBefore: boolean;
}

// Longest first, so `:=` wins over `:` and `==` over `=`.
const OPERATORS = [':=', '==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%', '&', '|', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.'];

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

const NUMBER = /(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Splits Rego source into tokens, with positions for error messages and for mapping results back. */
export function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  let newlineBefore = false;
  let spaceBefore = false;
  const locationAt = (at: number): Location => ({ file, line, column: at - lineStart + 1, offset: at });
  const fail = (at: number, detail: string): never => {
    throw new RegoError('rego_parse_error', detail, locationAt(at));
  };

  while (offset < source.length) {
    const char = source[offset];
    if (char === '\n') {
      offset++;
      line++;
      lineStart = offset;
      newlineBefore = true;
      spaceBefore = true;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      offset++;
      spaceBefore = true;
      continue;
    }
    if (char === '#') {
      while (offset < source.length && source[offset] !== '\n') offset++;
      spaceBefore = true;
      continue;
    }
    const start = offset;
    const location = locationAt(start);
    let kind: TokenKind;
    let text: string;
    if (char === '"') {
      kind = 'string';
      text = '';
      offset++;
      for (;;) {
        if (offset >= source.length || source[offset] === '\n') fail(start, 'non-terminated string');
        const c = source[offset];
        if (c === '"') {
          offset++;
          break;
        }
        if (c === '\\') {
          const escape = source[offset + 1];
          if (escape === 'u') {
            const hex = source.slice(offset + 2, offset + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(offset, 'illegal \\u escape in string');
            text += String.fromCharCode(parseInt(hex, 16));
            offset += 6;
          } else if (escape !== undefined && escape in JSON_ESCAPES) {
            text += JSON_ESCAPES[escape];
            offset += 2;
          } else {
            fail(offset, `illegal escape sequence \\${escape ?? ''} in string`);
          }
          continue;
        }
        text += c;
        offset++;
      }
    } else if (char === '`') {
      kind = 'string';
      const close = source.indexOf('`', offset + 1);
      if (close < 0) fail(start, 'non-terminated raw string');
      text = source.slice(offset + 1, close);
      // Raw strings may span lines; keep line numbers right for what follows.
      for (let i = offset + 1; i < close; i++) {
        if (source[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      offset = close + 1;
    } else if (char >= '0' && char <= '9') {
      kind = 'number';
      NUMBER.lastIndex = offset;
      const match = NUMBER.exec(source);
      text = match ? match[0] : char;
      offset += text.length;
    } else if (/[A-Za-z_]/.test(char)) {
      kind = 'identifier';
      IDENTIFIER.lastIndex = offset;
      text = (IDENTIFIER.exec(source) as RegExpExecArray)[0];
      offset += text.length;
    } else {
      kind = 'operator';
      const operator = OPERATORS.find((candidate) => source.startsWith(candidate, offset));
      if (operator === undefined) return fail(start, `illegal token ${JSON.stringify(char)}`);
      text = operator;
      offset += operator.length;
    }
    tokens.push({ kind, text, location, end: offset, newlineBefore, spaceBefore });
    newlineBefore = false;
    spaceBefore = false;
  }
  tokens.push({ kind: 'eof', text: '', location: locationAt(offset), end: offset, newlineBefore: true, spaceBefore: true });
  return tokens;
}
