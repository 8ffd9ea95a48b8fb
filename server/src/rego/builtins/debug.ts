import { formatValue } from '../format';
import { RegoSet, type Value } from '../value';
import { arrayOperand, define, type BuiltinTable } from './types';

/** A print of sets with many members prints their cross product; past this many lines the rest is dropped. */
const MAX_PRINTED_LINES = 1000;

/**
 * `print(a, b)` after the compiler's rewrite (as OPA's): `internal.print([{a}, {b}])`, each operand the set of its
 * values, empty when undefined. It prints one line per combination, operands separated by spaces, strings raw,
 * into the evaluation's sink if it has one; it never writes to stdout and is always true.
 */
export const debugBuiltins: BuiltinTable = {
  'internal.print': define(1, (args, context) => {
    if (!context.print) return true;
    const operands = arrayOperand(args, 0).map((operand) => (operand instanceof RegoSet ? [...operand.values()].map(printed) : [printed(operand)]));
    let lines: string[][] = [[]];
    for (const values of operands) {
      const choices = values.length === 0 ? ['<undefined>'] : values;
      lines = lines.flatMap((line) => choices.map((choice) => [...line, choice])).slice(0, MAX_PRINTED_LINES);
    }
    for (const line of lines) context.print(line.join(' '));
    return true;
  }),
};

function printed(value: Value): string {
  return typeof value === 'string' ? value : formatValue(value);
}
