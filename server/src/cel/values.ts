import type { CelInput } from '@bufbuild/cel';
import type { JsonValue } from '../json';

/**
 * A JSON value as Kubernetes hands it to CEL: objects become maps, whole numbers `int` (JSON from the API server
 * decodes them as int64) and other numbers `double`, so that `string(port)` is "80" and `port + 1` is an int.
 */
export function celInputOf(value: JsonValue): CelInput {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celInputOf);
  return new Map(Object.entries(value).map(([key, entry]) => [key, celInputOf(entry)]));
}
