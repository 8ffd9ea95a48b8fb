import type { Location } from './errors';

/** Rego's syntax tree. Every node keeps where it was written, for errors and for mapping results back. */

export type Scalar = null | boolean | number | string;

export interface ScalarTerm {
  type: 'scalar';
  value: Scalar;
  location: Location;
}

/** A variable. `_` is written as a fresh wildcard name (`_0`, `_1`, …) by the parser, so each is its own var. */
export interface VarTerm {
  type: 'var';
  name: string;
  location: Location;
}

/** `head.a[b][_]`: `.a` is stored as the string term "a". */
export interface RefTerm {
  type: 'ref';
  head: Term;
  path: Term[];
  location: Location;
}

export interface ArrayTerm {
  type: 'array';
  items: Term[];
  location: Location;
}

export interface ObjectTerm {
  type: 'object';
  entries: [Term, Term][];
  location: Location;
}

export interface SetTerm {
  type: 'set';
  items: Term[];
  location: Location;
}

export interface ArrayComprehension {
  type: 'arrayComprehension';
  term: Term;
  body: Literal[];
  location: Location;
}

export interface SetComprehension {
  type: 'setComprehension';
  term: Term;
  body: Literal[];
  location: Location;
}

export interface ObjectComprehension {
  type: 'objectComprehension';
  key: Term;
  value: Term;
  body: Literal[];
  location: Location;
}

/**
 * A call: a built-in (`startswith`, `regex.match`, `plus` for `+`) or a user function. `operator` is the dotted
 * name as written; the compiler resolves it to `target`, the rule's package path and name, for user functions.
 */
export interface CallTerm {
  type: 'call';
  operator: string;
  args: Term[];
  location: Location;
  target?: string[];
}

export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm;

/** `x = y`: unification, binds either side. */
export interface UnifyExpr {
  type: 'unify';
  left: Term;
  right: Term;
}

/** `x := y`: declares the variables on the left. */
export interface AssignExpr {
  type: 'assign';
  left: Term;
  right: Term;
}

/** A term that must be defined and not false. */
export interface TermExpr {
  type: 'term';
  term: Term;
}

/** `some x, y`: declares local variables. */
export interface SomeDeclExpr {
  type: 'some';
  names: string[];
}

/** `some v in xs`, `some k, v in xs`. */
export interface SomeInExpr {
  type: 'someIn';
  key?: Term;
  value: Term;
  collection: Term;
}

/** `every v in xs { … }`, `every k, v in xs { … }`. */
export interface EveryExpr {
  type: 'every';
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Literal[];
}

export type Expr = UnifyExpr | AssignExpr | TermExpr | SomeDeclExpr | SomeInExpr | EveryExpr;

/** A function `with` can replace or replace with: a built-in by name, or a user function by its rule path. */
export type FunctionRef = { builtin: string } | { rule: string[] };

/** `with input.x as y`, `with data.a.b as c`, `with count as mock_count`, `with time.now_ns as 1`. */
export interface WithModifier {
  target: Term;
  value: Term;
  location: Location;
  /** Set by the compiler when the target is a function or built-in (the target term is then just its name). */
  replacedFunction?: FunctionRef;
  /** Set by the compiler when the value is a function or built-in, which then answers the calls instead. */
  replacementFunction?: FunctionRef;
}

export interface Literal {
  negated: boolean;
  expr: Expr;
  withs: WithModifier[];
  location: Location;
}

export type RuleKind = 'complete' | 'partialSet' | 'partialObject' | 'function';

/** `else = value { body }`: tried, in order, only when everything before it is undefined. */
export interface ElseClause {
  value: Term;
  body: Literal[];
  location: Location;
}

/**
 * A rule. Its head may be a ref (`a.b.c := 1`, `a.b[x] := y`, `a.b contains x`): the rule defines the document at
 * the package path, `name` and `groundPath`, and a partial object's keys below it are `objectPath`.
 */
export interface Rule {
  kind: RuleKind;
  /** The head's first name (`a` in `a.b.c := 1`). */
  name: string;
  /** The string steps of the head's ref after the name, up to the first other term: ['b', 'c'] in `a.b.c[x] := 1`. */
  groundPath: string[];
  isDefault: boolean;
  /** Function parameters, which may be patterns (`f([a, b])`, `f("x")`). */
  params: Term[];
  /** The member of a partial set rule. */
  key?: Term;
  /** A partial object rule's keys from its document to the value: `[x, "c"]` in `a.b[x].c := y`. */
  objectPath?: Term[];
  /** A partial object whose values are sets, built by `a.b[x] contains y`. */
  multiValue?: boolean;
  /** The value: `true` when the head has none. */
  value: Term;
  body: Literal[];
  elses: ElseClause[];
  location: Location;
}

export interface Import {
  /** `data.lib.x`, `input.review`, `future.keywords.in`, `rego.v1`. */
  path: string[];
  alias?: string;
  location: Location;
}

export interface Module {
  file: string;
  packagePath: string[];
  imports: Import[];
  rules: Rule[];
  location: Location;
}
