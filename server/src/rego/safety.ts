import type { ArrayTerm, CallTerm, Literal, ObjectTerm, Term } from './ast';
import { RegoError, type Location } from './errors';
import { childTerms, isComprehension, mapChildTerms, mapLiteralTerms } from './traverse';
import { bodyVars, isWildcard, literalVars, termVars, type VarSet } from './vars';

/**
 * OPA's safety check: reorders a body so that every variable is bound before it is read (a call's inputs, a
 * negated expression, a comparison), and rejects a body where that is impossible ("var x is unsafe"). Bodies are
 * otherwise kept in the order written. The rules follow OPA's compiler (reorderBodyForSafety and its unifier).
 */

/** How many inputs a call takes: a built-in's arity or a function's parameter count; one more argument is an output. */
export type ArityOf = (call: CallTerm) => number;

const SAFETY_WALK = { skipClosures: true } as const;

function union(...sets: VarSet[]): VarSet {
  const all = new Set<string>();
  for (const set of sets) for (const name of set) all.add(name);
  return all;
}

function unsafeVarError(name: string, location: Location): RegoError {
  return new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, location);
}

export class SafetyChecker {
  constructor(private readonly arityOf: ArityOf) {}

  /** The body in a safe order, with its comprehensions and `every` bodies reordered too; throws when unsafe. */
  reorderBody(body: readonly Literal[], globals: VarSet): Literal[] {
    const ordered = this.orderForClosures(body, globals);
    const unsafe = new Map<Literal, VarSet>();
    for (const literal of ordered) {
      const names = [...literalVars(literal, SAFETY_WALK)].filter((name) => !globals.has(name) && !isWildcard(name));
      unsafe.set(literal, new Set(names));
    }
    const reordered: Literal[] = [];
    let safe = new Set(globals);
    for (let progressed = true; progressed && reordered.length < ordered.length; ) {
      progressed = false;
      for (const literal of ordered) {
        if (reordered.includes(literal)) continue;
        const outputs = this.literalOutputs(literal, safe);
        const remaining = unsafe.get(literal) as VarSet;
        for (const name of [...remaining]) if (outputs.has(name) || safe.has(name)) remaining.delete(name);
        if (remaining.size === 0) {
          reordered.push(literal);
          safe = union(safe, outputs);
          progressed = true;
        }
      }
    }
    const stuck = ordered.find((literal) => !reordered.includes(literal));
    if (stuck) throw unsafeVarError([...(unsafe.get(stuck) as VarSet)][0], stuck.location);

    // Closures see every variable of the literals before them.
    let closureGlobals = new Set(globals);
    return reordered.map((literal, index) => {
      if (index > 0) closureGlobals = union(closureGlobals, literalVars(reordered[index - 1], SAFETY_WALK));
      return this.reorderClosures(literal, closureGlobals);
    });
  }

  /** Variables a head (a rule's key and value, a comprehension's term) reads must be bound by its body. */
  checkHeadSafe(terms: readonly Term[], body: readonly Literal[], globals: VarSet, location: Location): void {
    const bound = union(globals, this.bodyOutputs(body, globals));
    for (const term of terms) {
      for (const name of termVars(term, SAFETY_WALK)) {
        if (!bound.has(name)) throw unsafeVarError(isWildcard(name) ? '_' : name, location);
      }
    }
  }

  /** OPA's reorderBodyForClosures: a literal whose closures read a body variable waits until that variable is bound. */
  private orderForClosures(body: readonly Literal[], globals: VarSet): Literal[] {
    const variablesOfBody = bodyVars(body, SAFETY_WALK);
    const reordered: Literal[] = [];
    for (let progressed = true; progressed && reordered.length < body.length; ) {
      progressed = false;
      for (const literal of body) {
        if (reordered.includes(literal)) continue;
        const closed = [...closureVars(literal)].filter((name) => variablesOfBody.has(name) && !globals.has(name));
        const bound = this.bodyOutputs(reordered, globals);
        if (closed.every((name) => bound.has(name))) {
          reordered.push(literal);
          progressed = true;
        }
      }
    }
    const stuck = body.find((literal) => !reordered.includes(literal));
    if (stuck) {
      const bound = this.bodyOutputs(reordered, globals);
      const name = [...closureVars(stuck)].find((candidate) => variablesOfBody.has(candidate) && !globals.has(candidate) && !bound.has(candidate));
      throw unsafeVarError(name ?? '?', stuck.location);
    }
    return reordered;
  }

  private bodyOutputs(body: readonly Literal[], safe: VarSet): VarSet {
    let bound = new Set(safe);
    for (const literal of body) bound = union(bound, this.literalOutputs(literal, bound));
    return new Set([...bound].filter((name) => !safe.has(name)));
  }

