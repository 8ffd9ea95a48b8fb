import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../../server/src/json';
import { evaluate } from './evaluate';

/** The value of one Rego expression, as JSON; undefined when the expression is undefined. */
const value = (expression: string, input?: JsonValue) => evaluate(`package t\nresult := ${expression}`, 'result', { input });

describe('built-ins: sprintf', () => {
  it('prints %v as OPA does: strings raw, numbers plain, collections as Rego with sorted keys and members', () => {
    assert.equal(value('sprintf("%v %v %v", ["s", 3, 1.5])'), 's 3 1.5');
    assert.equal(value('sprintf("%v", [["a", 1, null, true]])'), '["a", 1, null, true]');
    assert.equal(value('sprintf("%v", [{"b": 1, "a": {"c"}}])'), '{"a": {"c"}, "b": 1}');
    assert.equal(value('sprintf("%v|%v", [set(), {}])'), 'set()|{}');
    assert.equal(value('sprintf("%v", [{"q\\"uote": "line\\nbreak"}])'), '{"q\\"uote": "line\\nbreak"}');
  });

  it('follows Go fmt for other verbs, widths and bad arguments', () => {
    assert.equal(value('sprintf("%d|%5d|%-4s|%05.2f|%x|%q|%%", [42, 7, "ab", 3.14159, 255, "hi"])'), '42|    7|ab  |03.14|ff|"hi"|%');
    assert.equal(value('sprintf("%v and %v", ["one"])'), 'one and %!v(MISSING)');
    assert.equal(value('sprintf("%v", ["one", 2])'), 'one%!(EXTRA int=2)');
    assert.equal(value('sprintf("%d", ["x"])'), '%!d(string=x)');
    assert.equal(value('sprintf("%v", [1234567.5])'), '1.2345675e+06');
  });
});

describe('built-ins: strings', () => {
  it('concatenates, splits, replaces and trims as Go does', () => {
    assert.equal(value('concat(",", {"b", "a"})'), 'a,b', 'sets are joined in sorted order');
    assert.deepEqual(value('split("a:b:c", ":")'), ['a', 'b', 'c']);
    assert.equal(value('replace("aXbX", "X", "-")'), 'a-b-');
    assert.equal(value('trim("xxhixx", "x")'), 'hi');
    assert.equal(value('trim_left("--a-", "-")'), 'a-');
    assert.equal(value('trim_suffix("image:latest", ":latest")'), 'image');
    assert.equal(value('trim_space("  a b \\n")'), 'a b');
    assert.deepEqual(value('[lower("AbC"), upper("aBc")]'), ['abc', 'ABC']);
  });

  it('counts in runes, not UTF-16 units', () => {
    assert.equal(value('count("héllo😀")'), 6);
    assert.equal(value('indexof("😀ab", "b")'), 2);
    assert.equal(value('substring("😀abcd", 1, 2)'), 'ab');
    assert.equal(value('substring("abc", 1, -1)'), 'bc');
    assert.equal(value('substring("abc", 5, 1)'), '');
  });

  it('tests prefixes and suffixes of strings or collections, and formats integers', () => {
    assert.equal(value('strings.any_prefix_match(["docker.io/x", "quay.io/y"], "quay.io/")'), true);
    assert.equal(value('strings.any_suffix_match("a.json", {".yaml", ".yml"})'), false);
    assert.equal(value('format_int(255.9, 16)'), 'ff');
    assert.deepEqual(value('[startswith("abc", "ab"), endswith("abc", "bc"), contains("abc", "d")]'), [true, true, false]);
  });
});

