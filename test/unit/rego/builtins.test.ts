import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../../server/src/json';
import { compileModules } from '../../../server/src/rego/compiler';
import { evaluateRule } from '../../../server/src/rego/evaluator';
import { parseModule } from '../../../server/src/rego/parser';
import { fromJson } from '../../../server/src/rego/value';
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

describe('built-ins: walk and print', () => {
  it('walk relates every path to its value, parents first', () => {
    assert.deepEqual(value('[p | walk({"a": [1]}, [p, _])]'), [[], ['a'], ['a', 0]]);
    assert.equal(value('count([x | walk(input, x)])', { k: [1, { z: 2 }] }), 5);
  });

  it('print writes its operands to the evaluation sink, an undefined one as <undefined>, and is always true', () => {
    const printed: string[] = [];
    const program = compileModules([parseModule('package t\np if { print("x is", input.x, input.missing) }', 't.rego')]);
    const { value: result } = evaluateRule(program, ['t', 'p'], { input: fromJson({ x: [1] }), onPrint: (line) => printed.push(line) });
    assert.equal(result, true);
    assert.deepEqual(printed, ['x is [1] <undefined>']);
    assert.equal(evaluateRule(program, ['t', 'p'], { input: fromJson({}) }).value, true, 'without a sink it prints nothing and still holds');
  });
});

describe('built-ins: time', () => {
  const june3 = 1496455200000000000; // 2017-06-02T19:00:00-07:00
  it('parses RFC 3339, Go layouts and durations to nanoseconds', () => {
    assert.equal(value('time.parse_rfc3339_ns("2017-06-02T19:00:00-07:00")'), june3);
    assert.equal(value('time.parse_rfc3339_ns("1970-01-01T00:00:01.5Z")'), 1_500_000_000);
    assert.equal(value('time.parse_rfc3339_ns("2017-02-30T00:00:00Z")'), undefined, 'no February 30th');
    assert.equal(value('time.parse_ns("2006-01-02", "2021-03-04")'), 1614816000000000000);
    assert.equal(value('time.parse_ns("Jan 2 2006 3:04PM -0700", "Jun 2 2017 7:00PM -0700")'), june3);
    assert.deepEqual(value('[time.parse_duration_ns("1h30m"), time.parse_duration_ns("-1.5s"), time.parse_duration_ns("300ms")]'), [5.4e12, -1.5e9, 3e8]);
    assert.equal(value('time.parse_duration_ns("1d")'), undefined);
  });

  it('gives calendar fields in UTC or a named zone, adds dates and takes differences as Go does', () => {
    assert.deepEqual(value(`[time.date(${june3}), time.clock(${june3}), time.weekday(${june3})]`), [[2017, 6, 3], [2, 0, 0], 'Saturday']);
    assert.deepEqual(value(`time.clock([${june3}, "America/Los_Angeles"])`), [19, 0, 0]);
    assert.equal(value('time.add_date(0, 1, 1, 1)'), 397 * 86400e9, '1971-02-02');
    assert.deepEqual(value(`time.diff(0, ${june3})`), [47, 5, 2, 2, 0, 0]);
  });
});

describe('built-ins: net, crypto, encodings, semver, object.subset', () => {
  it('answers CIDR questions for IPv4 and IPv6, and expands only small networks', () => {
    assert.deepEqual(value('[net.cidr_contains("10.0.0.0/8", "10.1.2.3"), net.cidr_contains("10.0.0.0/8", "11.0.0.0/24"), net.cidr_contains("fd00::/8", "fd12::1")]'), [true, false, true]);
    assert.deepEqual(value('[net.cidr_intersects("10.0.0.0/8", "10.1.0.0/16"), net.cidr_intersects("10.0.0.0/16", "10.1.0.0/16")]'), [true, false]);
    assert.deepEqual(value('[net.cidr_is_valid("10.0.0.0/24"), net.cidr_is_valid("10.0.0.0/33"), net.cidr_is_valid("10.0.0.1")]'), [true, false, false]);
    assert.deepEqual(value('net.cidr_expand("192.168.0.0/30")'), ['192.168.0.0', '192.168.0.1', '192.168.0.2', '192.168.0.3']);
    assert.deepEqual(value('net.cidr_expand("::/127")'), ['::', '::1']);
    assert.equal(value('net.cidr_expand("10.0.0.0/8")'), undefined, 'sixteen million addresses are refused');
  });

  it('hashes, encodes and decodes', () => {
    assert.equal(value('crypto.sha256("abc")'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(value('crypto.md5("abc")'), '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(value('crypto.sha1("abc")'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.deepEqual(value('[base64url.encode("hi?"), base64url.encode("a"), base64url.encode_no_pad("a"), base64url.decode("aGk_")]'), ['aGk_', 'YQ==', 'YQ', 'hi?']);
    assert.deepEqual(value('[hex.encode("hi"), hex.decode("6869")]'), ['6869', 'hi']);
    assert.equal(value('yaml.marshal({"b": 1, "a": [true, null]})'), 'a:\n- true\n- null\nb: 1\n');
    assert.deepEqual(value('yaml.unmarshal("a: 1\\nb: [x, y]")'), { a: 1, b: ['x', 'y'] });
    assert.deepEqual(value('[yaml.is_valid("a: ["), yaml.is_valid("a: 1")]'), [false, true]);
  });

  it('compares semantic versions by precedence', () => {
    assert.deepEqual(value('[semver.compare("1.0.0-alpha", "1.0.0"), semver.compare("1.10.0", "1.9.0"), semver.compare("1.0.0+build", "1.0.0")]'), [-1, 1, 0]);
    assert.deepEqual(value('[semver.compare("1.0.0-alpha.1", "1.0.0-alpha.beta"), semver.is_valid("v1.0.0"), semver.is_valid("1.2.3-rc.1")]'), [-1, false, true]);
  });

  it('object.subset recurses into objects, matches sets by membership and arrays as a contiguous run', () => {
    assert.equal(value('object.subset({"a": 1, "b": {"c": {1, 2}}}, {"b": {"c": {1}}})'), true);
    assert.equal(value('object.subset({"a": 1}, {"a": 2})'), false);
    assert.deepEqual(value('[object.subset([1, 2, 3, 4], [2, 3]), object.subset([1, 2, 3], [1, 3]), object.subset([3, 1], {1})]'), [true, false, true]);
  });
});
