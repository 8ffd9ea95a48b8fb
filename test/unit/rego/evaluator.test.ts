import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegoError } from '../../../server/src/rego/errors';
import { evaluate } from './evaluate';

const regoError = (code: string, detail?: RegExp) => (error: unknown) => error instanceof RegoError && error.code === code && (!detail || detail.test(error.detail));

describe('evaluator: undefined and false', () => {
  const policy = `package t
    missing := input.nope
    is_false := input.a == input.b
    body_with_false { input.a == input.b }
    not_missing { not input.nope }
    not_false { not is_false }
    in_array := [input.nope]
    default with_default := "default"
    with_default := "set" { input.flag }
  `;
  const input = { a: 1, b: 2 };

  it('an absent document is undefined, never an error', () => {
    assert.equal(evaluate(policy, 'missing', { input }), undefined);
    assert.equal(evaluate(policy, 'in_array', { input }), undefined, 'an undefined element makes the array undefined');
  });

  it('false is a value; as an expression it fails the body', () => {
    assert.equal(evaluate(policy, 'is_false', { input }), false);
    assert.equal(evaluate(policy, 'body_with_false', { input }), undefined);
  });

  it('not holds for undefined and for false', () => {
    assert.equal(evaluate(policy, 'not_missing', { input }), true);
    assert.equal(evaluate(policy, 'not_false', { input }), true);
  });

  it('default applies only when no definition has a value', () => {
    assert.equal(evaluate(policy, 'with_default', { input }), 'default');
    assert.equal(evaluate(policy, 'with_default', { input: { flag: true } }), 'set');
  });

  it('a built-in error makes its call undefined (OPA without strict-builtin-errors)', () => {
    const source = 'package t\nnumber := to_number(input.s)\nnot_a_number { not to_number(input.s) }';
    assert.equal(evaluate(source, 'number', { input: { s: '12' } }), 12);
    assert.equal(evaluate(source, 'number', { input: { s: 'twelve' } }), undefined);
    assert.equal(evaluate(source, 'not_a_number', { input: { s: 'twelve' } }), true);
  });

  it('a negated call with an undefined argument is undefined, as OPA rewrites it (issues #1877, #4743)', () => {
    const source = `package t
      negated_call { not startswith(input.missing, "a") }
      negated_ref { not input.missing }
      negated_lookup { not {"a": 1}[input.missing] }
    `;
    assert.equal(evaluate(source, 'negated_call', { input: {} }), undefined);
    assert.equal(evaluate(source, 'negated_ref', { input: {} }), true);
    assert.equal(evaluate(source, 'negated_lookup', { input: {} }), undefined);
  });
});

