import { BuiltinError } from '../errors';
import { RegoSet, type Value } from '../value';
import { define, integerOperand, numberOperand, setOperand, stringOperand, type BuiltinTable } from './types';

/** A number written as plain decimal digits (what Go's ParseFloat accepts that still reads as a JSON number). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Splits "100Mi" into "100" and "Mi": the amount is the leading digits and dots, as OPA's units built-ins read it. */
function amountAndUnit(text: string): [number, string] {
  if (text.includes(' ')) throw new BuiltinError('spaces are not allowed in the resource string');
  const split = /^[0-9.]*/.exec(text) as RegExpExecArray;
  const amount = split[0];
  if (amount === '' || !DECIMAL.test(amount)) throw new BuiltinError('no amount provided');
  return [Number(amount), text.slice(amount.length)];
}

const DECIMAL_PREFIXES = ['k', 'm', 'g', 't', 'p', 'e'];

/** `units.parse`: SI (k, M, G…) and binary (Ki, Mi…) suffixes; `m` is milli and `M` mega. */
function parseUnits(text: string): number {
  const [amount, written] = amountAndUnit(text.replaceAll('"', ''));
  // Only letters after the first are case-insensitive, so that m and M stay apart.
  const unit = written.length > 1 ? written[0] + written.slice(1).toLowerCase() : written;
  if (unit === '') return amount;
  if (unit === 'm') return amount / 1000;
  const binary = /^([kKmMgGtTpPeE])i$/.exec(unit);
  if (binary) return amount * 1024 ** (DECIMAL_PREFIXES.indexOf(binary[1].toLowerCase()) + 1);
  if (/^[kKMgGtTpPeE]$/.test(unit)) return amount * 1000 ** (DECIMAL_PREFIXES.indexOf(unit.toLowerCase()) + 1);
  throw new BuiltinError(`unit ${written} not recognized`);
}

/** `units.parse_bytes`: case-insensitive, an optional trailing "b", and a whole number of bytes. */
function parseBytes(text: string): number {
  const [amount, written] = amountAndUnit(text.replaceAll('"', '').toLowerCase());
  const unit = /^(?:([kmgtpe])(i?)b?)?$/.exec(written);
  if (unit === null) throw new BuiltinError(`byte unit ${written} not recognized`);
  if (unit[1] === undefined) return Math.trunc(amount);
  return Math.trunc(amount * (unit[2] === 'i' ? 1024 : 1000) ** (DECIMAL_PREFIXES.indexOf(unit[1]) + 1));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  throw new BuiltinError(typeof value === 'string' ? `invalid syntax: ${JSON.stringify(value)}` : 'operand 1 must be null, boolean, number or string');
}

export const numberBuiltins: BuiltinTable = {
  plus: define(2, (args) => numberOperand(args, 0) + numberOperand(args, 1)),
  // `-` is also set difference.
  minus: define(2, (args) => {
    if (args[0] instanceof RegoSet || args[1] instanceof RegoSet) {
      const right = setOperand(args, 1);
      return new RegoSet([...setOperand(args, 0).values()].filter((member) => !right.has(member)));
    }
    return numberOperand(args, 0) - numberOperand(args, 1);
  }),
  mul: define(2, (args) => numberOperand(args, 0) * numberOperand(args, 1)),
  div: define(2, (args) => {
    const divisor = numberOperand(args, 1);
    if (divisor === 0) throw new BuiltinError('divide by zero');
    return numberOperand(args, 0) / divisor;
  }),
  rem: define(2, (args) => {
    const divisor = integerOperand(args, 1);
    if (divisor === 0) throw new BuiltinError('modulo by zero');
    return integerOperand(args, 0) % divisor;
  }),
  abs: define(1, (args) => Math.abs(numberOperand(args, 0))),
  // Go's math.Round: halves away from zero.
  round: define(1, (args) => {
    const value = numberOperand(args, 0);
    return Math.sign(value) * Math.round(Math.abs(value));
  }),
  ceil: define(1, (args) => Math.ceil(numberOperand(args, 0))),
  floor: define(1, (args) => Math.floor(numberOperand(args, 0))),
  'numbers.range': define(2, (args) => {
    const from = integerOperand(args, 0);
    const to = integerOperand(args, 1);
    const step = from <= to ? 1 : -1;
    const range: Value[] = [];
    for (let value = from; value !== to + step; value += step) range.push(value);
    return range;
  }),
  to_number: define(1, (args) => toNumber(args[0])),
  'units.parse': define(1, (args) => parseUnits(stringOperand(args, 0))),
  'units.parse_bytes': define(1, (args) => parseBytes(stringOperand(args, 0))),
};