describe('built-ins: regex and glob', () => {
  it('reads Go RE2 syntax: leading flags, POSIX classes, \\A and \\z, unanchored matches', () => {
    assert.equal(value('regex.match("(?i)^nginx", "NGINX:1.2")'), true);
    assert.equal(value('regex.match("^[[:alpha:]]+$", "abc")'), true);
    assert.equal(value('regex.match("\\\\Aab\\\\z", "ab")'), true);
    assert.equal(value('re_match("b+", "abbbc")'), true);
    assert.equal(value('regex.match("(", "x")'), undefined, 'an invalid pattern is a built-in error: undefined');
    assert.deepEqual(value('regex.find_n("[0-9]+", "a1b22c333", 2)'), ['1', '22']);
    assert.deepEqual(value('regex.split(",\\\\s*", "a, b,c")'), ['a', 'b', 'c']);
  });

  it('matches globs with delimiters, as OPA defaults them', () => {
    assert.equal(value('glob.match("*.example.com", ["."], "api.example.com")'), true);
    assert.equal(value('glob.match("*.example.com", ["."], "a.b.example.com")'), false);
    assert.equal(value('glob.match("**.example.com", ["."], "a.b.example.com")'), true);
    assert.equal(value('glob.match("repo/{app,web}-?", null, "repo/web-1")'), true);
    assert.equal(value('glob.match("[!a]x", [], "bx")'), true);
  });
});

describe('built-ins: numbers, collections and types', () => {
  it('parses Kubernetes quantities with units.parse and units.parse_bytes', () => {
    assert.deepEqual(value('[units.parse("100m"), units.parse("2k"), units.parse("1Mi"), units.parse("3M")]'), [0.1, 2000, 1048576, 3000000]);
    assert.deepEqual(value('[units.parse_bytes("1Gi"), units.parse_bytes("10MB"), units.parse_bytes("1.5ki")]'), [1073741824, 10000000, 1536]);
    assert.equal(value('units.parse("1 Gi")'), undefined);
  });

  it('aggregates, and leaves max of nothing undefined', () => {
    assert.deepEqual(value('[count([1, 2]), sum([1, 2.5]), max({3, 1}), min(["b", "a"]), sort([3, 1, 2])]'), [2, 3.5, 3, 'a', [1, 2, 3]]);
    assert.equal(value('max([])'), undefined);
    assert.equal(value('1 / 0'), undefined, 'division by zero is a built-in error');
    assert.deepEqual(value('[to_number("1.5"), to_number(true), to_number(null)]'), [1.5, 1, 0]);
  });

  it('reads objects by key or path, slices arrays and combines sets', () => {
    assert.equal(value('object.get({"a": {"b": 1}}, ["a", "b"], 0)'), 1);
    assert.equal(value('object.get({"a": 1}, "z", "default")'), 'default');
    assert.deepEqual(value('object.keys({"a": 1, "b": 2})'), ['a', 'b']);
    assert.deepEqual(value('object.union({"a": {"x": 1}}, {"a": {"y": 2}})'), { a: { x: 1, y: 2 } });
    assert.deepEqual(value('object.remove({"a": 1, "b": 2}, ["a"])'), { b: 2 });
    assert.deepEqual(value('array.slice([1, 2, 3, 4], -1, 2)'), [1, 2]);
    assert.deepEqual(value('array.concat([1], [2])'), [1, 2]);
    assert.deepEqual(value('union({{1}, {2}})'), [1, 2]);
    assert.deepEqual(value('intersection({{1, 2}, {2, 3}})'), [2]);
  });

  it('checks types and names them as OPA does', () => {
    assert.deepEqual(value('[is_string("a"), is_number("1"), is_array([]), is_object({}), is_set(set()), is_boolean(false), is_null(null)]'), [true, false, true, true, true, true, true]);
    assert.deepEqual(value('[type_name(1), type_name({1}), type_name({})]'), ['number', 'set', 'object']);
  });

  it('marshals JSON as Go does and unmarshals it', () => {
    assert.equal(value('json.marshal({"b": [1, "<x>"], "a": {2}})'), '{"a":[2],"b":[1,"\\u003cx\\u003e"]}');
    assert.deepEqual(value('json.unmarshal("{\\"a\\": [1]}")'), { a: [1] });
    assert.equal(value('json.unmarshal("{")'), undefined);
  });
});
