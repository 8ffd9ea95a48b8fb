import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celEnv, isCelError, parse, plan, type CelResult } from '@bufbuild/cel';
import { CelCompileError } from '../../../server/src/cel/compile';
import { evaluateCelTemplate } from '../../../server/src/cel/evaluate';
import { KUBERNETES_FUNCTIONS } from '../../../server/src/cel/library';
import { compileCelTemplate } from '../../../server/src/cel/template';
import type { JsonObject } from '../../../server/src/json';

const env = celEnv({ funcs: [...KUBERNETES_FUNCTIONS] });
const evaluate = (expression: string): CelResult => plan(env, parse(expression))({});

/** Each row: an expression and its value, or the error Kubernetes gives (a RegExp on the message). */
function check(rows: [string, unknown][]): void {
  for (const [expression, expected] of rows) {
    const result = evaluate(expression);
    if (expected instanceof RegExp) {
      assert.ok(isCelError(result), `${expression} should fail, got ${String(result)}`);
      assert.match(result.message, expected, expression);
    } else {
      assert.ok(!isCelError(result), `${expression} failed: ${isCelError(result) ? result.message : ''}`);
      assert.equal(result, expected, expression);
    }
  }
}

describe('Kubernetes CEL library: quantity', () => {
  it('parses and compares as Kubernetes does (its quantity_test.go table)', () => {
    check([
      ['quantity("12Mi") == quantity("12582912")', true],
      ['isQuantity("20") && isQuantity("20M") && isQuantity("20Mi") && isQuantity("1.3G") && isQuantity("10000k")', true],
      ['isQuantity("20Mo") || isQuantity("10Mm") || isQuantity("200K") || isQuantity("Three") || isQuantity("1,3G")', false],
      ['quantity("200M") == quantity("200M")', true],
      ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', true],
      ['quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")', true],
      ['quantity("200M") == quantity("0.3G")', false],
      ['quantity("50M").isLessThan(quantity("50Mi"))', true],
      ['quantity("50M").isLessThan(quantity("100M"))', true],
      ['quantity("100M").isLessThan(quantity("50M"))', false],
      ['quantity("50Mi").isGreaterThan(quantity("50M"))', true],
      ['quantity("150Mi").isGreaterThan(quantity("100Mi"))', true],
      ['quantity("50M").isGreaterThan(quantity("100M"))', false],
      ['quantity("200M").compareTo(quantity("0.2G"))', 0n],
      ['quantity("50M").compareTo(quantity("50Mi"))', -1n],
      ['quantity("50Mi").compareTo(quantity("50M"))', 1n],
      ['quantity("1500m").isGreaterThan(quantity("1")) && quantity("1e3") == quantity("1k") && quantity("1Ki") == quantity("1024")', true],
    ]);
  });

  it('adds, subtracts and converts exactly, with Kubernetes errors', () => {
    check([
      ['quantity("50k").add(quantity("20")) == quantity("50.02k")', true],
      ['quantity("50k").add(20).isLessThan(quantity("50020"))', false],
      ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', true],
      ['quantity("50k").sub(20) == quantity("49980")', true],
      ['quantity("50k").add(20).sub(quantity("100k")).asInteger()', -49980n],
      ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()', 20n],
      ['quantity("50k").asInteger()', 50000n],
      ['quantity("9999999999999999999999999999999999999G").asInteger()', /^cannot convert value to integer$/],
      ['quantity("9999999999999999999999999999999999999G").isInteger()', false],
      ['quantity("50").isInteger()', true],
      ['quantity("50.703k").asApproximateFloat()', 50703],
      ['quantity("0.1").add(quantity("0.2")) == quantity("0.3")', true],
      ['sign(quantity("-1m")) == -1 && sign(quantity("0")) == 0 && sign(quantity("3Gi")) == 1', true],
      // A binary suffix with a fraction is kept as a decimal, which Kubernetes never converts to an integer.
      ['quantity("1.5Gi").isInteger()', false],
      ['quantity("1.5Gi") == quantity("1536Mi")', true],
      // Below a nano, Kubernetes rounds up.
      ['quantity("0.1n") == quantity("1n")', true],
      ['quantity("10Mo")', /^quantities must match the regular expression '\^\(\[\+-\]\?\[0-9\.\]\+\)/],
      ['quantity("10Mm")', /^unable to parse quantity's suffix$/],
      ['quantity("1").compareTo(1)', /no matching overload/],
    ]);
  });

  it('keeps far-apart exponents bounded instead of writing them out', () => {
    check([['quantity("1e2147483647").isGreaterThan(quantity("1n"))', true]]);
    assert.ok(isCelError(evaluate('quantity("1e9999999").add(quantity("1n"))')));
  });
});

describe('Kubernetes CEL library: ip and cidr', () => {
  it('parses addresses as netip does and refuses zones and IPv4-mapped addresses (ip_test.go)', () => {
    check([
      ['ip("192.168.0.1") == ip("192.168.0.1") && ip("::1") == ip("0:0::1")', true],
      ['ip("127.0.0.1").family() == 4 && ip("::1").family() == 6', true],
      ['isIP("127.0.0.1") && isIP("::1")', true],
      ['isIP("127.0.0.256") || isIP(":::1") || isIP("127.0.0.01") || isIP("fe80::1%eth0")', false],
      ['ip("127.0.0.256")', /^IP Address "127\.0\.0\.256" parse error during conversion from string: ParseAddr\("127\.0\.0\.256"\): IPv4 field has value >255$/],
      ['ip("fe80::1%eth0")', /^IP address "fe80::1%eth0" with zone value is not allowed$/],
      ['ip("::ffff:1.2.3.4")', /^IPv4-mapped IPv6 address "::ffff:1\.2\.3\.4" is not allowed$/],
      ['ip.isCanonical("127.0.0.1") && ip.isCanonical("2001:db8::abcd")', true],
      ['ip.isCanonical("2001:DB8::ABCD") || ip.isCanonical("2001:db8::0:0:0:abcd")', false],
      ['string(ip("2001:DB8:0:0:1:0:0:1"))', '2001:db8::1:0:0:1'],
      ['ip("0.0.0.0").isUnspecified() && ip("::").isUnspecified() && !ip("127.0.0.1").isUnspecified()', true],
      ['ip("127.0.0.1").isLoopback() && ip("::1").isLoopback() && !ip("2001:db8::abcd").isLoopback()', true],
      ['ip("224.0.0.1").isLinkLocalMulticast() && ip("ff02::1").isLinkLocalMulticast() && !ip("224.0.1.1").isLinkLocalMulticast()', true],
      ['ip("169.254.169.254").isLinkLocalUnicast() && ip("fe80::1").isLinkLocalUnicast() && !ip("fd80::1").isLinkLocalUnicast()', true],
      ['ip("192.168.0.1").isGlobalUnicast() && ip("2001:db8::abcd").isGlobalUnicast()', true],
      ['ip("255.255.255.255").isGlobalUnicast() || ip("ff00::1").isGlobalUnicast()', false],
    ]);
  });

  it('tests containment as Kubernetes does (cidr_test.go)', () => {
    check([
      ['cidr("192.168.0.0/24").containsIP(ip("192.168.0.1")) && cidr("192.168.0.0/24").containsIP("192.168.0.1")', true],
      ['cidr("192.168.0.0/24").containsIP(ip("192.168.1.1")) || cidr("192.168.0.0/24").containsIP("192.168.1.1")', false],
      ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25")) && cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")', true],
      ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23"))', false],
      ['cidr("2001:db8::/32").containsIP("2001:db8::1") && !cidr("2001:db8::/32").containsIP("2001:dc8::1")', true],
      ['cidr("2001:db8::/32").containsCIDR("2001:db8::/33") && !cidr("2001:db8::/32").containsCIDR("2001:db8::/31")', true],
      ['cidr("192.168.0.0/24").ip() == ip("192.168.0.0") && cidr("192.168.0.0/24").prefixLength() == 24', true],
      ['cidr("192.168.0.1/24").masked() == cidr("192.168.0.0/24") && cidr("192.168.0.1/24") != cidr("192.168.0.1/24").masked()', true],
      ['string(cidr("2001:db8:1::/32").masked())', '2001:db8::/32'],
      ['isCIDR("192.168.0.0/16") && isCIDR("::1/128") && !isCIDR("192.168.0.0/33") && !isCIDR("::1/129")', true],
      [
        'cidr("192.168.0.0/")',
        /^network address parse error during conversion from string: network address parse error during conversion from string: netip\.ParsePrefix\("192\.168\.0\.0\/"\): bad bits after slash: ""$/,
      ],
    ]);
  });
});

describe('Kubernetes CEL library: url', () => {
  it('parses absolute URLs and paths as ParseRequestURI does (urls.go, the apiextensions validation table)', () => {
    check([
      ["url('/path').getScheme() == ''", true],
      ["url('https://example.com/').getScheme() == 'https'", true],
      ["url('https://example.com:80/').getHost() == 'example.com:80'", true],
      ["url('https://example.com/').getHost() == 'example.com'", true],
      ["url('https://[::1]:80/').getHost() == '[::1]:80'", true],
      ["url('https://[::1]/').getHost() == '[::1]'", true],
      ["url('/path').getHost() == ''", true],
      ["url('https://example.com:80/').getHostname() == 'example.com'", true],
      ["url('https://127.0.0.1/').getHostname() == '127.0.0.1'", true],
      ["url('https://[::1]/').getHostname() == '::1'", true],
      ["url('/path').getHostname() == ''", true],
      ["url('https://example.com:80/').getPort() == '80'", true],
      ["url('https://example.com/').getPort() == ''", true],
      ["url('/path').getPort() == ''", true],
      ["url('https://example.com/path').getEscapedPath() == '/path'", true],
      ["url('https://example.com/with space/').getEscapedPath() == '/with%20space/'", true],
      ["url('https://example.com').getEscapedPath() == ''", true],
      ["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == { 'k1': ['a'], 'k2': ['b', 'c']}", true],
      ["url('https://example.com/path?key with spaces=value with spaces').getQuery() == { 'key with spaces': ['value with spaces']}", true],
      ["url('https://example.com/path?').getQuery() == {}", true],
      ["url('https://example.com/path').getQuery() == {}", true],
      ["url('https://user:pass@kubernetes.io:80/docs/home?k1=a&k2=b&k2=c#anchor').getEscapedPath()", '/docs/home'],
      ["url('https://user:pass@kubernetes.io:80/docs/home?k1=a&k2=b&k2=c#anchor').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}", true],
      ["isURL('https://user:pass@example.com:80/path?query=val#fragment')", true],
      ["isURL('/path') == true", true],
      ["isURL('https://a:b:c/') == false", true],
      ["isURL('../relative-path') == false", true],
      // A scheme followed by no slash is an opaque URL, valid, with no host (Kubernetes' cost test parses this one).
      ["url('https:://kubernetes.io/').getHostname() != 'test'", true],
      ["url('https:://kubernetes.io/').getHost()", ''],
    ]);
  });

  it('words errors as Kubernetes does and follows net/url on escapes, queries and equality', () => {
    check([
      ["url('https://a:b:c/')", /^URL parse error during conversion from string: parse "https:\/\/a:b:c\/": invalid port ":c" after host$/],
      ["url('../relative-path')", /^URL parse error during conversion from string: parse "\.\.\/relative-path": invalid URI for request$/],
      ["url('')", /^URL parse error during conversion from string: parse "": empty url$/],
      ["url('/a%zzb')", /^URL parse error during conversion from string: parse "\/a%zzb": invalid URL escape "%zz"$/],
      ["url('https://exa mple.com/')", /^URL parse error during conversion from string: parse "https:\/\/exa mple\.com\/": invalid character " " in host name$/],
      // ParseRequestURI keeps '#' in the query, so only Parse, which Kubernetes runs next, sees the bad fragment.
      ["url('/a?#%zz')", /^URL parse error during conversion from string: parse "\/a\?#%zz": invalid URL escape "%zz"$/],
      ["isURL('/a?#%zz') && isURL('*') && !isURL('a/b') && !isURL(':x')", true],
      ["url('HTTPS://Example.com/a%2Fb?x=1%2B2&y=a+b&bad=%zz&c;d=e#f').getScheme()", 'https'],
      ["url('https://example.com/a%2Fb').getEscapedPath()", '/a%2Fb'],
      ["url('https://example.com/ä').getEscapedPath()", '/%C3%A4'],
      ["url('https://example.com/?x=1%2B2&y=a+b&bad=%zz&c;d=e&x').getQuery() == {'x': ['1+2', ''], 'y': ['a b']}", true],
      ["url('https://[fe80::1%25en0]:8080/').getHostname()", 'fe80::1%en0'],
      ["url('https://user:pass@example.com:8443').getPort()", '8443'],
      // '==' compares URL.String(): the scheme is lower-cased and a fragment counts.
      ["url('HTTPS://example.com/a') == url('https://example.com/a')", true],
      ["url('https://example.com/a#x') == url('https://example.com/a#y')", false],
      ["url('https://example.com/a%20b') == url('https://example.com/a b')", true],
      ["url('/x').getScheme(1)", /no matching overload/],
    ]);
  });
});

describe('Kubernetes CEL library: semver', () => {
  it('parses strictly and compares as blang/semver does (semver_test.go)', () => {
    check([
      ['semver("1.2.3") == semver("1.2.3")', true],
      ['semver("v1.0")', /^No Major\.Minor\.Patch elements found$/],
      ['isSemver("1.2.3-beta.1+build.1")', true],
      ['isSemver("") || isSemver("v1.0.0") || isSemver(" 1.0.0") || isSemver("1. 0.0") || isSemver("1.0.0 ")', false],
      ['isSemver("01.01.01") || isSemver("1") || isSemver("1.1")', false],
      ['isSemver("", true) || isSemver(" 1.0.0", true) || isSemver("1. 0.0", true) || isSemver("1.0.0 ", true)', false],
      ['isSemver("v1.0.0", true) && isSemver("01.01.01", true) && isSemver("1", true) && isSemver("1.1", true)', true],
      ['semver("v01.01", true) == semver("1.1.0")', true],
      ['semver("1.2.3") == semver("1.0.0")', false],
      ['semver("1.0.0").isLessThan(semver("1.2.3"))', true],
      ['semver("1.0.0").isLessThan(semver("1.0.0"))', false],
      ['semver("1.2.3").isGreaterThan(semver("1.0.0"))', true],
      ['semver("1.0.0").isGreaterThan(semver("1.0.0"))', false],
      ['semver("1.2.3").compareTo(semver("1.2.3"))', 0n],
      ['semver("1.0.0").compareTo(semver("1.2.3"))', -1n],
      ['semver("1.2.3").compareTo(semver("1.0.0"))', 1n],
      ['semver("1.2.3").major()', 1n],
      ['semver("1.2.3").minor()', 2n],
      ['semver("1.2.3").patch()', 3n],
    ]);
  });

  it('orders prereleases and ignores build metadata as semver.org and blang/semver do', () => {
    check([
      // semver.org's precedence example: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < ... < 1.0.0.
      [
        '["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"].map(v, semver(v)).all(v, true) && semver("1.0.0-alpha").isLessThan(semver("1.0.0-alpha.1")) && semver("1.0.0-alpha.1").isLessThan(semver("1.0.0-alpha.beta")) && semver("1.0.0-alpha.beta").isLessThan(semver("1.0.0-beta")) && semver("1.0.0-beta.2").isLessThan(semver("1.0.0-beta.11")) && semver("1.0.0-rc.1").isLessThan(semver("1.0.0"))',
        true,
      ],
      ['semver("1.0.0+build.1") == semver("1.0.0+build.2") && semver("1.0.0+a").compareTo(semver("1.0.0")) == 0', true],
      ['semver("1.10.0").isGreaterThan(semver("1.9.0"))', true],
      ['semver("01.0.0")', /^Major number must not contain leading zeroes "01"$/],
      ['semver("1.0.0-01")', /^Numeric PreRelease version must not contain leading zeroes "01"$/],
      ['semver("1.0.0-")', /^Prerelease is empty$/],
      ['semver("1.0.0+")', /^Build meta data is empty$/],
      ['semver("1.0.x")', /^Invalid character\(s\) found in patch number "x"$/],
      ['semver("1.0-beta", true)', /^short version cannot contain PreRelease\/Build meta data$/],
      ['semver("")', /^Version string empty$/],
      ['semver("1.0.0").isLessThan(quantity("1"))', /no matching overload/],
      ['quantity("1").isLessThan(quantity("2")) && semver("1.0.0").isLessThan(semver("2.0.0"))', true],
    ]);
  });
});

describe('Kubernetes CEL libraries in a template', () => {
  const podWithMemoryLimit = (memory: string): JsonObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'app', image: 'nginx', resources: { limits: { memory } } }] },
  });
  const review = (object: JsonObject) => ({
    request: { kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object, oldObject: null },
    constraint: { kind: 'T', metadata: { name: 'c' }, spec: { parameters: { maxMemory: '1Gi' } } },
  });

  it('reports a container whose memory limit is above the quantity a parameter gives, and passes a smaller one', () => {
    const template = compileCelTemplate('t', 'T', {
      validations: [
        {
          expression: 'object.spec.containers.all(c, !quantity(c.resources.limits.memory).isGreaterThan(quantity(variables.params.maxMemory)))',
          messageExpression: '"memory limit above " + variables.params.maxMemory + ": " + object.spec.containers.filter(c, quantity(c.resources.limits.memory).isGreaterThan(quantity(variables.params.maxMemory))).map(c, c.name).join(", ")',
        },
      ],
    });
    assert.deepEqual(evaluateCelTemplate(template, review(podWithMemoryLimit('2Gi'))).messages, ['memory limit above 1Gi: app']);
    assert.deepEqual(evaluateCelTemplate(template, review(podWithMemoryLimit('1073741825'))).messages, ['memory limit above 1Gi: app']);
    assert.deepEqual(evaluateCelTemplate(template, review(podWithMemoryLimit('512Mi'))).messages, []);
    assert.deepEqual(evaluateCelTemplate(template, review(podWithMemoryLimit('1024Mi'))).messages, []);
    assert.match(evaluateCelTemplate(template, review(podWithMemoryLimit('lots'))).messages[0], /resulted in error: quantities must match the regular expression/);
  });

  it('refuses the authorizer library when the template compiles: it needs a cluster', () => {
    assert.throws(
      () => compileCelTemplate('t', 'T', { validations: [{ expression: "authorizer.group('').resource('pods').check('get').allowed()" }] }),
      (error) => error instanceof CelCompileError && /validations\[0\]\.expression does not compile: the authorizer library needs a cluster/.test(error.message),
    );
  });
});
