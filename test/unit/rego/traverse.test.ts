import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Literal, Term, WithModifier } from '../../../server/src/rego/ast';
import { parseModule } from '../../../server/src/rego/parser';
import { childTerms, isComprehension, mapChildTerms, mapLiteralTerms, type OpenTerm } from '../../../server/src/rego/traverse';

/** The literals of `p`'s body. */
function body(source: string): Literal[] {
  return parseModule(`package t\nimport future.keywords\np if {\n${source}\n}`, 'test.rego').rules[0].body;
}

/** A short name for the terms these tests visit. */
function label(term: Term): string {
  if (term.type === 'var') return term.name;
  if (term.type === 'scalar') return JSON.stringify(term.value);
  return term.type;
}

/** A term mapper that records what it is given and renames variables to upper case. */
function recordingMapper(): { visited: string[]; mapTerm: (term: Term) => Term } {
  const visited: string[] = [];
  const mapTerm = (term: Term): Term => {
    visited.push(label(term));
    return term.type === 'var' ? { ...term, name: term.name.toUpperCase() } : term;
  };
  return { visited, mapTerm };
}

const noEveryBody = (): Literal[] => assert.fail('no every here');

describe('mapLiteralTerms', () => {
  it('maps the with modifiers first, then the operands from left to right', () => {
    const [literal] = body('a = b with input as c with data.x as d');
    const { visited, mapTerm } = recordingMapper();
    const mapped = mapLiteralTerms(literal, mapTerm, { mapEveryBody: noEveryBody });
    assert.deepEqual(visited, ['input', 'c', 'ref', 'd', 'a', 'b']);
    assert.ok(mapped.expr.type === 'unify');
    assert.deepEqual([label(mapped.expr.left), label(mapped.expr.right)], ['A', 'B']);
    assert.deepEqual(mapped.withs.map((modifier) => label(modifier.value)), ['C', 'D']);
  });

  it('hands the with modifiers to mapWith when given', () => {
    const [literal] = body('a with input as c');
    const { visited, mapTerm } = recordingMapper();
    const mapWith = (modifier: WithModifier): WithModifier => ({ ...modifier, value: { type: 'scalar', value: 1, location: modifier.location } });
    const mapped = mapLiteralTerms(literal, mapTerm, { mapEveryBody: noEveryBody, mapWith });
    assert.deepEqual(visited, ['a']);
    assert.deepEqual(mapped.withs.map((modifier) => label(modifier.value)), ['1']);
  });

  it('maps the key, value and collection of some … in', () => {
    const [literal] = body('some k, v in xs');
    const { visited, mapTerm } = recordingMapper();
    mapLiteralTerms(literal, mapTerm, { mapEveryBody: noEveryBody });
    assert.deepEqual(visited, ['k', 'v', 'xs']);
  });

  it("maps an every's domain, and leaves its body to mapEveryBody", () => {
    const [literal] = body('every x in xs { x > y }');
    const { visited, mapTerm } = recordingMapper();
    const replacement = body('true');
    const mapped = mapLiteralTerms(literal, mapTerm, {
      mapEveryBody: (every) => {
        assert.equal(every.value.name, 'x');
        return replacement;
      },
    });
    assert.deepEqual(visited, ['xs']);
    assert.equal(mapped.expr.type === 'every' && mapped.expr.body, replacement);
  });

  it('returns a some declaration as it is', () => {
    const [literal] = body('some x');
    const { visited, mapTerm } = recordingMapper();
    assert.equal(mapLiteralTerms(literal, mapTerm, { mapEveryBody: noEveryBody }), literal);
    assert.deepEqual(visited, []);
  });
});

describe('mapChildTerms', () => {
  const operand = (source: string): OpenTerm => {
    const [literal] = body(source);
    assert.ok(literal.expr.type === 'term');
    return literal.expr.term as OpenTerm;
  };

  it('maps the direct children of refs, collections, objects and calls, not deeper', () => {
    const cases: [string, string[]][] = [
      ['a[b].c', ['a', 'b', '"c"']],
      ['[a, [b]]', ['a', 'array']],
      ['{a, b}', ['a', 'b']],
      ['{"k": a, b: [c]}', ['"k"', 'a', 'b', 'array']],
      ['f(a, g(b))', ['a', 'call']],
    ];
    for (const [source, expected] of cases) {
      const { visited, mapTerm } = recordingMapper();
      mapChildTerms(operand(source), mapTerm);
      assert.deepEqual(visited, expected, source);
    }
  });

  it('returns scalars and variables as they are', () => {
    for (const source of ['x', '1']) {
      const term = operand(source);
      assert.equal(mapChildTerms(term, () => assert.fail('no children')), term);
    }
  });
});

describe('childTerms', () => {
  const operand = (source: string): Term => {
    const [literal] = body(source);
    assert.ok(literal.expr.type === 'term');
    return literal.expr.term;
  };

  it('lists the direct children in the order written, the same ones mapChildTerms maps', () => {
    for (const source of ['a[b].c', '[a, [b]]', '{a, b}', '{"k": a, b: [c]}', 'f(a, g(b))', 'x', '1']) {
      const term = operand(source);
      assert.ok(!isComprehension(term));
      const { visited, mapTerm } = recordingMapper();
      mapChildTerms(term, mapTerm);
      assert.deepEqual(childTerms(term).map(label), visited, source);
    }
  });

  it('tells comprehensions apart, whose terms are in a scope of their own', () => {
    assert.deepEqual(['[x | x := 1]', '{x | x := 1}', '{x: 1 | x := 1}', '[x]', '{x}'].map((source) => isComprehension(operand(source))), [true, true, true, false, false]);
  });
});
