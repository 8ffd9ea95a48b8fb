/** A place in Rego source: 1-based line and column, 0-based offset, in the file the module came from. */
export interface Location {
  file: string;
  line: number;
  column: number;
  offset: number;
}

/** OPA's error codes, so a message reads like the one `opa eval` or Gatekeeper would print. */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_budget_error';

/** An error that ends parsing, compiling or one evaluation: the evaluation has no verdict. */
export class RegoError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    readonly detail: string,
    readonly location?: Location,
  ) {
    super(`${location ? `${location.file}:${location.line}:${location.column}: ` : ''}${code}: ${detail}`);
  }
}

/**
 * A built-in function's failure (a wrong operand type, a bad regex, a number that is not one). OPA's default,
 * non-strict mode makes the call undefined instead of failing the whole query; the evaluator does the same.
 */
export class BuiltinError extends Error {}
