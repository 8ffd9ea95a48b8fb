import { getPath } from '../json';
import { culpritAt, isTruthy, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags a workload (Deployment, StatefulSet, ReplicaSet) with more than one replica whose pod template has no
 * `affinity.podAntiAffinity`. Topology spread constraints do not count, though the definition's name mentions them.
 */
export const k8sazurev1antiaffinityrules: ConstraintTemplate = {
  name: 'k8sazurev1antiaffinityrules',
  kind: 'K8sAzureV1AntiAffinityRules',
  storeUrl: storeUrl('pod-enforce-antiaffinity', 'v1'),
  check(review) {
    const replicas = getPath(review.object, ['spec', 'replicas']);
    // The API server refuses a replicas that is not an integer before Gatekeeper sees the workload.
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas <= 1) return [];
    const podSpec = getPath(review.object, ['spec', 'template', 'spec']);
    if (podSpec === undefined || isTruthy(getPath(podSpec, ['affinity', 'podAntiAffinity']))) return [];
    // The Rego prints with %s and %d, which give the same text as %v for a kind and an integer.
    const message = sprintf('%v with %v replicas should have pod anti-affinity rules set to avoid disruptions due to nodes crashing', [review.kind.kind, replicas]);
    const antiAffinityPath = ['spec', 'template', 'spec', 'affinity', 'podAntiAffinity'];
    return message === undefined ? [] : [{ message, culprits: [culpritAt(antiAffinityPath, ['spec', 'replicas'])] }];
  },
};
