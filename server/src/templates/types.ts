import type { JsonObject, JsonValue, Path } from '../json';

/**
 * Gatekeeper's `input.review`, reduced to what constraint templates read.
 * For a workload, `object` is the Pod its controller will create (kind Pod).
 */
export interface Review {
  kind: { group: string; version: string; kind: string };
  name: string;
  namespace: string;
  operation: 'CREATE';
  object: JsonObject;
  /**
   * Gatekeeper's `data.inventory`: the other objects applied together with this one (the same file; for the
   * CLI, every file it checks), in the order they are applied. Set only for templates that declare `usesInventory`.
   */
  inventory?: readonly InventoryObject[];
}

/** An object of the inventory, as applied (kind as written, cluster-scoped kinds with namespace ''). */
export interface InventoryObject {
  kind: Review['kind'];
  name: string;
  namespace: string;
  object: JsonObject;
  /** Applied before the object under review: earlier in its file, or in a file checked before it. */
  appliedBefore: boolean;
}

/** One edit to the manifest, stated on paths of `review.object`; turned into text edits from the YAML CST. */
export type FixOperation =
  /** Delete the mapping pair or sequence item at `path`. */
  | { op: 'remove'; path: Path }
  /** Set the value at `path`, creating missing mappings on the way. */
  | { op: 'set'; path: Path; value: JsonValue };

export interface FixProposal {
  title: string;
  /** Safe and obvious: shown as preferred and applied by fix-all. Fixes that choose a value or may break a workload are not. */
  preferred: boolean;
  operations: FixOperation[];
}

/** A place in `review.object` that causes a violation; the editor shows one diagnostic per culprit. */
export interface Culprit {
  /** The offending field (pair) or sequence item. May name a field that is missing. */
  path: Path;
  /** Where to point when `path` does not exist in the manifest, e.g. the container's `name`. */
  fallback?: Path;
  fixes?: FixProposal[];
}

export interface TemplateViolation {
  /** Exactly the template's `msg`, without Gatekeeper's `[constraint]` prefix. */
  message: string;
  /** Where it comes from; when empty the violation is shown on the resource's `kind`. */
  culprits: Culprit[];
}

/** A native implementation of one Gatekeeper constraint template. */
export interface ConstraintTemplate {
  /** The name as `kubectl get constrainttemplates` lists it, e.g. `k8sazurev2noprivilege`. */
  name: string;
  /** The constraint kind, e.g. `K8sAzureV2NoPrivilege`. */
  kind: string;
  /** The store URL that Azure's built-in definitions name in `templateInfo.url`. */
  storeUrl: string;
  /** Printed before each message; Gatekeeper's `[azurepolicy-<name>] ` when absent (Pod Security Admission prints none). */
  messagePrefix?: string;
  /**
   * The template reads `review.inventory`, as a Gatekeeper template that reads `data.inventory` does. Its
   * verdicts then depend on the other documents, so the engine builds the inventory and keys the cache on it.
   */
  usesInventory?: boolean;
  /** `parameters` is the constraint's `spec.parameters` (the definition's `values`, resolved). */
  check(review: Review, parameters: JsonObject): TemplateViolation[];
}
