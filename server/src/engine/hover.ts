import { isObject } from '../json';
import { admissionObjects, type AdmissionObject } from '../model/admission';
import type { AnalyzedDocument } from '../model/cache';
import { culpritSpan, locate } from '../model/locate';
import { findResources, type Resource } from '../model/resources';
import type { EvaluationOptions, Finding } from './evaluate';
import { matchesKind, outOfScopeReason, targetOf } from './match';
import type { ActiveConstraint, ResolvedPolicy } from './types';

/**
 * Markdown explaining what the active policy does at `offset`: shown over a flagged field or a resource's
 * `kind`. Which definitions apply with which effect, why the resource is in scope or not, and what the
 * cluster will do. Undefined elsewhere, so ordinary hovers stay quiet.
 */
export function explainAt(documents: readonly AnalyzedDocument[], offset: number, policy: ResolvedPolicy, options: EvaluationOptions): string | undefined {
  const document = [...documents].reverse().find((candidate) => candidate.start <= offset);
  if (!document?.parsed.doc || document.parsed.status !== 'ok') return undefined;
  const local = offset - document.start;
  const findings = document.verdict.findings.filter((finding) => finding.start <= local && local <= finding.end);
  const resource = resourceAt(document, local, findings.length > 0);
  if (!resource) return undefined;

  const lines = [`**AKS Policy**: ${policy.initiative.displayName} v${policy.initiative.version}, effect ${policy.effect}`, ''];
  for (const finding of findings) lines.push(`- ${finding.effect === 'deny' ? '⛔' : '⚠️'} \`${finding.template}\`: ${finding.message}`);
  if (findings.length > 0) lines.push('');
  const namespace = resource.namespace ? `namespace \`${resource.namespace}\`` : `namespace \`${options.defaultNamespace}\` (aksPolicy.defaultNamespace: the manifest sets none)`;
  lines.push(`\`${resource.kind}\` \`${resource.name || '(no name)'}\` in ${namespace}:`, '', '| policy | effect | in scope? | the cluster |', '| :-- | :-- | :-- | :-- |');
  const views = admissionObjects(resource, options.defaultNamespace);
  const resourceFindings = document.verdict.findings.filter((finding) => belongsTo(document, resource, finding));
  for (const constraint of policy.constraints) lines.push(row(constraint, views, resourceFindings));
  return lines.join('\n');
}

/** The resource under the cursor: its `kind` line, or any place when a finding is there. */
function resourceAt(document: AnalyzedDocument, offset: number, onFinding: boolean): Resource | undefined {
  const doc = document.parsed.doc!;
  for (const resource of findResources(document.parsed.value)) {
    const kind = locate(doc, [...resource.path, 'kind']);
    if (kind) {
      const [start, end] = culpritSpan(kind);
      if (start <= offset && offset <= end) return resource;
    }
    const range = resourceRange(document, resource);
    if (onFinding && range && range[0] <= offset && offset <= range[1]) return resource;
  }
  return undefined;
}

function belongsTo(document: AnalyzedDocument, resource: Resource, finding: Finding): boolean {
  const range = resourceRange(document, resource);
  return range !== undefined && range[0] <= finding.start && finding.end <= range[1];
}

/** Where a resource's YAML starts and ends in its document. */
function resourceRange(document: AnalyzedDocument, resource: Resource): [number, number] | undefined {
  const doc = document.parsed.doc!;
  const range = resource.path.length === 0 ? doc.contents?.range : locate(doc, resource.path)?.node?.range;
  return range ? [range[0], range[2]] : undefined;
}

function row(constraint: ActiveConstraint, views: readonly AdmissionObject[], findings: readonly Finding[]): string {
  const name = `${constraint.referenceId} (\`${constraint.template.name}\`)`;
  if (constraint.effect === 'disabled') return `| ${name} | disabled | — | nothing |`;
  const reasons: string[] = [];
  // The view of the constraint's own kind explains best (a Pod rule and a Deployment: its Pods).
  const ordered = [...views].sort((a, b) => Number(matchesKind(constraint.match, targetOf(b.review))) - Number(matchesKind(constraint.match, targetOf(a.review))));
  for (const view of ordered) {
    const reason = outOfScopeReason(constraint.match, targetOf(view.review));
    if (reason) {
      reasons.push(reason);
      continue;
    }
    const violated = findings.some((finding) => finding.template === constraint.template.name && finding.referenceId === constraint.referenceId);
    const what = view.workloadKind ? `the Pods this ${view.workloadKind} creates` : `the ${view.review.kind.kind} as applied`;
    const windows = view.review.kind.kind === 'Pod' && isWindowsPod(view) ? ' (pinned to Windows: Linux pod security templates skip it)' : '';
    return `| ${name} | ${constraint.effect} | yes: ${what}${windows} | ${violated ? consequence(constraint, view) : 'allows it'} |`;
  }
  return `| ${name} | ${constraint.effect} | no: ${reasons[0] ?? 'no object to review'} | nothing |`;
}

/** What the cluster does about a violation, given where the constraint sees it. */
function consequence(constraint: ActiveConstraint, view: AdmissionObject): string {
  const deny = constraint.effect === 'deny';
  if (!view.workloadKind) return deny ? '`kubectl apply` is **rejected**' : 'accepted, **reported** by audit';
  if (constraint.source !== 'Original') return deny ? `the ${view.workloadKind} itself is **rejected** at apply` : `the ${view.workloadKind} is **reported** by audit`;
  return deny ? `the ${view.workloadKind} is accepted, its Pods are **rejected** when created` : `its Pods are **reported** by audit`;
}

function isWindowsPod(view: AdmissionObject): boolean {
  const spec = view.review.object.spec;
  return isObject(spec) && isObject(spec.nodeSelector) && spec.nodeSelector['kubernetes.io/os'] === 'windows';
}
