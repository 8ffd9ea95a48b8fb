/**
 * What the Pod Security Standards checks share: a PSA check as a constraint template, the containers in
 * the order PSA visits them, Go's view of optional fields, and the wording helpers of PSA's messages.
 */
import { getPath } from '../../json';
import type { JsonValue, Path } from '../../json';
import type { ConstraintTemplate, Culprit, Review } from '../types';

export type PssLevel = 'baseline' | 'restricted';

/** A Pod Security Admission check (policy version v1.37) as a constraint template named `pss-<checkId>`. */
export interface PssCheck extends ConstraintTemplate {
  /** PSA's check id, e.g. `allowPrivilegeEscalation`. */
  checkId: string;
  level: PssLevel;
  /** The baseline checks this restricted check replaces (PSA's `OverrideCheckIDs`): the restricted profile leaves them out. */
  overrides: readonly string[];
}

/** PSA's `CheckResult` for a pod it forbids, plus the fields that cause it. */
export interface PssForbidden {
  reason: string;
  detail: string;
  culprits: Culprit[];
}

interface PssCheckSource {
  checkId: string;
  level: PssLevel;
  overrides?: readonly string[];
  /** The file under `policy/` of kubernetes/pod-security-admission that defines the check. */
  sourceFile: string;
  /** Undefined when the pod is allowed. */
  evaluate(review: Review): PssForbidden | undefined;
}

/** The pod-security-admission commit whose v1.37 fixtures the checks are measured against. */
const POLICY_SOURCE = 'https://github.com/kubernetes/pod-security-admission/blob/8f84a87c7f617f64a4ddc1aea24aeeb7a2e07cb8/policy/';

/**
 * Makes a PSA check a constraint template. The message is one entry of kubectl's PodSecurity warning,
 * `reason (detail)`, without Gatekeeper's prefix; PSA has no parameters, so the constraint's are ignored.
 */
export function pssCheck({ checkId, level, overrides = [], sourceFile, evaluate }: PssCheckSource): PssCheck {
  return {
    name: `pss-${checkId}`,
    kind: `PodSecurity/${checkId}`,
    // Not Azure's store: the check's source, which the PSS definitions name in `templateInfo.url`.
    storeUrl: POLICY_SOURCE + sourceFile,
    messagePrefix: '',
    checkId,
    level,
    overrides,
    check(review) {
      const forbidden = evaluate(review);
      if (!forbidden) return [];
      // PSA prints the reason alone when the detail is empty.
      return [{ message: forbidden.detail === '' ? forbidden.reason : `${forbidden.reason} (${forbidden.detail})`, culprits: forbidden.culprits }];
    },
  };
}

// ---------------------------------------------------------------------------
// The pod as PSA reads it: Go structs, where null and a missing field are both nil

/** A container with where it sits in `review.object`. */
export interface PodContainer {
  /** The name PSA prints: Go's zero value "" when it is missing. */
  name: string;
  value: JsonValue;
  path: Path;
}

/** PSA's `visitContainers` order: init containers, containers, then ephemeral containers. */
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function podContainers(review: Review): PodContainer[] {
  return CONTAINER_LISTS.flatMap((list) =>
    itemsAt(review, ['spec', list]).map((value, index) => ({ name: goString(getPath(value, ['name'])), value, path: ['spec', list, index] })),
  );
}

/** A pod volume with where it sits in `review.object`. */
export interface PodVolume {
  name: string;
  value: JsonValue;
  path: Path;
}

export function podVolumes(review: Review): PodVolume[] {
  return itemsAt(review, ['spec', 'volumes']).map((value, index) => ({ name: goString(getPath(value, ['name'])), value, path: ['spec', 'volumes', index] }));
}

/** Where a container's `securityContext` field sits, e.g. `securityContextPath(c, 'capabilities', 'add')`. */
export function securityContextPath(container: PodContainer, ...field: string[]): Path {
  return [...container.path, 'securityContext', ...field];
}

/** Where the pod's `securityContext` field sits. */
export function podSecurityContextPath(...field: string[]): Path {
  return ['spec', 'securityContext', ...field];
}

/** The value at `path` of the reviewed Pod. */
export function valueAt(review: Review, path: Path): JsonValue | undefined {
  return getPath(review.object, path);
}

/** A pointer field that Go decodes to non-nil. */
export function isSet(value: JsonValue | undefined): value is Exclude<JsonValue, null> {
  return value !== undefined && value !== null;
}

/** A string field as Go holds it: "" when nil. Other types do not decode, so the API server never gets that far. */
export function goString(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  return isSet(value) ? JSON.stringify(value) : '';
}

/** Items of a list field; a missing or null list is empty. */
export function itemsAt(review: Review, path: Path): JsonValue[] {
  const items = valueAt(review, path);
  return Array.isArray(items) ? items : [];
}

/** Pods with `spec.os.name: windows` are exempt from some restricted checks (PSA 1.25+). */
export function isWindowsPod(review: Review): boolean {
  return valueAt(review, ['spec', 'os', 'name']) === 'windows';
}

/** `hostUsers: false` (a user namespace) relaxes some checks (PSA 1.35+). */
export function runsInUserNamespace(review: Review): boolean {
  return valueAt(review, ['spec', 'hostUsers']) === false;
}

// ---------------------------------------------------------------------------
// PSA's wording

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** PSA's `joinQuote`: each item in double quotes, without escaping, separated by ", ". */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/** `container "a"` or `containers "a", "b"`, names in visiting order (repeats kept, as PSA keeps them). */
export function containersPhrase(containers: readonly PodContainer[]): string {
  return `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers.map((container) => container.name))}`;
}

/** Go's `sets.String.List()`: distinct and sorted by bytes, which is how Go compares strings. */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Go's `%q` for the printable text that annotation values hold: JSON's quoting is the same there. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
