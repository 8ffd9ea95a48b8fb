import { getPath, isObject } from '../json';
import type { JsonValue, Path } from '../json';
import { checkedContainers, containerField, culpritAt, fixIfApplicable, isTruthy, isWindowsPod, regoEquals, sprintf, storeUrl, ViolationSet } from './common';
import { servedResourceList } from './quantity';
import type { ConstraintTemplate, Culprit, FixProposal, Review } from './types';

const RESOURCE_NAMES = ['cpu', 'memory'];

function quantityIn(list: JsonValue | undefined, name: string): JsonValue | undefined {
  return isObject(list) ? list[name] : undefined;
}

/** Copies a quantity as written to `path`; none when there is nothing to copy. Not preferred: it caps the container or reserves more. */
function copyFix(review: Review, title: string, path: Path, quantity: JsonValue | undefined): FixProposal | undefined {
  if (quantity === undefined || quantity === null) return undefined;
  return fixIfApplicable(review.object, `${title}, ${String(quantity)}`, false, [{ op: 'set', path, value: quantity }]);
}

/**
 * Flags regular and init containers of pods pinned to Windows (by nodeSelector) without both a CPU
 * and a memory limit, or whose CPU or memory request differs from its limit. Quantities are compared
 * as the API server stores them, so `cpu: 0.5` and `cpu: 500m` are the same.
 */
export const k8sazurev1windowscontainerresources: ConstraintTemplate = {
  name: 'k8sazurev1windowscontainerresources',
  kind: 'K8sAzureV1WindowsContainerResources',
  storeUrl: storeUrl('windows-container-resources', 'v1'),
  check(review, parameters) {
    if (!isWindowsPod(review)) return [];
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { lists: ['containers', 'initContainers'], honourExcludedContainers: false })) {
      const name = containerField(container, 'name');
      const resourcesPath: Path = [...container.path, 'resources'];
      const limitsPath = [...resourcesPath, 'limits'];
      const requestsPath = [...resourcesPath, 'requests'];
      const writtenRequests = getPath(review.object, requestsPath);
      const writtenLimits = getPath(review.object, limitsPath);
      const limits = servedResourceList(writtenLimits);
      const requests = servedResourceList(writtenRequests);

      const missing = RESOURCE_NAMES.filter((resource) => !isTruthy(quantityIn(limits, resource)));
      const missingMessage = missing.length > 0 ? sprintf('Container <%v> has missing resource limits', [name]) : undefined;
      if (missingMessage !== undefined) {
        const fallback = writtenLimits !== undefined ? limitsPath : [...container.path, 'name'];
        for (const resource of missing) {
          const limitPath = [...limitsPath, resource];
          const fix = copyFix(review, `Set the ${resource} limit to the request`, limitPath, quantityIn(writtenRequests, resource));
          violations.add(missingMessage, culpritAt(limitPath, fallback, [fix]));
        }
      }

      const mismatched: Culprit[] = [];
      for (const resource of RESOURCE_NAMES) {
        const request = quantityIn(requests, resource);
        const limit = quantityIn(limits, resource);
        if (request === undefined || limit === undefined || request === null || limit === null || regoEquals(request, limit)) continue;
        const requestPath = [...requestsPath, resource];
        const fix = copyFix(review, `Set the ${resource} request to the limit`, requestPath, quantityIn(writtenLimits, resource));
        mismatched.push(culpritAt(requestPath, undefined, [fix]));
      }
      const mismatchMessage = mismatched.length > 0 ? sprintf('Container <%v> sets resource requests that do not match limits', [name]) : undefined;
      if (mismatchMessage !== undefined) for (const culprit of mismatched) violations.add(mismatchMessage, culprit);
    }
    return violations.toArray();
  },
};
