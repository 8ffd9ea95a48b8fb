/**
 * The shapes Azure's mutation policies take, as Gatekeeper mutators: assign a value to a field (of the object,
 * or of each container of a list), add an item to a list field, remove items from a list.
 */
import { getPath, isObject, type JsonObject, type JsonValue, type Path } from '../json';
import type { MutationChange, Mutator } from './types';

const STORE_BASE_URL = 'https://store.policy.core.windows.net/kubernetes/';

export type MutatorKinds = Mutator['kinds'];
export const PODS: MutatorKinds = [{ apiGroups: [''], kinds: ['Pod'] }];
export const POD_DISRUPTION_BUDGETS: MutatorKinds = [{ apiGroups: ['policy'], kinds: ['PodDisruptionBudget'] }];
export const NODES: MutatorKinds = [{ apiGroups: [''], kinds: ['Node'] }];

/** Where a field is assigned: the object itself, or each container of one of the pod's lists. */
export type FieldOwner = 'object' | 'containers' | 'initContainers';

/** Whether a field's current value (undefined when missing) is replaced. */
export type Replaces = (current: JsonValue | undefined) => boolean;

/** The API server drops an explicit null, so a null field is a missing one. */
export const whenMissing: Replaces = (current) => current === undefined || current === null;

/** Set whatever was there, unless it already is the value. */
export function unlessAlready(value: JsonValue): Replaces {
  return (current) => current !== value;
}

/** Only where the field is set, to something else than the value. */
export function whereSetOtherThan(value: JsonValue): Replaces {
  return (current) => !whenMissing(current) && current !== value;
}

/** The objects whose field a mutator assigns, with where each is and what to point at when the field is missing. */
interface FieldTarget {
  base: Path;
  fallback?: Path;
}

function targetsOf(object: JsonObject, owner: FieldOwner): FieldTarget[] {
  if (owner === 'object') return [{ base: [] }];
  const containers = getPath(object, ['spec', owner]);
  if (!Array.isArray(containers)) return [];
  // Gatekeeper's `spec.containers[name:*]` visits the containers that have a name.
  return containers.flatMap((container, index) => (isObject(container) && container.name !== undefined ? [{ base: ['spec', owner, index], fallback: ['spec', owner, index, 'name'] }] : []));
}

function storeUrl(name: string): string {
  return `${STORE_BASE_URL}${name}/mutation.yaml`;
}

/** An Assign: `field` (relative to each target) gets `value` where `replaces` says so. */
export function assignField(name: string, kinds: MutatorKinds, owner: FieldOwner, field: Path, value: JsonValue, replaces: Replaces): Mutator {
  return {
    name,
    mutationUrl: storeUrl(name),
    kinds,
    mutate(object) {
      const changes: MutationChange[] = [];
      let mutated = object;
      for (const { base, fallback } of targetsOf(object, owner)) {
        const path = [...base, ...field];
        if (!replaces(getPath(object, path))) continue;
        const next = withValueAt(mutated, path, value);
        if (!next) continue;
        mutated = next;
        changes.push({ action: `set ${field.join('.')}: ${formatScalar(value)}`, path, ...(fallback ? { fallback } : {}) });
      }
      return changes.length > 0 ? { object: mutated, changes } : undefined;
    },
  };
}

/** A ModifySet that merges `item` into the list at `field` of each container (creating the list), unless it is there. */
export function addToContainerList(name: string, owner: Exclude<FieldOwner, 'object'>, field: Path, item: string): Mutator {
  return {
    name,
    mutationUrl: storeUrl(name),
    kinds: PODS,
    mutate(object) {
      const changes: MutationChange[] = [];
      let mutated = object;
      for (const { base, fallback } of targetsOf(object, owner)) {
        const path = [...base, ...field];
        const current = getPath(object, path);
        // A list that is not a list is left alone, as Gatekeeper cannot merge into it.
        if (!whenMissing(current) && (!Array.isArray(current) || current.includes(item))) continue;
        const next = withValueAt(mutated, path, Array.isArray(current) ? [...current, item] : [item]);
        if (!next) continue;
        mutated = next;
        changes.push({ action: `add "${item}" to ${field.join('.')}`, path, ...(fallback ? { fallback } : {}) });
      }
      return changes.length > 0 ? { object: mutated, changes } : undefined;
    },
  };
}

/** A ModifySet that removes the items of the list at `field` for which `removes` says what it does, when `applies` holds for the object. */
export function removeFromList(
  name: string,
  kinds: MutatorKinds,
  field: Path,
  applies: (object: JsonObject) => boolean,
  removes: (item: JsonValue) => string | undefined,
): Mutator {
  return {
    name,
    mutationUrl: storeUrl(name),
    kinds,
    mutate(object) {
      const list = getPath(object, field);
      if (!Array.isArray(list) || !applies(object)) return undefined;
      const changes: MutationChange[] = [];
      const kept: number[] = [];
      list.forEach((item, index) => {
        const action = removes(item);
        if (action === undefined) kept.push(index);
        else changes.push({ action, path: [...field, index] });
      });
      if (changes.length === 0) return undefined;
      const mutated = withValueAt(object, field, kept.map((index) => list[index]));
      if (!mutated) return undefined;
      return {
        object: mutated,
        changes,
        // The n-th item left is the n-th kept one of the list as written.
        inputPathOf: (path) => {
          const isUnder = path.length > field.length && field.every((segment, index) => path[index] === segment);
          const position = path[field.length];
          if (!isUnder || typeof position !== 'number') return path;
          return [...field, kept[position] ?? position, ...path.slice(field.length + 1)];
        },
      };
    },
  };
}

/**
 * `root` with `value` at `path`, copying only the objects on the way and creating missing ones. Undefined when
 * an existing step is not an object (or, for an index, not a list), which no mutator can write through.
 */
function withValueAt(root: JsonObject, path: Path, value: JsonValue): JsonObject | undefined {
  const written = writeAt(root, path, value);
  return isObject(written) ? written : undefined;
}

function writeAt(node: JsonValue | undefined, path: Path, value: JsonValue): JsonValue | undefined {
  const [segment, ...rest] = path;
  if (segment === undefined) return value;
  if (typeof segment === 'number') {
    if (!Array.isArray(node) || segment >= node.length) return undefined;
    const child = writeAt(node[segment], rest, value);
    return child === undefined ? undefined : node.map((item, index) => (index === segment ? child : item));
  }
  if (node !== undefined && node !== null && !isObject(node)) return undefined;
  const object = isObject(node) ? node : {};
  const child = writeAt(Object.hasOwn(object, segment) ? object[segment] : undefined, rest, value);
  return child === undefined ? undefined : { ...object, [segment]: child };
}

/** A value as a manifest would write it: `true`, `1000`, `500m`. */
function formatScalar(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
