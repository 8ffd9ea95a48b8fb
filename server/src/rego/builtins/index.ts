import { aggregateBuiltins } from './aggregates';
import { collectionBuiltins } from './collections';
import { comparisonBuiltins } from './comparison';
import { encodingBuiltins } from './encoding';
import { numberBuiltins } from './numbers';
import { regexBuiltins } from './regex';
import { stringBuiltins } from './strings';
import { timeBuiltins } from './time';
import { typeCheckBuiltins } from './typeChecks';
import type { Builtin } from './types';

export type { Builtin, BuiltinContext } from './types';

/** Every built-in the evaluator knows, by the name Rego calls it. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  Object.entries({
    ...aggregateBuiltins,
    ...collectionBuiltins,
    ...comparisonBuiltins,
    ...encodingBuiltins,
    ...numberBuiltins,
    ...regexBuiltins,
    ...stringBuiltins,
    ...timeBuiltins,
    ...typeCheckBuiltins,
  }),
);
