/** Reviews of whole objects as the engine builds them (the admission view), for templates that judge more than Pods. */
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { admissionObjects } from '../../../server/src/model/admission';
import { findResources } from '../../../server/src/model/resources';
import type { InventoryObject, Review } from '../../../server/src/templates/types';

function admissionsOf(object: JsonObject): Review[] {
  const [resource] = findResources(object);
  assert.ok(resource, 'not a Kubernetes object');
  return admissionObjects(resource, 'default').map((admission) => admission.review);
}

/** The object as applied: kind as written, namespace `default` when it has none, '' for cluster-scoped kinds. */
export function appliedReview(object: JsonObject): Review {
  const [applied] = admissionsOf(object);
  assert.ok(applied);
  return applied;
}

/** The Pod a workload's controller creates from its pod template. */
export function createdPodReview(workload: JsonObject): Review {
  const pod = admissionsOf(workload)[1];
  assert.ok(pod, 'not a workload with a pod template');
  return pod;
}

function inventoryObject(object: JsonObject, appliedBefore: boolean): InventoryObject {
  const { kind, name, namespace, object: applied } = appliedReview(object);
  return { kind, name, namespace, object: applied, appliedBefore };
}

/** The review of `object`, with `before` applied before it and `after` after it as the other documents. */
export function reviewWithInventory(object: JsonObject, before: readonly JsonObject[] = [], after: readonly JsonObject[] = []): Review {
  return {
    ...appliedReview(object),
    inventory: [...before.map((other) => inventoryObject(other, true)), ...after.map((other) => inventoryObject(other, false))],
  };
}

/** A core Service named `name` with a selector and ports. */
export function service(name: string, spec: JsonObject, metadata: JsonObject = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec };
}
