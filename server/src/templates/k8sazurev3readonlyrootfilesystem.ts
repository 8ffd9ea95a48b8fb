import { getPath } from '../json';
import { checkedContainers, containerField, culpritAt, fixIfApplicable, isWindowsPod, podName, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** Flags containers whose `securityContext.readOnlyRootFilesystem` is not exactly `true`. */
export const k8sazurev3readonlyrootfilesystem: ConstraintTemplate = {
  name: 'k8sazurev3readonlyrootfilesystem',
  kind: 'K8sAzureV3ReadOnlyRootFilesystem',
  storeUrl: storeUrl('read-only-root-filesystem', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const flagPath = [...container.path, 'securityContext', 'readOnlyRootFilesystem'];
      if (getPath(review.object, flagPath) === true) continue;
      const message = sprintf("Readonly root filesystem is required for container. pod:'%v', container:'%v'", [podName(review), containerField(container, 'name')]);
      if (message === undefined) continue;
      const fix = fixIfApplicable(review.object, 'Set `readOnlyRootFilesystem: true`', true, [{ op: 'set', path: flagPath, value: true }]);
      violations.add(message, culpritAt(flagPath, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
