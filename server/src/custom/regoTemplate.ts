import { isObject, type JsonObject, type JsonValue, type Path } from '../json';
import { reviewWithConstraint, type Violation } from '../gatekeeper/evaluate';
import { reviewOfAdmissionReview } from '../gatekeeper/review';
import type { CompiledTemplate } from '../gatekeeper/template';
import { RegoError } from '../rego/errors';
import type { ConstraintTemplate, Culprit, Review, TemplateViolation } from '../templates/types';

/** The container lists of a Pod, where a violation's `details` may name a container. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
/** `details` fields that Gatekeeper templates use to name the offending container. */
const CONTAINER_DETAIL_FIELDS = ['container', 'containerName', 'container_name', 'name'] as const;

/**
 * A compiled Rego ConstraintTemplate as the engine's ConstraintTemplate: each check runs the template's
 * `violation` rule with Gatekeeper's input, under the evaluator's step budget.
 */
export function regoConstraintTemplate(compiled: CompiledTemplate, storeUrl: string, regoSources: readonly string[]): ConstraintTemplate {
  const usesInventory = regoSources.some((source) => source.includes('data.inventory'));
  const constraint = { kind: compiled.kind, name: compiled.name, match: undefined };
  return {
    name: compiled.name,
    kind: compiled.kind,
    storeUrl,
    ...(usesInventory ? { usesInventory } : {}),
    check(review: Review, parameters: JsonObject): TemplateViolation[] {
      const input = reviewOfAdmissionReview({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { kind: { ...review.kind }, name: review.name, namespace: review.namespace, operation: review.operation, object: review.object },
      });
      const inventory = (review.inventory ?? []).map((entry) => entry.object);
      try {
        // The engine has matched already; an absent `match` matches everything.
        const verdict = reviewWithConstraint(compiled, { ...constraint, parameters }, input, inventory);
        return verdict.matched ? verdict.violations.map((violation) => ({ message: violation.msg, culprits: culpritsOf(violation, review.object) })) : [];
      } catch (error) {
        // A conflict or an exhausted step budget has no verdict: say so on the resource rather than stop the check.
        if (error instanceof RegoError) return [{ message: `the template could not be evaluated: ${error.message}`, culprits: [] }];
        throw error;
      }
    },
  };
}

/** The container that `details` names, else none (the finding goes on the resource's kind). */
function culpritsOf(violation: Violation, pod: JsonObject): Culprit[] {
  const details: JsonValue = violation.details;
  if (!isObject(details)) return [];
  const named = CONTAINER_DETAIL_FIELDS.map((field) => details[field]).find((value): value is string => typeof value === 'string');
  if (named === undefined) return [];
  const spec = isObject(pod.spec) ? pod.spec : {};
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    const index = containers.findIndex((container) => isObject(container) && container.name === named);
    if (index >= 0) {
      const path: Path = ['spec', list, index];
      return [{ path, fallback: [...path, 'name'] }];
    }
  }
  return [];
}
