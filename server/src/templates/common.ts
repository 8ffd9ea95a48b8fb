/**
 * Helpers shared by the native constraint templates: the pieces of Rego semantics the
 * templates rely on (truthiness, iteration, ordering, `sprintf("%v")`), the container set
 * with its exclusions, and builders for violations, culprits and fixes.
 */
import { getPath, isObject } from '../json';
import type { JsonObject, JsonValue, Path, PathSegment } from '../json';
import { goRegExp } from '../goRegex';
import type { Culprit, FixOperation, FixProposal, Review, TemplateViolation } from './types';

const STORE_BASE_URL = 'https://store.policy.core.windows.net/kubernetes/';

/** The URL Azure's definitions name in `templateInfo.url`, e.g. `storeUrl('container-no-privilege', 'v2')`. */
export function storeUrl(storeName: string, version: string): string {
  return `${STORE_BASE_URL}${storeName}/${version}/template.yaml`;
}

/** How the messages of the templates that came with Deployment Safeguards end, as AKS prints them. */
export const DEPLOYMENT_SAFEGUARDS_MORE_INFORMATION = 'For more information, visit https://aka.ms/aks/deployment-safeguards';

// ---------------------------------------------------------------------------
// Rego value semantics

/** A Rego set (e.g. a partial set rule's value): members deduplicated and kept in Rego's sort order. */
export class RegoSet {
  readonly members: readonly JsonValue[];

  constructor(values: Iterable<JsonValue>) {
    const members: JsonValue[] = [];
    for (const value of values) {
      if (!members.some((member) => regoEquals(member, value))) members.push(value);
    }
    this.members = members.sort(regoCompare);
  }

  has(value: JsonValue): boolean {
    return this.members.some((member) => regoEquals(member, value));
  }
}

/** Any value a template prints or compares: JSON from the input, or a set the Rego computed. */
export type RegoValue = JsonValue | RegoSet;

/** Rego truthiness: an expression holds when its value is defined and not `false` (so 0, "" and null hold). */
export function isTruthy(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== false;
}

/** Rego's `x[k]` iteration: array items with their index, object values with their key; nothing for scalars. */
export function entriesOf(value: JsonValue | undefined): [PathSegment, JsonValue][] {
  if (Array.isArray(value)) return value.map((item, index) => [index, item]);
  if (isObject(value)) return Object.entries(value);
  return [];
}

/** Rego's `x[_]`: the items of an array or the values of an object. */
export function elementsOf(value: JsonValue | undefined): JsonValue[] {
  return entriesOf(value).map(([, item]) => item);
}

const TYPE_RANK = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 } as const;

function typeRank(value: RegoValue): number {
  if (value === null) return TYPE_RANK.null;
  if (value instanceof RegoSet) return TYPE_RANK.set;
  if (Array.isArray(value)) return TYPE_RANK.array;
  if (typeof value === 'boolean') return TYPE_RANK.boolean;
  if (typeof value === 'number') return TYPE_RANK.number;
  if (typeof value === 'string') return TYPE_RANK.string;
  return TYPE_RANK.object;
}

/** Orders strings by code point, which is the UTF-8 byte order Go (and so OPA) sorts by. */
function compareCodePoints(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const left = a.charCodeAt(i);
    const right = b.charCodeAt(i);
    if (left !== right) return Math.sign(codePointRank(left) - codePointRank(right));
  }
  return Math.sign(a.length - b.length);
}

/**
 * UTF-16 code units sort as code points do, except that a surrogate (part of a code point above U+FFFF) must sort
 * after U+E000..U+FFFF: those are moved down below the surrogates, and the surrogates up above them.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function compareSequences(a: readonly RegoValue[], b: readonly RegoValue[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = regoCompare(a[i] ?? null, b[i] ?? null);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

function sortedKeys(object: JsonObject): string[] {
  return Object.keys(object).sort(compareCodePoints);
}

/**
 * OPA's total order over values: null < booleans < numbers < strings < arrays < objects < sets.
 * Comparisons (`<`, `>=`, ...) between values of different types are legal in Rego and follow this
 * order; the templates mirror that instead of refusing non-numbers (e.g. `hostPort: "80"` > 0).
 */
export function regoCompare(a: RegoValue, b: RegoValue): number {
  const rankOrder = typeRank(a) - typeRank(b);
  if (rankOrder !== 0) return Math.sign(rankOrder);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (a instanceof RegoSet && b instanceof RegoSet) return compareSequences(a.members, b.members);
  if (Array.isArray(a) && Array.isArray(b)) return compareSequences(a, b);
  if (isObject(a) && isObject(b)) {
    const leftKeys = sortedKeys(a);
    const rightKeys = sortedKeys(b);
    const shared = Math.min(leftKeys.length, rightKeys.length);
    for (let i = 0; i < shared; i++) {
      const leftKey = leftKeys[i] ?? '';
      const rightKey = rightKeys[i] ?? '';
      const keyOrder = compareCodePoints(leftKey, rightKey);
      if (keyOrder !== 0) return keyOrder;
      const valueOrder = regoCompare(a[leftKey] ?? null, b[rightKey] ?? null);
      if (valueOrder !== 0) return valueOrder;
    }
    return Math.sign(leftKeys.length - rightKeys.length);
  }
  return 0; // both null
}

