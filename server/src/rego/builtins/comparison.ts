import { compareValues, valuesEqual } from '../value';
import { define, type BuiltinTable } from './types';

/** `==`, `!=`, `<`, …: any two values compare, in OPA's total order of values. */
export const comparisonBuiltins: BuiltinTable = {
  equal: define(2, (args) => valuesEqual(args[0], args[1])),
  neq: define(2, (args) => !valuesEqual(args[0], args[1])),
  lt: define(2, (args) => compareValues(args[0], args[1]) < 0),
  gt: define(2, (args) => compareValues(args[0], args[1]) > 0),
  lte: define(2, (args) => compareValues(args[0], args[1]) <= 0),
  gte: define(2, (args) => compareValues(args[0], args[1]) >= 0),
};
