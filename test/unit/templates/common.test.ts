import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  entriesOf,
  fixIfApplicable,
  formatRegoValue,
  isExcludedByImage,
  isExcludedByName,
  isTruthy,
  isWindowsPod,
  mountedVolumes,
  RegoSet,
  regoCompare,
  regoEquals,
  regoGreater,
  regoLess,
  sprintf,
  storeUrl,
  ViolationSet,
} from '../../../server/src/templates/common';
import type { RegoValue } from '../../../server/src/templates/common';
import { container, podReview } from './support';

describe('formatRegoValue: top-level arguments', () => {
  it('prints strings bare, even empty or with quotes', () => {
    assert.equal(formatRegoValue('container1'), 'container1');
    assert.equal(formatRegoValue(''), '');
    assert.equal(formatRegoValue('say "hi"\n'), 'say "hi"\n');
  });

  it('prints integers as Go ints', () => {
    assert.equal(formatRegoValue(0), '0');
    assert.equal(formatRegoValue(-1), '-1');
    assert.equal(formatRegoValue(65535), '65535');
    assert.equal(formatRegoValue(1e19), '10000000000000000000');
  });

  it('prints other numbers as Go prints a float64 with %v', () => {
    assert.equal(formatRegoValue(1.5), '1.5');
    assert.equal(formatRegoValue(0.1), '0.1');
    assert.equal(formatRegoValue(100000.5), '100000.5');
    assert.equal(formatRegoValue(1234567.5), '1.2345675e+06');
    assert.equal(formatRegoValue(0.0001), '0.0001');
    assert.equal(formatRegoValue(0.00001), '1e-05');
    assert.equal(formatRegoValue(-2.5e-7), '-2.5e-07');
    assert.equal(formatRegoValue(1e21), '1e+21');
  });

  it('prints null and booleans as Rego literals', () => {
    assert.equal(formatRegoValue(null), 'null');
    assert.equal(formatRegoValue(true), 'true');
    assert.equal(formatRegoValue(false), 'false');
  });
});

describe('formatRegoValue: composite values', () => {
  it('prints arrays with quoted strings and ", " separators', () => {
    assert.equal(formatRegoValue(['a', 'b']), '["a", "b"]');
    assert.equal(formatRegoValue([1, null, true, 'x']), '[1, null, true, "x"]');
    assert.equal(formatRegoValue([]), '[]');
    assert.equal(formatRegoValue([[1], []]), '[[1], []]');
  });

  it('sorts keys by code point, as Go does: a character above U+FFFF after U+E000', () => {
    // In UTF-16 the emoji's first unit (a surrogate, U+D83D) is below U+E000; as code points it is above.
    assert.equal(formatRegoValue({ '\u{1F600}': 1, '\uE000': 2, z: 3 }), '{"z": 3, "\\ue000": 2, "\u{1F600}": 1}');
  });

  it('prints objects with sorted keys and ": " separators', () => {
    assert.equal(formatRegoValue({ b: [1, 2], a: 1 }), '{"a": 1, "b": [1, 2]}');
    assert.equal(formatRegoValue({}), '{}');
    assert.equal(
      formatRegoValue({ name: 'cache', hostPath: { type: '', path: '/tmp' } }),
      '{"hostPath": {"path": "/tmp", "type": ""}, "name": "cache"}',
    );
  });

  it('sorts keys by code point, as Go compares strings', () => {
    assert.equal(formatRegoValue({ b: 1, B: 2, a: 3, _: 4 }), '{"B": 2, "_": 4, "a": 3, "b": 1}');
    // U+FF5E sorts before U+1F600 by code point, though not by UTF-16 code unit.
    assert.equal(formatRegoValue({ '\u{1F600}': 1, '\uFF5E': 2 }), '{"\uFF5E": 2, "\u{1F600}": 1}');
  });

  it('prints nested numbers as their JSON text, not as Go floats', () => {
    assert.equal(formatRegoValue([1234567.5, 0.00001]), '[1234567.5, 0.00001]');
  });

  it('quotes nested strings as Go strconv.Quote does', () => {
    assert.equal(formatRegoValue(['a"b\\c']), '["a\\"b\\\\c"]');
    assert.equal(formatRegoValue(['tab\there', 'nl\n', 'cr\r']), '["tab\\there", "nl\\n", "cr\\r"]');
    assert.equal(formatRegoValue(['\u0007\u000b\u0001\u007f']), '["\\a\\v\\x01\\x7f"]');
    assert.equal(formatRegoValue(['é日本', '\u{1F600}']), '["é日本", "\u{1F600}"]');
    assert.equal(formatRegoValue(['\u00ad', '\u2028', '\u0085', '\ufeff', '\u00a0']), '["\\u00ad", "\\u2028", "\\u0085", "\\ufeff", "\\u00a0"]');
    assert.equal(formatRegoValue({ 'k"': 'v' }), '{"k\\"": "v"}');
  });

  it('prints sets sorted, in braces, and the empty set as set()', () => {
    assert.equal(formatRegoValue(new RegoSet(['runtime/default', 'docker/default', 'RuntimeDefault'])), '{"RuntimeDefault", "docker/default", "runtime/default"}');
    assert.equal(formatRegoValue(new RegoSet([])), 'set()');
    assert.equal(formatRegoValue(new RegoSet(['b', 2, null, 'a', true, [1], { k: 1 }])), '{null, true, 2, "a", "b", [1], {"k": 1}}');
  });
});

