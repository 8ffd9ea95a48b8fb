import { RegoSet, sortValues, type Value } from './value';

/**
 * Values as OPA prints them (`ast.Value.String()`): what a message shows for `sprintf("%v", [x])` when x is not a
 * string or number. Keys and set members are sorted; strings are Go-quoted.
 */
export function formatValue(value: Value): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      return formatNumberLiteral(value);
    case 'string':
      return goQuote(value);
  }
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value instanceof RegoSet) return value.size === 0 ? 'set()' : `{${sortValues(value.values()).map(formatValue).join(', ')}}`;
  const keys = sortValues(value.keys());
  return `{${keys.map((key) => `${formatValue(key)}: ${formatValue(value.get(key) as Value)}`).join(', ')}}`;
}

/** A number as JSON text, without exponents for integers JavaScript would print as `1e+21`. */
function formatNumberLiteral(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) >= 1e21) return BigInt(value).toString();
  return String(value === 0 ? 0 : value);
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };

/** Go's strconv.Quote for the characters that matter: escapes, control characters as \x.., the rest as is. */
function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const escape = GO_ESCAPES[char];
    if (escape !== undefined) quoted += escape;
    else {
      const code = char.codePointAt(0) as number;
      quoted += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
    }
  }
  return `${quoted}"`;
}

/** An argument of sprintf as OPA hands it to Go's fmt: an int, a float64, a string, or another value's text. */
type GoArgument = { type: 'int'; value: number } | { type: 'float64'; value: number } | { type: 'string'; value: string };

function toGoArgument(value: Value): GoArgument {
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'int', value } : { type: 'float64', value };
  if (typeof value === 'string') return { type: 'string', value };
  return { type: 'string', value: formatValue(value) };
}

interface Directive {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  sharp: boolean;
  width?: number;
  precision?: number;
  verb: string;
}

const DIRECTIVE = /%([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])?/y;

/** OPA's `sprintf`: Go's fmt.Sprintf over the arguments, including Go's `%!v(MISSING)` style complaints. */
export function sprintf(format: string, values: Value[]): string {
  const args = values.map(toGoArgument);
  let output = '';
  let next = 0;
  let index = 0;
  while (index < format.length) {
    const percent = format.indexOf('%', index);
    if (percent < 0) {
      output += format.slice(index);
      break;
    }
    output += format.slice(index, percent);
    DIRECTIVE.lastIndex = percent;
    const match = DIRECTIVE.exec(format) as RegExpExecArray;
    index = DIRECTIVE.lastIndex;
    const [, flags, width, precision, verb] = match;
    if (verb === undefined) {
      output += '%!(NOVERB)';
      continue;
    }
    if (verb === '%') {
      output += '%';
      continue;
    }
    const directive: Directive = {
      minus: flags.includes('-'),
      plus: flags.includes('+'),
      zero: flags.includes('0'),
      space: flags.includes(' '),
      sharp: flags.includes('#'),
      width: width === undefined ? undefined : Number(width),
      precision: precision === undefined ? undefined : Number(precision || '0'),
      verb,
    };
    const arg = args[next++];
    output += arg === undefined ? `%!${verb}(MISSING)` : formatArgument(directive, arg);
  }
  if (next < args.length) output += `%!(EXTRA ${args.slice(next).map((arg) => `${arg.type}=${plainText(arg)}`).join(', ')})`;
  return output;
}

function plainText(arg: GoArgument): string {
  if (arg.type === 'string') return arg.value;
  return arg.type === 'int' ? integerText(arg.value) : goFloatG(arg.value);
}

function formatArgument(directive: Directive, arg: GoArgument): string {
  const { verb } = directive;
  const bad = () => `%!${verb}(${arg.type}=${plainText(arg)})`;
  let text: string;
  let numeric = false;
  if (arg.type === 'string') {
    if (verb === 'v' || verb === 's') text = directive.precision === undefined ? arg.value : [...arg.value].slice(0, directive.precision).join('');
    else if (verb === 'q') text = goQuote(arg.value);
    else if (verb === 'x' || verb === 'X') text = hexOfText(arg.value, verb === 'X');
    else return bad();
  } else if (arg.type === 'int') {
    numeric = true;
    const value = arg.value;
    if (verb === 'v' || verb === 'd') text = integerText(value);
    else if (verb === 'x' || verb === 'X' || verb === 'o' || verb === 'b') {
      const radix = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      text = (value < 0 ? '-' : '') + BigInt(Math.abs(value)).toString(radix);
      if (verb === 'X') text = text.toUpperCase();
    } else if (verb === 'c') text = String.fromCodePoint(value);
    else if (verb === 'q') text = `'${String.fromCodePoint(value)}'`;
    else return bad();
  } else {
    numeric = true;
    const value = arg.value;
    if (verb === 'v' || verb === 'g' || verb === 'G') text = directive.precision === undefined ? goFloatG(value) : goFloatGWithPrecision(value, directive.precision);
    else if (verb === 'f' || verb === 'F') text = value.toFixed(directive.precision ?? 6);
    else if (verb === 'e' || verb === 'E') text = goExponent(value.toExponential(directive.precision ?? 6));
    else return bad();
    if (verb === 'G' || verb === 'E') text = text.toUpperCase();
  }
  if (numeric && !text.startsWith('-')) {
    if (directive.plus) text = `+${text}`;
    else if (directive.space) text = ` ${text}`;
  }
  return pad(text, directive, numeric);
}

function pad(text: string, directive: Directive, numeric: boolean): string {
  const length = [...text].length;
  if (directive.width === undefined || length >= directive.width) return text;
  const fill = directive.width - length;
  if (directive.minus) return text + ' '.repeat(fill);
  if (directive.zero && numeric) {
    const sign = /^[+\- ]/.test(text) ? text[0] : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function hexOfText(text: string, upper: boolean): string {
  const hex = Buffer.from(text, 'utf8').toString('hex');
  return upper ? hex.toUpperCase() : hex;
}

function integerText(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/** `1e+06`: Go writes at least two exponent digits, JavaScript one. */
function goExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go's %v of a float64: the shortest digits, in exponent form when the exponent is below -4 or at least 6 (`1.5e+06`). */
function goFloatG(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return goExponent(`${mantissa}e${exponentText}`);
  return String(value);
}

function goFloatGWithPrecision(value: number, precision: number): string {
  const significant = Math.max(precision, 1);
  const [mantissa, exponentText] = value.toExponential(significant - 1).split('e');
  const exponent = Number(exponentText);
  const trimmed = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
  if (exponent < -4 || exponent >= significant) return goExponent(`${trimmed(mantissa)}e${exponentText}`);
  return trimmed(value.toFixed(Math.max(significant - 1 - exponent, 0)));
}
