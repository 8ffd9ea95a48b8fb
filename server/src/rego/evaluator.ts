import type { CallTerm, ElseClause, Expr, FunctionRef, Literal, RefTerm, Term, WithModifier } from './ast';
import { Bindings } from './bindings';
import { BUILTINS, type BuiltinContext } from './builtins';
import { findRuleGroup, type CompiledProgram, type PackageNode, type RuleGroup } from './compiler';
import { BuiltinError, RegoError, type Location } from './errors';
import type { Path } from '../json';
import { ReadTracker } from './reads';
import { RegoObject, RegoSet, canonical, isCollection, valuesEqual, type Value } from './value';
import { isWildcard, termVars } from './vars';

/**
 * Top-down evaluation of a compiled program, as OPA's topdown does it: bodies are searched depth-first with
 * backtracking (generators), a rule's value is computed once per query and `with` context, undefined is the
 * absence of a result (never an error), built-in errors make their call undefined, and conflicts, recursion
 * and an exhausted step budget end the whole evaluation with a RegoError.
 */

export const DEFAULT_STEP_BUDGET = 1_000_000;

export interface EvaluationRequest {
  input?: Value;
  /** Base documents under `data` (for Gatekeeper: `{inventory: …}`); rules of the program are added to them. */
  data?: RegoObject;
  /** Evaluation steps allowed (literals tried, elements iterated, calls made) before the evaluation gives up. */
  stepBudget?: number;
  /**
   * A document inside `input` (for Gatekeeper, `input.review.object`) whose reads are recorded per member of the
   * rule's value (a partial rule), for `readsOf`. Off when absent: tracking costs time and memory.
   */
  trackReadsOf?: Value;
  /** Receives the lines `print` writes; without it they are dropped. */
  onPrint?: (line: string) => void;
}

export interface EvaluationResult {
  /** The rule's value: undefined when the rule is undefined. */
  value: Value | undefined;
  steps: number;
  /**
   * With `trackReadsOf`: the paths of that document read while deriving one member of the value (a partial set's
   * member, a partial object's key), oldest first; a missing key read under `not` or in a closure counts too.
   */
  readsOf?: (member: Value) => readonly Path[];
}

/** Evaluates the rule at `path` (package path and rule name) to its value: a complete value, a set or an object. */
export function evaluateRule(program: CompiledProgram, path: readonly string[], request: EvaluationRequest = {}): EvaluationResult {
  const group = findRuleGroup(program.root, path);
  if (!group) throw new RegoError('rego_compile_error', `rule ${path.join('.')} is not defined`);
  if (group.kind === 'function') throw new RegoError('rego_compile_error', `${path.join('.')} is a function`);
  const tracker = request.trackReadsOf === undefined ? undefined : new ReadTracker(request.trackReadsOf);
  const evaluator = new Evaluator(program, request.data ?? new RegoObject(), request.stepBudget ?? DEFAULT_STEP_BUDGET, tracker, request.onPrint);
  const value = evaluator.ruleValue(group, new Frame(request.input, []));
  if (!tracker) return { value, steps: evaluator.steps };
  const readsOf = (member: Value) => (value instanceof RegoSet || value instanceof RegoObject ? tracker.readsOfMember(value, member) : []);
  return { value, steps: evaluator.steps, readsOf };
}

type Solution = Bindings | undefined;
type Result = [Value, Solution];

interface DataOverride {
  path: string[];
  value: Value;
}

/** A computed value, or the fact that it is undefined, in a cache. */
interface Memo {
  value: Value | undefined;
  /** When reads are tracked: what computing it read, to be replayed wherever the cached value is used. */
  reads?: readonly Path[];
}

/** The documents an expression sees. `with` makes a new frame, and a new frame has its own caches. */
class Frame {
  readonly rules = new Map<string, Memo>();
  readonly functions = new Map<string, Memo>();
  readonly inProgress = new Set<string>();

  constructor(
    readonly input: Value | undefined,
    readonly overrides: readonly DataOverride[],
    /** Functions and built-ins `with` replaced, by functionKey. */
    readonly functionMocks: ReadonlyMap<string, FunctionMock> = new Map(),
  ) {}
}

/** What answers the calls of a function `with` replaced: a value, or another function. */
type FunctionMock = { value: Value } | { function: FunctionRef };

function functionKey(ref: FunctionRef): string {
  return 'builtin' in ref ? ref.builtin : `data.${ref.rule.join('.')}`;
}

