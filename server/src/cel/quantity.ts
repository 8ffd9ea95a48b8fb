import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { comparisonMethods, opaqueCodec, QUANTITY_TYPE } from './opaque';

/**
 * A Kubernetes resource.Quantity as apimachinery holds it: `unscaled × 10^exponent`, exactly, either in its int64 form
 * (`inDecimalForm` false: an int64 and a scale) or promoted to an arbitrary-precision decimal (inf.Dec). The form is
 * observable: only the int64 form with a scale of at least 0 converts to an integer (`quantity('1.5Gi').isInteger()`
 * is false, though 1.5Gi is a whole number of bytes).
 */
interface Quantity {
  unscaled: bigint;
  exponent: number;
  inDecimalForm: boolean;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const NANO = -9;
/** Kubernetes parses at most 18 digits into the int64 form (`maxInt64Factors`). */
const MAX_INT64_DIGITS = 18;
/** Exponents further apart than this are refused rather than written out digit by digit, to keep evaluation bounded. */
const MAX_EXPONENT_GAP = 10_000;

const SPLIT_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_PATTERN}'`;
const SUFFIX_ERROR = "unable to parse quantity's suffix";

const DECIMAL_SUFFIXES: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const fitsInt64 = (value: bigint) => value >= INT64_MIN && value <= INT64_MAX;

function pow10(exponent: number): bigint {
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
  binary: boolean;
}

function interpretSuffix(suffix: string): Suffix {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], binary: false };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], binary: true };
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const exponent = BigInt(suffix.slice(1));
    // Go parses an int64 and keeps its low 32 bits.
    if (fitsInt64(exponent)) return { base: 10, exponent: Number(BigInt.asIntN(32, exponent)), binary: false };
  }
  throw new Error(SUFFIX_ERROR);
}

