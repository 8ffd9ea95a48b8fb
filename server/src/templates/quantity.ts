/**
 * Kubernetes resource quantities as the API server stores them. It parses `cpu: 0.5` or `memory: 1024Mi`
 * (k8s.io/apimachinery `resource.ParseQuantity`) and writes each back in canonical form (`500m`, `1Gi`),
 * so the canonical text is what Gatekeeper's templates read and print, not what the manifest says.
 */
import { isObject, type JsonObject, type JsonValue } from '../json';
import { BINARY_SUFFIX_BY_EXPONENT, DECIMAL_SUFFIX_BY_EXPONENT, parseQuantity, type ParsedQuantity } from '../quantity';

/** The absolute value `magnitude × 10^exponent` when it is a whole number. */
function integerValue(magnitude: bigint, exponent: number): bigint | undefined {
  if (exponent >= 0) return magnitude * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  return magnitude % divisor === 0n ? magnitude / divisor : undefined;
}

/** `Quantity.String()`: the mantissa with the exponent made a multiple of 3 (or of 10, in base 1024) and named by a suffix. */
function canonicalText({ amount: { unscaled, exponent }, format }: ParsedQuantity): string {
  if (unscaled === 0n) return '0';
  const sign = unscaled < 0n ? '-' : '';
  const magnitude = unscaled < 0n ? -unscaled : unscaled;
  if (format === 'BinarySI') {
    let whole = integerValue(magnitude, exponent);
    if (whole !== undefined && whole >= 1024n) {
      let binaryExponent = 0;
      while (whole >= 1024n && whole % 1024n === 0n) {
        whole /= 1024n;
        binaryExponent += 10;
      }
      return `${sign}${whole}${BINARY_SUFFIX_BY_EXPONENT.get(binaryExponent) ?? ''}`;
    }
  }
  // Small and fractional binary values are printed as decimals, so that nothing is rounded.
  let digits = magnitude;
  let decimalExponent = exponent;
  while (digits >= 10n && digits % 10n === 0n) {
    digits /= 10n;
    decimalExponent += 1;
  }
  while (decimalExponent % 3 !== 0) {
    digits *= 10n;
    decimalExponent -= 1;
  }
  if (format === 'DecimalExponent') return `${sign}${digits}${decimalExponent === 0 ? '' : `e${decimalExponent}`}`;
  // The API server prints no suffix for exponents beyond its table (its own quirk).
  return `${sign}${digits}${DECIMAL_SUFFIX_BY_EXPONENT.get(decimalExponent) ?? ''}`;
}

/** The text the API server stores for a quantity written as `value`; undefined when it refuses the value. */
export function canonicalQuantity(value: string | number): string | undefined {
  // A number reaches the API server as its JSON text; a string is trimmed first.
  const text = typeof value === 'number' ? String(value) : value.trim();
  let parsed: ParsedQuantity;
  try {
    parsed = parseQuantity(text);
  } catch {
    return undefined;
  }
  return parsed.keptText ?? canonicalText(parsed);
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
