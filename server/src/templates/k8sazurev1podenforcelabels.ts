import { getPath } from '../json';
import { culpritAt, elementsOf, isTruthy, RegoSet, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/** Flags a Pod that lacks one of the label keys listed in `labels` (any value will do). */
export const k8sazurev1podenforcelabels: ConstraintTemplate = {
  name: 'k8sazurev1podenforcelabels',
  kind: 'K8sAzureV1PodEnforceLabels',
  storeUrl: storeUrl('pod-enforce-labels', 'v1'),
  check(review, parameters) {
    const isProvided = (label: unknown) => typeof label === 'string' && isTruthy(getPath(review.object, ['metadata', 'labels', label]));
    const missing = new RegoSet(elementsOf(getPath(parameters, ['labels'])).filter((label) => !isProvided(label)));
    if (missing.members.length === 0) return [];
    const message = sprintf('you must provide labels: %v', [missing]);
    return message === undefined ? [] : [{ message, culprits: [culpritAt(['metadata', 'labels'], ['metadata'])] }];
  },
};