function* children(collection: Value): Generator<[Value, Value]> {
  if (Array.isArray(collection)) for (let i = 0; i < collection.length; i++) yield [i, collection[i]];
  else if (collection instanceof RegoObject) yield* collection.entries();
  else if (collection instanceof RegoSet) for (const member of collection.values()) yield [member, member];
}

function child(collection: Value, key: Value): Value | undefined {
  if (collection instanceof RegoObject) return collection.get(key);
  if (Array.isArray(collection)) return typeof key === 'number' && Number.isInteger(key) ? collection[key] : undefined;
  if (collection instanceof RegoSet) return collection.has(key) ? key : undefined;
  return undefined;
}

/** Variables a pattern binds when it is unified: those outside refs, calls and closures. */
function patternVars(term: Term): string[] {
  switch (term.type) {
    case 'var':
      return [term.name];
    case 'array':
      return term.items.flatMap(patternVars);
    case 'object':
      return term.entries.flatMap(([, value]) => patternVars(value));
    default:
      return [];
  }
}

class Evaluator {
  steps = 0;
  private readonly builtinContext: BuiltinContext;

  constructor(
    private readonly program: CompiledProgram,
    private readonly baseData: RegoObject,
    private readonly budget: number,
    /** Present only when reads are tracked; every use is guarded, so that evaluation without it pays nothing. */
    private readonly tracker: ReadTracker | undefined,
    print: ((line: string) => void) | undefined,
  ) {
    this.builtinContext = { nowNanoseconds: Date.now() * 1e6, print };
  }

  /** `bindings` extended with reads on the derivation, also counted for the closure being evaluated. */
  private noted(bindings: Solution, reads: readonly Path[]): Solution {
    this.tracker?.collect(reads);
    let noted = bindings;
    for (const read of reads) noted = Bindings.withRead(noted, read);
    return noted;
  }

  /** With tracking, starts a closure and returns where to put the reads of its solutions. */
  private beginClosure(): Path[] | undefined {
    if (!this.tracker) return undefined;
    this.tracker.begin();
    return [];
  }

  /** Ends a closure: its value carries the reads of its solutions, or, when it has none, of everything it tried. */
  private endClosure(bindings: Solution, solvedReads: readonly Path[]): Solution {
    const attempted = this.tracker!.end();
    return this.noted(bindings, solvedReads.length > 0 ? solvedReads : attempted);
  }

  private step(): void {
    if (++this.steps > this.budget) {
      throw new RegoError('eval_budget_error', `evaluation stopped after ${this.budget} steps (its budget); the policy loops or is too expensive`);
    }
  }

  // ---- rules ----

  ruleValue(group: RuleGroup, frame: Frame): Value | undefined {
    return this.ruleMemo(group, frame).value;
  }

  private ruleMemo(group: RuleGroup, frame: Frame): Memo {
    const key = group.path.join('\u0000');
    const cached = frame.rules.get(key);
    if (cached) return cached;
    if (frame.inProgress.has(key)) throw new RegoError('rego_recursion_error', `rule ${group.path.join('.')} is recursive`, group.definitions[0]?.location);
    frame.inProgress.add(key);
    try {
      this.tracker?.begin();
      const value = this.computeRule(group, frame);
      const memo: Memo = this.tracker ? { value, reads: this.tracker.end() } : { value };
      frame.rules.set(key, memo);
      return memo;
    } finally {
      frame.inProgress.delete(key);
    }
  }

  private computeRule(group: RuleGroup, frame: Frame): Value | undefined {
    this.step();
    switch (group.kind) {
      case 'complete': {
        let result: Value | undefined;
        for (const rule of group.definitions) {
          const value = this.firstClauseValue([{ value: rule.value, body: rule.body, location: rule.location }, ...rule.elses], undefined, frame);
          if (value === undefined) continue;
          if (result !== undefined && !valuesEqual(result, value)) {
            throw new RegoError('eval_conflict_error', `complete rules must not produce multiple outputs (${group.path.join('.')})`, rule.location);
          }
          result = value;
        }
        return result ?? (group.defaultRule ? this.constantValue(group.defaultRule.value, frame) : undefined);
      }
      case 'partialSet': {
        const set = new RegoSet();
        for (const rule of group.definitions) {
          for (const solution of this.evalBody(rule.body, 0, undefined, frame)) {
            for (const [member, derived] of this.evalTerm(rule.key as Term, solution, frame)) {
              set.add(member);
              this.tracker?.recordMember(set, member, Bindings.readsSince(derived, undefined));
            }
          }
        }
        return set;
      }
      case 'partialObject': {
        const object = new ObjectBuilder(group.path);
        for (const rule of group.definitions) {
          for (const solution of this.evalBody(rule.body, 0, undefined, frame)) {
            for (const [keys, afterKeys] of this.evalTerms(rule.objectPath as Term[], 0, solution, frame)) {
              for (const [value, derived] of this.evalTerm(rule.value, afterKeys, frame)) {
                object.insert(keys, value, rule.multiValue === true, rule.location);
                this.tracker?.recordMember(object.root, keys[0], Bindings.readsSince(derived, undefined));
              }
            }
          }
        }
        return object.root;
      }
      case 'function':
        throw new RegoError('eval_type_error', `${group.path.join('.')} is a function and must be called`);
    }
  }

