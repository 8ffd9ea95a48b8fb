import { isObject, type JsonObject, type JsonValue, type Path } from '../json';
import { reviewWithConstraint } from '../gatekeeper/evaluate';
import { admissionInputOf } from '../gatekeeper/review';
import type { CompiledTemplate } from '../gatekeeper/template';
import { RegoError } from '../rego/errors';
import type { ConstraintTemplate, Culprit, Review, TemplateViolation } from '../templates/types';

/** The container lists of a Pod, where a violation's `details` may name a container. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
/** `details` fields that Gatekeeper templates use to name the offending container. */
const CONTAINER_DETAIL_FIELDS = ['container', 'containerName', 'container_name', 'name'] as const;
/** Fields that templates read to name the resource or a container in a message rather than to judge them. */
const NAMING_READS = new Set([['kind'], ['apiVersion'], ['metadata', 'name'], ['metadata', 'namespace'], ...CONTAINER_LISTS.map((list) => ['spec', list, '*', 'name'])].map(pathKey));

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
      const input = admissionInputOf(review);
      const inventory = (review.inventory ?? []).map((entry) => entry.object);
      try {
        // The engine has matched already; an absent `match` matches everything.
        const verdict = reviewWithConstraint(compiled, { ...constraint, parameters }, input, inventory, { trackReads: true });
        if (!verdict.matched) return [];
        return verdict.violations.map((violation) => ({ message: violation.msg, culprits: violationCulprits(violation.details, violation.reads ?? [], review.object) }));
      } catch (error) {
        // A conflict or an exhausted step budget has no verdict: say so on the resource rather than stop the check.
        if (error instanceof RegoError) return [{ message: `the template could not be evaluated: ${error.message}`, culprits: [] }];
        throw error;
      }
    },
  };
}

/**
 * Where a violation points, from the paths of `object` its derivation read (in order) and the container and
 * fields its `details` name: the most specific reads (a read that leads to a deeper one says less), narrowed to
 * the named container and to reads ending in a field `details` names, preferring fields that are judged over
 * fields read to name things in the message (the resource's and a container's name). Of those, the last one read: a rule selects its subject,
 * sets exemptions aside, then tests what violates. When its siblings were read too (iterating a map, as a
 * required-labels rule does), their parent. A path missing from `object` (the absent label) falls back to its
 * nearest existing ancestor. No culprit (the resource's `kind`) when nothing was read. Paths are of `object`,
 * the reviewed (admission) object; for a CEL or other engine as much as for Rego.
 */
export function violationCulprits(details: JsonValue, reads: readonly Path[], object: JsonObject): Culprit[] {
  const container = namedContainer(details, object);
  const candidates = container ? reads.filter((read) => isStrictPrefix(container, read)) : reads;
  const leaves = mostSpecific(candidates);
  const words = detailWords(details);
  const named = leaves.filter((read) => words.has(String(read[read.length - 1])));
  const focused = named.length > 0 ? named : leaves;
  const judged = focused.filter((read) => !isNamingRead(read));
  const target = lastRead(judged.length > 0 ? judged : focused);
  if (container && (target === undefined || target.length === container.length)) return [{ path: container, fallback: [...container, 'name'] }];
  if (target === undefined || target.length === 0) return [];
  const existing = existingAncestor(object, target);
  return existing.length < target.length && existing.length > 0 ? [{ path: target, fallback: existing }] : [{ path: target }];
}

/** The container that `details` names, as its path in the Pod. */
function namedContainer(details: JsonValue, pod: JsonObject): Path | undefined {
  if (!isObject(details)) return undefined;
  const named = CONTAINER_DETAIL_FIELDS.map((field) => details[field]).find((value): value is string => typeof value === 'string');
  if (named === undefined) return undefined;
  const spec = isObject(pod.spec) ? pod.spec : {};
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    const index = containers.findIndex((container) => isObject(container) && container.name === named);
    if (index >= 0) return ['spec', list, index];
  }
  return undefined;
}

/**
 * The reads that no other read goes deeper than, once each, in the order last read (a field read for an
 * exemption early and tested again later counts as tested).
 */
function mostSpecific(reads: readonly Path[]): Path[] {
  const lastOfEach = new Map<string, Path>();
  for (const read of reads) {
    const key = JSON.stringify(read);
    lastOfEach.delete(key);
    lastOfEach.set(key, read);
  }
  const unique = [...lastOfEach.values()];
  return unique.filter((read) => !unique.some((other) => isStrictPrefix(read, other)));
}

/** Every string in `details`, keys included: the labels, fields and values a template names. */
function detailWords(details: JsonValue): Set<string> {
  const words = new Set<string>();
  const visit = (value: JsonValue): void => {
    if (typeof value === 'string') words.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        words.add(key);
        visit(item);
      }
    }
  };
  visit(details);
  return words;
}

function isNamingRead(read: Path): boolean {
  return NAMING_READS.has(pathKey(read.map((segment) => (typeof segment === 'number' ? '*' : segment))));
}

function pathKey(path: Path): string {
  return path.join('\u0000');
}

/** The last read, or its parent when a sibling of it was read too; undefined for none. */
function lastRead(reads: readonly Path[]): Path | undefined {
  const last = reads[reads.length - 1];
  if (last === undefined) return undefined;
  const parent = last.slice(0, -1);
  const siblings = reads.filter((read) => read.length === last.length && isPrefix(parent, read));
  return siblings.length > 1 ? parent : last;
}

/** The longest prefix of `path` that exists in `root`. */
function existingAncestor(root: JsonValue, path: Path): Path {
  let node: JsonValue | undefined = root;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = isObject(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (node === undefined) return path.slice(0, depth);
  }
  return path;
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

function isStrictPrefix(prefix: Path, path: Path): boolean {
  return prefix.length < path.length && isPrefix(prefix, path);
}