describe('sprintf', () => {
  it('substitutes %v arguments in order', () => {
    assert.equal(
      sprintf('Privileged container is not allowed: %v, securityContext: %v', ['app', { privileged: true }]),
      'Privileged container is not allowed: app, securityContext: {"privileged": true}',
    );
  });

  it('does not substitute inside printed arguments', () => {
    assert.equal(sprintf('%v and %v', ['%v', 'x']), '%v and x');
  });

  it('is undefined when an argument is undefined, as the Rego message would be', () => {
    assert.equal(sprintf('pod: %v', [undefined]), undefined);
  });

  it('refuses a format whose verbs do not match the arguments', () => {
    assert.throws(() => sprintf('%v %v', ['one']));
  });
});

describe('Rego values', () => {
  it('treats everything but undefined and false as truthy', () => {
    for (const value of [true, 0, '', null, [], {}]) assert.equal(isTruthy(value), true, JSON.stringify(value));
    assert.equal(isTruthy(false), false);
    assert.equal(isTruthy(undefined), false);
  });

  it('orders values across types: null < booleans < numbers < strings < arrays < objects < sets', () => {
    const ascending: RegoValue[] = [null, false, true, -1, 0, 2, '', '10', '9', 'a', [], [0], [0, 0], [1], {}, { a: 1 }, { a: 2 }, { b: 0 }, new RegoSet([])];
    for (let i = 1; i < ascending.length; i++) {
      assert.equal(regoCompare(ascending[i - 1] ?? null, ascending[i] ?? null), -1, `${i - 1} < ${i}`);
      assert.equal(regoCompare(ascending[i] ?? null, ascending[i - 1] ?? null), 1, `${i} > ${i - 1}`);
    }
  });

  it('compares deeply and ignores key order', () => {
    assert.equal(regoEquals({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] }), true);
    assert.equal(regoEquals([1, 2], [2, 1]), false);
    assert.equal(regoEquals(new RegoSet(['a', 'b']), new RegoSet(['b', 'a', 'a'])), true);
  });

  it('makes < and > false when a side is undefined', () => {
    assert.equal(regoLess(1, undefined), false);
    assert.equal(regoGreater(undefined, 1), false);
    assert.equal(regoLess(1, 2), true);
    assert.equal(regoGreater('80', 0), true, 'a string is greater than any number');
    assert.equal(regoLess(null, 0), true, 'null is less than any number');
  });

  it('iterates arrays by index and objects by key, like x[_]', () => {
    assert.deepEqual(entriesOf(['a', 'b']), [[0, 'a'], [1, 'b']]);
    assert.deepEqual(entriesOf({ k: 1 }), [['k', 1]]);
    assert.deepEqual(entriesOf('text'), []);
    assert.deepEqual(entriesOf(undefined), []);
    assert.deepEqual(elementsOf({ x: 'a', y: 'b' }), ['a', 'b']);
  });

  it('keeps set members unique', () => {
    assert.deepEqual(new RegoSet(['a', 'a', 'b']).members, ['a', 'b']);
    assert.equal(new RegoSet(['a']).has('a'), true);
    assert.equal(new RegoSet(['a']).has('A'), false);
  });
});