  /** A default's value: a constant, evaluated without bindings. */
  private constantValue(term: Term, frame: Frame): Value | undefined {
    for (const [value] of this.evalTerm(term, undefined, frame)) return value;
    return undefined;
  }

  /**
   * The value of the first clause (a body and its `else`s) that has one. All solutions of that clause must agree.
   */
  private firstClauseValue(clauses: readonly ElseClause[], start: Solution, frame: Frame): Value | undefined {
    for (const clause of clauses) {
      let result: Value | undefined;
      for (const solution of this.evalBody(clause.body, 0, start, frame)) {
        for (const [value] of this.evalTerm(clause.value, solution, frame)) {
          if (result !== undefined && !valuesEqual(result, value)) {
            throw new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', clause.location);
          }
          result = value;
        }
      }
      if (result !== undefined) return result;
    }
    return undefined;
  }

  private callFunction(group: RuleGroup, args: Value[], frame: Frame, call: CallTerm): Memo {
    const key = `${group.path.join('\u0000')}(${args.map(canonical).join(',')})`;
    const cached = frame.functions.get(key);
    if (cached) return cached;
    const pathKey = group.path.join('\u0000');
    if (frame.inProgress.has(pathKey)) throw new RegoError('rego_recursion_error', `function ${group.path.join('.')} is recursive`, call.location);
    this.step();
    frame.inProgress.add(pathKey);
    this.tracker?.begin();
    let result: Value | undefined;
    try {
      for (const rule of group.definitions) {
        for (const start of this.unifyItems(rule.params, args, 0, undefined, frame)) {
          const value = this.firstClauseValue([{ value: rule.value, body: rule.body, location: rule.location }, ...rule.elses], start, frame);
          if (value === undefined) continue;
          if (result !== undefined && !valuesEqual(result, value)) {
            throw new RegoError('eval_conflict_error', `functions must not produce multiple outputs for same inputs (${group.path.join('.')})`, call.location);
          }
          result = value;
        }
      }
    } finally {
      frame.inProgress.delete(pathKey);
    }
    if (result === undefined && group.defaultRule) result = this.constantValue(group.defaultRule.value, frame);
    const memo: Memo = this.tracker ? { value: result, reads: this.tracker.end() } : { value: result };
    frame.functions.set(key, memo);
    return memo;
  }

  // ---- bodies and literals ----

  *evalBody(body: readonly Literal[], index: number, bindings: Solution, frame: Frame): Generator<Solution> {
    if (index === body.length) {
      yield bindings;
      return;
    }
    for (const solution of this.evalLiteral(body[index], bindings, frame)) yield* this.evalBody(body, index + 1, solution, frame);
  }

  private *evalLiteral(literal: Literal, bindings: Solution, frame: Frame): Generator<Solution> {
    this.step();
    let literalFrame = frame;
    if (literal.withs.length > 0) {
      const modified = this.applyWiths(literal.withs, bindings, frame);
      if (modified === undefined) return;
      literalFrame = modified;
    }
    if (literal.negated) {
      // The proof of a negation is everything it tried: the reads of a missing field included.
      this.tracker?.begin();
      let holds = true;
      for (const _ of this.evalExpr(literal.expr, bindings, literalFrame)) {
        holds = false;
        break;
      }
      const tried = this.tracker?.end();
      if (holds) yield tried ? this.noted(bindings, tried) : bindings;
      return;
    }
    yield* this.evalExpr(literal.expr, bindings, literalFrame);
  }

