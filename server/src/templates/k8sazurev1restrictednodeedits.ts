import { getPath, isObject, type JsonObject, type JsonValue } from '../json';
import { culpritAt, elementsOf, regoEquals, RegoSet, storeUrl } from './common';
import type { ConstraintTemplate, Review } from './types';

const MESSAGE = 'Tainting or labelling individual nodes is not recommended. Please use AZ cli to taint/label nodepools instead';

/**
 * The Rego's `flatten_map`: "key:value" for each string value, in key order, joined by "," and split again.
 * Undefined for an empty map too: the API server leaves empty maps out of the objects Gatekeeper reviews.
 */
function flattenMap(map: JsonValue | undefined): string[] | undefined {
  if (!isObject(map) || Object.keys(map).length === 0) return undefined;
  const pairs = Object.keys(map)
    .sort()
    .flatMap((key) => {
      const value = map[key];
      return typeof value === 'string' ? [`${key}:${value}`] : [];
    });
  return pairs.join(',').split(',');
}

/** The Node's taints as a set of arrays, each taint flattened to its "key:value" parts. */
function taintsOf(node: JsonObject): RegoSet {
  return new RegoSet(elementsOf(getPath(node, ['spec', 'taints'])).flatMap((taint) => {
    const parts = flattenMap(taint);
    return parts === undefined ? [] : [parts];
  }));
}

/** The Node's labels as a set of "key:value" strings. */
function labelsOf(node: JsonObject): RegoSet {
  return new RegoSet(flattenMap(getPath(node, ['metadata', 'labels'])) ?? []);
}

/**
 * The Node as it stood before this apply: the last copy of it applied earlier (same file, or an earlier file).
 * The Rego judges only updates (`oldObject`); a Node applied once, or whose live state is unknown, is not judged.
 */
function previousVersion(review: Review): JsonObject | undefined {
  const earlier = (review.inventory ?? []).filter(
    (other) => other.appliedBefore && other.kind.group === review.kind.group && other.kind.kind === review.kind.kind && other.name === review.name,
  );
  return earlier.at(-1)?.object;
}

/**
 * Flags an update of a Node that adds or removes labels or taints. The Rego exempts `allowedUsers` and
 * `allowedGroups` (AKS's own components); a manifest is judged as applied by someone who is neither.
 */
export const k8sazurev1restrictednodeedits: ConstraintTemplate = {
  name: 'k8sazurev1restrictednodeedits',
  kind: 'K8sAzureV1RestrictedNodeEdits',
  storeUrl: storeUrl('restricted-node-edits', 'v1'),
  usesInventory: true,
  check(review) {
    const old = previousVersion(review);
    if (old === undefined) return [];
    const culprits = [];
    if (!regoEquals(taintsOf(review.object), taintsOf(old))) culprits.push(culpritAt(['spec', 'taints'], ['spec']));
    if (!regoEquals(labelsOf(review.object), labelsOf(old))) culprits.push(culpritAt(['metadata', 'labels'], ['metadata']));
    return culprits.length === 0 ? [] : [{ message: MESSAGE, culprits }];
  },
};
