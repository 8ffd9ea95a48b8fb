import type { Path } from '../json';
import { admissionObjects, type AdmissionObject } from '../model/admission';
import { culpritSpan, locate, locateDeepest, nodeSpan } from '../model/locate';
import type { ParsedDocument } from '../model/parse';
import { findResources, type Resource } from '../model/resources';
import type { Culprit, FixOperation, FixProposal, InventoryObject, Review } from '../templates/types';
import { matchesConstraint, targetOf } from './match';
import { lineOf, lineStartsOf } from '../model/lines';
import { mutateAdmission, type AppliedMutation } from './mutate';
import { findSuppressions, type Suppression } from './suppress';
import type { ActiveConstraint, ResolvedPolicy } from './types';

/** A fix stated on paths of the document; turned into text edits only when the editor asks for it. */
export interface DocumentFix {
  title: string;
  preferred: boolean;
  operations: FixOperation[];
}

/** One place in a document that one constraint objects to. Offsets are relative to the document's text. */
export interface Finding {
  template: string;
  referenceId: string;
  displayName: string;
  docsUrl: string;
  effect: 'audit' | 'deny';
  /** The cluster's message with the template's prefix (Gatekeeper's by default), plus a note for workloads. */
  message: string;
  start: number;
  end: number;
  fixes: DocumentFix[];
  /** Where an `# aks-policy-ignore` comment for this finding would go: the start of the culprit's line. */
  lineStart: number;
  /** Set when a suppression comment silenced it but suppressions are not allowed. */
  suppressedBy?: Suppression;
}

/** Something to tell the user about a document that is not a policy verdict. */
export interface Notice {
  severity: 'hint' | 'information' | 'warning';
  message: string;
  start: number;
  end: number;
}

export interface DocumentVerdict {
  findings: Finding[];
  notices: Notice[];
  /** Set when a template read the other documents: the verdict holds only as long as this inventory does. */
  inventory?: Inventory;
}

/** One object of the documents applied together, with the document it comes from. */
interface InventoryEntry {
  document: ParsedDocument;
  resourcePath: Path;
  object: Omit<InventoryObject, 'appliedBefore'>;
}

/**
 * The objects of documents applied together (a file; for the CLI, every file it checks), in apply order.
 * Templates that read Gatekeeper's `data.inventory` see it minus the object under review. A new Inventory is
 * a new state of the other documents: verdicts that read the previous one are judged again.
 */
export interface Inventory {
  readonly entries: readonly InventoryEntry[];
}

/** Stands for "judged without the other documents", so that a verdict that read none is redone once there are some. */
export const NO_INVENTORY: Inventory = { entries: [] };

/** The inventory of `documents`, in the order they are applied; documents that do not parse add nothing. */
export function buildInventory(documents: readonly ParsedDocument[], defaultNamespace: string): Inventory {
  const entries: InventoryEntry[] = [];
  for (const document of documents) {
    if (document.status !== 'ok') continue;
    for (const resource of findResources(document.value)) {
      const [applied] = admissionObjects(resource, defaultNamespace);
      const { kind, name, namespace, object } = applied.review;
      entries.push({ document, resourcePath: resource.path, object: { kind, name, namespace, object } });
    }
  }
  return { entries };
}

/** What a review of `resource` in `document` sees of the inventory: everything else, marked by apply order. */
function inventoryFor(inventory: Inventory, document: ParsedDocument, resource: Resource): InventoryObject[] {
  const isReviewed = (entry: InventoryEntry) => entry.document === document && pathsEqual(entry.resourcePath, resource.path);
  const position = inventory.entries.findIndex(isReviewed);
  const others: InventoryObject[] = [];
  inventory.entries.forEach((entry, index) => {
    if (!isReviewed(entry)) others.push({ ...entry.object, appliedBefore: position >= 0 && index < position });
  });
  return others;
}

