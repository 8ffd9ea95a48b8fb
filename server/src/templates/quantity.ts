/**
 * Kubernetes resource quantities as the API server stores them. It parses `cpu: 0.5` or `memory: 1024Mi`
 * (k8s.io/apimachinery `resource.ParseQuantity`) and writes each back in canonical form (`500m`, `1Gi`),
 * so the canonical text is what Gatekeeper's templates read and print, not what the manifest says.
 */
import { isObject, type JsonObject, type JsonValue } from '../json';

type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** An exact quantity: `sign × mantissa × 10^scale`. */
interface Quantity {
  negative: boolean;
  mantissa: bigint;
  scale: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exponent]) => [exponent, suffix]));
const BINARY_SUFFIX_BY_EXPONENT = new Map([[0, ''], ...Object.entries(BINARY_SUFFIXES).map(([suffix, exponent]): [number, string] => [exponent, suffix])]);

/** Sign, digits before and after the point, and a suffix of suffix letters, an optional sign and digits. */
const QUANTITY_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)$/;
const NANO_SCALE = -9;
/** Binary quantities are capped at the largest int64. */
const MAX_BINARY = 2n ** 63n - 1n;
/** Digits an int64 always holds: longer numbers take the slow, always-canonical path. */
const MAX_INT64_DIGITS = 18;

interface ParsedText {
  quantity: Quantity;
  /** Set when the API server keeps the text as written (its fast path for text already in canonical form). */
  keptText?: string;
}

function suffixOf(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** `resource.ParseQuantity`, exactly: rounded up to a nano, binary values capped. Undefined for text it refuses. */
function parseQuantity(text: string): ParsedText | undefined {
  if (text === '') return undefined;
  if (text === '0') return { quantity: { negative: false, mantissa: 0n, scale: 0, format: 'DecimalSI' }, keptText: text };
  const parts = QUANTITY_TEXT.exec(text);
  if (!parts) return undefined;
  const [, sign = '', digits = '', fraction = '', suffixText = ''] = parts;
  const suffix = suffixOf(suffixText);
  if (!suffix) return undefined;
  const numerator = digits.replace(/^0+/, '') || '0';
  const shifted = numerator + fraction;
  let mantissa = BigInt(shifted);
  let scale = -fraction.length;
  if (suffix.base === 10) scale += suffix.exponent;
  else mantissa *= 2n ** BigInt(suffix.exponent);
  const keptText = keepsText(text, shifted, fraction, suffix);
  if (scale < NANO_SCALE && mantissa !== 0n) {
    // Rounds away from zero: asking for a little still gets something. A shift past every digit leaves one nano,
    // without computing a power of ten as large as the exponent someone typed.
    const shift = NANO_SCALE - scale;
    if (shift > mantissa.toString().length) mantissa = 1n;
    else {
      const divisor = 10n ** BigInt(shift);
      mantissa = (mantissa + divisor - 1n) / divisor;
    }
    scale = NANO_SCALE;
  }
  let format = suffix.format;
  if (format === 'BinarySI') {
    if (compareToInteger(mantissa, scale, MAX_BINARY) > 0) [mantissa, scale] = [MAX_BINARY, 0];
    if (mantissa !== 0n && compareToInteger(mantissa, scale, 1n) < 0) format = 'DecimalSI';
  }
  const quantity: Quantity = { negative: sign === '-' && mantissa !== 0n, mantissa, scale, format };
  return keptText === undefined ? { quantity } : { quantity, keptText };
}

/**
 * The API server keeps the written text when its int64 fast path sees it is already canonical: a decimal
 * whose scale is a multiple of 3 without trailing zeros, or a binary whose number is not a multiple of 8.
 * The text is kept as written, so a sign or leading zeros survive (`+100m`, `0030Mi`).
 */
function keepsText(text: string, shifted: string, fraction: string, suffix: { base: 10 | 2; exponent: number }): string | undefined {
  if (suffix.base === 2) {
    if (fraction !== '' || shifted.length > MAX_INT64_DIGITS) return undefined;
    const value = BigInt(shifted);
    if (value << BigInt(suffix.exponent) > MAX_BINARY) return undefined;
    return suffix.exponent % 10 === 0 && (value & 7n) !== 0n ? text : undefined;
  }
  const scale = suffix.exponent - fraction.length;
  if (shifted.length > MAX_INT64_DIGITS || scale < NANO_SCALE) return undefined;
  return scale % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0') ? text : undefined;
}

/** Compares `mantissa × 10^scale` with an integer. */
function compareToInteger(mantissa: bigint, scale: number, integer: bigint): number {
  const [left, right] = scale >= 0 ? [mantissa * 10n ** BigInt(scale), integer] : [mantissa, integer * 10n ** BigInt(-scale)];
  return left === right ? 0 : left > right ? 1 : -1;
}

/** The quantity's absolute value when it is a whole number. */
function integerValue({ mantissa, scale }: Quantity): bigint | undefined {
  if (scale >= 0) return mantissa * 10n ** BigInt(scale);
  const divisor = 10n ** BigInt(-scale);
  return mantissa % divisor === 0n ? mantissa / divisor : undefined;
}

/** `Quantity.String()`: the mantissa with the exponent made a multiple of 3 (or of 10, in base 1024) and named by a suffix. */
function canonicalText(quantity: Quantity): string {
  if (quantity.mantissa === 0n) return '0';
  const sign = quantity.negative ? '-' : '';
  const whole = integerValue(quantity);
  if (quantity.format === 'BinarySI' && whole !== undefined) {
    let amount = whole;
    if (amount >= 1024n) {
      let exponent = 0;
      while (amount >= 1024n && amount % 1024n === 0n) {
        amount /= 1024n;
        exponent += 10;
      }
      return `${sign}${amount}${BINARY_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
    }
  }
  // Small and fractional binary values are printed as decimals, so that nothing is rounded.
  let amount = quantity.mantissa;
  let exponent = quantity.scale;
  while (amount >= 10n && amount % 10n === 0n) {
    amount /= 10n;
    exponent += 1;
  }
  while (exponent % 3 !== 0) {
    amount *= 10n;
    exponent -= 1;
  }
  if (quantity.format === 'DecimalExponent') return `${sign}${amount}${exponent === 0 ? '' : `e${exponent}`}`;
  // The API server prints no suffix for exponents beyond its table (its own quirk).
  return `${sign}${amount}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
}

/** The text the API server stores for a quantity written as `value`; undefined when it refuses the value. */
export function canonicalQuantity(value: string | number): string | undefined {
  // A number reaches the API server as its JSON text; a string is trimmed first.
  const text = typeof value === 'number' ? String(value) : value.trim();
  const parsed = parseQuantity(text);
  if (!parsed) return undefined;
  return parsed.keptText ?? canonicalText(parsed.quantity);
}

/**
 * A container's `limits` or `requests` as the API server stores them: each quantity in canonical form
 * (`null` is the zero quantity), and an empty list left out. A value it would refuse is kept as written,
 * so that a template still judges it as its Rego would.
 */
export function servedResourceList(value: JsonValue | undefined): JsonValue | undefined {
  if (value === null) return undefined;
  if (!isObject(value)) return value;
  const served: JsonObject = {};
  for (const [name, quantity] of Object.entries(value)) {
    if (quantity === null) served[name] = '0';
    else if (typeof quantity === 'string' || typeof quantity === 'number') served[name] = canonicalQuantity(quantity) ?? quantity;
    else served[name] = quantity;
  }
  return Object.keys(served).length === 0 ? undefined : served;
}
