import { getPath, isObject } from '../json';
import { culpritAt, elementsOf, RegoSet, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags labels whose key is one of the reserved `labels` (exact keys: `kubernetes.azure.com` does not reserve
 * `kubernetes.azure.com/mode`). The Rego lets `allowedUsers` and `allowedGroups` through; a manifest is judged as
 * applied by a user who is neither, and a workload's Pods as created by its controller, which is neither either.
 */
export const k8sazurev1restrictedlabels: ConstraintTemplate = {
  name: 'k8sazurev1restrictedlabels',
  kind: 'K8sAzureV1RestrictedLabels',
  storeUrl: storeUrl('restricted-labels', 'v1'),
  check(review, parameters) {
    const labels = getPath(review.object, ['metadata', 'labels']);
    if (!isObject(labels)) return [];
    const reserved = new RegoSet(elementsOf(getPath(parameters, ['labels'])));
    // The Rego prints the whole reserved set with %s, which OPA renders as %v does.
    const message = sprintf('Label <%v> is reserved for AKS use only', [reserved]);
    if (message === undefined) return [];
    const violations = new ViolationSet();
    for (const key of Object.keys(labels)) {
      // The Rego joins the keys with "," and splits them again, so a key is read as its comma-separated parts.
      if (key.split(',').some((part) => reserved.has(part))) violations.add(message, culpritAt(['metadata', 'labels', key]));
    }
    return violations.toArray();
  },
};