function pathsEqual(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

export interface EvaluationOptions {
  defaultNamespace: string;
  allowSuppressions: boolean;
}

const NOT_CHECKED = 'AKS Policy: this document is not checked until it parses';
const LOOKS_LIKE_KUBERNETES = /^[ \t-]*["']?kind["']?[ \t]*:/m;

/**
 * Judges one YAML document against the active policy. `inventory` holds the documents applied with it,
 * for templates that read the other objects; without it they see none.
 */
export function evaluateDocument(parsed: ParsedDocument, policy: ResolvedPolicy, options: EvaluationOptions, inventory: Inventory = NO_INVENTORY): DocumentVerdict {
  if (parsed.status === 'syntax-error') {
    // A broken compose file or workflow is none of our business; a broken manifest is.
    if (!LOOKS_LIKE_KUBERNETES.test(parsed.text)) return { findings: [], notices: [] };
    const at = parsed.reasonOffset ?? 0;
    return { findings: [], notices: [{ severity: 'hint', message: `${NOT_CHECKED} (${parsed.reason}).`, start: at, end: at }] };
  }
  if (parsed.status === 'too-complex') {
    return { findings: [], notices: [{ severity: 'information', message: `AKS Policy: this document is not checked: ${parsed.reason}.`, start: 0, end: 0 }] };
  }
  // `value`, not `doc`: a released syntax tree is parsed again only to place a finding.
  if (parsed.status !== 'ok' || parsed.value === undefined) return { findings: [], notices: [] };
  const resources = findResources(parsed.value);
  if (resources.length === 0) return { findings: [], notices: [] };

  const lineStarts = lineStartsOf(parsed.text);
  const suppressions = findSuppressions(parsed.text, lineStarts);
  const notices = suppressions.filter((s) => s.reason === '').map(missingReason);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let readInventory = false;
  const noticed = new Set<string>();
  for (const resource of resources) {
    for (const asWritten of admissionObjects(resource, options.defaultNamespace)) {
      // Gatekeeper mutates before it validates: the constraints judge the object as the mutators leave it.
      const { admission, applied } = mutateAdmission(asWritten, policy.mutations ?? []);
      for (const mutation of applied) {
        const notice = mutationNotice(parsed, asWritten, mutation);
        const key = `${notice.start}\u0000${notice.message}`;
        if (noticed.has(key)) continue;
        noticed.add(key);
        notices.push(notice);
      }
      let reviewWithInventory: Review | undefined;
      // Gatekeeper's own objects (ConstraintTemplates, constraints, mutators, gator suites) are the policy, not what it judges.
      const target = GATEKEEPER_API_GROUP.test(admission.review.kind.group) ? undefined : targetOf(admission.review);
      for (const constraint of policy.constraints) {
        if (constraint.effect === 'disabled' || !target || !matchesConstraint(constraint.match, target)) continue;
        let review = admission.review;
        if (constraint.template.usesInventory) {
          reviewWithInventory ??= { ...review, inventory: inventoryFor(inventory, parsed, resource) };
          review = reviewWithInventory;
          readInventory = true;
        }
        for (const violation of constraint.template.check(review, constraint.parameters)) {
          const culprits: (Culprit | undefined)[] = violation.culprits.length > 0 ? violation.culprits : [undefined];
          for (const culprit of culprits) {
            const finding = buildFinding(parsed, admission, constraint, violation.message, culprit, lineStarts);
            const key = `${finding.template}\u0000${finding.start}\u0000${finding.end}\u0000${finding.message}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const suppression = suppressionFor(finding, parsed, admission, culprit, suppressions, lineStarts);
            if (suppression && options.allowSuppressions) continue;
            if (suppression) finding.suppressedBy = suppression;
            findings.push(finding);
          }
        }
      }
    }
  }
  if (!options.allowSuppressions) {
    notices.push(
      ...suppressions
        .filter((s) => s.reason !== '')
        .map((s): Notice => ({ severity: 'information', message: `AKS Policy: suppressions are turned off (aksPolicy.allowSuppressions), so "${s.template}" is still reported here.`, start: s.start, end: s.end })),
    );
  }
  return readInventory ? { findings, notices, inventory } : { findings, notices };
}

const GATEKEEPER_API_GROUP = /(?:^|\.)gatekeeper\.sh$/;

function buildFinding(
  parsed: ParsedDocument,
  admission: AdmissionObject,
  constraint: ActiveConstraint,
  message: string,
  culprit: Culprit | undefined,
  lineStarts: readonly number[],
): Finding {
  const [start, end] = culpritLocation(parsed, admission, culprit);
  const effect = constraint.effect === 'deny' ? 'deny' : 'audit';
  return {
    template: constraint.template.name,
    referenceId: constraint.referenceId,
    displayName: constraint.displayName,
    docsUrl: constraint.docsUrl,
    effect,
    message: `${constraint.template.messagePrefix ?? `[azurepolicy-${constraint.template.name}] `}${message}${workloadNote(admission, constraint, effect)}`,
    start,
    end,
    fixes: culprit ? sourceFixes(admission, culprit.fixes ?? []) : [],
    lineStart: lineStarts[lineOf(lineStarts, start)],
  };
}

/** Gatekeeper reviews only the Pods a workload creates: the workload itself is accepted. */
function workloadNote(admission: AdmissionObject, constraint: ActiveConstraint, effect: 'audit' | 'deny'): string {
  if (!admission.workloadKind) return '';
  const kind = admission.workloadKind;
  if (constraint.source !== 'Original') {
    return effect === 'deny' ? ` (the ${kind} itself is denied at apply)` : ` (the ${kind} itself is reported by audit)`;
  }
  return effect === 'deny'
    ? ` (the ${kind} is accepted, but the Pods it creates will be rejected)`
    : ` (the ${kind} is accepted; the Pods it creates will be reported by audit)`;
}

/** What a mutation in force will change, shown where it changes it: information, not a violation. */
function mutationNotice(parsed: ParsedDocument, admission: AdmissionObject, { mutation, change }: AppliedMutation): Notice {
  const [start, end] = culpritLocation(parsed, admission, change);
  const where = admission.workloadKind ? `here, in the Pods this ${admission.workloadKind} creates` : 'here';
  return { severity: 'information', message: `AKS Policy: the cluster will ${change.action} ${where} (${mutation.definitionName})`, start, end };
}

function culpritLocation(parsed: ParsedDocument, admission: AdmissionObject, culprit: Culprit | undefined): [number, number] {
  const doc = parsed.doc!;
  for (const path of [culprit?.path, culprit?.fallback]) {
    const sourcePath = path && admission.toSourcePath(path);
    const located = sourcePath && locate(doc, sourcePath);
    if (located) return culpritSpan(located);
  }
  const sourcePath = culprit && admission.toSourcePath(culprit.path);
  if (sourcePath) {
    const { located, depth } = locateDeepest(doc, sourcePath);
    if (depth > admission.resource.path.length && located.pair) return located.alias ? nodeSpan(located.alias) : nodeSpan(located.pair.key);
  }
  return kindSpan(parsed, admission.resource);
}

function kindSpan(parsed: ParsedDocument, resource: Resource): [number, number] {
  const located = locate(parsed.doc!, [...resource.path, 'kind']);
  return located ? culpritSpan(located) : [0, 0];
}

function sourceFixes(admission: AdmissionObject, proposals: readonly FixProposal[]): DocumentFix[] {
  const fixes: DocumentFix[] = [];
  for (const proposal of proposals) {
    const operations: FixOperation[] = [];
    for (const operation of proposal.operations) {
      const path = admission.toSourcePath(operation.path);
      if (!path) break;
      operations.push({ ...operation, path });
    }
    if (operations.length === proposal.operations.length) fixes.push({ title: proposal.title, preferred: proposal.preferred, operations });
  }
  return fixes;
}

/** A suppression above the culprit's line, above any key on its path, or above the resource. */
function suppressionFor(
  finding: Finding,
  parsed: ParsedDocument,
  admission: AdmissionObject,
  culprit: Culprit | undefined,
  suppressions: readonly Suppression[],
  lineStarts: readonly number[],
): Suppression | undefined {
  const candidates = suppressions.filter((s) => s.template === finding.template && s.reason !== '');
  if (candidates.length === 0) return undefined;
  const lines = new Set<number>([lineOf(lineStarts, finding.start)]);
  const paths: Path[] = [admission.resource.path, ...(culprit ? [culprit.path] : [])];
  for (const path of paths) {
    const sourcePath = path === admission.resource.path ? path : admission.toSourcePath(path);
    if (!sourcePath) continue;
    const { located } = locateDeepest(parsed.doc!, sourcePath);
    for (const offset of located.ancestors) lines.add(lineOf(lineStarts, offset));
  }
  const resourceStart = resourceFirstLine(parsed, admission.resource, lineStarts);
  if (resourceStart !== undefined) lines.add(resourceStart);
  return candidates.find((s) => lines.has(s.targetLine));
}

function resourceFirstLine(parsed: ParsedDocument, resource: Resource, lineStarts: readonly number[]): number | undefined {
  const located = resource.path.length === 0 ? { node: parsed.doc!.contents } : locate(parsed.doc!, resource.path);
  const range = located?.node?.range;
  return range ? lineOf(lineStarts, range[0]) : undefined;
}

function missingReason(suppression: Suppression): Notice {
  return {
    severity: 'warning',
    message: `AKS Policy: "aks-policy-ignore ${suppression.template || '<template>'}" needs a reason: "# aks-policy-ignore <template> -- <why this is acceptable>". Until then it silences nothing.`,
    start: suppression.start,
    end: suppression.end,
  };
}