describe('containers and exclusions', () => {
  const review = podReview({
    containers: [container('app'), container('sidecar', { image: 'docker.io/istio/proxyv2:1.20' })],
    initContainers: [container('init')],
    ephemeralContainers: [container('debug', { image: 'busybox' })],
  });

  it('lists containers, init containers and ephemeral containers with their paths', () => {
    assert.deepEqual(
      checkedContainers(review, {}).map((c) => c.path),
      [['spec', 'containers', 0], ['spec', 'containers', 1], ['spec', 'initContainers', 0], ['spec', 'ephemeralContainers', 0]],
    );
  });

  it('reads only the lists a template names', () => {
    assert.deepEqual(
      checkedContainers(review, {}, { lists: ['containers', 'initContainers'] }).map((c) => c.path),
      [['spec', 'containers', 0], ['spec', 'containers', 1], ['spec', 'initContainers', 0]],
    );
  });

  it('skips containers by exact name, unless the template ignores excludedContainers', () => {
    const parameters = { excludedContainers: ['sidecar', 'ini'] };
    const names = (selection = {}) => checkedContainers(review, parameters, selection).map((c) => containerField(c, 'name'));
    assert.deepEqual(names(), ['app', 'init', 'debug']);
    assert.deepEqual(names({ honourExcludedContainers: false }), ['app', 'sidecar', 'init', 'debug']);
  });

  it('skips containers by exact image, or by prefix when the entry ends in *', () => {
    const [app, sidecar, , debug] = checkedContainers(review, {});
    assert.ok(app && sidecar && debug);
    assert.equal(isExcludedByImage(sidecar, { excludedImages: ['docker.io/istio/*'] }), true);
    assert.equal(isExcludedByImage(sidecar, { excludedImages: ['docker.io/istio/'] }), false, 'no * means exact');
    assert.equal(isExcludedByImage(debug, { excludedImages: ['busybox'] }), true);
    assert.equal(isExcludedByImage(debug, { excludedImages: ['busybox:latest'] }), false);
    assert.equal(isExcludedByImage(app, { excludedImages: ['*'] }), true, 'a lone * excludes every image');
    assert.equal(isExcludedByImage(app, {}), false);
    assert.equal(isExcludedByName(app, { excludedContainers: ['APP'] }), false, 'names match exactly');
  });

  it('does not exclude a container without a name or image', () => {
    const anonymous = { value: { securityContext: {} }, path: ['spec', 'containers', 0] };
    assert.equal(isExcludedByName(anonymous, { excludedContainers: ['app'] }), false);
    assert.equal(isExcludedByImage(anonymous, { excludedImages: ['*'] }), false);
  });

  it('recognises Windows pods by the exact nodeSelector value', () => {
    assert.equal(isWindowsPod(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' } })), true);
    assert.equal(isWindowsPod(podReview({ nodeSelector: { 'kubernetes.io/os': 'Windows' } })), false);
    assert.equal(isWindowsPod(podReview({ nodeSelector: { 'kubernetes.io/os': 'linux' } })), false);
    assert.equal(isWindowsPod(podReview({})), false);
  });

  it('finds the volumes the given containers mount, by name', () => {
    const pod = podReview({
      containers: [container('app', { volumeMounts: [{ name: 'data', mountPath: '/data' }] })],
      volumes: [{ name: 'unused', emptyDir: {} }, { name: 'data', emptyDir: {} }],
    });
    assert.deepEqual(mountedVolumes(pod, checkedContainers(pod, {})).map((v) => v.path), [['spec', 'volumes', 1]]);
  });
});

describe('violations, culprits and fixes', () => {
  it('collapses identical messages and keeps each culprit path once', () => {
    const violations = new ViolationSet();
    violations.add('same', culpritAt(['a']));
    violations.add('same', culpritAt(['b']));
    violations.add('same', culpritAt(['a']));
    violations.add('other', culpritAt(['a']));
    assert.deepEqual(violations.toArray(), [
      { message: 'same', culprits: [{ path: ['a'] }, { path: ['b'] }] },
      { message: 'other', culprits: [{ path: ['a'] }] },
    ]);
  });

  it('builds culprits with a fallback and only the fixes that exist', () => {
    const fix = { title: 't', preferred: true, operations: [] };
    assert.deepEqual(culpritAt(['x'], ['y'], [undefined, fix]), { path: ['x'], fallback: ['y'], fixes: [fix] });
    assert.deepEqual(culpritAt(['x'], undefined, [undefined]), { path: ['x'] });
  });

  it('offers a set only where mappings exist or can be created', () => {
    const object = { spec: { containers: [{ name: 'app', securityContext: 'oops', env: null }] } };
    const set = (path: (string | number)[]) => fixIfApplicable(object, 'fix', true, [{ op: 'set', path, value: true }]);
    assert.ok(set(['spec', 'containers', 0, 'securityContext2', 'runAsNonRoot']), 'missing mappings are created');
    assert.equal(set(['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']), undefined, 'cannot write into a string');
    assert.equal(set(['spec', 'containers', 0, 'env', 'x']), undefined, 'cannot write into null');
    assert.equal(set(['spec', 'initContainers', 0, 'name']), undefined, 'cannot create a sequence item');
    assert.ok(set(['spec', 'containers', 0]), 'can replace a sequence item');
  });

  it('names store URLs as Azure definitions do', () => {
    assert.equal(storeUrl('container-no-privilege', 'v2'), 'https://store.policy.core.windows.net/kubernetes/container-no-privilege/v2/template.yaml');
  });
});