/** resource.ParseQuantity: the int64 form when the digits fit and the scale is at least nano, else a decimal rounded up to nano. */
export function parseQuantity(text: string): Quantity {
  if (text.length === 0) throw new Error(FORMAT_ERROR);
  const { negative, numerator, fraction, suffix } = split(text);
  const { base, exponent, binary } = interpretSuffix(suffix);
  const digits = BigInt(numerator + fraction);
  const signed = (value: bigint) => (negative ? -value : value);

  let precision: number;
  let multiplier = 1n;
  let scale = 0;
  if (!binary) {
    scale = exponent;
    precision = MAX_INT64_DIGITS - (numerator.length + fraction.length);
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
      if (product <= INT64_MAX) return { unscaled: signed(product), exponent: scale, inDecimalForm: false };
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
  if (binary && unscaled > INT64_MAX * pow10(-decimalExponent)) {
    unscaled = INT64_MAX;
    decimalExponent = 0;
  }
  return { unscaled: signed(unscaled), exponent: decimalExponent, inDecimalForm: true };
}

/** A non-negative `unscaled × 10^exponent` (exponent below nano) as a count of nanos, rounded up. */
function divideRoundingUp(unscaled: bigint, exponent: number): bigint {
  const shift = NANO - exponent;
  if (shift > unscaled.toString().length) return 1n;
  const divisor = pow10(shift);
  return (unscaled + divisor - 1n) / divisor;
}

/** Magnitude order of a non-zero quantity: the power of ten just above its absolute value. */
function order(quantity: Quantity): number {
  const magnitude = quantity.unscaled < 0n ? -quantity.unscaled : quantity.unscaled;
  return magnitude.toString().length + quantity.exponent;
}

/** Exact comparison; the orders of magnitude settle far-apart exponents without writing them out. */
export function compareQuantities(left: Quantity, right: Quantity): -1 | 0 | 1 {
  const leftSign = sign(left);
  const rightSign = sign(right);
  if (leftSign !== rightSign) return leftSign < rightSign ? -1 : 1;
  if (leftSign === 0) return 0;
  const leftOrder = order(left);
  const rightOrder = order(right);
  if (leftOrder !== rightOrder) return (leftOrder > rightOrder ? leftSign : -leftSign) as -1 | 1;
  const [a, b] = aligned(left, right);
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Both unscaled values at the smaller of the two exponents. */
function aligned(left: Quantity, right: Quantity): [bigint, bigint] {
  const exponent = Math.min(left.exponent, right.exponent);
  return [left.unscaled * pow10(left.exponent - exponent), right.unscaled * pow10(right.exponent - exponent)];
}

function sign(quantity: Quantity): -1 | 0 | 1 {
  return quantity.unscaled === 0n ? 0 : quantity.unscaled < 0n ? -1 : 1;
}

/** Quantity.Add: in int64 form while both are and the sum fits at the smaller scale, else as decimals. */
function add(left: Quantity, right: Quantity): Quantity {
  if (!left.inDecimalForm && !right.inDecimalForm) {
    if (right.unscaled === 0n) return left;
    if (left.unscaled === 0n) return right;
    const exponent = Math.min(left.exponent, right.exponent);
    const gapFits = (quantity: Quantity) => quantity.exponent - exponent <= MAX_INT64_DIGITS + 1;
    if (gapFits(left) && gapFits(right)) {
      const [a, b] = aligned(left, right);
      if (fitsInt64(a) && fitsInt64(b) && fitsInt64(a + b)) return { unscaled: a + b, exponent, inDecimalForm: false };
    }
  }
  const [a, b] = aligned(left, right);
  return { unscaled: a + b, exponent: Math.min(left.exponent, right.exponent), inDecimalForm: true };
}

const negate = (quantity: Quantity): Quantity => ({ ...quantity, unscaled: -quantity.unscaled });

/** An int as `resource.NewQuantity(value, DecimalExponent)` makes it. */
const fromInt = (value: bigint): Quantity => ({ unscaled: value, exponent: 0, inDecimalForm: false });

/** Quantity.AsInt64: only the int64 form at a scale of 0 or more, without overflow. */
function asInt64(quantity: Quantity): bigint | undefined {
  if (quantity.inDecimalForm || quantity.exponent < 0) return undefined;
  if (quantity.unscaled === 0n) return 0n;
  if (quantity.exponent > MAX_INT64_DIGITS) return undefined;
  const value = quantity.unscaled * pow10(quantity.exponent);
  return fitsInt64(value) ? value : undefined;
}

// Go's math.Pow10 multiplies (or divides) two table entries, so its result can differ from 1eN in the last bit.
const POW10_SMALL = Array.from({ length: 32 }, (_, index) => Number(`1e${index}`));
const POW10_LARGE = Array.from({ length: 10 }, (_, index) => Number(`1e${index * 32}`));
const POW10_NEGATIVE = Array.from({ length: 11 }, (_, index) => Number(`1e-${index * 32}`));

function goPow10(exponent: number): number {
  if (exponent >= 0 && exponent <= 308) return POW10_LARGE[exponent >> 5] * POW10_SMALL[exponent & 31];
  if (exponent < 0 && exponent >= -323) return POW10_NEGATIVE[-exponent >> 5] / POW10_SMALL[-exponent & 31];
  return exponent > 0 ? Infinity : 0;
}

/** Quantity.AsApproximateFloat64: the unscaled value as a double times 10^exponent. */
function asApproximateFloat(quantity: Quantity): number {
  const base = Number(quantity.unscaled);
  return quantity.exponent === 0 ? base : base * goPow10(quantity.exponent);
}

/** The CEL value's field holds the exact value in lowest terms, so `==` compares amounts as Kubernetes does. */
function lowestTerms(quantity: Quantity): string {
  if (quantity.unscaled === 0n) return '0';
  let { unscaled, exponent } = quantity;
  while (unscaled % 10n === 0n) {
    unscaled /= 10n;
    exponent += 1;
  }
  return `${unscaled}e${exponent}`;
}

/** The form of each quantity value, which its message (compared by field) cannot carry. */
const { toCel, fromCel } = opaqueCodec(QUANTITY_TYPE, (quantity: Quantity) => ({ value: lowestTerms(quantity) }), 'quantity');

function isQuantityText(text: string): boolean {
  try {
    parseQuantity(text);
    return true;
  } catch {
    return false;
  }
}

const Q = QUANTITY_TYPE.celType;

/** Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go). */
export const QUANTITY_FUNCTIONS: readonly CelFunc[] = [
  celFunc('quantity', [CelScalar.STRING], Q, (text) => toCel(parseQuantity(text))),
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, isQuantityText),
  // Declared as a global overload, unlike the other functions: `sign(q)`.
  celFunc('sign', [Q], CelScalar.INT, (value) => BigInt(sign(fromCel(value)))),
  ...comparisonMethods(QUANTITY_TYPE, fromCel, compareQuantities),
  celMethod('asApproximateFloat', Q, [], CelScalar.DOUBLE, function (this: CelValue) {
    return asApproximateFloat(fromCel(this));
  }),
  celMethod('asInteger', Q, [], CelScalar.INT, function (this: CelValue) {
    const value = asInt64(fromCel(this));
    if (value === undefined) throw new Error('cannot convert value to integer');
    return value;
  }),
  celMethod('isInteger', Q, [], CelScalar.BOOL, function (this: CelValue) {
    return asInt64(fromCel(this)) !== undefined;
  }),
  celMethod('add', Q, [Q], Q, function (this: CelValue, other) {
    return toCel(add(fromCel(this), fromCel(other)));
  }),
  celMethod('add', Q, [CelScalar.INT], Q, function (this: CelValue, other: bigint) {
    return toCel(add(fromCel(this), fromInt(other)));
  }),
  celMethod('sub', Q, [Q], Q, function (this: CelValue, other) {
    return toCel(add(fromCel(this), negate(fromCel(other))));
  }),
  celMethod('sub', Q, [CelScalar.INT], Q, function (this: CelValue, other: bigint) {
    return toCel(add(fromCel(this), negate(fromInt(other))));
  }),
];