describe('evaluator: rules', () => {
  it('collects partial sets and objects over every solution', () => {
    const source = `package t
      names[name] { name := input.items[_].name }
      sizes[name] = size { item := input.items[_]; name := item.name; size := item.size; size > 1 }
      contains_form contains x if { some x in input.xs }
    `;
    const input = { items: [{ name: 'a', size: 1 }, { name: 'b', size: 2 }, { name: 'a', size: 1 }], xs: [1, 1, 2] };
    assert.deepEqual(evaluate(source, 'names', { input }), ['a', 'b']);
    assert.deepEqual(evaluate(source, 'sizes', { input }), { b: 2 });
    assert.deepEqual(evaluate(source, 'contains_form', { input }), [1, 2]);
  });

  it('ends the evaluation on conflicting values of a complete rule or an object key', () => {
    const complete = 'package t\np := 1 { true }\np := 2 { true }';
    assert.throws(() => evaluate(complete, 'p'), regoError('eval_conflict_error', /complete rules/));
    const object = 'package t\no[k] = v { k := "a"; v := input.vs[_] }';
    assert.throws(() => evaluate(object, 'o', { input: { vs: [1, 2] } }), regoError('eval_conflict_error', /object keys/));
    assert.deepEqual(evaluate(object, 'o', { input: { vs: [1, 1] } }), { a: 1 }, 'equal values do not conflict');
  });

  it('tries else clauses in order, only when everything before is undefined', () => {
    const source = `package t
      grade := "high" { input.n > 10 } else := "mid" { input.n > 5 } else := "low"
    `;
    assert.equal(evaluate(source, 'grade', { input: { n: 11 } }), 'high');
    assert.equal(evaluate(source, 'grade', { input: { n: 6 } }), 'mid');
    assert.equal(evaluate(source, 'grade', { input: { n: 1 } }), 'low');
  });

  it('calls functions with several bodies, pattern parameters and defaults', () => {
    const source = `package t
      size(n) = "small" { n < 10 }
      size(n) = "big" { n >= 10 }
      first([a, _]) = a
      is_zero(0)
      default label(_) := "none"
      label(x) := "some" { x == 1 }
      results := [size(3), size(30), first([7, 8]), label(1), label(2)]
      zero_ok { is_zero(0) }
      one_fails { is_zero(1) }
      conflict(x) = 1 { x }
      conflict(x) = 2 { x }
      uses_conflict := conflict(true)
    `;
    assert.deepEqual(evaluate(source, 'results'), ['small', 'big', 7, 'some', 'none']);
    assert.equal(evaluate(source, 'zero_ok'), true);
    assert.equal(evaluate(source, 'one_fails'), undefined);
    assert.throws(() => evaluate(source, 'uses_conflict'), regoError('eval_conflict_error', /functions must not produce multiple outputs/));
  });

  it('reads f() = x as the complete rule f, called with or without parentheses', () => {
    const source = 'package t\nf() = out { out := "x" }\ncalled := f()\nread := f';
    assert.equal(evaluate(source, 'called'), 'x');
    assert.equal(evaluate(source, 'read'), 'x');
  });

  it('resolves imports of libraries and their functions', () => {
    const library = 'package lib.util\nis_update(review) { review.operation == "UPDATE" }\nprefix := "lib-"';
    const source = 'package t\nimport data.lib.util.is_update\nimport data.lib.util\nskip { is_update(input.review) }\nname := concat("", [util.prefix, "x"])';
    assert.equal(evaluate(source, 'skip', { input: { review: { operation: 'UPDATE' } }, libraries: [library] }), true);
    assert.equal(evaluate(source, 'name', { libraries: [library] }), 'lib-x');
  });

  it('reads base documents under data, and whole packages as objects', () => {
    const source = 'package t\npods[name] { some name; data.inventory.namespace.default.v1.Pod[name] }\nconst := 1\nwhole := data.t.const';
    const data = { inventory: { namespace: { default: { v1: { Pod: { a: {}, b: {} } } } } } };
    assert.deepEqual(evaluate(source, 'pods', { data }), ['a', 'b']);
    assert.equal(evaluate(source, 'whole', { data }), 1);
  });
});

describe('evaluator: expressions', () => {
  it('unifies and destructures arrays and objects', () => {
    const source = `package t
      pair := [a, b] { [a, b] := input.pair }
      from_object := v { {"k": v} := input.obj }
      crossed := [w, z] { [1, z] = [w, 2] }
      mismatch { [a, b] := input.one }
    `;
    assert.deepEqual(evaluate(source, 'pair', { input: { pair: [1, 2] } }), [1, 2]);
    assert.equal(evaluate(source, 'from_object', { input: { obj: { k: 'v' } } }), 'v');
    assert.deepEqual(evaluate(source, 'crossed'), [1, 2]);
    assert.equal(evaluate(source, 'mismatch', { input: { one: [1] } }), undefined);
  });

  it('builds array, set and object comprehensions', () => {
    const source = `package t
      doubled := [x * 2 | x := input.xs[_]]
      distinct := {x | x := input.xs[_]}
      indexed := {k: v | v := input.xs[k]; v > 1}
    `;
    const input = { xs: [1, 2, 2] };
    assert.deepEqual(evaluate(source, 'doubled', { input }), [2, 4, 4]);
    assert.deepEqual(evaluate(source, 'distinct', { input }), [1, 2]);
    assert.deepEqual(evaluate(source, 'indexed', { input }), { '1': 2, '2': 2 });
  });

  it('iterates with some … in, checks with every and in', () => {
    const source = `package t
      pairs[[k, v]] { some k, v in input.o }
      all_positive { every x in input.xs { x > 0 } }
      has_two { 2 in input.xs }
      key_free { some x in input.xs; x == 3 }
    `;
    assert.deepEqual(evaluate(source, 'pairs', { input: { o: { a: 1 } } }), [['a', 1]]);
    assert.equal(evaluate(source, 'all_positive', { input: { xs: [1, 2] } }), true);
    assert.equal(evaluate(source, 'all_positive', { input: { xs: [1, -2] } }), undefined);
    assert.equal(evaluate(source, 'all_positive', { input: { xs: [] } }), true, 'every over nothing holds');
    assert.equal(evaluate(source, 'has_two', { input: { xs: [1, 2] } }), true);
    assert.equal(evaluate(source, 'key_free', { input: { xs: [1, 2] } }), undefined);
  });

  it("reports an every's compile errors in the order written: its domain's before its body's", () => {
    assert.throws(() => evaluate('package t\np { every x in f(1) { g(x) } }', 'p'), regoError('rego_compile_error', /undefined function f/));
    assert.throws(() => evaluate('package t\np { every x in [y | y := z] { [w | w := v] } }', 'p'), regoError('rego_unsafe_var_error', /var y is unsafe/));
  });

  it('applies set operators and compares any values in OPA order', () => {
    const source = `package t
      joined := {1, 2} | {2, 3}
      shared := {1, 2} & {2, 3}
      removed := {1, 2} - {2}
      ordered := [null < false, false < 0, 0 < "", "" < [], [] < {}, {} < set()]
    `;
    assert.deepEqual(evaluate(source, 'joined'), [1, 2, 3]);
    assert.deepEqual(evaluate(source, 'shared'), [2]);
    assert.deepEqual(evaluate(source, 'removed'), [1]);
    assert.deepEqual(evaluate(source, 'ordered'), [true, true, true, true, true, true]);
  });

  it('replaces input and data with `with`, without reusing results computed outside it', () => {
    const source = `package t
      base := 1
      plus_one := base + 1
      is_one { input.x == 1 }
      replaced_input { is_one with input.x as 1 }
      replaced_data := v { v := plus_one with data.t.base as 10 }
      both := [plus_one, replaced_data]
    `;
    assert.equal(evaluate(source, 'replaced_input', { input: { x: 2 } }), true);
    assert.deepEqual(evaluate(source, 'both'), [2, 11]);
  });

  it('orders a body for safety, as OPA does, and rejects unsafe variables', () => {
    assert.equal(evaluate('package t\np := y { y := x + 1; x := 2 }', 'p'), 3);
    assert.throws(() => evaluate('package t\nq[x] { x := 1 }\np { not q[x] }', 'p'), regoError('rego_unsafe_var_error', /var x is unsafe/));
  });
});

