/**
 * Kubernetes resource quantities (`cpu: 0.5`, `memory: 1024Mi`) parsed exactly as k8s.io/apimachinery's
 * `resource.ParseQuantity` does, with its error messages. The templates write them back in canonical form;
 * the CEL quantity library compares and adds them.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/**
 * `unscaled × 10^exponent`, exactly, either in apimachinery's int64 form (`inDecimalForm` false: an int64 and a scale)
 * or promoted to an arbitrary-precision decimal (inf.Dec). The form is observable: only the int64 form with a scale of
 * at least 0 converts to an integer (`quantity('1.5Gi').isInteger()` is false, though 1.5Gi is a whole number of bytes).
 */
export interface QuantityAmount {
  unscaled: bigint;
  exponent: number;
  inDecimalForm: boolean;
}

export interface ParsedQuantity {
  amount: QuantityAmount;
  format: QuantityFormat;
  /**
   * Set when the API server keeps the text as written: its int64 fast path keeps text already in canonical form,
   * sign and leading zeros included (`+100m`, `0030Mi`).
   */
  keptText?: string;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const NANO = -9;
/** Kubernetes parses at most 18 digits into the int64 form (`maxInt64Factors`). */
export const MAX_INT64_DIGITS = 18;
/** Exponents further apart than this are refused rather than written out digit by digit, to keep evaluation bounded. */
const MAX_EXPONENT_GAP = 10_000;

const SPLIT_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_PATTERN}'`;
const SUFFIX_ERROR = "unable to parse quantity's suffix";

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** The suffix for each exponent, as `Quantity.String()` names it. */
export const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exponent]) => [exponent, suffix]));
export const BINARY_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map([
  [0, ''],
  ...Object.entries(BINARY_SUFFIXES).map(([suffix, exponent]): [number, string] => [exponent, suffix]),
]);

export const fitsInt64 = (value: bigint) => value >= INT64_MIN && value <= INT64_MAX;

/** 10^exponent, refusing exponents too large to write out. */
export function pow10(exponent: number): bigint {
  if (exponent > MAX_EXPONENT_GAP) throw new Error('quantity exponent out of range for exact arithmetic');
  return 10n ** BigInt(exponent);
}

interface SplitQuantity {
  negative: boolean;
  numerator: string;
  fraction: string;
  suffix: string;
}

/** apimachinery's scanner: sign, digits (leading zeros dropped), optional `.digits`, then the suffix characters. */
function split(text: string): SplitQuantity {
  const match = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?(.*)$/s.exec(text);
  if (!match) throw new Error(FORMAT_ERROR);
  const [, sign, numerator, fraction = '', suffix] = match;
  // The suffix is letters of "eEinumkKMGTP", an optional sign, then digits, and nothing else.
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) throw new Error(FORMAT_ERROR);
  return { negative: sign === '-', numerator: numerator === '' ? '0' : numerator, fraction, suffix };
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const exponent = BigInt(suffix.slice(1));
    // Go parses an int64 and keeps its low 32 bits.
    if (fitsInt64(exponent)) return { base: 10, exponent: Number(BigInt.asIntN(32, exponent)), format: 'DecimalExponent' };
  }
  throw new Error(SUFFIX_ERROR);
}

/**
 * `resource.ParseQuantity`: the int64 form when the digits fit and the scale is at least nano, else a decimal rounded
 * up to nano with binary values capped at the largest int64. Throws Kubernetes' message for text it refuses.
 */
export function parseQuantity(text: string): ParsedQuantity {
  if (text.length === 0) throw new Error(FORMAT_ERROR);
  const { negative, numerator, fraction, suffix } = split(text);
  const { base, exponent, format: suffixFormat } = interpretSuffix(suffix);
  const binary = base === 2;
  const shifted = numerator + fraction;
  const digits = BigInt(shifted);
  const signed = (value: bigint) => (negative ? -value : value);

  let precision: number;
  let multiplier = 1n;
  let scale = 0;
  if (!binary) {
    scale = exponent;
    precision = MAX_INT64_DIGITS - shifted.length;
  } else if (fraction.length === 0) {
    multiplier = 1n << BigInt(exponent);
    // apimachinery's estimate of the decimal digits left once multiplied by 2^exponent.
    precision = 15 - numerator.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0) {
    scale -= fraction.length;
    if (scale >= NANO) {
      const product = digits * multiplier;
      if (product <= INT64_MAX) {
        const parsed: ParsedQuantity = { amount: { unscaled: signed(product), exponent: scale, inDecimalForm: false }, format: suffixFormat };
        // Canonical already: a binary number that is not a multiple of 8, or a decimal whose scale is a multiple of 3 without trailing zeros.
        const canonical = binary ? (digits & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0');
        return canonical ? { ...parsed, keptText: text } : parsed;
      }
    }
  }

  let unscaled = digits;
  let decimalExponent = -fraction.length;
  if (base === 10) decimalExponent += exponent;
  else unscaled *= 1n << BigInt(exponent);
  if (unscaled !== 0n) {
    // Rounded up (away from zero) to nano: "if you want some resources, you should get some".
    if (decimalExponent >= NANO) unscaled *= pow10(decimalExponent - NANO);
    else unscaled = divideRoundingUp(unscaled, decimalExponent);
    decimalExponent = NANO;
  }
  let format = suffixFormat;
  if (binary) {
    if (unscaled > INT64_MAX * pow10(-decimalExponent)) [unscaled, decimalExponent] = [INT64_MAX, 0];
    // A binary amount below 1 is printed as a decimal, so that nothing is rounded.
    if (unscaled !== 0n && unscaled < pow10(-decimalExponent)) format = 'DecimalSI';
  }
  return { amount: { unscaled: signed(unscaled), exponent: decimalExponent, inDecimalForm: true }, format };
}

/** A non-negative `unscaled × 10^exponent` (exponent below nano) as a count of nanos, rounded up. */
function divideRoundingUp(unscaled: bigint, exponent: number): bigint {
  const shift = NANO - exponent;
  if (shift > unscaled.toString().length) return 1n;
  const divisor = pow10(shift);
  return (unscaled + divisor - 1n) / divisor;
}
