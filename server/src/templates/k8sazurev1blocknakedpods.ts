import { getPath } from '../json';
import { isTruthy, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/** Flags a Pod that no controller owns (no `metadata.ownerReferences`); a workload's Pods carry one. */
export const k8sazurev1blocknakedpods: ConstraintTemplate = {
  name: 'k8sazurev1blocknakedpods',
  kind: 'K8sAzureV1BlockNakedPods',
  storeUrl: storeUrl('block-naked-pods', 'v1'),
  check(review) {
    if (isTruthy(getPath(review.object, ['metadata', 'ownerReferences']))) return [];
    const message = sprintf('Naked pod is not allowed, pod: %v', [getPath(review.object, ['metadata', 'name'])]);
    // The Pod as a whole is the problem: the finding sits on its `kind`.
    return message === undefined ? [] : [{ message, culprits: [] }];
  },
};
