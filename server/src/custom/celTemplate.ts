import type { CompiledCelTemplate } from '../cel/template';
import { reviewWithTemplate } from '../gatekeeper/engines';
import { admissionInputOf } from '../gatekeeper/review';
import { isObject, type JsonObject, type Path } from '../json';
import type { ConstraintTemplate, Culprit, Review, TemplateViolation } from '../templates/types';
import { violationCulprits } from './regoTemplate';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/**
 * A compiled CEL (K8sNativeValidation) ConstraintTemplate as the engine's ConstraintTemplate: each check runs the
 * template's validations with what Gatekeeper's CEL driver binds (`object`, `request`, `params`, `variables`).
 * The driver supports no referential data, so the template never asks for the inventory.
 */
export function celConstraintTemplate(compiled: CompiledCelTemplate, storeUrl: string): ConstraintTemplate {
  const constraint = { kind: compiled.kind, name: compiled.name, match: undefined };
  return {
    name: compiled.name,
    kind: compiled.kind,
    storeUrl,
    check(review: Review, parameters: JsonObject): TemplateViolation[] {
      const input = admissionInputOf(review);
      // The engine has matched already; an absent `match` matches everything. Evaluation errors come back as messages.
      const verdict = reviewWithTemplate(compiled, { ...constraint, parameters }, input, [], { trackReads: true });
      if (!verdict.matched) return [];
      return verdict.violations.map((violation) => ({ message: violation.msg, culprits: celViolationCulprits(violation.msg, violation.reads ?? [], review.object) }));
    },
  };
}

/**
 * Where a CEL violation points, from the paths of `object` its validation read, chosen as for Rego. A CEL violation
 * has no `details`, so the containers its message names (as a whole word) stand for them: one culprit in each.
 */
function celViolationCulprits(message: string, reads: readonly Path[], object: JsonObject): Culprit[] {
  const spec = isObject(object.spec) ? object.spec : {};
  const names = CONTAINER_LISTS.flatMap((list) => (Array.isArray(spec[list]) ? spec[list] : []))
    .map((container) => (isObject(container) && typeof container.name === 'string' ? container.name : ''))
    .filter((name) => name !== '' && namesWord(message, name));
  if (names.length === 0) return violationCulprits({}, reads, object);
  return [...new Set(names)].flatMap((name) => violationCulprits({ container: name }, reads, object));
}

/** `word` occurs in `text` not as part of a longer name (letters, digits, `-`, `_`). */
function namesWord(text: string, word: string): boolean {
  const isNameCharacter = (character: string | undefined) => character !== undefined && /[\w-]/.test(character);
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!isNameCharacter(text[at - 1]) && !isNameCharacter(text[at + word.length])) return true;
  }
  return false;
}
