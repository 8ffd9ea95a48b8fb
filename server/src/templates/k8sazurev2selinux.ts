import { getPath } from '../json';
import type { JsonValue, Path } from '../json';
import { checkedContainers, containerField, culpritAt, elementsOf, isTruthy, isWindowsPod, podName, regoEquals, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate, FixProposal } from './types';

const SELINUX_FIELDS = ['level', 'role', 'type', 'user'];

/** Options the pod sets: a null is dropped by the API server. */
function setsOptions(options: JsonValue | undefined): boolean {
  return options !== null && isTruthy(options);
}

/** Whether some entry of `allowed` equals `options` in each of the four fields that `options` sets (the API server drops empty ones). */
function isAllowed(options: JsonValue | undefined, allowed: readonly JsonValue[]): boolean {
  return allowed.some((entry) =>
    SELINUX_FIELDS.every((field) => {
      const value = getPath(options, [field]);
      const expected = getPath(entry, [field]);
      return value === undefined || value === null || value === '' || (expected !== undefined && regoEquals(expected, value));
    }),
  );
}

/** Removing custom labels returns to the runtime's defaults, which a workload may not be able to live with. */
function removeOptionsFix(path: Path): FixProposal {
  return { title: 'Remove `seLinuxOptions`', preferred: false, operations: [{ op: 'remove', path }] };
}

/**
 * Flags the pod's `seLinuxOptions`, and each container's, unless an `allowedSELinuxOptions` entry
 * matches every field it sets; an entry that leaves a field out does not match a value there. Only
 * containers (not the pod's options) are exempted by `excludedImages`; there are no name exclusions.
 */
export const k8sazurev2selinux: ConstraintTemplate = {
  name: 'k8sazurev2selinux',
  kind: 'K8sAzureV2SELinux',
  storeUrl: storeUrl('selinux', 'v2'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const allowedParameter = getPath(parameters, ['allowedSELinuxOptions']);
    const allowed = elementsOf(allowedParameter);
    const violations = new ViolationSet();
    const podOptionsPath = ['spec', 'securityContext', 'seLinuxOptions'];
    const podOptions = getPath(review.object, podOptionsPath);
    if (setsOptions(podOptions) && !isAllowed(podOptions, allowed)) {
      const message = sprintf('SELinux options is not allowed, pod: %v. Allowed options: %v', [podName(review), allowedParameter]);
      if (message !== undefined) violations.add(message, culpritAt(podOptionsPath, undefined, [removeOptionsFix(podOptionsPath)]));
    }
    for (const container of checkedContainers(review, parameters, { honourExcludedContainers: false })) {
      const optionsPath = [...container.path, 'securityContext', 'seLinuxOptions'];
      const options = getPath(review.object, optionsPath);
      if (!setsOptions(options) || isAllowed(options, allowed)) continue;
      const message = sprintf('SELinux options is not allowed, pod: %v, container %v. Allowed options: %v', [
        podName(review),
        containerField(container, 'name'),
        allowedParameter,
      ]);
      if (message !== undefined) violations.add(message, culpritAt(optionsPath, undefined, [removeOptionsFix(optionsPath)]));
    }
    return violations.toArray();
  },
};