  private *evalExpr(expr: Expr, bindings: Solution, frame: Frame): Generator<Solution> {
    switch (expr.type) {
      case 'some':
        yield Bindings.declare(bindings, expr.names);
        return;
      case 'unify':
        yield* this.unify(expr.left, expr.right, bindings, frame);
        return;
      case 'assign':
        yield* this.unify(expr.left, expr.right, Bindings.declare(bindings, patternVars(expr.left)), frame);
        return;
      case 'term':
        for (const [value, solution] of this.evalTerm(expr.term, bindings, frame)) {
          if (value !== false) yield solution;
        }
        return;
      case 'someIn': {
        const declared = Bindings.declare(bindings, [...(expr.key ? patternVars(expr.key) : []), ...patternVars(expr.value)]);
        for (const [collection, afterCollection] of this.evalTerm(expr.collection, declared, frame)) {
          for (const [key, value] of children(collection)) {
            this.step();
            const element = this.tracker ? this.noted(afterCollection, this.tracker.readsOfStep(collection, key)) : afterCollection;
            const afterKey = expr.key ? this.unifyValue(expr.key, key, element, frame) : [element];
            for (const solution of afterKey) yield* this.unifyValue(expr.value, value, solution, frame);
          }
        }
        return;
      }
      case 'every':
        for (const [domain, afterDomain] of this.evalTerm(expr.domain, bindings, frame)) {
          if (!this.tracker) {
            if (this.everyHolds(expr, domain, bindings, frame)) yield bindings;
            continue;
          }
          this.tracker.begin();
          const holds = this.everyHolds(expr, domain, bindings, frame);
          const tried = this.tracker.end();
          if (holds) yield this.noted(bindings, [...Bindings.readsSince(afterDomain, bindings), ...tried]);
        }
        return;
    }
  }

  private everyHolds(expr: Extract<Expr, { type: 'every' }>, domain: Value, bindings: Solution, frame: Frame): boolean {
    for (const [key, value] of children(domain)) {
      this.step();
      const element = this.tracker ? this.noted(bindings, this.tracker.readsOfStep(domain, key)) : bindings;
      let scope = Bindings.bind(element, expr.value.name, value);
      if (expr.key) scope = Bindings.bind(scope, expr.key.name, key);
      let holds = false;
      for (const _ of this.evalBody(expr.body, 0, scope, frame)) {
        holds = true;
        break;
      }
      if (!holds) return false;
    }
    return true;
  }

  /**
   * The frame `with` makes: input patched at a path, a data document replaced, or a function replaced. Undefined
   * when a value is.
   */
  private applyWiths(withs: readonly WithModifier[], bindings: Solution, frame: Frame): Frame | undefined {
    let input = frame.input;
    const overrides = [...frame.overrides];
    const functionMocks = new Map(frame.functionMocks);
    for (const modifier of withs) {
      if (modifier.replacedFunction && modifier.replacementFunction) {
        functionMocks.set(functionKey(modifier.replacedFunction), { function: modifier.replacementFunction });
        continue;
      }
      let replacement: Value | undefined;
      for (const [value] of this.evalTerm(modifier.value, bindings, frame)) {
        replacement = value;
        break;
      }
      if (replacement === undefined) return undefined;
      if (modifier.replacedFunction) {
        functionMocks.set(functionKey(modifier.replacedFunction), { value: replacement });
        continue;
      }
      const target = modifier.target;
      const path = target.type === 'ref' ? target.path.map((step) => (step.type === 'scalar' ? (step.value as string) : '')) : [];
      const root = target.type === 'ref' ? target.head : target;
      if (root.type === 'var' && root.name === 'input') input = withPath(input, path, replacement);
      else overrides.push({ path, value: replacement });
    }
    return new Frame(input, overrides, functionMocks);
  }

  // ---- unification ----

  private isBound(name: string, bindings: Solution): boolean {
    return Bindings.lookup(bindings, name) !== undefined;
  }

  /** A term that unification binds (an unbound var, or an array or object holding one), rather than evaluates. */
  private isPattern(term: Term, bindings: Solution): boolean {
    switch (term.type) {
      case 'var':
        return !this.isBound(term.name, bindings) && term.name !== 'input' && term.name !== 'data';
      case 'array':
        return term.items.some((item) => this.isPattern(item, bindings));
      case 'object':
        return term.entries.some(([, value]) => this.isPattern(value, bindings));
      default:
        return false;
    }
  }

  private *unify(left: Term, right: Term, bindings: Solution, frame: Frame): Generator<Solution> {
    if (left.type === 'array' && right.type === 'array') {
      if (left.items.length === right.items.length) yield* this.unifyPairs(left.items, right.items, 0, bindings, frame);
      return;
    }
    if (this.isPattern(left, bindings)) {
      if (this.isPattern(right, bindings) && left.type === 'var' && right.type === 'var') {
        throw new RegoError('rego_unsafe_var_error', `var ${left.name} is unsafe`, left.location);
      }
      for (const [value, solution] of this.evalTerm(right, bindings, frame)) yield* this.unifyValue(left, value, solution, frame);
      return;
    }
    for (const [value, solution] of this.evalTerm(left, bindings, frame)) yield* this.unifyValue(right, value, solution, frame);
  }

