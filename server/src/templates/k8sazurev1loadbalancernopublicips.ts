import { getPath } from '../json';
import { culpritAt, fixIfApplicable, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

const INTERNAL_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';

/** Flags a Service of type LoadBalancer without `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`. */
export const k8sazurev1loadbalancernopublicips: ConstraintTemplate = {
  name: 'k8sazurev1loadbalancernopublicips',
  kind: 'K8sAzureV1LoadBalancerNoPublicIPs',
  storeUrl: storeUrl('load-balancer-no-public-ips', 'v1'),
  check(review) {
    // The API server defaults `spec.type` to ClusterIP before Gatekeeper sees the Service.
    const type = getPath(review.object, ['spec', 'type']) ?? 'ClusterIP';
    if (type !== 'LoadBalancer') return [];
    const annotationPath = ['metadata', 'annotations', INTERNAL_ANNOTATION];
    const annotation = getPath(review.object, annotationPath);
    if (annotation === 'true') return [];
    const message = sprintf('Load Balancers should not have public IPs. azure-load-balancer-internal annotation is required for %v', [
      getPath(review.object, ['metadata', 'name']),
    ]);
    if (message === undefined) return [];
    // An internal load balancer is no longer reachable from the internet: offered, not preferred.
    const fix = fixIfApplicable(review.object, 'Make the load balancer internal', false, [{ op: 'set', path: annotationPath, value: 'true' }]);
    const path = annotation === undefined ? ['spec', 'type'] : annotationPath;
    return [{ message, culprits: [culpritAt(path, undefined, [fix])] }];
  },
};
