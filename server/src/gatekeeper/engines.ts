import { CelCompileError } from '../cel/compile';
import { compileCelTemplate, type CompiledCelTemplate } from '../cel/template';
import { evaluateCelTemplate } from '../cel/evaluate';
import type { JsonObject } from '../json';
import { reviewWithConstraint, type Constraint, type ConstraintVerdict, type ReviewOptions } from './evaluate';
import { constraintMatches, namespaceObjectOf } from './match';
import type { AdmissionReviewInput } from './review';
import { compileConstraintTemplate, TemplateError, type CompiledTemplate, type ConstraintTemplateSource } from './template';

/**
 * Which code of a ConstraintTemplate runs. `auto` does what Gatekeeper does: its constraint framework client
 * prefers the driver registered first, and Gatekeeper (and gator) register the K8sNativeValidation (CEL) driver
 * before Rego while `--enable-k8s-native-validation` is on, its default since v3.17; so CEL when the template has
 * it, else Rego. `rego` and `cel` run only that engine's code.
 */
export type TemplateEngine = 'auto' | 'rego' | 'cel';
export const TEMPLATE_ENGINES: readonly TemplateEngine[] = ['auto', 'rego', 'cel'];

export type GatekeeperTemplate = CompiledTemplate | CompiledCelTemplate;

export function isCelTemplate(template: GatekeeperTemplate): template is CompiledCelTemplate {
  return 'engine' in template;
}

/** The engine that runs `source` under `preference`, or why none does. */
export function engineFor(source: ConstraintTemplateSource, preference: TemplateEngine): { engine: 'rego' | 'cel' } | { missing: string } {
  if (preference !== 'rego' && source.cel) return { engine: 'cel' };
  if (preference !== 'cel' && source.rego) return { engine: 'rego' };
  const wanted = preference === 'auto' ? 'Rego or CEL (K8sNativeValidation)' : preference === 'rego' ? 'Rego' : 'CEL (K8sNativeValidation)';
  return { missing: `ConstraintTemplate ${source.name} has no ${wanted} code` };
}

/** Compiles the code `preference` selects; a TemplateError when there is none or its CEL does not compile (a RegoError for its Rego). */
export function compileGatekeeperTemplate(source: ConstraintTemplateSource, file: string, preference: TemplateEngine): GatekeeperTemplate {
  const selected = engineFor(source, preference);
  if ('missing' in selected) throw new TemplateError(selected.missing);
  if (selected.engine === 'rego' || !source.cel) return compileConstraintTemplate(source, file);
  try {
    return compileCelTemplate(source.name, source.kind, source.cel);
  } catch (error) {
    if (error instanceof CelCompileError) throw new TemplateError(error.message);
    throw error;
  }
}

/** Reviews with either engine: the constraint's `spec.match` first, as Gatekeeper's framework does for both. */
export function reviewWithTemplate(
  template: GatekeeperTemplate,
  constraint: Constraint,
  review: AdmissionReviewInput,
  inventory: readonly JsonObject[],
  options: ReviewOptions = {},
): ConstraintVerdict {
  if (!isCelTemplate(template)) return reviewWithConstraint(template, constraint, review, inventory, options);
  const namespaceObject = namespaceObjectOf(review.namespace, inventory);
  if (!constraintMatches(constraint.match, review.matchObjects, namespaceObject)) return { matched: false };
  const constraintObject: JsonObject = {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: constraint.kind,
    metadata: { name: constraint.name },
    spec: { ...(constraint.match === undefined ? {} : { match: constraint.match }), parameters: constraint.parameters },
  };
  const verdict = evaluateCelTemplate(template, { request: review.review, constraint: constraintObject, namespaceObject }, options.stepBudget, options.trackReads);
  // CEL violations carry only a message: Gatekeeper's results from this driver have no details.
  const violations = verdict.messages.map((msg, index) => ({ msg, details: {}, ...(verdict.reads ? { reads: verdict.reads[index] } : {}) }));
  return { matched: true, violations, steps: verdict.steps };
}