/** Rego's `==` on ground values: deep, and numeric by value. */
export function regoEquals(a: RegoValue, b: RegoValue): boolean {
  return regoCompare(a, b) === 0;
}

/** `a < b` in Rego; undefined on either side means the expression does not hold. */
export function regoLess(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a !== undefined && b !== undefined && regoCompare(a, b) < 0;
}

/** `a > b` in Rego; undefined on either side means the expression does not hold. */
export function regoGreater(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a !== undefined && b !== undefined && regoCompare(a, b) > 0;
}

// ---------------------------------------------------------------------------
// sprintf("%v") as OPA does it

/** Go's `fmt` `%v` for a float64: shortest digits, exponent form (two-digit exponent) below 1e-4 or from 1e6 up. */
function formatGoFloat(value: number): string {
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** A number as sprintf's argument: OPA passes integers as Go ints and other numbers as float64. */
function formatTopLevelNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : formatGoFloat(value);
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
const GO_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Go's strconv.Quote, which OPA uses for strings inside composite values. For ordinary text it
 * is JSON quoting; it differs only for control and other non-printable characters.
 */
function quoteGoString(text: string): string {
  // Printable ASCII without quotes or backslashes, nearly every name and capability, is quoted as it is.
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  let quoted = '"';
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    const shortEscape = GO_SHORT_ESCAPES[character];
    if (shortEscape !== undefined) quoted += shortEscape;
    else if (codePoint >= 0xd800 && codePoint <= 0xdfff) quoted += '\uFFFD'; // a lone surrogate decodes to U+FFFD in Go
    else if (PRINTABLE.test(character)) quoted += character;
    else if (codePoint < 0x80) quoted += `\\x${codePoint.toString(16).padStart(2, '0')}`;
    else if (codePoint < 0x10000) quoted += `\\u${codePoint.toString(16).padStart(4, '0')}`;
    else quoted += `\\U${codePoint.toString(16).padStart(8, '0')}`;
  }
  return `${quoted}"`;
}

