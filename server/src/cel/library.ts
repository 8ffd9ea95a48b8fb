import { celMethod, CelScalar, isCelList, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { goRegExp } from '../goRegex';
import { NETWORK_FUNCTIONS } from './network';
import { QUANTITY_FUNCTIONS } from './quantity';
import { SEMVER_FUNCTIONS } from './semver';
import { URL_FUNCTIONS } from './url';

/**
 * The functions Gatekeeper's CEL environment (Kubernetes' base environment) offers beyond the CEL standard:
 * the strings extension (`join`, `replace`, `lowerAscii`, `split`, ...), Kubernetes' list and regex functions and its
 * quantity, ip, cidr, url and semver libraries. `authorizer` needs a cluster and is refused when an expression compiles.
 */
export const KUBERNETES_FUNCTIONS: readonly CelFunc[] = [
  ...strings,
  ...QUANTITY_FUNCTIONS,
  ...NETWORK_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...SEMVER_FUNCTIONS,
  celMethod('isSorted', listType(CelScalar.DYN), [], CelScalar.BOOL, function (this: CelList) {
    const items = [...this];
    return items.every((item, index) => index === 0 || compare(items[index - 1], item) <= 0);
  }),
  celMethod('sum', listType(CelScalar.DYN), [], CelScalar.DYN, function (this: CelList) {
    const items = [...this];
    if (items.length === 0) return 0n;
    return items.reduce((total, item) => add(total, item));
  }),
  celMethod('min', listType(CelScalar.DYN), [], CelScalar.DYN, function (this: CelList) {
    return extreme([...this], -1);
  }),
  celMethod('max', listType(CelScalar.DYN), [], CelScalar.DYN, function (this: CelList) {
    return extreme([...this], 1);
  }),
  celMethod('indexOf', listType(CelScalar.DYN), [CelScalar.DYN], CelScalar.INT, function (this: CelList, wanted: CelValue) {
    return BigInt([...this].findIndex((item) => same(item, wanted)));
  }),
  celMethod('lastIndexOf', listType(CelScalar.DYN), [CelScalar.DYN], CelScalar.INT, function (this: CelList, wanted: CelValue) {
    const items = [...this];
    const fromEnd = [...items].reverse().findIndex((item) => same(item, wanted));
    return BigInt(fromEnd < 0 ? -1 : items.length - 1 - fromEnd);
  }),
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (this: string, pattern: string) {
    return goRegExp(pattern).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (this: string, pattern: string) {
    return findAll(this, pattern, -1n);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (this: string, pattern: string, limit: bigint) {
    return findAll(this, pattern, limit);
  }),
];

type Comparable = bigint | number | string | boolean;

function comparable(value: CelValue): Comparable {
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  throw new Error(`no ordering for ${isCelList(value) ? 'list' : typeof value} values`);
}

/** Orders two list items as CEL's `<` does: numbers across int and double, else values of one type. */
function compare(left: CelValue, right: CelValue): number {
  const a = comparable(left);
  const b = comparable(right);
  const numeric = (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number');
  if (!numeric && typeof a !== typeof b) throw new Error(`no ordering between ${typeof a} and ${typeof b}`);
  return a < b ? -1 : a > b ? 1 : 0;
}

function same(left: CelValue, right: CelValue): boolean {
  try {
    return compare(left, right) === 0;
  } catch {
    return false;
  }
}

function add(total: CelValue, item: CelValue): CelValue {
  if (typeof total === 'bigint' && typeof item === 'bigint') return total + item;
  if (typeof total === 'number' && typeof item === 'number') return total + item;
  throw new Error('sum() needs a list of ints or of doubles');
}

function extreme(items: CelValue[], sign: 1 | -1): CelValue {
  if (items.length === 0) throw new Error(`${sign > 0 ? 'max' : 'min'}() of an empty list`);
  return items.reduce((best, item) => (compare(item, best) * sign > 0 ? item : best));
}

function findAll(text: string, pattern: string, limit: bigint): string[] {
  const single = goRegExp(pattern);
  const global = new RegExp(single.source, `${single.flags}g`);
  const found = [...text.matchAll(global)].map((match) => match[0]);
  return limit < 0n ? found : found.slice(0, Number(limit));
}
