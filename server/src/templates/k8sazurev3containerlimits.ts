import { getPath, isObject } from '../json';
import type { JsonObject, JsonValue, Path } from '../json';
import { checkedContainers, containerField, culpritAt, fixIfApplicable, isTruthy, sprintf, storeUrl, ViolationSet } from './common';
import type { InputContainer } from './common';
import { canonicalQuantity, servedResourceList } from './quantity';
import type { ConstraintTemplate, FixProposal, Review } from './types';

/** An exact decimal, `mantissa × 10^exponent`: OPA's numbers are exact, JavaScript's floats are not (0.57 × 1000). */
interface Decimal {
  mantissa: bigint;
  exponent: number;
}

const DECIMAL_NUMBER = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

/** Decimal orders of magnitude of float64's range, outside which Go's ParseFloat errs (too large) or gives 0 (too small). */
const LARGEST_ORDER = 309;
const SMALLEST_ORDER = -324;

/** OPA's `to_number` on a string (Go's ParseFloat syntax, decimal form); undefined where it errs. */
function toNumber(text: string): Decimal | undefined {
  const parts = DECIMAL_NUMBER.exec(text);
  if (!parts) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = parts;
  if (whole === '' && fraction === '') return undefined;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  const exponent = Number(exponentText) - fraction.length;
  // Bounding the exponent also keeps the powers of ten below small.
  const order = digits.length + exponent;
  if (digits === '' || order < SMALLEST_ORDER) return { mantissa: 0n, exponent: 0 };
  if (order > LARGEST_ORDER) return undefined;
  const mantissa = BigInt(digits);
  return { mantissa: sign === '-' ? -mantissa : mantissa, exponent };
}

function numberAsDecimal(value: number): Decimal | undefined {
  return Number.isFinite(value) ? toNumber(String(value)) : undefined;
}

function times(value: Decimal, factor: bigint): Decimal {
  return { mantissa: value.mantissa * factor, exponent: value.exponent };
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const exponent = Math.min(a.exponent, b.exponent);
  const left = a.mantissa * 10n ** BigInt(a.exponent - exponent);
  const right = b.mantissa * 10n ** BigInt(b.exponent - exponent);
  return left === right ? 0 : left > right ? 1 : -1;
}

const PLAIN_NUMBER = /^[0-9]+(\.[0-9]+)?$/;

/** The template's CPU parser, in millicores: a number of cores, `<n>m`, or a plain decimal. Nothing else (not `1k`). */
function cpuMillicores(value: JsonValue | undefined): Decimal | undefined {
  if (typeof value === 'number') {
    const cores = numberAsDecimal(value);
    return cores && times(cores, 1000n);
  }
  if (typeof value !== 'string') return undefined;
  // Every `m` goes, not only the suffix.
  if (value.endsWith('m')) return toNumber(value.replaceAll('m', ''));
  const number = PLAIN_NUMBER.test(value) ? toNumber(value) : undefined;
  return number && times(number, 1000n);
}

/** The template's memory multipliers, in millibytes: its decimal and binary suffixes, and `m`. */
const MEMORY_MULTIPLES: ReadonlyMap<string, bigint> = new Map([
  ['E', 10n ** 21n],
  ['P', 10n ** 18n],
  ['T', 10n ** 15n],
  ['G', 10n ** 12n],
  ['M', 10n ** 9n],
  ['k', 10n ** 6n],
  ['', 1000n],
  ['m', 1n],
  ['Ki', 1000n * 2n ** 10n],
  ['Mi', 1000n * 2n ** 20n],
  ['Gi', 1000n * 2n ** 30n],
  ['Ti', 1000n * 2n ** 40n],
  ['Pi', 1000n * 2n ** 50n],
  ['Ei', 1000n * 2n ** 60n],
]);

/** The suffix the template reads off a memory string: its last one or two characters when they name a multiple, else none. */
function memorySuffix(text: string): string {
  const characters = Array.from(text);
  const last = characters.slice(-1).join('');
  if (characters.length > 0 && MEMORY_MULTIPLES.has(last)) return last;
  const lastTwo = characters.slice(-2).join('');
  if (characters.length > 1 && MEMORY_MULTIPLES.has(lastTwo)) return lastTwo;
  return '';
}

/** The template's memory parser, in millibytes. Every occurrence of the suffix is removed before the number is read. */
function memoryMillibytes(value: JsonValue | undefined): Decimal | undefined {
  if (typeof value === 'number') {
    const number = numberAsDecimal(value);
    return number && times(number, 1000n);
  }
  if (typeof value !== 'string') return undefined;
  const suffix = memorySuffix(value);
  const raw = suffix === '' ? value : value.replaceAll(suffix, '');
  const number = PLAIN_NUMBER.test(raw) ? toNumber(raw) : undefined;
  const multiple = MEMORY_MULTIPLES.get(suffix);
  return number && multiple !== undefined ? times(number, multiple) : undefined;
}

interface Resource {
  name: 'cpu' | 'memory';
  parameter: 'cpuLimit' | 'memoryLimit';
  parse(value: JsonValue | undefined): Decimal | undefined;
}

