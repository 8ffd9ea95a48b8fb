import type { Literal, Term } from './ast';
import { WILDCARD_PREFIX } from './parser';

/** Which variables a piece of syntax mentions; the safety check and the resolver both need these walks. */

export type VarSet = Set<string>;

export const isWildcard = (name: string): boolean => name.startsWith(WILDCARD_PREFIX);

export interface VarWalkOptions {
  /** Leave out what is inside comprehensions (and `every` bodies): their variables are their own. */
  skipClosures?: boolean;
  /** Leave out a ref's head (`x` in `x.a[i]`), as OPA's unifier does. */
  skipRefHeads?: boolean;
  /** Leave out object keys, as OPA's unifier does. */
  skipObjectKeys?: boolean;
}

export function termVars(term: Term, options: VarWalkOptions = {}, into: VarSet = new Set()): VarSet {
  switch (term.type) {
    case 'scalar':
      break;
    case 'var':
      into.add(term.name);
      break;
    case 'ref':
      if (!options.skipRefHeads) termVars(term.head, options, into);
      for (const step of term.path) termVars(step, options, into);
      break;
    case 'array':
    case 'set':
      for (const item of term.items) termVars(item, options, into);
      break;
    case 'object':
      for (const [key, value] of term.entries) {
        if (!options.skipObjectKeys) termVars(key, options, into);
        termVars(value, options, into);
      }
      break;
    case 'call':
      for (const arg of term.args) termVars(arg, options, into);
      break;
    case 'arrayComprehension':
    case 'setComprehension':
      if (!options.skipClosures) {
        termVars(term.term, options, into);
        bodyVars(term.body, options, into);
      }
      break;
    case 'objectComprehension':
      if (!options.skipClosures) {
        termVars(term.key, options, into);
        termVars(term.value, options, into);
        bodyVars(term.body, options, into);
      }
      break;
  }
  return into;
}

export function literalVars(literal: Literal, options: VarWalkOptions = {}, into: VarSet = new Set()): VarSet {
  const { expr } = literal;
  switch (expr.type) {
    case 'unify':
    case 'assign':
      termVars(expr.left, options, into);
      termVars(expr.right, options, into);
      break;
    case 'term':
      termVars(expr.term, options, into);
      break;
    case 'some':
      break;
    case 'someIn':
      if (expr.key) termVars(expr.key, options, into);
      termVars(expr.value, options, into);
      termVars(expr.collection, options, into);
      break;
    case 'every':
      termVars(expr.domain, options, into);
      if (!options.skipClosures) {
        if (expr.key) into.add(expr.key.name);
        into.add(expr.value.name);
        bodyVars(expr.body, options, into);
      }
      break;
  }
  for (const modifier of literal.withs) {
    termVars(modifier.target, options, into);
    termVars(modifier.value, options, into);
  }
  return into;
}

export function bodyVars(body: readonly Literal[], options: VarWalkOptions = {}, into: VarSet = new Set()): VarSet {
  for (const literal of body) literalVars(literal, options, into);
  return into;
}
