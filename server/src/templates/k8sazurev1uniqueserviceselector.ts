import { getPath, isObject, type JsonObject } from '../json';
import { culpritAt, elementsOf, regoEquals, RegoSet, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate, InventoryObject, Review } from './types';

/** The `port` numbers a Service exposes. */
function exposedPorts(service: JsonObject): RegoSet {
  return new RegoSet(elementsOf(getPath(service, ['spec', 'ports'])).flatMap((port) => getPath(port, ['port']) ?? []));
}

/** The same object as the one under review (an earlier copy of it is no other Service). */
function isSameObject(other: InventoryObject, review: Review): boolean {
  return other.name === review.name && other.namespace === review.namespace && other.kind.group === review.kind.group && other.kind.kind === review.kind.kind;
}

/**
 * Flags a Service whose selector equals the selector of another Service in its namespace, when the two also
 * share a `port`. The other Services come from the documents applied with it. No template is published;
 * the semantics and message are inferred from the definition and messages AKS prints (see the README).
 */
export const k8sazurev1uniqueserviceselector: ConstraintTemplate = {
  name: 'k8sazurev1uniqueserviceselector',
  kind: 'K8sAzureV1UniqueServiceSelector',
  storeUrl: storeUrl('unique-service-selectors', 'v1'),
  usesInventory: true,
  check(review) {
    if (review.kind.kind !== 'Service' || review.kind.group !== '') return [];
    const selector = getPath(review.object, ['spec', 'selector']);
    // A Service without a selector selects no Pods (its endpoints are managed by hand): nothing to collide with.
    if (!isObject(selector) || Object.keys(selector).length === 0) return [];
    const ports = exposedPorts(review.object);
    const violations = new ViolationSet();
    for (const other of review.inventory ?? []) {
      if (other.kind.kind !== 'Service' || other.kind.group !== '' || other.namespace !== review.namespace || isSameObject(other, review)) continue;
      const otherSelector = getPath(other.object, ['spec', 'selector']);
      if (otherSelector === undefined || !regoEquals(otherSelector, selector)) continue;
      const sharedPorts = exposedPorts(other.object).members.filter((port) => ports.has(port));
      if (sharedPorts.length === 0) continue;
      const message = sprintf('same selector as service <%v> in namespace <%v> with overlapping ports.', [other.name, other.namespace]);
      if (message !== undefined) violations.add(message, culpritAt(['spec', 'selector']));
    }
    return violations.toArray();
  },
};
