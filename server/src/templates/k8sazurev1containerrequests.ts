import { getPath, isObject } from '../json';
import type { JsonValue } from '../json';
import { checkedContainers, containerField, culpritAt, DEPLOYMENT_SAFEGUARDS_MORE_INFORMATION, isTruthy, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** The limits template's `missing`: the field is undefined, false or "". */
function isMissing(value: JsonValue | undefined): boolean {
  return !isTruthy(value) || value === '';
}

/**
 * container-resource-requests/v1 (no copy published; see README, Inferred semantics). Every container
 * and init container must request CPU and memory, checked as container-resource-limits/v3 checks
 * limits. "has no resource requests" is the message AKS prints; the cpu and memory ones are inferred.
 */
export const k8sazurev1containerrequests: ConstraintTemplate = {
  name: 'k8sazurev1containerrequests',
  kind: 'K8sAzureV1ContainerRequests',
  storeUrl: storeUrl('container-resource-requests', 'v1'),
  check(review, parameters) {
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { lists: ['containers', 'initContainers'] })) {
      const name = containerField(container, 'name');
      const requestsPath = [...container.path, 'resources', 'requests'];
      const requests = containerField(container, 'resources', 'requests');
      // The API server stores no `requests` for a null or empty map, so those are none at all.
      if (!isObject(requests) || Object.keys(requests).length === 0) {
        const message = sprintf(`container <%v> has no resource requests. ${DEPLOYMENT_SAFEGUARDS_MORE_INFORMATION}`, [name]);
        if (message !== undefined) violations.add(message, culpritAt(requestsPath, [...container.path, 'name']));
        continue;
      }
      for (const resource of ['cpu', 'memory'] as const) {
        if (!isMissing(getPath(requests, [resource]))) continue;
        const message = sprintf(`container <%v> has no ${resource} request. ${DEPLOYMENT_SAFEGUARDS_MORE_INFORMATION}`, [name]);
        if (message !== undefined) violations.add(message, culpritAt([...requestsPath, resource], requestsPath));
      }
    }
    return violations.toArray();
  },
};
