import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { comparisonMethods, opaqueFields, opaqueValue, SEMVER_TYPE, succeeds } from './opaque';

/** A version as blang/semver holds it; build metadata is checked but never compared, so it is not kept. */
interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: (bigint | string)[];
}

const UINT64_MAX = 2n ** 64n - 1n;
const NUMBERS = /^[0-9]*$/;
const ALPHANUMERIC = /^[0-9A-Za-z-]*$/;
const hasLeadingZeroes = (text: string) => text.length > 1 && text.startsWith('0');

/** strconv.ParseUint(text, 10, 64) for text already known to be digits only. */
function parseUint64(text: string): bigint {
  if (text === '') throw new Error('strconv.ParseUint: parsing "": invalid syntax');
  const value = BigInt(text);
  if (value > UINT64_MAX) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
}

function parseNumber(text: string, name: 'major' | 'minor' | 'patch'): bigint {
  if (!NUMBERS.test(text)) throw new Error(`Invalid character(s) found in ${name} number ${JSON.stringify(text)}`);
  if (hasLeadingZeroes(text)) throw new Error(`${name[0].toUpperCase()}${name.slice(1)} number must not contain leading zeroes ${JSON.stringify(text)}`);
  return parseUint64(text);
}

function parsePrerelease(text: string): bigint | string {
  if (text === '') throw new Error('Prerelease is empty');
  if (NUMBERS.test(text)) {
    if (hasLeadingZeroes(text)) throw new Error(`Numeric PreRelease version must not contain leading zeroes ${JSON.stringify(text)}`);
    return parseUint64(text);
  }
  if (!ALPHANUMERIC.test(text)) throw new Error(`Invalid character(s) found in prerelease ${JSON.stringify(text)}`);
  return text;
}

/** blang/semver's strict Parse, with its checks in its order and its error texts. */
function parseVersion(text: string): Version {
  if (text === '') throw new Error('Version string empty');
  const dot = text.indexOf('.');
  const secondDot = dot < 0 ? -1 : text.indexOf('.', dot + 1);
  if (secondDot < 0) throw new Error('No Major.Minor.Patch elements found');
  const major = parseNumber(text.slice(0, dot), 'major');
  const minor = parseNumber(text.slice(dot + 1, secondDot), 'minor');
  let patchText = text.slice(secondDot + 1);
  const plus = patchText.indexOf('+');
  const build = plus < 0 ? [] : patchText.slice(plus + 1).split('.');
  if (plus >= 0) patchText = patchText.slice(0, plus);
  const dash = patchText.indexOf('-');
  const prereleaseTexts = dash < 0 ? [] : patchText.slice(dash + 1).split('.');
  if (dash >= 0) patchText = patchText.slice(0, dash);
  const patch = parseNumber(patchText, 'patch');
  const prerelease = prereleaseTexts.map(parsePrerelease);
  for (const part of build) {
    if (part === '') throw new Error('Build meta data is empty');
    if (!ALPHANUMERIC.test(part)) throw new Error(`Invalid character(s) found in build meta data ${JSON.stringify(part)}`);
  }
  return { major, minor, patch, prerelease };
}

/**
 * Kubernetes' normalizeAndParse (the `semver(text, true)` overloads): no leading `v`, leading zeros dropped from each
 * of the first three dot-separated parts, a missing minor or patch filled in with 0.
 */
function normalizeAndParse(text: string): Version {
  const withoutV = text.startsWith('v') ? text.slice(1) : text;
  const dot = withoutV.indexOf('.');
  const secondDot = dot < 0 ? -1 : withoutV.indexOf('.', dot + 1);
  const parts = dot < 0 ? [withoutV] : secondDot < 0 ? [withoutV.slice(0, dot), withoutV.slice(dot + 1)] : [withoutV.slice(0, dot), withoutV.slice(dot + 1, secondDot), withoutV.slice(secondDot + 1)];
  const trimmed = parts.map((part) => {
    if (part.length <= 1) return part;
    const rest = part.replace(/^0+/, '');
    return rest === '' || !/^[0-9]/.test(rest) ? `0${rest}` : rest;
  });
  if (trimmed.length < 3 && /[+-]/.test(trimmed[trimmed.length - 1])) throw new Error('short version cannot contain PreRelease/Build meta data');
  while (trimmed.length < 3) trimmed.push('0');
  return parseVersion(trimmed.join('.'));
}

const sign = <T extends bigint | number | string>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

/** blang/semver's Compare: numbers, then a release above its prereleases, then identifiers (numeric ones lowest). */
function compareVersions(a: Version, b: Version): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return sign(a[key], b[key]);
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return sign(b.prerelease.length, a.prerelease.length);
  for (let index = 0; index < a.prerelease.length && index < b.prerelease.length; index++) {
    const [x, y] = [a.prerelease[index], b.prerelease[index]];
    if (typeof x !== typeof y) return typeof x === 'bigint' ? -1 : 1;
    if (x !== y) return sign(x, y);
  }
  return sign(a.prerelease.length, b.prerelease.length);
}

/** The field holds the version without build metadata, so `==` is Kubernetes' (blang's Compare == 0). */
const toCel = (version: Version) =>
  opaqueValue(SEMVER_TYPE, { version: `${version.major}.${version.minor}.${version.patch}${version.prerelease.length > 0 ? `-${version.prerelease.join('.')}` : ''}` });
const fromCel = (value: CelValue) => parseVersion(opaqueFields(SEMVER_TYPE, value).version as string);

/** Go converts the uint64 to CEL's int64 without a check, so a number past 2^63 wraps around. */
const asInt64 = (value: bigint) => BigInt.asIntN(64, value);

const SEMVER = SEMVER_TYPE.celType;

/** Kubernetes' semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go), with its normalizing overloads. */
export const SEMVER_FUNCTIONS: readonly CelFunc[] = [
  celFunc('semver', [CelScalar.STRING], SEMVER, (text) => toCel(parseVersion(text))),
  celFunc('semver', [CelScalar.STRING, CelScalar.BOOL], SEMVER, (text, normalize) => toCel(normalize ? normalizeAndParse(text) : parseVersion(text))),
  celFunc('isSemver', [CelScalar.STRING], CelScalar.BOOL, (text) => succeeds(() => parseVersion(text))),
  celFunc('isSemver', [CelScalar.STRING, CelScalar.BOOL], CelScalar.BOOL, (text, normalize) => succeeds(() => (normalize ? normalizeAndParse(text) : parseVersion(text)))),
  celMethod('major', SEMVER, [], CelScalar.INT, function (this: CelValue) {
    return asInt64(fromCel(this).major);
  }),
  celMethod('minor', SEMVER, [], CelScalar.INT, function (this: CelValue) {
    return asInt64(fromCel(this).minor);
  }),
  celMethod('patch', SEMVER, [], CelScalar.INT, function (this: CelValue) {
    return asInt64(fromCel(this).patch);
  }),
  ...comparisonMethods(SEMVER_TYPE, fromCel, compareVersions),
];
