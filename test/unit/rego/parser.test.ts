import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Literal, Rule, Term } from '../../../server/src/rego/ast';
import { dottedName, parseModule } from '../../../server/src/rego/parser';

const parse = (source: string) => parseModule(source, 'test.rego');
const onlyRule = (source: string): Rule => parse(`package t\n${source}`).rules[0];

/** A compact, position-free rendering of a term, to assert on structure. */
function show(term: Term): string {
  switch (term.type) {
    case 'scalar':
      return JSON.stringify(term.value);
    case 'var':
      return term.name;
    case 'ref':
      return `${show(term.head)}${term.path.map((step) => `[${show(step)}]`).join('')}`;
    case 'call':
      return `${term.operator}(${term.args.map(show).join(', ')})`;
    case 'array':
      return `[${term.items.map(show).join(', ')}]`;
    case 'set':
      return `set(${term.items.map(show).join(', ')})`;
    case 'object':
      return `{${term.entries.map(([key, value]) => `${show(key)}: ${show(value)}`).join(', ')}}`;
    case 'arrayComprehension':
      return `[${show(term.term)} | ${term.body.length} literals]`;
    case 'setComprehension':
      return `{${show(term.term)} | ${term.body.length} literals}`;
    case 'objectComprehension':
      return `{${show(term.key)}: ${show(term.value)} | ${term.body.length} literals}`;
  }
}

function showLiteral(literal: Literal): string {
  const { expr } = literal;
  const prefix = literal.negated ? 'not ' : '';
  switch (expr.type) {
    case 'term':
      return prefix + show(expr.term);
    case 'unify':
      return `${prefix}${show(expr.left)} = ${show(expr.right)}`;
    case 'assign':
      return `${show(expr.left)} := ${show(expr.right)}`;
    case 'some':
      return `some ${expr.names.join(', ')}`;
    case 'someIn':
      return `some ${expr.key ? `${show(expr.key)}, ` : ''}${show(expr.value)} in ${show(expr.collection)}`;
    case 'every':
      return `every ${expr.key ? `${expr.key.name}, ` : ''}${expr.value.name} in ${show(expr.domain)} (${expr.body.length} literals)`;
  }
}

