import type { ConstraintMatch, LabelSelector, LabelSelectorRequirement } from './types';

/** What `spec.match` looks at. For a Namespace object, `namespace` is its own name, as Gatekeeper does. */
export interface MatchTarget {
  group: string;
  kind: string;
  /** Empty for cluster-scoped objects, which namespace criteria never rule out. */
  namespace: string;
  labels: Record<string, string>;
}

/** Gatekeeper's `spec.match`: every criterion has to hold, and an empty criterion holds for everything. */
export function matchesConstraint(match: ConstraintMatch, target: MatchTarget): boolean {
  return (
    kindsMatch(match.kinds, target) &&
    namespacesMatch(match.namespaces, target.namespace) &&
    excludedNamespacesMatch(match.excludedNamespaces, target.namespace) &&
    labelSelectorMatches(match.labelSelector, target.labels)
  );
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
function wildcardMatches(pattern: string, name: string): boolean {
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  if (leading && trailing) return name.includes(pattern.slice(1, -1));
  if (leading) return name.endsWith(pattern.slice(1));
  if (trailing) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** Kubernetes label selector semantics: matchLabels and matchExpressions are ANDed; an empty selector selects everything. */
function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const hasLabel = (key: string) => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!hasLabel(key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, hasLabel(requirement.key) ? labels[requirement.key] : undefined));
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
