import { getPath, type JsonValue } from '../json';
import { culpritAt, regoEquals, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate, InventoryObject } from './types';

/** The workloads a PodDisruptionBudget is compared with: the kinds the definition syncs into the inventory. */
const BUDGETED_WORKLOADS = ['Deployment', 'StatefulSet'];

/** `minAvailable` as the disruption controller resolves it: a number, or a percentage of `replicas` rounded up. */
function resolveMinAvailable(value: JsonValue, replicas: number): number | undefined {
  if (typeof value === 'number') return value;
  const percentage = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return percentage ? Math.ceil((Number(percentage[1]) * replicas) / 100) : undefined;
}

/** A `maxUnavailable` that lets no Pod be evicted: 0 (or less), or "0%". */
function allowsNoEviction(maxUnavailable: JsonValue | undefined): boolean {
  if (typeof maxUnavailable === 'number') return maxUnavailable <= 0;
  return typeof maxUnavailable === 'string' && /^0+%$/.test(maxUnavailable);
}

/** The workloads in the budget's namespace whose `spec.selector.matchLabels` equal the budget's. */
function selectedWorkloads(inventory: readonly InventoryObject[], namespace: string, matchLabels: JsonValue | undefined): InventoryObject[] {
  if (matchLabels === undefined) return [];
  return inventory.filter((other) => {
    const otherMatchLabels = getPath(other.object, ['spec', 'selector', 'matchLabels']);
    return (
      other.kind.group === 'apps' &&
      BUDGETED_WORKLOADS.includes(other.kind.kind) &&
      other.namespace === namespace &&
      otherMatchLabels !== undefined &&
      regoEquals(otherMatchLabels, matchLabels)
    );
  });
}

/**
 * Flags a PodDisruptionBudget that allows no voluntary eviction: `maxUnavailable` of 0 (or "0%"), or a
 * `minAvailable` that is not below the replicas of a Deployment or StatefulSet it selects (same namespace, same
 * `matchLabels`, found among the other documents). No v2 template is published; this follows the v1 Rego
 * Azure ships in its Draft tool, with the changes listed in the README.
 */
export const k8sazurev2disallowedbadpoddisruptionbudgets: ConstraintTemplate = {
  name: 'k8sazurev2disallowedbadpoddisruptionbudgets',
  kind: 'K8sAzureV2DisallowedBadPodDisruptionBudgets',
  storeUrl: storeUrl('disallowed-bad-pod-disruption-budgets', 'v2'),
  usesInventory: true,
  check(review) {
    if (review.kind.kind !== 'PodDisruptionBudget') return [];
    const budget = review.object;
    const name = getPath(budget, ['metadata', 'name']);
    const violations = new ViolationSet();

    if (allowsNoEviction(getPath(budget, ['spec', 'maxUnavailable']))) {
      // %s in the Rego; the name is a string, which %v prints the same.
      const message = sprintf('PodDisruptionBudget <%v> has maxUnavailable of 0, only positive integers are allowed for maxUnavailable', [name]);
      if (message !== undefined) violations.add(message, culpritAt(['spec', 'maxUnavailable']));
    }

    const minAvailable = getPath(budget, ['spec', 'minAvailable']);
    if (minAvailable !== undefined && minAvailable !== null) {
      const matchLabels = getPath(budget, ['spec', 'selector', 'matchLabels']);
      for (const workload of selectedWorkloads(review.inventory ?? [], review.namespace, matchLabels)) {
        // The API server stores a workload without `replicas` with 1.
        const replicas = getPath(workload.object, ['spec', 'replicas']) ?? 1;
        if (typeof replicas !== 'number') continue;
        const required = resolveMinAvailable(minAvailable, replicas);
        if (required === undefined || replicas > required) continue;
        const message = sprintf('PodDisruptionBudget %v specifies minAvailable of %v, but matching %v %v has %v replicas. minAvailable should be less than %v', [
          name,
          minAvailable,
          workload.kind.kind,
          workload.name,
          replicas,
          replicas,
        ]);
        if (message !== undefined) violations.add(message, culpritAt(['spec', 'minAvailable']));
      }
    }
    return violations.toArray();
  },
};
