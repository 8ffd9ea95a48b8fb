import type { JsonObject, Path } from '../json';

/** One change a mutator makes, stated on paths of the object it was given. */
export interface MutationChange {
  /** What the cluster does, in words that follow "the cluster will": `set securityContext.runAsNonRoot: true`. */
  action: string;
  /** The field set or the item removed; it may be missing from the manifest. */
  path: Path;
  /** Where to point when `path` is not in the manifest, e.g. the container's `name`. */
  fallback?: Path;
}

export interface MutationResult {
  /** The object as the cluster stores it after the mutation; the object given is left as it was. */
  object: JsonObject;
  changes: MutationChange[];
  /**
   * Maps a path of the mutated object to the same place in the object given, for a mutator that removes
   * list items (later items move up). Absent when paths do not move.
   */
  inputPathOf?: (path: Path) => Path;
}

/**
 * A native implementation of one Azure mutation policy: the Gatekeeper mutator (Assign, ModifySet) that its
 * `mutationInfo.url` installs. No copy of those files is published, so each is inferred from its definition.
 */
export interface Mutator {
  /** The store path without its file, e.g. `mutate-run-as-non-root/v1`. */
  name: string;
  /** The URL Azure's definitions name in `mutationInfo.url`. */
  mutationUrl: string;
  /** The kinds it applies to: the mutator's `applyTo`. */
  kinds: { apiGroups: string[]; kinds: string[] }[];
  /** Undefined when the object already is as the mutator would leave it. */
  mutate(object: JsonObject): MutationResult | undefined;
}
