import type { ArrayComprehension, EveryExpr, Literal, ObjectComprehension, SetComprehension, Term, WithModifier } from './ast';

/**
 * The walks over terms the compiler's passes (resolution, rewrites, safety) share. A closure (a comprehension, an
 * `every` body) has variables of its own, so each caller enters one itself: these walks never do.
 */

export type TermMapper = (term: Term) => Term;

export type Comprehension = ArrayComprehension | SetComprehension | ObjectComprehension;

/** Any term but a comprehension. */
export type OpenTerm = Exclude<Term, Comprehension>;

export function isComprehension(term: Term): term is Comprehension {
  return term.type === 'arrayComprehension' || term.type === 'setComprehension' || term.type === 'objectComprehension';
}

export interface LiteralMapOptions {
  /** The new body of an `every`, in the caller's own scope for it; its domain goes through the term mapper. */
  mapEveryBody: (every: EveryExpr) => Literal[];
  /** A `with` modifier; by default its target and value go through the term mapper. */
  mapWith?: (modifier: WithModifier) => WithModifier;
}

/**
 * The literal with its `with` modifiers, then the terms of its expression from left to right, mapped. A `some x`
 * declaration holds no terms (nor modifiers) and comes back as it is.
 */
export function mapLiteralTerms(literal: Literal, mapTerm: TermMapper, options: LiteralMapOptions): Literal {
  const { expr } = literal;
  if (expr.type === 'some') return literal;
  const mapWith = options.mapWith ?? ((modifier: WithModifier) => ({ ...modifier, target: mapTerm(modifier.target), value: mapTerm(modifier.value) }));
  const withs = literal.withs.map(mapWith);
  switch (expr.type) {
    case 'unify':
    case 'assign':
      return { ...literal, withs, expr: { ...expr, left: mapTerm(expr.left), right: mapTerm(expr.right) } };
    case 'term':
      return { ...literal, withs, expr: { ...expr, term: mapTerm(expr.term) } };
    case 'someIn':
      return { ...literal, withs, expr: { ...expr, key: expr.key && mapTerm(expr.key), value: mapTerm(expr.value), collection: mapTerm(expr.collection) } };
    case 'every':
      return { ...literal, withs, expr: { ...expr, domain: mapTerm(expr.domain), body: options.mapEveryBody(expr) } };
  }
}

/** The term with its direct subterms mapped (a ref's head and steps, items, keys and values, arguments); scalars and variables have none. */
export function mapChildTerms(term: OpenTerm, mapTerm: TermMapper): Term {
  switch (term.type) {
    case 'scalar':
    case 'var':
      return term;
    case 'ref':
      return { ...term, head: mapTerm(term.head), path: term.path.map(mapTerm) };
    case 'array':
    case 'set':
      return { ...term, items: term.items.map(mapTerm) };
    case 'object':
      return { ...term, entries: term.entries.map(([key, value]) => [mapTerm(key), mapTerm(value)] as [Term, Term]) };
    case 'call':
      return { ...term, args: term.args.map(mapTerm) };
  }
}

/** A term's direct subterms, in the order written: a ref's head and steps, items, keys and values, arguments. */
export function childTerms(term: OpenTerm): readonly Term[] {
  switch (term.type) {
    case 'scalar':
    case 'var':
      return [];
    case 'ref':
      return [term.head, ...term.path];
    case 'array':
    case 'set':
      return term.items;
    case 'object':
      return term.entries.flat();
    case 'call':
      return term.args;
  }
}
