import type { JsonObject } from '../json';
import { groupVersionKindOf, metadataString } from './review';

/**
 * `data.inventory` as Gatekeeper syncs it: `cluster[groupVersion][kind][name]` for cluster-scoped objects and
 * `namespace[ns][groupVersion][kind][name]` for namespaced ones.
 */
export function inventoryOf(objects: readonly JsonObject[]): JsonObject {
  const cluster: JsonObject = {};
  const namespaces: JsonObject = {};
  for (const object of objects) {
    const { group, version, kind } = groupVersionKindOf(object);
    const groupVersion = group === '' ? version : `${group}/${version}`;
    const namespace = metadataString(object, 'namespace');
    const root = namespace === '' ? cluster : child(namespaces, namespace);
    child(child(root, groupVersion), kind)[metadataString(object, 'name')] = object;
  }
  return { cluster, namespace: namespaces };
}

function child(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}
