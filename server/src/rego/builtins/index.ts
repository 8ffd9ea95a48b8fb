import { aggregateBuiltins } from './aggregates';
import { collectionBuiltins } from './collections';
import { comparisonBuiltins } from './comparison';
import { debugBuiltins } from './debug';
import { encodingBuiltins } from './encoding';
import { netBuiltins } from './net';
import { numberBuiltins } from './numbers';
import { regexBuiltins } from './regex';
import { semverBuiltins } from './semver';
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
    ...debugBuiltins,
    ...encodingBuiltins,
    ...netBuiltins,
    ...numberBuiltins,
    ...regexBuiltins,
    ...semverBuiltins,
    ...stringBuiltins,
    ...timeBuiltins,
    ...typeCheckBuiltins,
  }),
);

/** Built-ins that reach outside the evaluation (the network, keys, Gatekeeper's providers): refused by name. */
export function unavailableOffline(name: string): boolean {
  return name === 'http.send' || name === 'external_data' || name.startsWith('io.jwt.') || name === 'net.lookup_ip_addr' || name === 'opa.runtime';
}
