import { matchesConstraint, type MatchTarget, wildcardMatches } from '../engine/match';
import type { ConstraintMatch, LabelSelector } from '../engine/types';
import { isObject, type JsonObject, type JsonValue } from '../json';
import { groupVersionKindOf, metadataString } from './review';

/**
 * A constraint's `spec.match` as Gatekeeper applies it (pkg/mutation/match): kinds, namespaces and
 * excludedNamespaces, labelSelector (shared with the built-in engine), plus scope, name and namespaceSelector.
 */
export class MatchError extends Error {}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function labelSelectorOf(value: JsonValue | undefined): LabelSelector {
  if (!isObject(value)) return {};
  const selector: LabelSelector = {};
  if (isObject(value.matchLabels)) {
    selector.matchLabels = Object.fromEntries(Object.entries(value.matchLabels).map(([key, label]) => [key, String(label)]));
  }
  if (Array.isArray(value.matchExpressions)) {
    selector.matchExpressions = value.matchExpressions.filter(isObject).map((requirement) => {
      const operator = requirement.operator;
      if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') {
        throw new MatchError(`label selector operator ${JSON.stringify(operator ?? null)} is not one of In, NotIn, Exists, DoesNotExist`);
      }
      return { key: String(requirement.key ?? ''), operator, values: strings(requirement.values) };
    });
  }
  return selector;
}

function labelsOf(object: JsonObject): Record<string, string> {
  const labels = isObject(object.metadata) ? object.metadata.labels : undefined;
  if (!isObject(labels)) return {};
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

const selects = (selector: LabelSelector, labels: Record<string, string>) =>
  matchesConstraint({ kinds: [], namespaces: [], excludedNamespaces: [], labelSelector: selector }, { group: '', kind: '', namespace: '', labels });

/**
 * Whether the constraint applies to any of the review's objects. `namespaceObject` is the Namespace of the
 * request, when the inventory has it (a namespaceSelector needs it for namespaced objects).
 */
export function constraintMatches(match: JsonValue | undefined, objects: readonly JsonObject[], namespaceObject: JsonObject | undefined): boolean {
  if (!isObject(match)) return true;
  return objects.some((object) => objectMatches(match, object, namespaceObject));
}

function objectMatches(match: JsonObject, object: JsonObject, namespaceObject: JsonObject | undefined): boolean {
  const { group, kind } = groupVersionKindOf(object);
  const isNamespace = kind === 'Namespace' && group === '';
  const declaredNamespace = metadataString(object, 'namespace');
  const namespace = isNamespace ? metadataString(object, 'name') : namespaceObject ? metadataString(namespaceObject, 'name') : declaredNamespace;
  const shared: ConstraintMatch = {
    kinds: Array.isArray(match.kinds) ? match.kinds.filter(isObject).map((entry) => ({ apiGroups: strings(entry.apiGroups), kinds: strings(entry.kinds) })) : [],
    namespaces: strings(match.namespaces),
    excludedNamespaces: strings(match.excludedNamespaces),
    labelSelector: labelSelectorOf(match.labelSelector),
  };
  const target: MatchTarget = { group, kind, namespace, labels: labelsOf(object) };
  if (!matchesConstraint(shared, target)) return false;

  const hasNamespace = declaredNamespace !== '' || namespaceObject !== undefined;
  if (match.scope === 'Cluster' && !(isNamespace || !hasNamespace)) return false;
  if (match.scope === 'Namespaced' && !(!isNamespace && hasNamespace)) return false;
  if (typeof match.name === 'string' && match.name !== '' && !wildcardMatches(match.name, metadataString(object, 'name'))) return false;

  if (match.namespaceSelector !== undefined && match.namespaceSelector !== null) {
    const selector = labelSelectorOf(match.namespaceSelector);
    if (isNamespace) return selects(selector, labelsOf(object));
    if (!namespaceObject && declaredNamespace === '') return true;
    if (!namespaceObject) throw new MatchError(`namespace selector for namespace-scoped object but missing Namespace ${declaredNamespace}`);
    return selects(selector, labelsOf(namespaceObject));
  }
  return true;
}

/** The Namespace object of the request's namespace, when the inventory has it. */
export function namespaceObjectOf(namespace: string, inventory: readonly JsonObject[]): JsonObject | undefined {
  if (namespace === '') return undefined;
  return inventory.find((object) => {
    const { group, kind } = groupVersionKindOf(object);
    return group === '' && kind === 'Namespace' && metadataString(object, 'name') === namespace;
  });
}
