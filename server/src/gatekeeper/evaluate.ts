import { isObject, type JsonObject, type JsonValue, type Path } from '../json';
import { evaluateRule } from '../rego/evaluator';
import { formatValue } from '../rego/format';
import { RegoObject, RegoSet, canonical, fromJson, toJson, type Value } from '../rego/value';
import { inventoryOf } from './inventory';
import { constraintMatches, namespaceObjectOf } from './match';
import { metadataString, type AdmissionReviewInput } from './review';
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
  /** With `trackReads`: the paths of `input.review.object` read while deriving it, oldest first. */
  reads?: readonly Path[];
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
  /** Record which paths of the reviewed object each violation's derivation read (see Violation.reads). */
  trackReads?: boolean;
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
  if (!constraintMatches(constraint.match, review.matchObjects, namespaceObjectOf(review.namespace, inventory))) return { matched: false };
  const input = fromJson({ review: review.review, parameters: constraint.parameters });
  const data = new RegoObject([['inventory', fromJson(inventoryOf(inventory))]]);
  const trackReadsOf = options.trackReads ? reviewedObject(input) : undefined;
  const { value, steps, readsOf } = evaluateRule(template.program, template.violationPath, { input, data, stepBudget: options.stepBudget, trackReadsOf });
  return { matched: true, violations: violationsOf(value, readsOf), steps };
}

/**
 * The violations as Gatekeeper reports them: each result's `msg` and `details` (an empty object when absent);
 * a result without `msg` is dropped, and results that agree on both are one violation.
 */
function violationsOf(value: Value | undefined, readsOf: ((member: Value) => readonly Path[]) | undefined): Violation[] {
  if (!(value instanceof RegoSet)) return [];
  const unique = new Map<string, Violation>();
  for (const result of value.values()) {
    if (!(result instanceof RegoObject)) continue;
    const msg = result.get('msg');
    if (msg === undefined) continue;
    const details = result.get('details') ?? new RegoObject();
    const key = canonical([msg, details]);
    if (unique.has(key)) continue;
    const violation: Violation = { msg: typeof msg === 'string' ? msg : formatValue(msg), details: toJson(details) };
    if (readsOf) violation.reads = readsOf(result);
    unique.set(key, violation);
  }
  return [...unique.values()];
}

/** `input.review.object`: the document whose reads are tracked. */
function reviewedObject(input: Value): Value | undefined {
  const review = input instanceof RegoObject ? input.get('review') : undefined;
  return review instanceof RegoObject ? review.get('object') : undefined;
}
