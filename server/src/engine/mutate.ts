import type { Path } from '../json';
import type { AdmissionObject } from '../model/admission';
import type { MutationChange } from '../mutations/types';
import { matchesConstraint, targetOf } from './match';
import type { ActiveMutation } from './types';

/** A change the cluster's mutators make to an admitted object, on paths of the object as the manifest writes it. */
export interface AppliedMutation {
  mutation: ActiveMutation;
  change: MutationChange;
}

/**
 * The object as Gatekeeper's mutating webhook leaves it, which is what its validating webhook then reviews:
 * every mutation in force whose kinds and namespaces match, in the initiative's order. Azure's mutators are
 * idempotent and write different fields, so one pass is what Gatekeeper's repeated passes settle on.
 * The mutated view maps its paths back to the manifest, so findings on it still point at the source.
 */
export function mutateAdmission(admission: AdmissionObject, mutations: readonly ActiveMutation[]): { admission: AdmissionObject; applied: AppliedMutation[] } {
  const applied: AppliedMutation[] = [];
  let object = admission.review.object;
  // From the current object's paths to the original's; mutators that remove list items move later items up.
  let toOriginal = (path: Path): Path => path;
  for (const mutation of mutations) {
    if (mutation.effect !== 'mutate' || !matchesConstraint(mutation.match, targetOf({ ...admission.review, object }))) continue;
    const result = mutation.mutator.mutate(object);
    if (!result) continue;
    const previous = toOriginal;
    for (const change of result.changes) {
      const original: MutationChange = { ...change, path: previous(change.path) };
      if (change.fallback) original.fallback = previous(change.fallback);
      applied.push({ mutation, change: original });
    }
    const { inputPathOf } = result;
    if (inputPathOf) toOriginal = (path) => previous(inputPathOf(path));
    object = result.object;
  }
  if (applied.length === 0) return { admission, applied };
  const mutated: AdmissionObject = {
    ...admission,
    review: { ...admission.review, object },
    toSourcePath: (path) => admission.toSourcePath(toOriginal(path)),
  };
  return { admission: mutated, applied };
}