describe('parseModule', () => {
  it('reads the package, imports with aliases, and rules in order', () => {
    const module = parse('package lib.helpers\n\nimport future.keywords.in\nimport data.lib.x.y as z\nimport input.review\n\np = 1\nq := 2');
    assert.deepEqual(module.packagePath, ['lib', 'helpers']);
    assert.deepEqual(
      module.imports.map((entry) => [entry.path.join('.'), entry.alias]),
      [
        ['future.keywords.in', undefined],
        ['data.lib.x.y', 'z'],
        ['input.review', undefined],
      ],
    );
    assert.deepEqual(
      module.rules.map((rule) => rule.name),
      ['p', 'q'],
    );
  });

  it('tells complete, partial set, partial object and function rules apart, in v0 and v1 syntax', () => {
    assert.equal(onlyRule('p { true }').kind, 'complete');
    assert.equal(onlyRule('p if true').kind, 'complete');
    assert.equal(onlyRule('s[x] { x := 1 }').kind, 'partialSet');
    assert.equal(onlyRule('s contains x if { x := 1 }').kind, 'partialSet');
    assert.equal(onlyRule('o[k] = v { k := 1; v := 2 }').kind, 'partialObject');
    const fn = onlyRule('f(x, [a, b]) := y if { y := x }');
    assert.equal(fn.kind, 'function');
    assert.deepEqual(fn.params.map(show), ['x', '[a, b]']);
    // OPA reads `f() = x` as the complete rule f.
    assert.equal(onlyRule('f() = 1 { true }').kind, 'complete');
  });

  it('reads rule heads with refs: the ground steps name the document, the rest are keys', () => {
    const complete = onlyRule('a.b["c"] := 1');
    assert.deepEqual([complete.kind, complete.name, complete.groundPath], ['complete', 'a', ['b', 'c']]);
    const set = onlyRule('a.b contains x if { x := 1 }');
    assert.deepEqual([set.kind, set.groundPath, set.key && show(set.key)], ['partialSet', ['b'], 'x']);
    const object = onlyRule('a.b[x].c := y if { x := 1; y := 2 }');
    assert.deepEqual([object.kind, object.groundPath, object.objectPath?.map(show), object.multiValue], ['partialObject', ['b'], ['x', '"c"'], undefined]);
    const sets = onlyRule('a[x] contains y if { x := 1; y := 2 }');
    assert.deepEqual([sets.kind, sets.objectPath?.map(show), show(sets.value), sets.multiValue], ['partialObject', ['x'], 'y', true]);
    // v0's `p[x] { … }` stays a partial set, even with a constant key; `p.q[x]` without a value is an object of trues.
    assert.deepEqual([onlyRule('p["x"] { true }').kind, onlyRule('p.q[x] { x := 1 }').kind], ['partialSet', 'partialObject']);
    assert.throws(() => onlyRule('p[x](y) := 1'), /function name must be a ground ref/);
  });

  it('keeps default values and else chains', () => {
    const withDefault = parse('package t\ndefault allow := false\nallow { input.ok }').rules;
    assert.equal(withDefault[0].isDefault, true);
    assert.equal(show(withDefault[0].value), 'false');
    const chained = onlyRule('f(x) = "a" { x > 1 } else = "b" { x > 0 } else := "c"');
    assert.deepEqual(
      chained.elses.map((clause) => [show(clause.value), clause.body.length]),
      [
        ['"b"', 1],
        ['"c"', 0],
      ],
    );
  });

  it('gives one rule per body for `p { a } { b }`', () => {
    assert.equal(parse('package t\np { input.a } { input.b }').rules.length, 2);
  });

  it('parses operators with OPA precedence: in < comparisons < | < & < + - < * / %', () => {
    const body = onlyRule('p { x := 1 + 2 * 3 == 7; s | t & u; y in [1] }').body;
    assert.equal(showLiteral(body[0]), 'x := equal(plus(1, mul(2, 3)), 7)');
    assert.equal(showLiteral(body[1]), 'or(s, and(t, u))');
    assert.equal(showLiteral(body[2]), 'internal.member_2(y, [1])');
  });

  it('reads comprehensions, sets, objects and indexing of any term', () => {
    const body = onlyRule('p { a := [x | x := input.xs[_]]; b := {x | true}; c := {k: v | k := 1; v := 2}; d := {1, 2}; e := {"a": 1}; f := set(); g := [1, 2][_] }').body;
    assert.deepEqual(body.map(showLiteral), [
      'a := [x | 1 literals]',
      'b := {x | 1 literals}',
      'c := {k: v | 2 literals}',
      'd := set(1, 2)',
      'e := {"a": 1}',
      'f := set()',
      'g := [1, 2][$1]',
    ]);
  });

  it('reads some, some … in, every, not and with', () => {
    const body = onlyRule('p {\n  some i\n  some k, v in input.o\n  every x in input.xs { x > 0 }\n  not f(input.a) with input.a as 1 with data.d as 2\n}\nf(_) = true').body;
    assert.deepEqual(body.slice(0, 4).map(showLiteral), ['some i', 'some k, v in input["o"]', 'every x in input["xs"] (1 literals)', 'not f(input["a"])']);
    assert.deepEqual(
      body[3].withs.map((modifier) => [show(modifier.target), show(modifier.value)]),
      [
        ['input["a"]', '1'],
        ['data["d"]', '2'],
      ],
    );
  });

  it('ends a literal at a line break, but not inside brackets or parentheses', () => {
    const body = onlyRule('p {\n  x := [1,\n    2]\n  y := sprintf("%v", [\n    x,\n  ])\n  x == y\n}').body;
    assert.deepEqual(body.map(showLiteral), ['x := [1, 2]', 'y := sprintf("%v", [x])', 'equal(x, y)']);
    assert.throws(() => onlyRule('p {\n  x\n  == 1\n}'), /unexpected "=="/, 'an operator on the next line starts a new literal');
  });

  it('makes each _ its own variable and calls contains() as a built-in in bodies', () => {
    const body = onlyRule('p { input.a[_] == input.b[_]; not contains("ab", "b") }').body;
    assert.equal(showLiteral(body[0]), 'equal(input["a"][$0], input["b"][$1])');
    assert.equal(showLiteral(body[1]), 'not contains("ab", "b")');
  });

  it('reports syntax errors with their place', () => {
    assert.throws(() => parse('package t\np {\n  x := \n}'), /test\.rego:4:1: rego_parse_error: unexpected "}"/);
    assert.throws(() => parse('package t\np { }'), /found an empty body/);
    assert.throws(() => parse('p = 1'), /expected package/);
    assert.throws(() => parse('package t\ndefault p[x] = 1'), /default rules must be complete rules or functions/);
    assert.throws(() => parse(`package t\np := ${'['.repeat(100_000)}`), /rego_parse_error: the source is nested too deeply/);
  });
});

describe('dottedName', () => {
  it('spells a var or a ref of constant strings, and nothing else', () => {
    const value = (source: string): Term => onlyRule(`p := ${source}`).value;
    assert.deepEqual(['count', 'time.now_ns', 'data.lib["f"]', 'input.xs[0]', 'xs[i]', '[a][0]'].map((source) => dottedName(value(source))), ['count', 'time.now_ns', 'data.lib.f', undefined, undefined, undefined]);
  });
});