describe('evaluator: rule heads with refs (OPA v0.5x and v1)', () => {
  const source = `package t
    import rego.v1
    a.b.c := 1
    a.b.d := 2 if input.flag
    default a.e := "default"
    names.all contains name if some name in input.names
    by_name.items[name] := count(name) if some name in input.names
    pods[name].image := image if some {"name": name, "image": image} in input.pods
    by_parity[parity] contains n if { some n in [1, 2, 3]; parity := n % 2 }
    checks.size(x) := count(x)
    whole := data.t.a
    bare := a.b
    sized := checks.size("abc")
  `;

  it('defines the document at the ref, readable through data, the package and a bare name', () => {
    assert.deepEqual(evaluate(source, 'whole', { input: { flag: true } }), { b: { c: 1, d: 2 }, e: 'default' });
    assert.deepEqual(evaluate(source, 'bare', { input: {} }), { c: 1 }, 'an undefined rule is left out of its document');
    assert.equal(evaluate('package t\na.b.c := 1\nr := data.t.a.b.c', 'r'), 1);
    assert.equal(evaluate(source, 'sized'), 3, 'a function named by a ref');
  });

  it('builds partial sets and objects, with multi-level keys and sets as values', () => {
    const input = { names: ['ab', 'c'], pods: [{ name: 'p', image: 'nginx' }, { name: 'q', image: 'redis' }] };
    const all = `${source}\n    everything := [names, by_name, pods, by_parity]`;
    assert.deepEqual(evaluate(all, 'everything', { input }), [
      { all: ['ab', 'c'] },
      { items: { ab: 2, c: 1 } },
      { p: { image: 'nginx' }, q: { image: 'redis' } },
      { '0': [2], '1': [1, 3] },
    ]);
    const empty = [{ all: [] }, { items: {} }, {}, { '0': [2], '1': [1, 3] }];
    assert.deepEqual(evaluate(all, 'everything', { input: { names: [], pods: [] } }), empty, 'an empty partial rule is an empty collection');
  });

  it('merges a partial object with rules inside its document, and reports a clash at evaluation', () => {
    const merged = 'package t\nimport rego.v1\np[x] := 1 if some x in ["a"]\np.b := 2\nr := p';
    assert.deepEqual(evaluate(merged, 'r'), { a: 1, b: 2 });
    const clash = 'package t\nimport rego.v1\np[x] := 1 if some x in ["b"]\np.b := 2\nr := p';
    assert.throws(() => evaluate(clash, 'r'), regoError('eval_conflict_error', /object keys must be unique/));
    const deeper = 'package t\nimport rego.v1\np[x].y := 1 if some x in ["a"]\np[x] := 2 if some x in ["a"]\nr := p';
    assert.throws(() => evaluate(deeper, 'r'), regoError('eval_conflict_error', /object keys must be unique/));
    assert.throws(() => evaluate('package t\np.q := 1\np.q := 2\nr := p', 'r'), regoError('eval_conflict_error', /complete rules/));
  });

  it('rejects overlapping and mismatched definitions when compiling, as rego_type_error', () => {
    assert.throws(() => evaluate('package t\np := 1\np.q := 2', 'p'), regoError('rego_type_error', /rule data\.t\.p conflicts with \[data\.t\.p\.q\]/));
    assert.throws(() => evaluate('package t\nimport rego.v1\np contains 1\np.q := 2', 'p'), regoError('rego_type_error', /conflicts with/));
    assert.throws(() => evaluate('package t\nimport rego.v1\np contains 1\np[x] := 2 if x := 1', 'p'), regoError('rego_type_error', /conflicting rules data\.t\.p found/));
    assert.throws(() => evaluate('package t\nimport rego.v1\np[x] := 1 if x := 1\np[x] contains 2 if x := 1', 'p'), regoError('rego_type_error', /conflicting rules/));
  });
});