  private *unifyPairs(left: Term[], right: Term[], index: number, bindings: Solution, frame: Frame): Generator<Solution> {
    if (index === left.length) {
      yield bindings;
      return;
    }
    for (const solution of this.unify(left[index], right[index], bindings, frame)) yield* this.unifyPairs(left, right, index + 1, solution, frame);
  }

  /** Matches a term against a value: binds unbound variables, destructures arrays and objects, compares the rest. */
  private *unifyValue(pattern: Term, value: Value, bindings: Solution, frame: Frame): Generator<Solution> {
    switch (pattern.type) {
      case 'var': {
        if (isWildcard(pattern.name)) {
          yield Bindings.bind(bindings, pattern.name, value);
          return;
        }
        const bound = Bindings.lookup(bindings, pattern.name);
        if (bound === undefined && pattern.name !== 'input' && pattern.name !== 'data') yield Bindings.bind(bindings, pattern.name, value);
        else {
          for (const [current, solution] of this.evalTerm(pattern, bindings, frame)) if (valuesEqual(current, value)) yield solution;
        }
        return;
      }
      case 'scalar':
        if (valuesEqual(pattern.value, value)) yield bindings;
        return;
      case 'array':
        if (Array.isArray(value) && value.length === pattern.items.length) yield* this.unifyItems(pattern.items, value, 0, bindings, frame);
        return;
      case 'object':
        if (value instanceof RegoObject && value.size === pattern.entries.length) yield* this.unifyEntries(pattern.entries, value, 0, bindings, frame);
        return;
      default:
        for (const [current, solution] of this.evalTerm(pattern, bindings, frame)) if (valuesEqual(current, value)) yield solution;
    }
  }

  private *unifyItems(patterns: Term[], values: Value[], index: number, bindings: Solution, frame: Frame): Generator<Solution> {
    if (index === patterns.length) {
      yield bindings;
      return;
    }
    for (const solution of this.unifyValue(patterns[index], values[index], bindings, frame)) yield* this.unifyItems(patterns, values, index + 1, solution, frame);
  }

  private *unifyEntries(entries: [Term, Term][], object: RegoObject, index: number, bindings: Solution, frame: Frame): Generator<Solution> {
    if (index === entries.length) {
      yield bindings;
      return;
    }
    const [keyTerm, valueTerm] = entries[index];
    for (const [key, afterKey] of this.evalTerm(keyTerm, bindings, frame)) {
      const value = object.get(key);
      if (value === undefined) continue;
      for (const solution of this.unifyValue(valueTerm, value, afterKey, frame)) yield* this.unifyEntries(entries, object, index + 1, solution, frame);
    }
  }

  // ---- terms ----

  *evalTerm(term: Term, bindings: Solution, frame: Frame): Generator<Result> {
    switch (term.type) {
      case 'scalar':
        yield [term.value, bindings];
        return;
      case 'var': {
        const value = Bindings.lookup(bindings, term.name);
        if (value !== undefined) yield [value, bindings];
        else if (term.name === 'input') {
          if (frame.input !== undefined) yield [frame.input, bindings];
        } else if (term.name === 'data') yield* this.walkData(this.program.root, this.baseData, [], 0, [], bindings, frame);
        else throw new RegoError('rego_unsafe_var_error', `var ${isWildcard(term.name) ? '_' : term.name} is unsafe`, term.location);
        return;
      }
      case 'ref':
        yield* this.evalRef(term, bindings, frame);
        return;
      case 'array':
        for (const [items, solution] of this.evalTerms(term.items, 0, bindings, frame)) yield [items, solution];
        return;
      case 'set':
        for (const [items, solution] of this.evalTerms(term.items, 0, bindings, frame)) yield [new RegoSet(items), solution];
        return;
      case 'object': {
        const flat = term.entries.flat();
        for (const [values, solution] of this.evalTerms(flat, 0, bindings, frame)) {
          const object = new RegoObject();
          for (let i = 0; i < values.length; i += 2) object.set(values[i], values[i + 1]);
          yield [object, solution];
        }
        return;
      }
      case 'arrayComprehension': {
        const items: Value[] = [];
        const solvedReads = this.beginClosure();
        for (const solution of this.evalBody(term.body, 0, bindings, frame)) {
          for (const [value, derived] of this.evalTerm(term.term, solution, frame)) {
            items.push(value);
            solvedReads?.push(...Bindings.readsSince(derived, bindings));
          }
        }
        yield [items, solvedReads ? this.endClosure(bindings, solvedReads) : bindings];
        return;
      }
      case 'setComprehension': {
        const set = new RegoSet();
        const solvedReads = this.beginClosure();
        for (const solution of this.evalBody(term.body, 0, bindings, frame)) {
          for (const [value, derived] of this.evalTerm(term.term, solution, frame)) {
            set.add(value);
            solvedReads?.push(...Bindings.readsSince(derived, bindings));
          }
        }
        yield [set, solvedReads ? this.endClosure(bindings, solvedReads) : bindings];
        return;
      }
      case 'objectComprehension': {
        const object = new RegoObject();
        const solvedReads = this.beginClosure();
        for (const solution of this.evalBody(term.body, 0, bindings, frame)) {
          for (const [key, afterKey] of this.evalTerm(term.key, solution, frame)) {
            for (const [value, derived] of this.evalTerm(term.value, afterKey, frame)) {
              const existing = object.get(key);
              if (existing !== undefined && !valuesEqual(existing, value)) throw new RegoError('eval_conflict_error', 'object keys must be unique', term.location);
              object.set(key, value);
              solvedReads?.push(...Bindings.readsSince(derived, bindings));
            }
          }
        }
        yield [object, solvedReads ? this.endClosure(bindings, solvedReads) : bindings];
        return;
      }
      case 'call':
        yield* this.evalCall(term, bindings, frame);
        return;
    }
  }

