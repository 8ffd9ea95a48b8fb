import type { Expr, Literal, Term, VarTerm } from './ast';
import { mapChildTerms } from './traverse';

/**
 * Two of OPA's compiler rewrites that change what a body means, so the evaluator must make them too:
 *
 * - expansion (RewriteExprTerms, before the safety check): a call nested in an expression's operands is moved
 *   into its own literal before it, `#0 = g(x)`.
 * - hoisting (RewriteDynamicTerms, after the safety check): a ref among a call's arguments, or inside a ref's
 *   brackets, is moved likewise, `#1 = input.x`.
 *
 * The moved literals are never negated. So `not f(input.missing)` is undefined rather than true (OPA issues
 * #1877 and #4743): the body fails on `#1 = input.missing` before the negation is tried. Templates rely on it,
 * e.g. `not accept_value(rule, value, params.ranges)` when `params.ranges` is absent.
 */

/** Names for the moved terms; `#` cannot start a Rego identifier, so they never meet a user's variable. */
export class LocalVarGenerator {
  private next = 0;

  fresh(location: VarTerm['location']): VarTerm {
    return { type: 'var', name: `#${this.next++}`, location };
  }
}

function generated(target: VarTerm, value: Term, original: Literal): Literal {
  return { negated: false, expr: { type: 'unify', left: target, right: value }, withs: original.withs, location: original.location };
}

// ---- expansion ----

export function expandBody(body: readonly Literal[], names: LocalVarGenerator): Literal[] {
  return body.flatMap((literal) => expandLiteral(literal, names));
}

function expandLiteral(literal: Literal, names: LocalVarGenerator): Literal[] {
  const extras: Literal[] = [];
  const operand = (term: Term) => expandTerm(term, literal, extras, names);
  const withs = literal.withs.map((modifier) => ({ ...modifier, value: operand(modifier.value) }));
  const { expr } = literal;
  let expanded: Expr;
  switch (expr.type) {
    case 'unify':
    case 'assign':
      expanded = { ...expr, left: operand(expr.left), right: operand(expr.right) };
      break;
    case 'term':
      // A call written as the expression itself stays; its arguments are its operands.
      expanded = { ...expr, term: expr.term.type === 'call' ? { ...expr.term, args: expr.term.args.map(operand) } : operand(expr.term) };
      break;
    case 'someIn':
      expanded = { ...expr, key: expr.key && operand(expr.key), value: operand(expr.value), collection: operand(expr.collection) };
      break;
    case 'every':
      expanded = { ...expr, domain: operand(expr.domain), body: expandBody(expr.body, names) };
      break;
    case 'some':
      expanded = expr;
      break;
  }
  return [...extras, { ...literal, expr: expanded, withs }];
}

function expandTerm(term: Term, original: Literal, extras: Literal[], names: LocalVarGenerator): Term {
  const inner = (child: Term) => expandTerm(child, original, extras, names);
  switch (term.type) {
    case 'call': {
      const call = { ...term, args: term.args.map(inner) };
      const target = names.fresh(term.location);
      extras.push(generated(target, call, original));
      return target;
    }
    case 'arrayComprehension':
    case 'setComprehension': {
      const support: Literal[] = [];
      const head = expandTerm(term.term, original, support, names);
      return { ...term, term: head, body: expandBody([...term.body, ...support.map((literal) => ({ ...literal, withs: [] }))], names) };
    }
    case 'objectComprehension': {
      const support: Literal[] = [];
      const key = expandTerm(term.key, original, support, names);
      const value = expandTerm(term.value, original, support, names);
      return { ...term, key, value, body: expandBody([...term.body, ...support.map((literal) => ({ ...literal, withs: [] }))], names) };
    }
    default:
      return mapChildTerms(term, inner);
  }
}

// ---- hoisting ----

export function hoistBody(body: readonly Literal[], names: LocalVarGenerator): Literal[] {
  return body.flatMap((literal) => hoistLiteral(literal, names));
}

function hoistLiteral(literal: Literal, names: LocalVarGenerator): Literal[] {
  const extras: Literal[] = [];
  const hoister = new Hoister(literal, extras, names);
  const { expr } = literal;
  let hoisted: Expr;
  switch (expr.type) {
    case 'unify':
    case 'assign':
      hoisted = { ...expr, left: hoister.inside(expr.left), right: hoister.inside(expr.right) };
      break;
    case 'term':
      hoisted = { ...expr, term: expr.term.type === 'call' ? hoister.callArguments(expr.term) : hoister.inside(expr.term) };
      break;
    case 'someIn':
      hoisted = { ...expr, collection: hoister.inside(expr.collection) };
      break;
    case 'every':
      hoisted = { ...expr, domain: hoister.inside(expr.domain), body: hoistBody(expr.body, names) };
      break;
    case 'some':
      hoisted = expr;
      break;
  }
  return [...extras, { ...literal, expr: hoisted }];
}

class Hoister {
  constructor(
    private readonly original: Literal,
    private readonly extras: Literal[],
    private readonly names: LocalVarGenerator,
  ) {}

  /** An operand of `=`, or a term expression: a ref stays, but refs in its brackets move out. */
  inside(term: Term): Term {
    switch (term.type) {
      case 'ref':
        return { ...term, path: term.path.map((step) => this.moved(step)) };
      case 'call':
        return this.callArguments(term);
      case 'arrayComprehension':
      case 'setComprehension':
      case 'objectComprehension':
        return { ...term, body: hoistBody(term.body, this.names) };
      default:
        return this.moved(term);
    }
  }

  callArguments(call: Extract<Term, { type: 'call' }>): Term {
    return { ...call, args: call.args.map((arg) => this.moved(arg)) };
  }

  /** A call argument (or a bracket, or an element of either): refs and comprehensions move out whole. */
  moved(term: Term): Term {
    switch (term.type) {
      case 'ref': {
        const ref = { ...term, path: term.path.map((step) => this.moved(step)) };
        return this.extract(ref);
      }
      case 'array':
      case 'set':
      case 'object':
        return mapChildTerms(term, (child) => this.moved(child));
      case 'arrayComprehension':
      case 'setComprehension':
      case 'objectComprehension':
        return this.extract({ ...term, body: hoistBody(term.body, this.names) });
      default:
        return term;
    }
  }

  private extract(term: Term): VarTerm {
    const target = this.names.fresh(term.location);
    this.extras.push(generated(target, term, this.original));
    return target;
  }
}
