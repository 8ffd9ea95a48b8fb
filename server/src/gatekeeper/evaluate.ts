import { isObject, type JsonObject, type JsonValue } from '../json';
import { evaluateRule } from '../rego/evaluator';
import { formatValue } from '../rego/format';
import { RegoObject, RegoSet, canonical, fromJson, toJson, type Value } from '../rego/value';
import { inventoryOf } from './inventory';
import { constraintMatches } from './match';
import { groupVersionKindOf, metadataString, type AdmissionReviewInput } from './review';
import type { CompiledTemplate } from './template';

/** A constraint: an instance of a template's kind, with its parameters and its `spec.match`. */
export interface Constraint {
  kind: string;
  name: string;
  parameters: JsonObject;
  match: JsonValue | undefined;
}

export interface Violation {
  msg: string;
  details: JsonValue;
}

export type ConstraintVerdict = { matched: false } | { matched: true; violations: Violation[]; steps: number };

export function readConstraint(object: JsonObject): Constraint {
  const spec = isObject(object.spec) ? object.spec : {};
  return {
    kind: typeof object.kind === 'string' ? object.kind : '',
    name: metadataString(object, 'name'),
    // Gatekeeper defaults missing parameters to an empty object, so that templates need not.
    parameters: isObject(spec.parameters) ? spec.parameters : {},
    match: spec.match,
  };
}

export interface ReviewOptions {
  stepBudget?: number;
}

/**
 * Reviews one object (or admission request) against one constraint, as Gatekeeper's admission webhook and gator
 * do: match first, then the template's `violation` rule with `input = {review, parameters}` and
 * `data.inventory`. A RegoError (conflict, recursion, exhausted budget) or a MatchError is thrown, not judged.
 */
export function reviewWithConstraint(
  template: CompiledTemplate,
  constraint: Constraint,
  review: AdmissionReviewInput,
  inventory: readonly JsonObject[],
  options: ReviewOptions = {},
): ConstraintVerdict {
  const namespaceObject = inventory.find((object) => {
    const { group, kind } = groupVersionKindOf(object);
    return group === '' && kind === 'Namespace' && review.namespace !== '' && metadataString(object, 'name') === review.namespace;
  });
  if (!constraintMatches(constraint.match, review.matchObjects, namespaceObject)) return { matched: false };
  const input = fromJson({ review: review.review, parameters: constraint.parameters });
  const data = new RegoObject([['inventory', fromJson(inventoryOf(inventory))]]);
  const { value, steps } = evaluateRule(template.program, template.violationPath, { input, data, stepBudget: options.stepBudget });
  return { matched: true, violations: violationsOf(value), steps };
}

/**
 * The violations as Gatekeeper reports them: each result's `msg` and `details` (an empty object when absent);
 * a result without `msg` is dropped, and results that agree on both are one violation.
 */
function violationsOf(value: Value | undefined): Violation[] {
  if (!(value instanceof RegoSet)) return [];
  const unique = new Map<string, Violation>();
  for (const result of value.values()) {
    if (!(result instanceof RegoObject)) continue;
    const msg = result.get('msg');
    if (msg === undefined) continue;
    const details = result.get('details') ?? new RegoObject();
    unique.set(canonical([msg, details]), { msg: typeof msg === 'string' ? msg : formatValue(msg), details: toJson(details) });
  }
  return [...unique.values()];
}