  /** Every combination of the terms' values, left to right. */
  private *evalTerms(terms: Term[], index: number, bindings: Solution, frame: Frame): Generator<[Value[], Solution]> {
    if (index === terms.length) {
      yield [[], bindings];
      return;
    }
    for (const [value, solution] of this.evalTerm(terms[index], bindings, frame)) {
      for (const [rest, final] of this.evalTerms(terms, index + 1, solution, frame)) yield [[value, ...rest], final];
    }
  }

  private *evalCall(call: CallTerm, bindings: Solution, frame: Frame): Generator<Result> {
    const callee: FunctionRef = call.target ? { rule: call.target } : { builtin: call.operator };
    const arity = call.target ? (findRuleGroup(this.program.root, call.target) as RuleGroup).arity : (BUILTINS.get(call.operator)?.arity ?? 0);
    const mock = frame.functionMocks.size > 0 ? frame.functionMocks.get(functionKey(callee)) : undefined;
    const inputs = call.args.slice(0, arity);
    const output = call.args.length > arity ? call.args[arity] : undefined;
    for (const [args, solution] of this.evalTerms(inputs, 0, bindings, frame)) {
      this.step();
      // A value `with` put in the function's place is its result, whatever the arguments.
      const effective = mock && 'function' in mock ? mock.function : callee;
      const { value: result, reads } = mock && 'value' in mock ? { value: mock.value } : this.invoke(effective, args, frame, call);
      if (result === undefined) {
        if (reads) this.tracker?.collect(reads);
        continue;
      }
      const called = reads ? this.noted(solution, reads) : solution;
      const isRelation = !(mock && 'value' in mock) && 'builtin' in effective && BUILTINS.get(effective.builtin)?.relation === true;
      for (const each of isRelation ? (result as Value[]) : [result]) {
        if (isRelation) this.step();
        if (output === undefined) yield [each, called];
        else for (const final of this.unifyValue(output, each, called, frame)) yield [true, final];
      }
    }
  }

  /** Calls a user function or a built-in; a built-in's error makes the result undefined. */
  private invoke(callee: FunctionRef, args: Value[], frame: Frame, call: CallTerm): Memo {
    if ('rule' in callee) return this.callFunction(this.overriddenFunction(findRuleGroup(this.program.root, callee.rule) as RuleGroup, frame), args, frame, call);
    let value: Value | undefined;
    try {
      value = BUILTINS.get(callee.builtin)?.call(args, this.builtinContext);
    } catch (error) {
      if (!(error instanceof BuiltinError)) throw error;
    }
    // `object.get(o, key, default)` reads o[key] as a ref would.
    if (this.tracker && callee.builtin === 'object.get') return { value, reads: this.tracker.readsOfStep(args[0], args[1]) };
    return { value };
  }

  /** A function inside a document that `with` replaced (`with data.lib as {…}`) cannot be called. */
  private overriddenFunction(group: RuleGroup, frame: Frame): RuleGroup {
    if (frame.overrides.some((override) => startsWith(group.path, override.path))) {
      throw new RegoError('rego_compile_error', `with cannot replace the document holding the function ${group.path.join('.')}`);
    }
    return group;
  }

