import { getPath } from '../json';
import { culpritAt, elementsOf, entriesOf, regoRegexMatch, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags a Node outside the system pool (label `kubernetes.azure.com/mode` not `system`/`System`) with a taint
 * whose key matches one of the `reservedTaints` patterns (Go regex, matching anywhere in the key).
 */
export const k8sazurev1reservedtaints: ConstraintTemplate = {
  name: 'k8sazurev1reservedtaints',
  kind: 'K8sAzureV1ReservedTaints',
  storeUrl: storeUrl('restricted-taints', 'v1'),
  check(review, parameters) {
    const mode = getPath(review.object, ['metadata', 'labels', 'kubernetes.azure.com/mode']);
    if (mode === 'system' || mode === 'System') return [];
    const patterns = elementsOf(getPath(parameters, ['reservedTaints']));
    const violations = new ViolationSet();
    for (const [index, taint] of entriesOf(getPath(review.object, ['spec', 'taints']))) {
      const key = getPath(taint, ['key']);
      if (key === undefined || !patterns.some((pattern) => regoRegexMatch(pattern, key) === true)) continue;
      // %s in the Rego; the key is a string, which %v prints the same.
      const message = sprintf('Taint with key <%v> is reserved for the system pool only', [key]);
      if (message !== undefined) violations.add(message, culpritAt(['spec', 'taints', index, 'key']));
    }
    return violations.toArray();
  },
};
