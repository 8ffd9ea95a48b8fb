import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { fitsInt64, MAX_INT64_DIGITS, parseQuantity, pow10, type QuantityAmount as Quantity } from '../quantity';
import { comparisonMethods, opaqueCodec, QUANTITY_TYPE } from './opaque';

/** Only a quantity's exact amount and form take part in CEL arithmetic, not its format or text. */
const parseAmount = (text: string): Quantity => parseQuantity(text).amount;

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
    parseAmount(text);
    return true;
  } catch {
    return false;
  }
}

const Q = QUANTITY_TYPE.celType;

/** Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go). */
export const QUANTITY_FUNCTIONS: readonly CelFunc[] = [
  celFunc('quantity', [CelScalar.STRING], Q, (text) => toCel(parseAmount(text))),
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