  private *evalRef(ref: RefTerm, bindings: Solution, frame: Frame): Generator<Result> {
    const { head, path } = ref;
    if (head.type === 'var' && Bindings.lookup(bindings, head.name) === undefined) {
      if (head.name === 'data') {
        yield* this.walkData(this.program.root, this.baseData, path, 0, [], bindings, frame);
        return;
      }
      if (head.name === 'input') {
        if (frame.input !== undefined) yield* this.walkValue(frame.input, path, 0, bindings, frame);
        return;
      }
    }
    for (const [value, solution] of this.evalTerm(head, bindings, frame)) yield* this.walkValue(value, path, 0, solution, frame);
  }

  /** Whether every variable of the term is bound, so that it can be evaluated instead of iterated over. */
  private isGround(term: Term, bindings: Solution): boolean {
    if (term.type === 'scalar') return true;
    if (term.type === 'var') return this.isBound(term.name, bindings) || term.name === 'input' || term.name === 'data';
    for (const name of termVars(term, { skipClosures: true })) {
      if (!this.isBound(name, bindings) && name !== 'input' && name !== 'data') return false;
    }
    return true;
  }

  /** Follows a ref's path into a value; an unbound step iterates over the keys of what it reaches. */
  private *walkValue(value: Value, path: readonly Term[], index: number, bindings: Solution, frame: Frame): Generator<Result> {
    if (index === path.length) {
      yield [value, bindings];
      return;
    }
    if (!isCollection(value)) return;
    const step = path[index];
    if (this.isGround(step, bindings)) {
      for (const [key, solution] of this.evalTerm(step, bindings, frame)) {
        const next = child(value, key);
        if (this.tracker) {
          const reads = this.tracker.readsOfStep(value, key);
          // A missing key fails this derivation; only a closure (`not`, a comprehension) keeps its read.
          if (next === undefined) this.tracker.collect(reads);
          else yield* this.walkValue(next, path, index + 1, this.noted(solution, reads), frame);
        } else if (next !== undefined) yield* this.walkValue(next, path, index + 1, solution, frame);
      }
      return;
    }
    for (const [key, next] of children(value)) {
      this.step();
      // Iteration reads the element it binds, not the whole collection.
      const element = this.tracker ? this.noted(bindings, this.tracker.readsOfStep(value, key)) : bindings;
      for (const solution of this.unifyValue(step, key, element, frame)) yield* this.walkValue(next, path, index + 1, solution, frame);
    }
  }

  /**
   * Follows a ref into `data`: packages, then a rule (evaluated, then followed as a value), or a base document.
   * `with` replacements apply to the exact paths they name.
   */
  private *walkData(
    node: PackageNode | undefined,
    base: Value | undefined,
    path: readonly Term[],
    index: number,
    prefix: string[],
    bindings: Solution,
    frame: Frame,
  ): Generator<Result> {
    const override = overrideAt(frame, prefix);
    if (override) {
      yield* this.walkValue(override.value, path, index, bindings, frame);
      return;
    }
    if (node === undefined) {
      if (base !== undefined) yield* this.walkValue(base, path, index, bindings, frame);
      return;
    }
    if (index === path.length) {
      yield [this.packageValue(node, base, prefix, frame), bindings];
      return;
    }
    const step = path[index];
    const keys: [Value, Solution][] = this.isGround(step, bindings)
      ? [...this.evalTerm(step, bindings, frame)]
      : [...this.dataKeys(node, base)].flatMap((key) => [...this.unifyValue(step, key, bindings, frame)].map((solution): [Value, Solution] => [key, solution]));
    for (const [key, solution] of keys) {
      this.step();
      if (typeof key !== 'string') continue;
      const replaced = overrideAt(frame, [...prefix, key]);
      if (replaced) {
        yield* this.walkValue(replaced.value, path, index + 1, solution, frame);
        continue;
      }
      const group = node.rules.get(key);
      const below = node.children.get(key);
      if (group && below) {
        // A partial object with rules inside its document: the two merged.
        const value = this.objectWithRulesBelow(group, below, child(base ?? null, key), [...prefix, key], frame);
        if (value !== undefined) yield* this.walkValue(value, path, index + 1, solution, frame);
        continue;
      }
      if (group) {
        if (group.kind === 'function') continue;
        const { value, reads } = this.ruleMemo(group, frame);
        // A partial rule stepped into brings the reads of the member it reaches (readsOfStep); used whole, all of them.
        const usedWhole = index + 1 === path.length || (group.kind !== 'partialSet' && group.kind !== 'partialObject');
        const withReads = reads && usedWhole ? this.noted(solution, reads) : solution;
        if (value !== undefined) yield* this.walkValue(value, path, index + 1, withReads, frame);
        continue;
      }
      yield* this.walkData(node.children.get(key), child(base ?? null, key), path, index + 1, [...prefix, key], solution, frame);
    }
  }