describe('evaluator: with replacing functions and built-ins', () => {
  const library = 'package lib\ndouble(x) := x * 2\ntriple(x) := x * 3';
  const source = `package t
    import rego.v1
    mock_count(_) := 42
    by_function := x if { x := count([1, 2]) with count as mock_count }
    by_value := x if { x := count([1, 2]) with count as 7 }
    clock := x if { x := time.now_ns() with time.now_ns as 1 }
    size := count(input.xs)
    inside_rule := x if { x := size with count as mock_count }
    user_by_user := x if { x := data.lib.double(5) with data.lib.double as data.lib.triple }
    user_by_value := x if { x := data.lib.double(5) with data.lib.double as 9 }
    user_by_builtin := x if { x := data.lib.double(-5) with data.lib.double as abs }
    scoped := [mocked, real] if { mocked := count([1]) with count as 5; real := count([1]) }
  `;
  const run = (rule: string) => evaluate(source, rule, { input: { xs: [1] }, libraries: [library] });

  it('answers calls of a built-in with a function or a value', () => {
    assert.equal(run('by_function'), 42);
    assert.equal(run('by_value'), 7);
    assert.equal(run('clock'), 1);
  });

  it('applies to the rules the expression evaluates, and only to that expression', () => {
    assert.equal(run('inside_rule'), 42);
    assert.deepEqual(run('scoped'), [5, 1]);
    assert.equal(run('size'), 1, 'without with, the rule uses the real count');
  });

  it('replaces user functions by a function, a value or a built-in', () => {
    assert.equal(run('user_by_user'), 15);
    assert.equal(run('user_by_value'), 9);
    assert.equal(run('user_by_builtin'), 5);
  });

  it('rejects a replacement function of another arity when compiling', () => {
    const wrongArity = 'package t\np := x if { x := count([1]) with count as concat }';
    assert.throws(() => evaluate(wrongArity, 'p'), regoError('rego_type_error', /replacement must take 1 arguments/));
  });
});

describe('evaluator: limits', () => {
  it('stops with a clear error when the step budget runs out', () => {
    const source = 'package t\ncombinations := count([1 | input.xs[_]; input.xs[_]; input.xs[_]])';
    const input = { xs: Array.from({ length: 100 }, (_, i) => i) };
    assert.throws(() => evaluate(source, 'combinations', { input, stepBudget: 10_000 }), regoError('eval_budget_error', /after 10000 steps/));
    assert.equal(evaluate(source, 'combinations', { input: { xs: [1, 2] }, stepBudget: 10_000 }), 8);
  });

  it('reports recursion instead of looping', () => {
    assert.throws(() => evaluate('package t\np { q }\nq { p }', 'p'), regoError('rego_recursion_error'));
  });

  it('rejects calls of unknown functions and wrong arities when compiling', () => {
    assert.throws(() => evaluate('package t\np { http.send({}) }', 'p'), regoError('rego_compile_error', /http.send is not available offline/));
    assert.throws(() => evaluate('package t\np { io.jwt.decode("x") }', 'p'), regoError('rego_compile_error', /io.jwt.decode is not available offline/));
    assert.throws(() => evaluate('package t\np { no.such_function(1) }', 'p'), regoError('rego_compile_error', /undefined function no.such_function/));
    assert.throws(() => evaluate('package t\np { startswith("a") }', 'p'), regoError('rego_compile_error', /takes 2 arguments, 1 given/));
  });
});