  /** The variables a literal binds when `safe` are already bound (OPA's outputVarsForExpr). */
  private literalOutputs(literal: Literal, safe: VarSet): VarSet {
    if (literal.negated) return new Set();
    for (const modifier of literal.withs) {
      const used = union(termVars(modifier.target, SAFETY_WALK), termVars(modifier.value, SAFETY_WALK));
      if ([...used].some((name) => !safe.has(name))) return new Set();
    }
    const { expr } = literal;
    switch (expr.type) {
      case 'some':
        return new Set();
      case 'unify':
      case 'assign':
        return this.equalityOutputs(expr.left, expr.right, safe);
      case 'someIn': {
        const outputs = refOutputs([expr.collection], safe);
        const collectionInputs = [...termVars(expr.collection, SAFETY_WALK)].filter((name) => !outputs.has(name));
        if (collectionInputs.some((name) => !safe.has(name))) return outputs;
        if (expr.key) termVars(expr.key, SAFETY_WALK, outputs);
        return termVars(expr.value, SAFETY_WALK, outputs);
      }
      case 'every':
        return refOutputs([expr.domain], safe);
      case 'term': {
        const { term } = expr;
        if (term.type === 'call') return this.callOutputs(term, safe);
        return refOutputs([term], safe);
      }
    }
  }

  private equalityOutputs(left: Term, right: Term, safe: VarSet): VarSet {
    const outputs = union(refOutputs([left, right], safe), safe);
    const unifier = new Unifier(outputs);
    unifier.unify(left, right);
    return new Set([...union(outputs, unifier.unified)].filter((name) => !safe.has(name)));
  }

  /** A call binds its output argument once its inputs are bound. */
  private callOutputs(call: CallTerm, safe: VarSet): VarSet {
    const outputs = refOutputs(call.args, safe);
    const arity = this.arityOf(call);
    if (call.args.length <= arity) return outputs;
    const inputs = new Set<string>();
    for (const arg of call.args.slice(0, arity)) termVars(arg, SAFETY_WALK, inputs);
    if ([...inputs].some((name) => !outputs.has(name) && !safe.has(name))) return new Set();
    return termVars(call.args[arity], SAFETY_WALK, outputs);
  }

  private reorderClosures(literal: Literal, globals: VarSet): Literal {
    return mapLiteralTerms(literal, (term) => this.reorderTermClosures(term, globals), {
      mapEveryBody: ({ key, value, body }) => this.reorderBody(body, union(globals, new Set(key ? [key.name, value.name] : [value.name]))),
    });
  }

  private reorderTermClosures(term: Term, globals: VarSet): Term {
    switch (term.type) {
      case 'arrayComprehension':
      case 'setComprehension': {
        const body = this.reorderBody(term.body, globals);
        this.checkHeadSafe([term.term], body, globals, term.location);
        return { ...term, body };
      }
      case 'objectComprehension': {
        const body = this.reorderBody(term.body, globals);
        this.checkHeadSafe([term.key, term.value], body, globals, term.location);
        return { ...term, body };
      }
      default:
        return mapChildTerms(term, (inner) => this.reorderTermClosures(inner, globals));
    }
  }
}

/** Variables inside the literal's closures (comprehensions, `every`), at any depth. */
function closureVars(literal: Literal): VarSet {
  const inside = new Set<string>();
  const visit = (term: Term): void => {
    if (isComprehension(term)) termVars(term, {}, inside);
    else childTerms(term).forEach(visit);
  };
  const { expr } = literal;
  if (expr.type === 'unify' || expr.type === 'assign') [expr.left, expr.right].forEach(visit);
  else if (expr.type === 'term') visit(expr.term);
  else if (expr.type === 'someIn') [expr.key, expr.value, expr.collection].forEach((term) => term && visit(term));
  else if (expr.type === 'every') {
    visit(expr.domain);
    bodyVars(expr.body, {}, inside);
  }
  for (const modifier of literal.withs) [modifier.target, modifier.value].forEach(visit);
  return inside;
}

/** Variables that refs with a bound head can bind by iterating (`i` in `input.xs[i]`), outside closures. */
function refOutputs(terms: readonly Term[], safe: VarSet): VarSet {
  const outputs = new Set<string>();
  const visit = (term: Term): void => {
    if (isComprehension(term)) return;
    if (term.type === 'ref') {
      if (!isHeadSafe(term.head, safe)) return;
      for (const step of term.path) termVars(step, SAFETY_WALK, outputs);
    }
    childTerms(term).forEach(visit);
  };
  terms.forEach(visit);
  return outputs;
}