  private *dataKeys(node: PackageNode, base: Value | undefined): Generator<string> {
    const names = new Set([...node.children.keys(), ...[...node.rules.values()].filter((group) => group.kind !== 'function').map((group) => group.path[group.path.length - 1])]);
    yield* names;
    if (base instanceof RegoObject) for (const key of base.keys()) if (typeof key === 'string' && !names.has(key)) yield key;
  }

  /** A whole package (or a ref head's document) as an object: its rules, its children and the base documents under it. */
  private packageValue(node: PackageNode, base: Value | undefined, prefix: string[], frame: Frame): Value {
    const object = new RegoObject(base instanceof RegoObject ? base.entries() : []);
    for (const name of this.dataKeys(node, undefined)) {
      for (const [value] of this.walkData(node, base, [{ type: 'scalar', value: name, location: NO_LOCATION }], 0, prefix, undefined, frame)) object.set(name, value);
    }
    return object;
  }

  private objectWithRulesBelow(group: RuleGroup, below: PackageNode, base: Value | undefined, path: string[], frame: Frame): Value | undefined {
    const object = this.ruleValue(group, frame);
    const documents = this.packageValue(below, base, path, frame);
    return object === undefined ? documents : mergeDocuments(object, documents, group.path);
  }
}

/** Where a step the evaluator makes itself was written: nowhere. */
const NO_LOCATION: Location = { file: '', line: 0, column: 0, offset: 0 };

/** The `with` replacement of exactly this data path; the innermost `with` (pushed last) wins. */
function overrideAt(frame: Frame, path: readonly string[]): DataOverride | undefined {
  for (let i = frame.overrides.length - 1; i >= 0; i--) if (samePath(frame.overrides[i].path, path)) return frame.overrides[i];
  return undefined;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

/** A copy of `value` with `replacement` at `path`, creating objects on the way (how `with input.a.b as x` works). */
function withPath(value: Value | undefined, path: readonly string[], replacement: Value): Value {
  if (path.length === 0) return replacement;
  const object = value instanceof RegoObject ? new RegoObject(value.entries()) : new RegoObject();
  const [first, ...rest] = path;
  object.set(first, withPath(object.get(first), rest, replacement));
  return object;
}

/**
 * Builds a partial object rule's value, whose keys may be paths (`a[x].c := y`) and whose values may be sets
 * (`a[x] contains y`). Only the objects and sets it made itself are extended; a value a rule produced never is.
 */
class ObjectBuilder {
  readonly root = new RegoObject();
  private readonly made = new Set<RegoObject | RegoSet>([this.root]);

  constructor(private readonly path: readonly string[]) {}

  insert(keys: readonly Value[], value: Value, intoSet: boolean, location: Location): void {
    let object = this.root;
    for (const key of keys.slice(0, -1)) {
      const next = object.get(key) ?? this.make(new RegoObject());
      if (!(next instanceof RegoObject) || !this.made.has(next)) throw this.conflict(location);
      object.set(key, next);
      object = next;
    }
    const last = keys[keys.length - 1];
    const existing = object.get(last);
    if (intoSet) {
      const set = existing ?? this.make(new RegoSet());
      if (!(set instanceof RegoSet) || !this.made.has(set)) throw this.conflict(location);
      set.add(value);
      object.set(last, set);
    } else if (existing === undefined) object.set(last, value);
    else if (this.made.has(existing as RegoObject) || !valuesEqual(existing, value)) throw this.conflict(location);
  }

  private make<T extends RegoObject | RegoSet>(collection: T): T {
    this.made.add(collection);
    return collection;
  }

  private conflict(location: Location): RegoError {
    return new RegoError('eval_conflict_error', `object keys must be unique (${this.path.join('.')})`, location);
  }
}

/** A partial object's value merged with the documents that rules below it define (`a[x] := …` with `a.b := …`). */
function mergeDocuments(object: Value, below: Value, path: readonly string[]): Value {
  if (!(object instanceof RegoObject) || !(below instanceof RegoObject)) {
    if (valuesEqual(object, below)) return object;
    throw new RegoError('eval_conflict_error', `object keys must be unique (${path.join('.')})`);
  }
  const merged = new RegoObject(object.entries());
  for (const [key, value] of below.entries()) {
    const existing = merged.get(key);
    merged.set(key, existing === undefined ? value : mergeDocuments(existing, value, [...path, String(key)]));
  }
  return merged;
}
