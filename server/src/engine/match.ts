import { isObject } from '../json';
import type { Review } from '../templates/types';
import type { ConstraintMatch, LabelSelector, LabelSelectorRequirement } from './types';

/** What `spec.match` looks at. For a Namespace object, `namespace` is its own name, as Gatekeeper does. */
export interface MatchTarget {
  group: string;
  kind: string;
  /** Empty for cluster-scoped objects, which namespace criteria never rule out. */
  namespace: string;
  labels: Record<string, string>;
}

/** What `spec.match` sees of a reviewed object: label values that are not strings are compared as JSON. */
export function targetOf(review: Review): MatchTarget {
  const metadata = review.object.metadata;
  const labels: Record<string, string> = {};
  if (isObject(metadata) && isObject(metadata.labels)) {
    for (const [key, value] of Object.entries(metadata.labels)) labels[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { group: review.kind.group, kind: review.kind.kind, namespace: review.namespace, labels };
}

/** Gatekeeper's `spec.match`: every criterion has to hold, and an empty criterion holds for everything. */
export function matchesConstraint(match: ConstraintMatch, target: MatchTarget): boolean {
  // Every document meets every constraint: no reason is put into words here.
  return (
    kindsMatch(match.kinds, target) &&
    namespacesMatch(match.namespaces, target.namespace) &&
    excludedNamespacesMatch(match.excludedNamespaces, target.namespace) &&
    labelSelectorMatches(match.labelSelector, target.labels)
  );
}

/** Why `spec.match` leaves the target out, in words for the user; undefined when the target is in scope. */
export function outOfScopeReason(match: ConstraintMatch, target: MatchTarget): string | undefined {
  if (matchesConstraint(match, target)) return undefined;
  if (!kindsMatch(match.kinds, target)) return `the constraint matches ${describeKinds(match.kinds)}, not ${target.kind}`;
  if (!namespacesMatch(match.namespaces, target.namespace)) return `namespace "${target.namespace}" is not among ${match.namespaces.join(', ')}`;
  if (!excludedNamespacesMatch(match.excludedNamespaces, target.namespace)) return `namespace "${target.namespace}" is excluded`;
  return `its labels do not match the label selector ${JSON.stringify(match.labelSelector)}`;
}

/** Whether the constraint looks at this kind at all. */
export function matchesKind(match: ConstraintMatch, target: MatchTarget): boolean {
  return kindsMatch(match.kinds, target);
}

function describeKinds(kinds: ConstraintMatch['kinds']): string {
  return kinds.flatMap((entry) => entry.kinds).join(', ') || 'no kind';
}

function kindsMatch(kinds: ConstraintMatch['kinds'], target: MatchTarget): boolean {
  if (kinds.length === 0) return true;
  return kinds.some(
    (entry) =>
      (entry.kinds.length === 0 || entry.kinds.includes('*') || entry.kinds.includes(target.kind)) &&
      (entry.apiGroups.length === 0 || entry.apiGroups.includes('*') || entry.apiGroups.includes(target.group)),
  );
}

function namespacesMatch(namespaces: string[], namespace: string): boolean {
  if (namespaces.length === 0 || namespace === '') return true;
  return namespaces.some((pattern) => wildcardMatches(pattern, namespace));
}

function excludedNamespacesMatch(excludedNamespaces: string[], namespace: string): boolean {
  if (namespace === '') return true;
  return !excludedNamespaces.some((pattern) => wildcardMatches(pattern, namespace));
}

/**
 * Gatekeeper's namespace wildcard: exact, `prefix*`, `*suffix`, or `*infix*`.
 * (Older Gatekeeper releases knew only `prefix*`; the other forms only widen a match.)
 */
export function wildcardMatches(pattern: string, name: string): boolean {
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  if (leading && trailing) return name.includes(pattern.slice(1, -1));
  if (leading) return name.endsWith(pattern.slice(1));
  if (trailing) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** Kubernetes label selector semantics: matchLabels and matchExpressions are ANDed; an empty selector selects everything. */
function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels) {
    for (const key in matchLabels) {
      if (!Object.hasOwn(labels, key) || labels[key] !== matchLabels[key]) return false;
    }
  }
  return !matchExpressions || matchExpressions.every((requirement) => requirementMatches(requirement, Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined));
}

function requirementMatches(requirement: LabelSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      // As in Kubernetes, an object without the label is "not in" any set.
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}