function isHeadSafe(head: Term, safe: VarSet): boolean {
  if (head.type === 'var') return safe.has(head.name);
  return [...termVars(head, SAFETY_WALK)].every((name) => safe.has(name));
}

/** OPA's unifier for safety: which variables `a = b` binds, given the ones already bound. */
class Unifier {
  readonly unified = new Set<string>();
  private readonly unknown = new Map<string, VarSet>();

  constructor(private readonly safe: VarSet) {}

  unify(a: Term, b: Term): void {
    switch (a.type) {
      case 'var':
        switch (b.type) {
          case 'var':
            if (this.isSafe(b.name)) this.markSafe(a.name);
            else if (this.isSafe(a.name)) this.markSafe(b.name);
            else {
              this.markUnknown(a.name, b.name);
              this.markUnknown(b.name, a.name);
            }
            return;
          case 'array':
          case 'object':
            this.unifyAll(a.name, b);
            return;
          case 'ref':
            if (isHeadSafe(b.head, this.boundNow())) this.markSafe(a.name);
            return;
          case 'call':
            if (this.allSafe(b)) this.markSafe(a.name);
            return;
          default:
            this.markSafe(a.name);
            return;
        }
      case 'ref':
      case 'call':
        if (a.type === 'ref' ? isHeadSafe(a.head, this.boundNow()) : this.allSafe(a)) this.bindOther(b);
        return;
      case 'arrayComprehension':
      case 'setComprehension':
      case 'objectComprehension':
        this.bindOther(b);
        return;
      case 'array':
      case 'object':
        this.unifyPattern(a, b);
        return;
      default:
        if (b.type === 'var') this.markSafe(b.name);
        return;
    }
  }

  /** An array or object pattern against the other side: a pattern of its kind is unified part by part. */
  private unifyPattern(pattern: ArrayTerm | ObjectTerm, other: Term): void {
    switch (other.type) {
      case 'var':
        this.unifyAll(other.name, pattern);
        return;
      case 'arrayComprehension':
      case 'setComprehension':
      case 'objectComprehension':
        this.markAllSafe(pattern);
        return;
      case 'ref':
        if (isHeadSafe(other.head, this.boundNow())) this.markAllSafe(pattern);
        return;
      case 'call':
        if (this.allSafe(other)) this.markAllSafe(pattern);
        return;
      case 'array':
        if (pattern.type === 'array' && pattern.items.length === other.items.length) pattern.items.forEach((item, i) => this.unify(item, other.items[i]));
        return;
      case 'object':
        if (pattern.type !== 'object' || pattern.entries.length !== other.entries.length) return;
        for (const [key, value] of pattern.entries) {
          const match = other.entries.find(([otherKey]) => sameScalar(key, otherKey));
          if (match) this.unify(value, match[1]);
        }
        return;
      default:
        return;
    }
  }

  /** After a bound ref, call or comprehension on one side: a var or a pattern on the other side is bound. */
  private bindOther(other: Term): void {
    if (other.type === 'var') this.markSafe(other.name);
    else if (other.type === 'array' || other.type === 'object') this.markAllSafe(other);
  }

  private boundNow(): VarSet {
    return union(this.safe, this.unified);
  }

  private isSafe(name: string): boolean {
    return this.safe.has(name) || this.unified.has(name);
  }

  private allSafe(term: Term): boolean {
    return [...termVars(term, SAFETY_WALK)].every((name) => this.isSafe(name));
  }

  private markSafe(name: string): void {
    this.unified.add(name);
    const dependents = this.unknown.get(name);
    if (!dependents) return;
    this.unknown.delete(name);
    for (const dependent of dependents) if (!this.isSafe(dependent)) this.markSafe(dependent);
  }

  private markUnknown(name: string, dependsOn: string): void {
    const set = this.unknown.get(name) ?? new Set<string>();
    set.add(dependsOn);
    this.unknown.set(name, set);
  }

  private markAllSafe(term: Term): void {
    for (const name of termVars(term, { skipClosures: true, skipRefHeads: true, skipObjectKeys: true })) this.markSafe(name);
  }

  private unifyAll(name: string, composite: Term): void {
    if (this.isSafe(name)) {
      this.markAllSafe(composite);
      return;
    }
    const unsafe = [...termVars(composite, { skipClosures: true, skipRefHeads: true, skipObjectKeys: true })].filter((other) => !this.isSafe(other));
    if (unsafe.length === 0) {
      this.markSafe(name);
      return;
    }
    for (const other of unsafe) {
      this.markUnknown(name, other);
      this.markUnknown(other, name);
    }
  }
}

function sameScalar(a: Term, b: Term): boolean {
  return a.type === 'scalar' && b.type === 'scalar' && a.value === b.value;
}
