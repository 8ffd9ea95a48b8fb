import { RegoObject, RegoSet, compareValues, sortValues, type Value } from '../value';
import { BuiltinError } from '../errors';
import { arrayOrSetOperand, define, type BuiltinTable } from './types';

function numbersOf(args: Value[]): number[] {
  return arrayOrSetOperand(args, 0).map((value) => {
    if (typeof value !== 'number') throw new BuiltinError('operand 1 must be a collection of numbers');
    return value;
  });
}

/** The largest (or smallest) member in OPA's order; undefined for an empty collection. */
function extreme(args: Value[], sign: 1 | -1): Value | undefined {
  const members = arrayOrSetOperand(args, 0);
  if (members.length === 0) return undefined;
  return members.reduce((best, member) => (compareValues(member, best) * sign > 0 ? member : best));
}

export const aggregateBuiltins: BuiltinTable = {
  count: define(1, (args) => {
    const value = args[0];
    if (typeof value === 'string') return [...value].length;
    if (Array.isArray(value)) return value.length;
    if (value instanceof RegoSet || value instanceof RegoObject) return value.size;
    throw new BuiltinError('operand 1 must be one of {array, object, set, string}');
  }),
  sum: define(1, (args) => numbersOf(args).reduce((total, value) => total + value, 0)),
  product: define(1, (args) => numbersOf(args).reduce((total, value) => total * value, 1)),
  max: define(1, (args) => extreme(args, 1)),
  min: define(1, (args) => extreme(args, -1)),
  sort: define(1, (args) => sortValues(arrayOrSetOperand(args, 0))),
  // Deprecated in OPA, still found in older templates.
  any: define(1, (args) => arrayOrSetOperand(args, 0).some((value) => value === true)),
  all: define(1, (args) => arrayOrSetOperand(args, 0).every((value) => value === true)),
};