const CPU: Resource = { name: 'cpu', parameter: 'cpuLimit', parse: cpuMillicores };
const MEMORY: Resource = { name: 'memory', parameter: 'memoryLimit', parse: memoryMillibytes };
const RESOURCES: readonly Resource[] = [CPU, MEMORY];

/** The maximum a constraint allows for one resource, as written and as the template reads it. */
interface Maximum {
  text: JsonValue;
  value: Decimal;
}

function maximumOf(parameters: JsonObject, resource: Resource): Maximum | undefined {
  const text = getPath(parameters, [resource.parameter]);
  const value = resource.parse(text);
  return text === undefined || value === undefined ? undefined : { text, value };
}

/**
 * The limit a fix may write: the maximum, when the API server stores it in a form the template can
 * read, and not below the container's request (the API server refuses a request above its limit).
 */
function safeLimit(review: Review, container: InputContainer, resource: Resource, maximum: Maximum | undefined): string | undefined {
  if (!maximum || (typeof maximum.text !== 'string' && typeof maximum.text !== 'number')) return undefined;
  const stored = canonicalQuantity(maximum.text);
  const storedValue = stored === undefined ? undefined : resource.parse(stored);
  if (storedValue === undefined || compareDecimals(storedValue, maximum.value) > 0) return undefined;
  const requests = servedResourceList(getPath(review.object, [...container.path, 'resources', 'requests']));
  const request = isObject(requests) ? requests[resource.name] : undefined;
  if (request !== undefined) {
    const requestValue = resource.parse(request);
    if (requestValue === undefined || compareDecimals(requestValue, storedValue) > 0) return undefined;
  }
  return String(maximum.text);
}

/** Lowering or adding a limit may starve the workload: offered, never preferred. */
function setLimitsFix(review: Review, path: Path, value: JsonValue, title: string): FixProposal | undefined {
  return fixIfApplicable(review.object, title, false, [{ op: 'set', path, value }]);
}

/**
 * Flags regular and init containers without CPU and memory limits, with limits the template cannot
 * parse, or above `cpuLimit` / `memoryLimit`. Limits are read as the API server stores them: `cpu: 0.5`
 * becomes `500m`, `cpu: 1000` becomes `1k`, which this template cannot parse, and `memory: 2048Mi`
 * becomes `2Gi`.
 */
export const k8sazurev3containerlimits: ConstraintTemplate = {
  name: 'k8sazurev3containerlimits',
  kind: 'K8sAzureV3ContainerLimits',
  storeUrl: storeUrl('container-resource-limits', 'v3'),
  check(review, parameters) {
    const maximums = new Map(RESOURCES.map((resource) => [resource, maximumOf(parameters, resource)]));
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { lists: ['containers', 'initContainers'] })) {
      const name = containerField(container, 'name');
      const namePath = [...container.path, 'name'];
      const limitsPath = [...container.path, 'resources', 'limits'];
      const limits = servedResourceList(getPath(review.object, limitsPath));

      if (!isTruthy(containerField(container, 'resources')) || !isTruthy(limits)) {
        const message = sprintf('container <%v> has no resource limits', [name]);
        if (message === undefined) continue;
        const cpu = safeLimit(review, container, CPU, maximums.get(CPU));
        const memory = safeLimit(review, container, MEMORY, maximums.get(MEMORY));
        const title = `Set the limits to the maximum allowed (cpu ${String(cpu)}, memory ${String(memory)})`;
        const fix = cpu !== undefined && memory !== undefined ? setLimitsFix(review, limitsPath, { cpu, memory }, title) : undefined;
        violations.add(message, culpritAt(limitsPath, namePath, [fix]));
        continue;
      }

      for (const resource of RESOURCES) {
        const limitPath = [...limitsPath, resource.name];
        const limit = isObject(limits) ? limits[resource.name] : undefined;
        const allowed = safeLimit(review, container, resource, maximums.get(resource));
        const fixes = [allowed === undefined ? undefined : setLimitsFix(review, limitPath, allowed, `Set the ${resource.name} limit to the maximum allowed, ${allowed}`)];
        if (!isTruthy(limit) || limit === '') {
          const message = sprintf(`container <%v> has no ${resource.name} limit`, [name]);
          if (message !== undefined) violations.add(message, culpritAt(limitPath, limitsPath, fixes));
        }
        if (limit === undefined) continue;
        const value = resource.parse(limit);
        const maximum = maximums.get(resource);
        if (value === undefined) {
          const message = sprintf(`container <%v> ${resource.name} limit <%v> could not be parsed`, [name, limit]);
          if (message !== undefined) violations.add(message, culpritAt(limitPath, undefined, fixes));
        } else if (maximum && compareDecimals(value, maximum.value) > 0) {
          const message = sprintf(`container <%v> ${resource.name} limit <%v> is higher than the maximum allowed of <%v>`, [name, limit, maximum.text]);
          if (message !== undefined) violations.add(message, culpritAt(limitPath, undefined, fixes));
        }
      }
    }
    return violations.toArray();
  },
};
