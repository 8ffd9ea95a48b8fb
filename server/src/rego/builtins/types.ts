import { BuiltinError } from '../errors';
import { RegoObject, RegoSet, typeName, type Value } from '../value';

/** What a built-in may read besides its operands: the clock, frozen once per evaluation as in OPA, and print's sink. */
export interface BuiltinContext {
  nowNanoseconds: number;
  /** Receives print's lines; without it, print writes nothing. */
  print?: (line: string) => void;
}

/**
 * A built-in function. `call` returns undefined when OPA's result is undefined and throws BuiltinError for what
 * OPA reports as a built-in error (which a non-strict query also treats as undefined).
 */
export interface Builtin {
  arity: number;
  /** A relation (walk) returns an array of results, each a separate solution of the call. */
  relation?: boolean;
  call(args: Value[], context: BuiltinContext): Value | undefined;
}

export type BuiltinTable = Record<string, Builtin>;

function operandError(position: number, value: Value, expected: string): BuiltinError {
  return new BuiltinError(`operand ${position} must be ${expected} but got ${typeName(value)}`);
}

export function stringOperand(args: Value[], index: number): string {
  const value = args[index];
  if (typeof value !== 'string') throw operandError(index + 1, value, 'string');
  return value;
}

export function numberOperand(args: Value[], index: number): number {
  const value = args[index];
  if (typeof value !== 'number') throw operandError(index + 1, value, 'number');
  return value;
}

export function integerOperand(args: Value[], index: number): number {
  const value = numberOperand(args, index);
  if (!Number.isInteger(value)) throw new BuiltinError(`operand ${index + 1} must be an integer`);
  return value;
}

export function arrayOperand(args: Value[], index: number): Value[] {
  const value = args[index];
  if (!Array.isArray(value)) throw operandError(index + 1, value, 'array');
  return value;
}

export function setOperand(args: Value[], index: number): RegoSet {
  const value = args[index];
  if (!(value instanceof RegoSet)) throw operandError(index + 1, value, 'set');
  return value;
}

export function objectOperand(args: Value[], index: number): RegoObject {
  const value = args[index];
  if (!(value instanceof RegoObject)) throw operandError(index + 1, value, 'object');
  return value;
}

/** The members of an array or a set, for built-ins that accept either. */
export function arrayOrSetOperand(args: Value[], index: number): Value[] {
  const value = args[index];
  if (Array.isArray(value)) return value;
  if (value instanceof RegoSet) return [...value.values()];
  throw operandError(index + 1, value, 'array or set');
}

/** Strings of an array or set operand (concat, any_prefix_match): any other member is an error. */
export function stringsOf(values: Value[], position: number): string[] {
  return values.map((value) => {
    if (typeof value !== 'string') throw operandError(position, value, 'a collection of strings');
    return value;
  });
}

/** Wraps a plain function of fixed arity as a built-in. */
export function define(arity: number, call: (args: Value[], context: BuiltinContext) => Value | undefined): Builtin {
  return { arity, call };
}