/** OPA's `Value.String()`: the form a value takes inside a printed composite. */
function formatNestedValue(value: RegoValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return String(value); // the JSON text of the number, as OPA keeps it
  if (typeof value === 'string') return quoteGoString(value);
  if (value instanceof RegoSet) {
    return value.members.length === 0 ? 'set()' : `{${value.members.map(formatNestedValue).join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(formatNestedValue).join(', ')}]`;
  return `{${sortedKeys(value)
    .map((key) => `${quoteGoString(key)}: ${formatNestedValue(value[key] ?? null)}`)
    .join(', ')}}`;
}

/**
 * Prints a value exactly as OPA's `sprintf` prints an argument with `%v`: strings bare, numbers
 * as Go prints ints and floats, everything else in Rego syntax with object keys and set members sorted.
 */
export function formatRegoValue(value: RegoValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatTopLevelNumber(value);
  return formatNestedValue(value);
}

/**
 * OPA's `sprintf` for the `%v` verbs the templates use. Like Rego, an undefined argument makes the
 * whole message undefined, and a rule whose message is undefined does not fire.
 */
export function sprintf(format: string, args: readonly (RegoValue | undefined)[]): string | undefined {
  const verbCount = format.match(/%v/g)?.length ?? 0;
  if (verbCount !== args.length) throw new Error(`sprintf: ${verbCount} verbs for ${args.length} arguments`);
  const printed: string[] = [];
  for (const arg of args) {
    if (arg === undefined) return undefined;
    printed.push(formatRegoValue(arg));
  }
  let next = 0;
  return format.replace(/%v/g, () => printed[next++] ?? '');
}

// ---------------------------------------------------------------------------
// The containers a template reads

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export const ALL_CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** One member of the Rego's `input_containers`, with where it sits in `review.object`. */
export interface InputContainer {
  value: JsonValue;
  /** e.g. `['spec', 'initContainers', 0]`. */
  path: Path;
}

export interface ContainerSelection {
  /** Which lists the template's `input_containers` unions; all three unless the template omits one. */
  lists?: readonly ContainerList[];
  /** False for templates whose Rego never reads `excludedContainers`. */
  honourExcludedContainers?: boolean;
  /** False for templates whose Rego never reads `excludedImages`. */
  honourExcludedImages?: boolean;
}

/** Reads a field of a container, e.g. `containerField(c, 'securityContext', 'privileged')`. */
export function containerField(container: InputContainer, ...path: PathSegment[]): JsonValue | undefined {
  return getPath(container.value, path);
}

/** The template's `input_containers` minus the containers its exclusions skip. */
export function checkedContainers(
  review: Review,
  parameters: JsonObject,
  selection: ContainerSelection = {},
): InputContainer[] {
  const { lists = ALL_CONTAINER_LISTS, honourExcludedContainers = true, honourExcludedImages = true } = selection;
  const containers: InputContainer[] = [];
  for (const list of lists) {
    for (const [key, value] of entriesOf(getPath(review.object, ['spec', list]))) {
      const container = { value, path: ['spec', list, key] };
      if (honourExcludedContainers && isExcludedByName(container, parameters)) continue;
      if (honourExcludedImages && isExcludedByImage(container, parameters)) continue;
      containers.push(container);
    }
  }
  return containers;
}

/** `excludedContainers` lists container names, matched exactly. */
export function isExcludedByName(container: InputContainer, parameters: JsonObject): boolean {
  const name = containerField(container, 'name');
  if (name === undefined) return false;
  return elementsOf(getPath(parameters, ['excludedContainers'])).some((excluded) => regoEquals(excluded, name));
}

/** `excludedImages` entries match the image exactly, or as a prefix when they end in `*`. */
export function isExcludedByImage(container: InputContainer, parameters: JsonObject): boolean {
  const image = containerField(container, 'image');
  if (image === undefined) return false;
  return elementsOf(getPath(parameters, ['excludedImages'])).some((exclusion) => {
    if (typeof exclusion === 'string' && exclusion.endsWith('*')) {
      return typeof image === 'string' && image.startsWith(exclusion.slice(0, -1));
    }
    return regoEquals(exclusion, image);
  });
}

/** A pod volume with where it sits in `review.object`. */
export interface PodVolume {
  value: JsonValue;
  path: Path;
}

/** The pod's volumes that one of `containers` mounts (matched by name): the Rego's `mounted_volumes`. */
export function mountedVolumes(review: Review, containers: readonly InputContainer[]): PodVolume[] {
  const mountedNames = containers.flatMap((container) =>
    elementsOf(containerField(container, 'volumeMounts')).flatMap((mount) => getPath(mount, ['name']) ?? []),
  );
  return entriesOf(getPath(review.object, ['spec', 'volumes']))
    .filter(([, volume]) => {
      const name = getPath(volume, ['name']);
      return name !== undefined && mountedNames.some((mounted) => regoEquals(mounted, name));
    })
    .map(([key, value]) => ({ value, path: ['spec', 'volumes', key] }));
}

/** Linux templates skip pods pinned to Windows by nodeSelector (not by affinity). */
export function isWindowsPod(review: Review): boolean {
  return getPath(review.object, ['spec', 'nodeSelector', 'kubernetes.io/os']) === 'windows';
}

/**
 * The objects Kubernetes itself creates in a namespace (its `default` ServiceAccount and that account's token,
 * the `kubernetes` Service, the `kube-root-ca.crt` ConfigMap): the namespace rules' Rego lets them through.
 */
export function isNamespaceBuiltIn(object: JsonObject): boolean {
  const name = getPath(object, ['metadata', 'name']);
  switch (object.kind) {
    case 'ServiceAccount':
      return name === 'default';
    case 'Secret':
      return object.type === 'kubernetes.io/service-account-token' && getPath(object, ['metadata', 'annotations', 'kubernetes.io/service-account.name']) === 'default';
    case 'Service':
      return name === 'kubernetes';
    case 'ConfigMap':
      return name === 'kube-root-ca.crt';
    default:
      return false;
  }
}

/** `input.review.object.metadata.name`; messages that print it are undefined without it. */
export function podName(review: Review): JsonValue | undefined {
  return getPath(review.object, ['metadata', 'name']);
}

// ---------------------------------------------------------------------------
// Rego's regex builtins: Go's RE2 syntax, run as a JavaScript RegExp

/**
 * Rego's `re_match(pattern, value)` / `regex.match`: whether `value` contains a match of the Go
 * pattern. Undefined where the builtin errs (an operand that is not a string, a pattern Go refuses),
 * which in a rule body makes the expression undefined, so `not re_match(...)` then holds.
 */
export function regoRegexMatch(pattern: JsonValue | undefined, value: JsonValue | undefined): boolean | undefined {
  if (typeof pattern !== 'string' || typeof value !== 'string') return undefined;
  try {
    return goRegExp(pattern).test(value);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Windows containers

/** Nano Server images run as ContainerUser by default; the templates look for the name anywhere in the image, dots matching any character. */
export function isNanoServerImage(container: InputContainer): boolean {
  return regoRegexMatch('mcr.microsoft.com/windows/nanoserver', containerField(container, 'image')) === true;
}

/** A container's `windowsOptions.runAsUserName` as the Windows templates read it, with where it is set. */
export interface WindowsUserName {
  userName: JsonValue;
  path: Path;
}

/** The container's own `runAsUserName`, or else the pod's; undefined when neither is set. */
export function windowsUserName(review: Review, container: InputContainer): WindowsUserName | undefined {
  const ownPath = [...container.path, 'securityContext', 'windowsOptions', 'runAsUserName'];
  const own = getPath(review.object, ownPath);
  if (own !== undefined) return { userName: own, path: ownPath };
  const podPath = ['spec', 'securityContext', 'windowsOptions', 'runAsUserName'];
  const pod = getPath(review.object, podPath);
  return pod === undefined ? undefined : { userName: pod, path: podPath };
}

// ---------------------------------------------------------------------------
// What the API server stores: defaults that templates read

/** An image reference as the container runtime libraries parse it: name, optional `:tag`, optional `@digest`. */
const IMAGE_REFERENCE =
  /^(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([\w][\w.-]{0,127}))?(@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

/**
 * The `imagePullPolicy` the API server gives a container that sets none: `Always` for the tag `latest`,
 * or for no tag and no digest; `IfNotPresent` otherwise, also for an image it cannot parse.
 * Undefined for an image that is not a string (the API server would refuse the object).
 */
export function defaultImagePullPolicy(image: JsonValue | undefined): 'Always' | 'IfNotPresent' | undefined {
  if (typeof image !== 'string') return undefined;
  const reference = /^[a-f0-9]{64}$/.test(image) ? null : IMAGE_REFERENCE.exec(image);
  if (!reference) return 'IfNotPresent';
  const [, tag, digest] = reference;
  return tag === 'latest' || (tag === undefined && digest === undefined) ? 'Always' : 'IfNotPresent';
}

// ---------------------------------------------------------------------------
// Violations, culprits and fixes

/**
 * Gatekeeper's violation set: identical messages are one violation. Culprits of every rule body
 * that produced the message are kept on it, once per path.
 */
export class ViolationSet {
  private readonly culpritsByMessage = new Map<string, Culprit[]>();

  add(message: string, culprit: Culprit): void {
    const culprits = this.culpritsByMessage.get(message) ?? [];
    const key = pathKey(culprit.path);
    if (!culprits.some((known) => pathKey(known.path) === key)) culprits.push(culprit);
    this.culpritsByMessage.set(message, culprits);
  }

  toArray(): TemplateViolation[] {
    return Array.from(this.culpritsByMessage, ([message, culprits]) => ({ message, culprits }));
  }
}

function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/**
 * A culprit at `path`; `fallback` is where to point when `path` is not in the manifest (a missing
 * field, or one the API server defaults). Fixes that could not be built are left out.
 */
export function culpritAt(path: Path, fallback?: Path, fixes: readonly (FixProposal | undefined)[] = []): Culprit {
  const culprit: Culprit = { path };
  if (fallback !== undefined) culprit.fallback = fallback;
  const applicable = fixes.filter((fix): fix is FixProposal => fix !== undefined);
  if (applicable.length > 0) culprit.fixes = applicable;
  return culprit;
}

/** Where to point for a missing pod-level `securityContext` field. */
export function podSecurityContextFallback(review: Review): Path {
  return getPath(review.object, ['spec', 'securityContext']) === undefined ? ['spec'] : ['spec', 'securityContext'];
}

/** Deleting a field or item that alone causes the violation is safe and obvious: preferred. */
export function removeFix(title: string, path: Path): FixProposal {
  return { title, preferred: true, operations: [{ op: 'remove', path }] };
}

/**
 * A fix made of operations, or undefined when one of its `set` operations would have to write
 * through an existing value that is not a mapping (or a sequence, for an index), which no edit can do.
 */
export function fixIfApplicable(
  root: JsonValue,
  title: string,
  preferred: boolean,
  operations: FixOperation[],
): FixProposal | undefined {
  const applicable = operations.every((operation) => operation.op === 'remove' || canSet(root, operation.path));
  return applicable ? { title, preferred, operations } : undefined;
}

/** Whether a `set` can write `path`: each existing step is a mapping (or a sequence, for an index), and after a missing mapping, which gets created, only keys follow. */
function canSet(root: JsonValue, path: Path): boolean {
  let node: JsonValue | undefined = root;
  for (const [index, segment] of path.entries()) {
    if (node === undefined) return path.slice(index).every((rest) => typeof rest === 'string');
    if (typeof segment === 'number' ? !Array.isArray(node) : !isObject(node)) return false;
    node = getPath(node, [segment]);
  }
  return true;
}
